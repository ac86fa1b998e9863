// Pixel statistics and the uint8 → float conversion.
#include "normalization.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace atelier {

PixelTransform pixelTransform(Normalization mode, const ImageSet& set, const IndexList& fitIndices)
{
    PixelTransform transform;
    if (mode == Normalization::Scale || fitIndices.empty())
        return transform;

    // A histogram of the 256 grey levels gives exact sums without float accumulation error.
    std::array<std::uint64_t, 256> histogram{};
    const int pixels = set.pixelsPerImage();
    for (std::int32_t index : fitIndices) {
        const std::uint8_t* image = set.image(index);
        for (int p = 0; p < pixels; ++p)
            ++histogram[image[p]];
    }
    double count = 0, sum = 0, sumSquares = 0;
    for (int level = 0; level < 256; ++level) {
        const double value = level / 255.0;
        count += double(histogram[level]);
        sum += value * double(histogram[level]);
        sumSquares += value * value * double(histogram[level]);
    }
    const double mean = sum / count;
    const double variance = std::max(sumSquares / count - mean * mean, 0.0);
    const double stddev = variance > 0 ? std::sqrt(variance) : 1.0; // constant images: only shift
    transform.scale = float(1.0 / (255.0 * stddev));
    transform.shift = float(-mean / stddev);
    return transform;
}

void transformImages(const ImageSet& set, const IndexList& indices, const PixelTransform& transform,
                     float* out)
{
    std::array<float, 256> table{};
    for (int level = 0; level < 256; ++level)
        table[level] = transform.apply(std::uint8_t(level));
    const int pixels = set.pixelsPerImage();
    for (std::int32_t index : indices) {
        const std::uint8_t* image = set.image(index);
        for (int p = 0; p < pixels; ++p)
            *out++ = table[image[p]];
    }
}

} // namespace atelier
