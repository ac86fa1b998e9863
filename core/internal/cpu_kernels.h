// Private to core: LibTorch autograd functions around the hand-written CPU kernels
// (conv_stencil.h, max_pool_kernel.h), for the layers where LibTorch's own CPU kernels were
// measured slow (bench_layer_profile; docs/results.md). Include only from core/*.cpp.
#pragma once

#include <array>
#include <torch/torch.h>

namespace atelier {

// Whether stencilConvolution computes this layer for input `x`: float images and weights
// with one channel on the CPU, a 3×3 kernel with stride 1, no dilation, symmetric padding of
// at most 2, and an input that needs no gradient (as a first layer's never does; it is not
// computed).
bool stencilConvolutionApplies(const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::nn::detail::ConvNdOptions<2>& options,
                               std::array<std::int64_t, 2> padding);

// The convolution, channels-last, with the ReLU fused when `relu`. Its backward gives the
// weight and bias gradients in a fixed summation order (the same bits whatever the thread
// count).
torch::Tensor stencilConvolution(const torch::Tensor& x, const torch::Tensor& weight,
                                 const torch::Tensor& bias, std::array<std::int64_t, 2> padding,
                                 bool relu);

// A max pooling whose step equals its window. Keras's "same" padding may add cells after the
// input (never before: `padAfter` is bottom, right); the windows reaching into them pool the
// cells inside. `relu` applies a ReLU to the result, which equals pooling after a ReLU.
struct TilingMaxPoolSpec
{
    std::array<std::int64_t, 2> window;
    std::array<std::int64_t, 2> padAfter;
    bool relu = false;
};

// Whether tilingMaxPool computes `spec` for `x`: channels-last float32 or bfloat16 images on
// the CPU, padding shorter than a window and at most 255 cells a window.
bool tilingMaxPoolApplies(const torch::Tensor& x, const TilingMaxPoolSpec& spec);

// The pooling, channels-last; the values and gradients of LibTorch's max_pool2d on the input
// padded with -inf (and of a ReLU before it, with `relu`).
torch::Tensor tilingMaxPool(const torch::Tensor& x, const TilingMaxPoolSpec& spec);

// The stencil convolution (stencilConvolutionApplies) followed by a tiling max pooling of
// its output (the checks of tilingMaxPoolApplies on its shape), in one pass that never
// stores the convolution's output. `spec.relu` is the convolution's ReLU, applied by the
// pooling. Values and gradients have the same bits as the two layers one after the other.
bool stencilPoolApplies(const torch::Tensor& x, const torch::Tensor& weight,
                        const torch::nn::detail::ConvNdOptions<2>& options,
                        std::array<std::int64_t, 2> padding, const TilingMaxPoolSpec& spec);
torch::Tensor stencilConvolutionPooled(const torch::Tensor& x, const torch::Tensor& weight,
                                       const torch::Tensor& bias,
                                       std::array<std::int64_t, 2> padding,
                                       const TilingMaxPoolSpec& spec);

} // namespace atelier
