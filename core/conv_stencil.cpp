// The one-channel 3×3 convolution of conv_stencil.h, alone or with the max pooling after it
// fused in. Each image is first copied into a zero-bordered buffer so that every output pixel
// reads its 9 taps without bounds checks.
// The channel loop works on 8 floats at a time (GCC vector extensions, compiled for AVX2+FMA
// and for AVX-512 besides the baseline, chosen when the program loads).
#include "internal/conv_stencil.h"

#include "internal/vector_clones.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace atelier::stencil {
namespace {

constexpr std::int64_t kLanes = 8;
using Vec = float __attribute__((vector_size(kLanes * sizeof(float))));

// Unaligned loads and stores: the channel rows are only float-aligned.
ATELIER_INLINE Vec load(const float* p)
{
    Vec v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
ATELIER_INLINE void store(float* p, Vec v)
{
    std::memcpy(p, &v, sizeof v);
}

std::int64_t paddedWidth(const Geometry& g)
{
    return g.outWidth + 2;
}
std::int64_t paddedHeight(const Geometry& g)
{
    return g.outHeight + 2;
}

// Copies one image into `padded` (zeroed once by the caller; the border stays zero).
void fillPadded(const float* image, const Geometry& g, float* padded)
{
    const std::int64_t pw = paddedWidth(g);
    const std::int64_t rows = std::min(g.height, paddedHeight(g) - g.padTop);
    const std::int64_t columns = std::min(g.width, pw - g.padLeft);
    for (std::int64_t y = 0; y < rows; ++y)
        std::memcpy(padded + (y + g.padTop) * pw + g.padLeft, image + y * g.width,
                    std::size_t(columns) * sizeof(float));
}

// The 9 taps of the output pixel whose window starts at `p`, in kernel order.
inline std::int64_t tapOffset(int tap, std::int64_t pw)
{
    return (tap / 3) * pw + tap % 3;
}

// P neighbouring pixels of one row × G vectors of channels, all in registers: P·G independent
// sums keep both FMA units busy (one sum alone would wait on each FMA's latency 9 times).
// `p`: the first pixel's window in the padded image; `w`, `bias`, `out`: at the first channel.
template <int P, int G>
ATELIER_INLINE void forwardTile(const float* __restrict p, std::int64_t pw,
                                const float* __restrict w, std::int64_t c,
                                const float* __restrict bias, bool relu, float* __restrict out)
{
    const Vec zero = {};
    Vec sum[P][G];
#pragma GCC unroll 8
    for (int g = 0; g < G; ++g) {
        const Vec start = bias ? load(bias + g * kLanes) : zero;
#pragma GCC unroll 8
        for (int q = 0; q < P; ++q)
            sum[q][g] = start;
    }
#pragma GCC unroll 9
    for (int t = 0; t < kTaps; ++t) {
        Vec weight[G];
#pragma GCC unroll 8
        for (int g = 0; g < G; ++g)
            weight[g] = load(w + t * c + g * kLanes);
#pragma GCC unroll 8
        for (int q = 0; q < P; ++q) {
            const float value = p[tapOffset(t, pw) + q];
#pragma GCC unroll 8
            for (int g = 0; g < G; ++g)
                sum[q][g] += weight[g] * value;
        }
    }
#pragma GCC unroll 8
    for (int q = 0; q < P; ++q)
#pragma GCC unroll 8
        for (int g = 0; g < G; ++g)
            store(out + q * c + g * kLanes,
                  relu ? (sum[q][g] <= zero ? zero : sum[q][g]) : sum[q][g]);
}

// The output pixels from `x` on that `forwardTile<P, ...>` covers, over every channel.
template <int P>
ATELIER_INLINE void forwardPixels(const float* __restrict p, std::int64_t pw,
                                  const float* __restrict w, std::int64_t c,
                                  const float* __restrict bias, bool relu, float* __restrict out)
{
    constexpr int kWide = 4; // 32 channels: the common first-layer width
    std::int64_t k = 0;
    for (; k + kWide * kLanes <= c; k += kWide * kLanes)
        forwardTile<P, kWide>(p, pw, w + k, c, bias ? bias + k : nullptr, relu, out + k);
    for (; k + kLanes <= c; k += kLanes)
        forwardTile<P, 1>(p, pw, w + k, c, bias ? bias + k : nullptr, relu, out + k);
    for (; k < c; ++k) {
        for (int q = 0; q < P; ++q) {
            float sum = bias ? bias[k] : 0.0f;
            for (int t = 0; t < kTaps; ++t)
                sum += w[t * c + k] * p[tapOffset(t, pw) + q];
            out[q * c + k] = relu && sum <= 0.0f ? 0.0f : sum;
        }
    }
}

// Output rows [firstRow, endRow) of one image, `out` at the first of them.
ATELIER_INLINE void forwardRows(const float* __restrict padded, const Geometry& g,
                                std::int64_t firstRow, std::int64_t endRow,
                                const float* __restrict weights, const float* __restrict bias,
                                bool relu, float* __restrict out)
{
    const std::int64_t c = g.channels, pw = paddedWidth(g);
    for (std::int64_t y = firstRow; y < endRow; ++y) {
        const float* row = padded + y * pw;
        std::int64_t x = 0;
        for (; x + 2 <= g.outWidth; x += 2, out += 2 * c)
            forwardPixels<2>(row + x, pw, weights, c, bias, relu, out);
        for (; x < g.outWidth; ++x, out += c)
            forwardPixels<1>(row + x, pw, weights, c, bias, relu, out);
    }
}

ATELIER_VECTOR_CLONES
void forwardImage(const float* __restrict padded, const Geometry& g,
                  const float* __restrict weights, const float* __restrict bias, bool relu,
                  float* __restrict out)
{
    forwardRows(padded, g, 0, g.outHeight, weights, bias, relu, out);
}

// A vector's lanes as 32-bit integers (the result of comparing two Vecs; a pooling winner per
// lane) and as bytes (the winners as stored, one per channel).
using Cells = std::int32_t __attribute__((vector_size(kLanes * sizeof(std::int32_t))));
using Bytes = std::uint8_t __attribute__((vector_size(kLanes)));

// pool::forward's rules for one full 2×2 window of 8 channels (`top`, `bottom`: its two rows
// at the window's first pixel, `c` floats per pixel): the first cell starts, each later one
// that beats it (or is NaN) takes over; with `relu` a maximum at or below 0 becomes 0 and
// has no winner. The generic kernel's byte-wide selects do not vectorise; these do.
ATELIER_INLINE void poolWindow2x2(const float* __restrict top, const float* __restrict bottom,
                                  std::int64_t c, bool relu, float* __restrict out,
                                  std::uint8_t* __restrict winners)
{
    const Vec candidates[3] = {load(top + c), load(bottom), load(bottom + c)};
    Vec best = load(top);
    Cells winner = {};
#pragma GCC unroll 3
    for (int cell = 1; cell <= 3; ++cell) {
        const Vec candidate = candidates[cell - 1];
        const Cells wins = (candidate > best) | (candidate != candidate);
        best = wins ? candidate : best;
        winner = wins ? Cells{} + cell : winner;
    }
    if (relu) {
        const Vec zero = {};
        const Cells dead = best <= zero;
        best = dead ? zero : best;
        winner = dead ? Cells{} + std::int32_t(pool::kNoWinner) : winner;
    }
    store(out, best);
    const Bytes bytes = __builtin_convertvector(winner, Bytes);
    std::memcpy(winners, &bytes, sizeof bytes);
}

// One image's pooled output: each row of windows is convolved into `rows` (window height ×
// output width × channels, in cache) and pooled from there, with the pooling's rules.
ATELIER_VECTOR_CLONES
void forwardPooledImage(const float* __restrict padded, const Geometry& g,
                        const float* __restrict weights, const float* __restrict bias,
                        const pool::Geometry& pooling, bool relu, float* __restrict rows,
                        float* __restrict out, std::uint8_t* __restrict winners)
{
    const std::int64_t c = g.channels, pooledRow = pooling.outWidth * c;
    for (std::int64_t y = 0; y < pooling.outHeight; ++y) {
        const std::int64_t first = y * pooling.windowHeight;
        const std::int64_t end = std::min(first + pooling.windowHeight, g.outHeight);
        forwardRows(padded, g, first, end, weights, bias, /*relu=*/false, rows);
        float* bandOut = out + y * pooledRow;
        std::uint8_t* bandWinners = winners + y * pooledRow;
        // Whole 2×2 windows over whole vectors of channels (the usual case): the fast path.
        if (pooling.windowHeight == 2 && pooling.windowWidth == 2 && end - first == 2 &&
            g.outWidth >= 2 * pooling.outWidth && c % kLanes == 0) {
            for (std::int64_t x = 0; x < pooling.outWidth; ++x) {
                const float* top = rows + 2 * x * c;
                for (std::int64_t k = 0; k < c; k += kLanes)
                    poolWindow2x2(top + k, top + g.outWidth * c + k, c, relu, bandOut + x * c + k,
                                  bandWinners + x * c + k);
            }
            continue;
        }
        pool::Geometry band = pooling;
        band.height = end - first;
        band.outHeight = 1;
        pool::forward(rows, band, 0, 1, relu, bandOut, bandWinners);
    }
}

// Adds one output pixel's gradients (8 channels) to its 9 tap sums and its bias sum.
ATELIER_INLINE void addPixel(Vec grad, const float* __restrict window, std::int64_t pw,
                             Vec* __restrict tap, Vec& biasSum)
{
#pragma GCC unroll 9
    for (int t = 0; t < kTaps; ++t)
        tap[t] += grad * window[tapOffset(t, pw)];
    biasSum += grad;
}

// Adds a channel block's 9 tap sums and bias sum to `sums` (at the block's first channel;
// rows of `c`: the 9 taps, then the bias).
ATELIER_INLINE void addToSums(const Vec* __restrict tap, Vec biasSum, std::int64_t c,
                              float* __restrict sums)
{
    for (int t = 0; t < kTaps; ++t)
        store(sums + t * c, load(sums + t * c) + tap[t]);
    store(sums + kTaps * c, load(sums + kTaps * c) + biasSum);
}

// One image's contribution, added to `sums` channel block by channel block: the 10 sums of
// a block (9 taps and the bias) stay in registers while the pixels stream past, ten
// independent chains of FMAs.
ATELIER_VECTOR_CLONES
void gradientImage(const float* __restrict padded, const Geometry& g,
                   const float* __restrict gradOut, const float* __restrict reluOut,
                   float* __restrict sums)
{
    const std::int64_t c = g.channels, pw = paddedWidth(g);
    const std::int64_t vectorEnd = c - c % kLanes;
    const Vec zero = {};
    for (std::int64_t k = 0; k < vectorEnd; k += kLanes) {
        Vec tap[kTaps] = {};
        Vec biasSum = zero;
        std::int64_t pixel = 0;
        for (std::int64_t y = 0; y < g.outHeight; ++y) {
            const float* row = padded + y * pw;
            for (std::int64_t x = 0; x < g.outWidth; ++x, ++pixel) {
                Vec grad = load(gradOut + pixel * c + k);
                if (reluOut)
                    grad = load(reluOut + pixel * c + k) <= zero ? zero : grad;
                addPixel(grad, row + x, pw, tap, biasSum);
            }
        }
        addToSums(tap, biasSum, c, sums + k);
    }
    for (std::int64_t k = vectorEnd; k < c; ++k) {
        float tap[kTaps] = {}, biasSum = 0.0f;
        std::int64_t pixel = 0;
        for (std::int64_t y = 0; y < g.outHeight; ++y) {
            const float* row = padded + y * pw;
            for (std::int64_t x = 0; x < g.outWidth; ++x, ++pixel) {
                float grad = gradOut[pixel * c + k];
                if (reluOut && reluOut[pixel * c + k] <= 0.0f)
                    grad = 0.0f;
                for (int t = 0; t < kTaps; ++t)
                    tap[t] += grad * row[tapOffset(t, pw) + x];
                biasSum += grad;
            }
        }
        for (int t = 0; t < kTaps; ++t)
            sums[t * c + k] += tap[t];
        sums[kTaps * c + k] += biasSum;
    }
}

// gradientImage for a pooled output: a pixel's gradient is its window's where the pixel won
// it (the pooling's backward, never written out), and 0 elsewhere, also where no window
// covers the pixel. Every pixel is visited in gradientImage's order, so the sums have the
// same bits as the convolution's gradient after the pooling's, even for an image with NaN or
// infinity, where 0 × the pixel is not 0.
ATELIER_VECTOR_CLONES
void pooledGradientImage(const float* __restrict padded, const Geometry& g,
                         const pool::Geometry& pooling, const float* __restrict gradOut,
                         const std::uint8_t* __restrict winners, float* __restrict sums)
{
    const std::int64_t c = g.channels, pw = paddedWidth(g);
    const std::int64_t wh = pooling.windowHeight, ww = pooling.windowWidth;
    // Without padding the last rows and columns may lie in no window.
    const std::int64_t coveredRows = std::min(g.outHeight, pooling.outHeight * wh);
    const std::int64_t coveredColumns = std::min(g.outWidth, pooling.outWidth * ww);
    const std::int64_t vectorEnd = c - c % kLanes;
    const Vec zero = {};
    for (std::int64_t k = 0; k < vectorEnd; k += kLanes) {
        Vec tap[kTaps] = {};
        Vec biasSum = zero;
        for (std::int64_t y = 0; y < g.outHeight; ++y) {
            const float* row = padded + y * pw;
            std::int64_t x = 0;
            if (y < coveredRows) {
                const std::int64_t pooledRow = (y / wh) * pooling.outWidth;
                for (std::int64_t px = 0; px < pooling.outWidth; ++px) {
                    const std::int64_t at = (pooledRow + px) * c + k;
                    const Vec grad = load(gradOut + at);
                    Bytes bytes;
                    std::memcpy(&bytes, winners + at, sizeof bytes);
                    const Cells winner = __builtin_convertvector(bytes, Cells);
                    for (; x < std::min(coveredColumns, (px + 1) * ww); ++x) {
                        const Cells cell = Cells{} + std::int32_t((y % wh) * ww + x - px * ww);
                        addPixel(winner == cell ? grad : zero, row + x, pw, tap, biasSum);
                    }
                }
            }
            for (; x < g.outWidth; ++x)
                addPixel(zero, row + x, pw, tap, biasSum);
        }
        addToSums(tap, biasSum, c, sums + k);
    }
    for (std::int64_t k = vectorEnd; k < c; ++k) {
        float tap[kTaps] = {}, biasSum = 0.0f;
        for (std::int64_t y = 0; y < g.outHeight; ++y) {
            const float* row = padded + y * pw;
            for (std::int64_t x = 0; x < g.outWidth; ++x) {
                float grad = 0.0f;
                if (y < coveredRows && x < coveredColumns) {
                    const std::int64_t at = ((y / wh) * pooling.outWidth + x / ww) * c + k;
                    grad = winners[at] == (y % wh) * ww + x % ww ? gradOut[at] : 0.0f;
                }
                for (int t = 0; t < kTaps; ++t)
                    tap[t] += grad * row[tapOffset(t, pw) + x];
                biasSum += grad;
            }
        }
        for (int t = 0; t < kTaps; ++t)
            sums[t * c + k] += tap[t];
        sums[kTaps * c + k] += biasSum;
    }
}

} // namespace

void forward(const float* images, std::int64_t count, const Geometry& geometry,
             const float* weights, const float* bias, bool relu, float* out)
{
    std::vector<float> padded(std::size_t(paddedHeight(geometry) * paddedWidth(geometry)), 0.0f);
    const std::int64_t imageSize = geometry.height * geometry.width;
    const std::int64_t outSize = geometry.outHeight * geometry.outWidth * geometry.channels;
    for (std::int64_t i = 0; i < count; ++i) {
        fillPadded(images + i * imageSize, geometry, padded.data());
        forwardImage(padded.data(), geometry, weights, bias, relu, out + i * outSize);
    }
}

void accumulateWeightGradient(const float* images, std::int64_t count, const Geometry& geometry,
                              const float* gradOut, const float* reluOut, float* sums)
{
    std::vector<float> padded(std::size_t(paddedHeight(geometry) * paddedWidth(geometry)), 0.0f);
    const std::int64_t imageSize = geometry.height * geometry.width;
    const std::int64_t outSize = geometry.outHeight * geometry.outWidth * geometry.channels;
    for (std::int64_t i = 0; i < count; ++i) {
        fillPadded(images + i * imageSize, geometry, padded.data());
        gradientImage(padded.data(), geometry, gradOut + i * outSize,
                      reluOut ? reluOut + i * outSize : nullptr, sums);
    }
}

void forwardPooled(const float* images, std::int64_t count, const Geometry& geometry,
                   const float* weights, const float* bias, const pool::Geometry& pooling,
                   bool relu, float* out, std::uint8_t* winners)
{
    std::vector<float> padded(std::size_t(paddedHeight(geometry) * paddedWidth(geometry)), 0.0f);
    std::vector<float> rows(
        std::size_t(pooling.windowHeight * geometry.outWidth * geometry.channels));
    const std::int64_t imageSize = geometry.height * geometry.width;
    const std::int64_t outSize = pooling.outHeight * pooling.outWidth * geometry.channels;
    for (std::int64_t i = 0; i < count; ++i) {
        fillPadded(images + i * imageSize, geometry, padded.data());
        forwardPooledImage(padded.data(), geometry, weights, bias, pooling, relu, rows.data(),
                           out + i * outSize, winners + i * outSize);
    }
}

void accumulatePooledWeightGradient(const float* images, std::int64_t count,
                                    const Geometry& geometry, const pool::Geometry& pooling,
                                    const float* gradOut, const std::uint8_t* winners, float* sums)
{
    std::vector<float> padded(std::size_t(paddedHeight(geometry) * paddedWidth(geometry)), 0.0f);
    const std::int64_t imageSize = geometry.height * geometry.width;
    const std::int64_t outSize = pooling.outHeight * pooling.outWidth * geometry.channels;
    for (std::int64_t i = 0; i < count; ++i) {
        fillPadded(images + i * imageSize, geometry, padded.data());
        pooledGradientImage(padded.data(), geometry, pooling, gradOut + i * outSize,
                            winners + i * outSize, sums);
    }
}

} // namespace atelier::stencil
