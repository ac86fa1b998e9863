// Shared by the CPU-kernel suites (tst_cpu_kernels, tst_fused_kernels): random channels-last
// images, bit-for-bit and tolerant comparisons, gradients of a convolution or a pooling, and
// layer specs written in a line.
#pragma once

#include "core/internal/cpu_kernels.h"
#include "core/model_spec.h"

#include <functional>
#include <torch/torch.h>

namespace atelier::test {

inline bool close(const torch::Tensor& a, const torch::Tensor& b, double tolerance = 1e-4)
{
    return a.sizes() == b.sizes() && torch::allclose(a, b, tolerance, tolerance);
}

inline bool identical(const torch::Tensor& a, const torch::Tensor& b)
{
    return a.sizes() == b.sizes() && torch::equal(a.contiguous(), b.contiguous());
}

inline torch::Tensor images(std::int64_t count, std::int64_t channels, std::int64_t height,
                            std::int64_t width)
{
    return torch::randn({count, channels, height, width})
        .contiguous(torch::MemoryFormat::ChannelsLast);
}

struct Gradients
{
    torch::Tensor out, weight, bias;
};

// Runs `convolve(x, weight, bias)` and back-propagates `outGrad` (times `mask` when given).
template <typename Convolve>
inline Gradients convolutionGradients(Convolve convolve, const torch::Tensor& x,
                                      torch::Tensor weight, torch::Tensor bias,
                                      const torch::Tensor& outGrad, const torch::Tensor& mask = {})
{
    weight = weight.detach().clone().set_requires_grad(true);
    if (bias.defined())
        bias = bias.detach().clone().set_requires_grad(true);
    const torch::Tensor out = convolve(x, weight, bias);
    const torch::Tensor masked = mask.defined() ? out * mask : out;
    (masked * outGrad).sum().backward();
    return {out.detach(), weight.grad(), bias.defined() ? bias.grad() : torch::Tensor()};
}

inline Gradients poolGradients(const std::function<torch::Tensor(const torch::Tensor&)>& pool,
                               torch::Tensor x, const torch::Tensor& outGrad)
{
    x = x.detach().clone().set_requires_grad(true);
    const torch::Tensor out = pool(x);
    (out * outGrad).sum().backward();
    return {out.detach(), x.grad(), {}};
}

// A layer's options as the convolution module keeps them.
inline torch::nn::detail::ConvNdOptions<2> moduleOptions(const torch::nn::Conv2dOptions& options)
{
    return torch::nn::Conv2d(options)->options;
}

inline LayerSpec layer(LayerType type)
{
    LayerSpec spec = layerDefaults(type);
    spec.padding = Padding::Same;
    return spec;
}

inline LayerSpec reluConvolution(int filters)
{
    LayerSpec conv = layer(LayerType::Conv2D);
    conv.filters = filters;
    conv.activation = ActivationKind::Relu;
    return conv;
}

inline LayerSpec maxPooling(int window, int step)
{
    LayerSpec pool = layer(LayerType::MaxPool2D);
    pool.pool = Size2::square(window);
    pool.stride = Size2::square(step);
    return pool;
}

inline LayerSpec denseOutput()
{
    LayerSpec dense = layer(LayerType::Dense);
    dense.units = 10;
    return dense;
}

} // namespace atelier::test
