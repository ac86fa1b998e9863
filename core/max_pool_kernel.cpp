// Tiling max pooling (max_pool_kernel.h). The channel loops are plain loops over contiguous
// values that GCC vectorises (at -O3) in each instruction-set clone.
#include "internal/max_pool_kernel.h"

#include "internal/vector_clones.h"

#include <algorithm>
#include <cstring>

namespace atelier::pool {
namespace {

// The cells of a window that lie inside the input (all but at the bottom and right edges
// with "same" padding).
struct Window
{
    std::int64_t rows, columns;
};

Window windowAt(const Geometry& g, std::int64_t y, std::int64_t x)
{
    return {std::min(g.windowHeight, g.height - y * g.windowHeight),
            std::min(g.windowWidth, g.width - x * g.windowWidth)};
}

// A bfloat16 is the upper half of a float's bits: comparing the widened values is comparing
// bfloat16s, and the winner is copied bit for bit.
ATELIER_INLINE float widen(float value)
{
    return value;
}
ATELIER_INLINE float widen(std::uint16_t bfloat16)
{
    const std::uint32_t bits = std::uint32_t(bfloat16) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// One output pixel: the first cell is the start, every later cell that beats it (or is NaN)
// takes over.
template <typename T>
ATELIER_INLINE void poolPixel(const T* __restrict in, std::int64_t rowStride, const Geometry& g,
                              Window window, bool relu, T* __restrict out,
                              std::uint8_t* __restrict winners)
{
    const std::int64_t c = g.channels;
    for (std::int64_t k = 0; k < c; ++k) {
        out[k] = in[k];
        winners[k] = 0;
    }
    for (std::int64_t wy = 0; wy < window.rows; ++wy) {
        for (std::int64_t wx = wy == 0 ? 1 : 0; wx < window.columns; ++wx) {
            const std::uint8_t cell = std::uint8_t(wy * g.windowWidth + wx);
            const T* value = in + wy * rowStride + wx * c;
            for (std::int64_t k = 0; k < c; ++k) {
                // As LibTorch: a NaN takes over, and a number never beats a NaN.
                const float candidate = widen(value[k]);
                const bool wins = candidate > widen(out[k]) || candidate != candidate;
                out[k] = wins ? value[k] : out[k];
                winners[k] = wins ? cell : winners[k];
            }
        }
    }
    if (relu) {
        for (std::int64_t k = 0; k < c; ++k) {
            // As relu and threshold_backward: a maximum at or below 0 becomes 0 and passes
            // no gradient; NaN stays NaN and passes it.
            const bool dead = widen(out[k]) <= 0.0f;
            winners[k] = dead ? kNoWinner : winners[k];
            out[k] = dead ? T(0) : out[k];
        }
    }
}

template <typename T>
ATELIER_INLINE void unpoolPixel(const T* __restrict gradOut, const std::uint8_t* __restrict winners,
                                std::int64_t rowStride, const Geometry& g, Window window,
                                T* __restrict gradIn)
{
    const std::int64_t c = g.channels;
    for (std::int64_t wy = 0; wy < window.rows; ++wy) {
        for (std::int64_t wx = 0; wx < window.columns; ++wx) {
            const std::uint8_t cell = std::uint8_t(wy * g.windowWidth + wx);
            T* target = gradIn + wy * rowStride + wx * c;
            for (std::int64_t k = 0; k < c; ++k)
                target[k] = winners[k] == cell ? gradOut[k] : T(0);
        }
    }
}

template <typename T>
ATELIER_INLINE void forwardRows(const T* in, const Geometry& g, std::int64_t firstRow,
                                std::int64_t endRow, bool relu, T* out, std::uint8_t* winners)
{
    const std::int64_t c = g.channels, rowStride = g.width * c;
    for (std::int64_t row = firstRow; row < endRow; ++row) {
        const std::int64_t image = row / g.outHeight, y = row % g.outHeight;
        const T* source = in + (image * g.height + y * g.windowHeight) * rowStride;
        const std::int64_t first = row * g.outWidth * c;
        for (std::int64_t x = 0; x < g.outWidth; ++x)
            poolPixel(source + x * g.windowWidth * c, rowStride, g, windowAt(g, y, x), relu,
                      out + first + x * c, winners + first + x * c);
    }
}

template <typename T>
ATELIER_INLINE void backwardRows(const T* gradOut, const std::uint8_t* winners, const Geometry& g,
                                 std::int64_t firstRow, std::int64_t endRow, T* gradIn)
{
    const std::int64_t c = g.channels, rowStride = g.width * c;
    const std::int64_t coveredWidth = std::min(g.width, g.outWidth * g.windowWidth);
    const std::int64_t coveredHeight = std::min(g.height, g.outHeight * g.windowHeight);
    for (std::int64_t row = firstRow; row < endRow; ++row) {
        const std::int64_t image = row / g.outHeight, y = row % g.outHeight;
        T* target = gradIn + (image * g.height + y * g.windowHeight) * rowStride;
        const std::int64_t first = row * g.outWidth * c;
        for (std::int64_t x = 0; x < g.outWidth; ++x)
            unpoolPixel(gradOut + first + x * c, winners + first + x * c, rowStride, g,
                        windowAt(g, y, x), target + x * g.windowWidth * c);
        // Without padding, the input's last columns and rows may lie in no window.
        const std::int64_t rows = windowAt(g, y, 0).rows;
        for (std::int64_t wy = 0; wy < rows && coveredWidth < g.width; ++wy)
            std::memset(target + wy * rowStride + coveredWidth * c, 0,
                        std::size_t((g.width - coveredWidth) * c) * sizeof(T));
        if (y == g.outHeight - 1 && coveredHeight < g.height)
            std::memset(gradIn + (image * g.height + coveredHeight) * rowStride, 0,
                        std::size_t((g.height - coveredHeight) * rowStride) * sizeof(T));
    }
}

} // namespace

// Each element type's entry points are cloned per instruction set, with the loops inlined
// into each clone (GCC clones functions, not templates).
ATELIER_VECTOR_CLONES
void forward(const float* in, const Geometry& g, std::int64_t firstRow, std::int64_t endRow,
             bool relu, float* out, std::uint8_t* winners)
{
    forwardRows(in, g, firstRow, endRow, relu, out, winners);
}

ATELIER_VECTOR_CLONES
void forward(const std::uint16_t* in, const Geometry& g, std::int64_t firstRow, std::int64_t endRow,
             bool relu, std::uint16_t* out, std::uint8_t* winners)
{
    forwardRows(in, g, firstRow, endRow, relu, out, winners);
}

ATELIER_VECTOR_CLONES
void backward(const float* gradOut, const std::uint8_t* winners, const Geometry& g,
              std::int64_t firstRow, std::int64_t endRow, float* gradIn)
{
    backwardRows(gradOut, winners, g, firstRow, endRow, gradIn);
}

ATELIER_VECTOR_CLONES
void backward(const std::uint16_t* gradOut, const std::uint8_t* winners, const Geometry& g,
              std::int64_t firstRow, std::int64_t endRow, std::uint16_t* gradIn)
{
    backwardRows(gradOut, winners, g, firstRow, endRow, gradIn);
}

} // namespace atelier::pool
