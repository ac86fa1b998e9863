// Private to core: the LibTorch modules a block is built from where LibTorch's own do not fit
// (asymmetric "same" padding) or were measured slow on the CPU (the first convolution,
// pooling, dropout), and the fusions with the pooling after a block (a ReLU applied by the
// pooling; the first convolution and its pooling as one kernel). Include only from
// core/network.cpp and core/model_export_layers.cpp (which reads residual blocks).
#pragma once

#include "../model_spec.h"
#include "cpu_kernels.h"
#include "same_padding.h"

#include <array>
#include <limits>
#include <torch/torch.h>

namespace atelier::modules {

namespace F = torch::nn::functional;

// Constant padding that can be asymmetric (torch's layer padding is symmetric only).
struct ConstantPadImpl : torch::nn::Module
{
    ConstantPadImpl(PadAmounts amounts, double fill) : pad(amounts), value(fill) {}
    torch::Tensor forward(const torch::Tensor& x)
    {
        return F::pad(x, F::PadFuncOptions({pad.left, pad.right, pad.top, pad.bottom})
                             .mode(torch::kConstant)
                             .value(value));
    }
    PadAmounts pad;
    double value;
};
TORCH_MODULE(ConstantPad);

// Average pooling over the real cells only, for asymmetric "same" padding: pool the zero-padded
// input and divide by the pooled count of real cells.
struct MaskedAvgPoolImpl : torch::nn::Module
{
    MaskedAvgPoolImpl(PadAmounts amounts, Size2 window, Size2 step)
        : pad(amounts),
          pool(torch::nn::AvgPool2dOptions({window.h, window.w}).stride({step.h, step.w}))
    {
        register_module("pool", pool);
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        const auto options = F::PadFuncOptions({pad.left, pad.right, pad.top, pad.bottom});
        const torch::Tensor ones = torch::ones({1, 1, x.size(2), x.size(3)}, x.options());
        return pool(F::pad(x, options)) / pool(F::pad(ones, options));
    }
    PadAmounts pad;
    torch::nn::AvgPool2d pool;
};
TORCH_MODULE(MaskedAvgPool);

// Convolution that picks the faster CPU kernel, with the block's ReLU fused when asked.
// - One input channel, 3×3 (every first layer here): the direct stencil, 5-10× the im2col
//   kernel's speed forward and backward (bench_layer_profile; docs/results.md).
// - Up to 4 input channels otherwise: the im2col kernel ("thnn"). oneDNN (mkldnn) was
//   measured 6-10x slower for few input channels (60 vs 6-10 µs per 28×28 image on 2 cores).
// - Everything else, and every other device: LibTorch's own choice.
struct ConvolutionImpl : torch::nn::Module
{
    // `padding` repeats the options' symmetric padding: reading it back from the options
    // would need the variant type, which differs between LibTorch 1.x and 2.x.
    ConvolutionImpl(const torch::nn::Conv2dOptions& options,
                    std::array<std::int64_t, 2> symmetricPadding, bool fusedRelu)
        : conv(options), padding(symmetricPadding), relu(fusedRelu),
          useIm2col(options.in_channels() <= kIm2colMaxInputChannels &&
                    options.dilation()->at(0) == 1 && options.dilation()->at(1) == 1)
    {
        register_module("conv", conv);
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        if (usesStencil(x))
            return stencilConvolution(x, conv->weight, conv->bias, padding, relu);
        const torch::Tensor y = convolve(x);
        return relu ? torch::relu(y) : y;
    }
    bool usesStencil(const torch::Tensor& x) const
    {
        return stencilConvolutionApplies(x, conv->weight, conv->options, padding);
    }
    // The convolution without its ReLU, not by the stencil.
    torch::Tensor convolve(const torch::Tensor& x)
    {
        // Under mixed precision the input may be bfloat16, which only the autocast-aware
        // conv2d takes together with float32 weights.
        if (!useIm2col || !x.is_cpu() || x.scalar_type() != conv->weight.scalar_type())
            return conv->forward(x);
        const auto& o = conv->options;
        // The im2col kernel answers in NCHW; the layers after it are fastest channels-last.
        return at::thnn_conv2d(x, conv->weight, *o.kernel_size(), conv->bias, *o.stride(), padding)
            .contiguous(torch::MemoryFormat::ChannelsLast);
    }
    // Above this many input channels oneDNN wins.
    static constexpr std::int64_t kIm2colMaxInputChannels = 4;
    torch::nn::Conv2d conv;
    std::array<std::int64_t, 2> padding;
    bool relu;
    bool useIm2col;
};
TORCH_MODULE(Convolution);

// Max pooling. Windows that tile the image (the usual 2×2, step 2, with or without "same"
// padding) take the tiling kernel: 2x LibTorch's CPU kernel timed alone, about 5x within a
// training step, where LibTorch's backward zero-fills and copies (docs/results.md).
// Elsewhere "same" padding is -inf, which never wins a max, as in TensorFlow.
struct MaxPoolImpl : torch::nn::Module
{
    MaxPoolImpl(std::array<std::int64_t, 2> window, std::array<std::int64_t, 2> step,
                PadAmounts pad)
        : window(window), step(step), pad(pad)
    {}
    torch::Tensor forward(const torch::Tensor& x) { return pool(x, false); }
    // With `relu`, relu(pool(x)), which equals pool(relu(x)): the ReLU of the layer before,
    // applied to a quarter of the values.
    torch::Tensor pool(const torch::Tensor& x, bool relu)
    {
        if (tiles() && tilingMaxPoolApplies(x, tilingSpec(relu)))
            return tilingMaxPool(x, tilingSpec(relu));
        const torch::Tensor padded =
            pad.none() ? x
                       : F::pad(x, F::PadFuncOptions({pad.left, pad.right, pad.top, pad.bottom})
                                       .value(-std::numeric_limits<double>::infinity()));
        const torch::Tensor y = F::max_pool2d(
            padded, F::MaxPool2dFuncOptions({window[0], window[1]}).stride({step[0], step[1]}));
        return relu ? torch::relu(y) : y;
    }
    // Whether the windows tile the map, with any padding after it only.
    bool tiles() const { return window == step && pad.top == 0 && pad.left == 0; }
    TilingMaxPoolSpec tilingSpec(bool relu) const
    {
        return {window, {pad.bottom, pad.right}, relu};
    }
    std::array<std::int64_t, 2> window, step;
    PadAmounts pad;
};
TORCH_MODULE(MaxPool);

// A residual block (residualParts in model_spec.h): the main path and the shortcut, each a
// list of blocks built like the stack's own, so that they take the same fast kernels. The
// sum goes on to the block's activation, the next module of the block.
struct ResidualBlockImpl : torch::nn::Module
{
    ResidualBlockImpl(const std::vector<torch::nn::Sequential>& mainPath,
                      const std::vector<torch::nn::Sequential>& shortcutPath)
    {
        for (std::size_t i = 0; i < mainPath.size(); ++i)
            main.push_back(register_module("main" + std::to_string(i + 1), mainPath[i]));
        for (std::size_t i = 0; i < shortcutPath.size(); ++i)
            shortcut.push_back(
                register_module("shortcut" + std::to_string(i + 1), shortcutPath[i]));
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        return along(main, x) + along(shortcut, x);
    }
    static torch::Tensor along(std::vector<torch::nn::Sequential>& path, torch::Tensor x)
    {
        for (auto& block : path)
            if (!block->is_empty())
                x = block->forward(x);
        return x;
    }
    std::vector<torch::nn::Sequential> main;
    std::vector<torch::nn::Sequential> shortcut; // empty: identity
};
TORCH_MODULE(ResidualBlock);

// The block's module when it is the block's only one and of type Layer, else null.
template <typename Layer> Layer* soleModule(const torch::nn::Sequential& block)
{
    return block->size() == 1 ? block->ptr(0)->as<Layer>() : nullptr;
}

// A block of max pooling alone after a ReLU (a convolution's, or an activation layer's): the
// pooling applies the ReLU, to a quarter of the values (one pass less forward and backward).
// After a convolution the stencil computes, both run as one kernel that never stores the
// convolution's output (its ReLU, if any, also moved into the pooling). Returns an undefined
// tensor when the pair does not qualify.
inline torch::Tensor fusedWithPooling(const torch::nn::Sequential& first,
                                      const torch::nn::Sequential& second, const torch::Tensor& x)
{
    MaxPoolImpl* pool = soleModule<MaxPoolImpl>(second);
    if (!pool)
        return {};
    if (soleModule<torch::nn::ReLUImpl>(first))
        return pool->pool(x, /*relu=*/true);
    ConvolutionImpl* convolution = soleModule<ConvolutionImpl>(first);
    if (!convolution)
        return {};
    if (convolution->usesStencil(x)) {
        const auto& conv = convolution->conv;
        const TilingMaxPoolSpec spec = pool->tilingSpec(convolution->relu);
        if (!pool->tiles() ||
            !stencilPoolApplies(x, conv->weight, conv->options, convolution->padding, spec))
            return {};
        return stencilConvolutionPooled(x, conv->weight, conv->bias, convolution->padding, spec);
    }
    if (!convolution->relu)
        return {};
    return pool->pool(convolution->convolve(x), /*relu=*/true);
}

// Dropout with a mask from uniform noise. On CPU, LibTorch's dropout draws each element with
// bernoulli_, which was measured 3x slower (69 vs 23 µs per 32×14×14 map on 2 cores) and
// made cnn_medium_dropout train at 60% of cnn_medium's speed. Same distribution, same seed
// semantics; other devices keep LibTorch's fused kernel.
struct DropoutImpl : torch::nn::Module
{
    explicit DropoutImpl(double rate) : rate(rate) {}
    torch::Tensor forward(const torch::Tensor& x)
    {
        if (!is_training() || rate == 0.0)
            return x;
        if (!x.is_cpu())
            return F::dropout(x, F::DropoutFuncOptions().p(rate).training(true));
        // The noise is float32 whatever x's type (bfloat16 under mixed precision, whose
        // uniform noise would have 8-bit steps); for float32 maps these are rand_like's draws.
        // The scale is applied last, as a number: a bfloat16 1 / (1 - rate) would be rounded.
        const torch::Tensor keep = torch::empty_like(x, x.options().dtype(torch::kFloat))
                                       .uniform_()
                                       .ge_(rate)
                                       .to(x.scalar_type());
        return (x * keep).mul_(1.0 / (1.0 - rate));
    }
    double rate;
};
TORCH_MODULE(Dropout);

} // namespace atelier::modules
