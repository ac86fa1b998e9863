// Private to core: Keras/TensorFlow "same" padding, shared by the LibTorch builder and the
// model exporters so that an exported graph pads exactly as training did. Torch-free.
#pragma once

#include "../model_analysis.h"
#include "../model_spec.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

namespace atelier {

struct PadAmounts
{
    std::int64_t top = 0, bottom = 0, left = 0, right = 0;
    bool symmetric() const { return top == bottom && left == right; }
    bool none() const { return top == 0 && bottom == 0 && left == 0 && right == 0; }
};

// output = ceil(in / stride); the padding is split with the extra cell at the end.
inline std::pair<std::int64_t, std::int64_t> samePadding(std::int64_t in, int kernel, int stride,
                                                         int dilation)
{
    const std::int64_t out = (in + stride - 1) / stride;
    const std::int64_t extent = std::int64_t(dilation) * (kernel - 1) + 1;
    const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + extent - in, 0);
    return {total / 2, total - total / 2};
}

// The padding of a convolution or pooling `layer` with window `window` on input `in` (C×H×W).
inline PadAmounts padAmounts(const LayerSpec& layer, const TensorShape& in, Size2 window,
                             Size2 dilation)
{
    PadAmounts pad;
    if (layer.padding != Padding::Same)
        return pad;
    std::tie(pad.top, pad.bottom) = samePadding(in.dims[1], window.h, layer.stride.h, dilation.h);
    std::tie(pad.left, pad.right) = samePadding(in.dims[2], window.w, layer.stride.w, dilation.w);
    return pad;
}

// The padding a layer of the stack applies (none for types that do not pad).
inline PadAmounts layerPadding(const LayerSpec& layer, const TensorShape& in)
{
    if (layer.type == LayerType::Conv2D)
        return padAmounts(layer, in, layer.kernel, layer.dilation);
    if (layer.type == LayerType::MaxPool2D || layer.type == LayerType::AvgPool2D)
        return padAmounts(layer, in, layer.pool, Size2::square(1));
    return {};
}

} // namespace atelier
