// Layer specs written in a line, for the suites on shape inference and training memory
// (tst_model_analysis, tst_training_memory).
#pragma once

#include "core/model_spec.h"

#include <utility>
#include <vector>

namespace atelier::test {

inline LayerSpec dense(int units, ActivationKind activation = ActivationKind::Linear)
{
    LayerSpec layer = layerDefaults(LayerType::Dense);
    layer.units = units;
    layer.activation = activation;
    return layer;
}

inline LayerSpec conv(int filters, int kernel, Padding padding = Padding::Valid, int stride = 1,
                      int dilation = 1)
{
    LayerSpec layer = layerDefaults(LayerType::Conv2D);
    layer.filters = filters;
    layer.kernel = Size2::square(kernel);
    layer.padding = padding;
    layer.stride = Size2::square(stride);
    layer.dilation = Size2::square(dilation);
    return layer;
}

inline LayerSpec pool(LayerType type, int size, Padding padding = Padding::Valid, int stride = 0)
{
    LayerSpec layer = layerDefaults(type);
    layer.pool = Size2::square(size);
    layer.stride = Size2::square(stride ? stride : size);
    layer.padding = padding;
    return layer;
}

inline LayerSpec plain(LayerType type)
{
    return layerDefaults(type);
}

inline LayerSpec residual(int filters, int stride = 1, int kernel = 3)
{
    LayerSpec layer = layerDefaults(LayerType::Residual);
    layer.filters = filters;
    layer.stride = Size2::square(stride);
    layer.kernel = Size2::square(kernel);
    return layer;
}

inline LayerSpec withActivation(LayerSpec layer, ActivationKind activation)
{
    layer.activation = activation;
    return layer;
}

inline ModelSpec flatModel(std::vector<LayerSpec> layers)
{
    ModelSpec spec;
    spec.inputShape = {784};
    spec.layers = std::move(layers);
    return spec;
}

inline ModelSpec imageModel(std::vector<LayerSpec> layers)
{
    ModelSpec spec;
    spec.inputShape = {1, 28, 28};
    spec.layers = std::move(layers);
    return spec;
}

} // namespace atelier::test
