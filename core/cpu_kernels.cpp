// Autograd functions around the hand-written CPU kernels; each runs its kernel over blocks of
// images or rows in parallel.
#include "internal/cpu_kernels.h"

#include "internal/conv_stencil.h"
#include "internal/max_pool_kernel.h"

#include <ATen/Parallel.h>

namespace atelier {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// The weight gradient is summed per block of this many images, then the blocks in order: the
// result does not depend on how the blocks were shared among threads.
constexpr std::int64_t kImagesPerBlock = 8;

stencil::Geometry geometryOf(const torch::Tensor& x, std::int64_t channels,
                             std::array<std::int64_t, 2> padding)
{
    stencil::Geometry g;
    g.height = x.size(2);
    g.width = x.size(3);
    g.padTop = padding[0];
    g.padLeft = padding[1];
    g.outHeight = g.height + 2 * padding[0] - 2;
    g.outWidth = g.width + 2 * padding[1] - 2;
    g.channels = channels;
    return g;
}

// The stencil's weight and bias gradients (the bias's undefined without `hasBias`):
// `accumulate(first, n, sums)` adds images [first, first + n) to `sums` (10 × channels).
// Each block of kImagesPerBlock images has sums of its own, added in block order.
template <typename Accumulate>
std::pair<torch::Tensor, torch::Tensor> stencilGradients(std::int64_t count, std::int64_t channels,
                                                         bool hasBias, Accumulate accumulate)
{
    const std::int64_t blocks = (count + kImagesPerBlock - 1) / kImagesPerBlock;
    const std::int64_t sumSize = (stencil::kTaps + 1) * channels;
    std::vector<float> partial(std::size_t(blocks * sumSize), 0.0f);
    at::parallel_for(0, blocks, 1, [&](std::int64_t firstBlock, std::int64_t endBlock) {
        for (std::int64_t block = firstBlock; block < endBlock; ++block) {
            const std::int64_t first = block * kImagesPerBlock;
            accumulate(first, std::min(kImagesPerBlock, count - first),
                       partial.data() + block * sumSize);
        }
    });
    torch::Tensor sums = torch::zeros({stencil::kTaps + 1, channels});
    float* total = sums.data_ptr<float>();
    for (std::int64_t block = 0; block < blocks; ++block)
        for (std::int64_t i = 0; i < sumSize; ++i)
            total[i] += partial[std::size_t(block * sumSize + i)];
    torch::Tensor weightGrad = sums.narrow(0, 0, stencil::kTaps)
                                   .t()
                                   .reshape({channels, 1, 3, 3})
                                   .contiguous(torch::MemoryFormat::ChannelsLast);
    return {weightGrad, hasBias ? sums[stencil::kTaps].clone() : torch::Tensor()};
}

// Tap-major weights (9 × C): each tap's C weights are one vector row.
torch::Tensor tapMajor(const torch::Tensor& weight)
{
    return weight.detach().reshape({weight.size(0), stencil::kTaps}).t().contiguous();
}

struct StencilConvolutionFunction : torch::autograd::Function<StencilConvolutionFunction>
{
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 std::int64_t padTop, std::int64_t padLeft, bool relu)
    {
        // One channel: channels-last and NCHW are the same bytes, so this never copies them.
        const torch::Tensor images = x.contiguous();
        const stencil::Geometry g = geometryOf(images, weight.size(0), {padTop, padLeft});
        const torch::Tensor taps = tapMajor(weight);
        const torch::Tensor biasValues = bias.detach().contiguous();
        const std::int64_t count = images.size(0);
        torch::Tensor out =
            torch::empty({count, g.channels, g.outHeight, g.outWidth},
                         images.options().memory_format(torch::MemoryFormat::ChannelsLast));
        const float* in = images.data_ptr<float>();
        const float* w = taps.data_ptr<float>();
        const float* b = biasValues.data_ptr<float>();
        float* o = out.data_ptr<float>();
        const std::int64_t imageSize = g.height * g.width;
        const std::int64_t outSize = g.outHeight * g.outWidth * g.channels;
        at::parallel_for(0, count, kImagesPerBlock, [&](std::int64_t begin, std::int64_t end) {
            stencil::forward(in + begin * imageSize, end - begin, g, w, b, relu,
                             o + begin * outSize);
        });
        ctx->saved_data["padTop"] = padTop;
        ctx->saved_data["padLeft"] = padLeft;
        ctx->saved_data["hasBias"] = bias.requires_grad();
        // The fused ReLU's output is its gradient's mask; without one there is none.
        ctx->save_for_backward({images, relu ? out : torch::Tensor()});
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor& images = saved[0];
        const torch::Tensor& reluOut = saved[1];
        const torch::Tensor grad = gradOutputs[0].contiguous(torch::MemoryFormat::ChannelsLast);
        const std::int64_t channels = grad.size(1);
        const stencil::Geometry g =
            geometryOf(images, channels,
                       {ctx->saved_data["padTop"].toInt(), ctx->saved_data["padLeft"].toInt()});
        const float* in = images.data_ptr<float>();
        const float* gradient = grad.data_ptr<float>();
        const float* mask = reluOut.defined() ? reluOut.data_ptr<float>() : nullptr;
        const std::int64_t imageSize = g.height * g.width;
        const std::int64_t outSize = g.outHeight * g.outWidth * channels;
        const auto [weightGrad, biasGrad] =
            stencilGradients(images.size(0), channels, ctx->saved_data["hasBias"].toBool(),
                             [&](std::int64_t first, std::int64_t n, float* sums) {
                                 stencil::accumulateWeightGradient(
                                     in + first * imageSize, n, g, gradient + first * outSize,
                                     mask ? mask + first * outSize : nullptr, sums);
                             });
        return {torch::Tensor(), weightGrad,      biasGrad,
                torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

pool::Geometry poolGeometry(std::int64_t channels, std::int64_t height, std::int64_t width,
                            const TilingMaxPoolSpec& spec)
{
    pool::Geometry g;
    g.height = height;
    g.width = width;
    g.windowHeight = spec.window[0];
    g.windowWidth = spec.window[1];
    g.outHeight = (g.height + spec.padAfter[0]) / spec.window[0];
    g.outWidth = (g.width + spec.padAfter[1]) / spec.window[1];
    g.channels = channels;
    return g;
}

pool::Geometry poolGeometry(const torch::Tensor& x, const TilingMaxPoolSpec& spec)
{
    return poolGeometry(x.size(1), x.size(2), x.size(3), spec);
}

// Calls `work(source, target)` with the two tensors' elements as the kernel takes them:
// float, or bfloat16 as its bits.
template <typename Work>
void withElements(const torch::Tensor& source, torch::Tensor& target, Work work)
{
    if (source.scalar_type() == torch::kBFloat16)
        work(reinterpret_cast<const std::uint16_t*>(source.data_ptr<at::BFloat16>()),
             reinterpret_cast<std::uint16_t*>(target.data_ptr<at::BFloat16>()));
    else
        work(source.data_ptr<float>(), target.data_ptr<float>());
}

// Output rows (over all images) per parallel task: about 32 KB of input each at 28×28×32.
constexpr std::int64_t kPoolRowsPerTask = 4;

struct TilingMaxPoolFunction : torch::autograd::Function<TilingMaxPoolFunction>
{
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 std::int64_t windowHeight, std::int64_t windowWidth,
                                 std::int64_t padBottom, std::int64_t padRight, bool relu)
    {
        const torch::Tensor in = x.contiguous(torch::MemoryFormat::ChannelsLast);
        const pool::Geometry g =
            poolGeometry(in, {{windowHeight, windowWidth}, {padBottom, padRight}, relu});
        const auto layout = in.options().memory_format(torch::MemoryFormat::ChannelsLast);
        const std::int64_t count = in.size(0);
        torch::Tensor out = torch::empty({count, g.channels, g.outHeight, g.outWidth}, layout);
        torch::Tensor winners =
            torch::empty({count, g.channels, g.outHeight, g.outWidth}, layout.dtype(torch::kUInt8));
        std::uint8_t* places = winners.data_ptr<std::uint8_t>();
        withElements(in, out, [&](const auto* source, auto* target) {
            at::parallel_for(0, count * g.outHeight, kPoolRowsPerTask,
                             [&](std::int64_t begin, std::int64_t end) {
                                 pool::forward(source, g, begin, end, relu, target, places);
                             });
        });
        ctx->saved_data["height"] = g.height;
        ctx->saved_data["width"] = g.width;
        ctx->saved_data["windowHeight"] = windowHeight;
        ctx->saved_data["windowWidth"] = windowWidth;
        ctx->saved_data["type"] = in.scalar_type();
        ctx->save_for_backward({winners});
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list gradOutputs)
    {
        const torch::Tensor winners = ctx->get_saved_variables()[0];
        const torch::Tensor grad = gradOutputs[0]
                                       .to(ctx->saved_data["type"].toScalarType())
                                       .contiguous(torch::MemoryFormat::ChannelsLast);
        pool::Geometry g;
        g.height = ctx->saved_data["height"].toInt();
        g.width = ctx->saved_data["width"].toInt();
        g.outHeight = winners.size(2);
        g.outWidth = winners.size(3);
        g.windowHeight = ctx->saved_data["windowHeight"].toInt();
        g.windowWidth = ctx->saved_data["windowWidth"].toInt();
        g.channels = winners.size(1);
        const std::int64_t count = winners.size(0);
        torch::Tensor gradIn =
            torch::empty({count, g.channels, g.height, g.width},
                         grad.options().memory_format(torch::MemoryFormat::ChannelsLast));
        const std::uint8_t* places = winners.data_ptr<std::uint8_t>();
        withElements(grad, gradIn, [&](const auto* source, auto* target) {
            at::parallel_for(0, count * g.outHeight, kPoolRowsPerTask,
                             [&](std::int64_t begin, std::int64_t end) {
                                 pool::backward(source, places, g, begin, end, target);
                             });
        });
        return {gradIn,          torch::Tensor(), torch::Tensor(),
                torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

// The stencil convolution and a tiling max pooling in one pass (stencil::forwardPooled): the
// convolution's output is never stored. The ReLU, when the convolution has one, is the
// pooling's (relu(max) = max(relu)).
struct StencilPoolFunction : torch::autograd::Function<StencilPoolFunction>
{
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias,
                                 std::int64_t padTop, std::int64_t padLeft,
                                 std::int64_t windowHeight, std::int64_t windowWidth,
                                 std::int64_t padBottom, std::int64_t padRight, bool relu)
    {
        const torch::Tensor images = x.contiguous();
        const stencil::Geometry g = geometryOf(images, weight.size(0), {padTop, padLeft});
        const pool::Geometry pooling =
            poolGeometry(g.channels, g.outHeight, g.outWidth,
                         {{windowHeight, windowWidth}, {padBottom, padRight}, relu});
        const torch::Tensor taps = tapMajor(weight);
        const torch::Tensor biasValues = bias.detach().contiguous();
        const std::int64_t count = images.size(0);
        const auto layout = images.options().memory_format(torch::MemoryFormat::ChannelsLast);
        const std::vector<std::int64_t> shape = {count, g.channels, pooling.outHeight,
                                                 pooling.outWidth};
        torch::Tensor out = torch::empty(shape, layout);
        torch::Tensor winners = torch::empty(shape, layout.dtype(torch::kUInt8));
        const float* in = images.data_ptr<float>();
        const float* w = taps.data_ptr<float>();
        const float* b = biasValues.data_ptr<float>();
        float* o = out.data_ptr<float>();
        std::uint8_t* places = winners.data_ptr<std::uint8_t>();
        const std::int64_t imageSize = g.height * g.width;
        const std::int64_t outSize = pooling.outHeight * pooling.outWidth * g.channels;
        at::parallel_for(0, count, kImagesPerBlock, [&](std::int64_t begin, std::int64_t end) {
            stencil::forwardPooled(in + begin * imageSize, end - begin, g, w, b, pooling, relu,
                                   o + begin * outSize, places + begin * outSize);
        });
        ctx->saved_data["padTop"] = padTop;
        ctx->saved_data["padLeft"] = padLeft;
        ctx->saved_data["padBottom"] = padBottom;
        ctx->saved_data["padRight"] = padRight;
        ctx->saved_data["windowHeight"] = windowHeight;
        ctx->saved_data["windowWidth"] = windowWidth;
        ctx->saved_data["hasBias"] = bias.requires_grad();
        ctx->save_for_backward({images, winners});
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor& images = saved[0];
        const torch::Tensor& winners = saved[1];
        const torch::Tensor grad =
            gradOutputs[0].to(torch::kFloat).contiguous(torch::MemoryFormat::ChannelsLast);
        const std::int64_t channels = grad.size(1);
        const stencil::Geometry g =
            geometryOf(images, channels,
                       {ctx->saved_data["padTop"].toInt(), ctx->saved_data["padLeft"].toInt()});
        const TilingMaxPoolSpec spec{
            {ctx->saved_data["windowHeight"].toInt(), ctx->saved_data["windowWidth"].toInt()},
            {ctx->saved_data["padBottom"].toInt(), ctx->saved_data["padRight"].toInt()}};
        const pool::Geometry pooling = poolGeometry(channels, g.outHeight, g.outWidth, spec);
        const float* in = images.data_ptr<float>();
        const float* gradient = grad.data_ptr<float>();
        const std::uint8_t* places = winners.data_ptr<std::uint8_t>();
        const std::int64_t imageSize = g.height * g.width;
        const std::int64_t outSize = pooling.outHeight * pooling.outWidth * channels;
        const auto [weightGrad, biasGrad] =
            stencilGradients(images.size(0), channels, ctx->saved_data["hasBias"].toBool(),
                             [&](std::int64_t first, std::int64_t n, float* sums) {
                                 stencil::accumulatePooledWeightGradient(
                                     in + first * imageSize, n, g, pooling,
                                     gradient + first * outSize, places + first * outSize, sums);
                             });
        // One per input of forward (10): only the weight and the bias have gradients.
        tensor_list grads(10);
        grads[1] = weightGrad;
        grads[2] = biasGrad;
        return grads;
    }
};

} // namespace

bool stencilConvolutionApplies(const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::nn::detail::ConvNdOptions<2>& options,
                               std::array<std::int64_t, 2> padding)
{
    const auto& kernel = *options.kernel_size();
    const auto& stride = *options.stride();
    const auto& dilation = *options.dilation();
    return x.is_cpu() && x.scalar_type() == torch::kFloat && x.dim() == 4 && x.size(1) == 1 &&
           !x.requires_grad() && weight.is_cpu() && weight.scalar_type() == torch::kFloat &&
           options.in_channels() == 1 && options.groups() == 1 && kernel[0] == 3 &&
           kernel[1] == 3 && stride[0] == 1 && stride[1] == 1 && dilation[0] == 1 &&
           dilation[1] == 1 && padding[0] >= 0 && padding[0] <= 2 && padding[1] >= 0 &&
           padding[1] <= 2 && x.size(2) + 2 * padding[0] >= 3 && x.size(3) + 2 * padding[1] >= 3;
}

torch::Tensor stencilConvolution(const torch::Tensor& x, const torch::Tensor& weight,
                                 const torch::Tensor& bias, std::array<std::int64_t, 2> padding,
                                 bool relu)
{
    // Autograd functions take no undefined tensors: a layer without bias adds zeros, which
    // get no gradient.
    const torch::Tensor anyBias = bias.defined() ? bias : torch::zeros({weight.size(0)});
    return StencilConvolutionFunction::apply(x, weight, anyBias, padding[0], padding[1], relu);
}

namespace {

// Whether the tiling kernel pools a map of height × width with `spec`.
bool tilingFits(std::int64_t height, std::int64_t width, const TilingMaxPoolSpec& spec)
{
    const auto& [window, pad, relu] = spec;
    return window[0] >= 1 && window[1] >= 1 && window[0] * window[1] <= pool::kMaxWindowCells &&
           pad[0] >= 0 && pad[0] < window[0] && pad[1] >= 0 && pad[1] < window[1] &&
           height + pad[0] >= window[0] && width + pad[1] >= window[1];
}

} // namespace

bool tilingMaxPoolApplies(const torch::Tensor& x, const TilingMaxPoolSpec& spec)
{
    return x.is_cpu() &&
           (x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kBFloat16) &&
           x.dim() == 4 && x.is_contiguous(torch::MemoryFormat::ChannelsLast) && x.size(1) >= 1 &&
           tilingFits(x.size(2), x.size(3), spec);
}

bool stencilPoolApplies(const torch::Tensor& x, const torch::Tensor& weight,
                        const torch::nn::detail::ConvNdOptions<2>& options,
                        std::array<std::int64_t, 2> padding, const TilingMaxPoolSpec& spec)
{
    return stencilConvolutionApplies(x, weight, options, padding) &&
           tilingFits(x.size(2) + 2 * padding[0] - 2, x.size(3) + 2 * padding[1] - 2, spec);
}

torch::Tensor stencilConvolutionPooled(const torch::Tensor& x, const torch::Tensor& weight,
                                       const torch::Tensor& bias,
                                       std::array<std::int64_t, 2> padding,
                                       const TilingMaxPoolSpec& spec)
{
    const torch::Tensor anyBias = bias.defined() ? bias : torch::zeros({weight.size(0)});
    return StencilPoolFunction::apply(x, weight, anyBias, padding[0], padding[1], spec.window[0],
                                      spec.window[1], spec.padAfter[0], spec.padAfter[1],
                                      spec.relu);
}

torch::Tensor tilingMaxPool(const torch::Tensor& x, const TilingMaxPoolSpec& spec)
{
    return TilingMaxPoolFunction::apply(x, spec.window[0], spec.window[1], spec.padAfter[0],
                                        spec.padAfter[1], spec.relu);
}

} // namespace atelier
