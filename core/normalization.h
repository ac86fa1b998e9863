// Turning uint8 pixels into the floats a network sees. The statistics for standardization
// come from the training split only, so dev and test stay unseen.
#pragma once

#include "split.h"

namespace atelier {

enum class Normalization
{
    Scale,       // pixel / 255, values in [0, 1] (the default)
    Standardize, // (pixel / 255 − mean) / std, with mean and std of the training split
};

// value = pixel × scale + shift
struct PixelTransform
{
    float scale = 1.0f / 255.0f;
    float shift = 0.0f;

    float apply(std::uint8_t pixel) const { return float(pixel) * scale + shift; }
};

PixelTransform pixelTransform(Normalization mode, const ImageSet& set, const IndexList& fitIndices);

// Writes the transformed pixels of the images `indices` into `out` (indices.size() × pixels).
void transformImages(const ImageSet& set, const IndexList& indices, const PixelTransform& transform,
                     float* out);

} // namespace atelier
