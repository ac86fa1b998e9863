// The hand-written CPU kernels (core/internal/cpu_kernels.h) against LibTorch's own:
// - the one-channel 3×3 stencil convolution: values, weight and bias gradients, with and
//   without its fused ReLU, bias and padding, for channel counts that exercise each of its
//   code paths; the same bits whatever the thread count; refused where it does not apply;
// - the tiling max pooling: values and input gradients bit for bit, in float32 and bfloat16,
//   with ties, NaN, "same" padding, windows that leave rows uncovered, and the ReLU it can
//   apply;
// - the stencil and a tiling pooling in one kernel: the bits of the two kernels one after the
//   other, values and gradients, also with NaN and rows or columns in no window; only a
//   pooling that tiles is fused;
// - a model whose blocks get fused (a convolution's ReLU moved after its pooling, the stencil
//   and its pooling in one kernel) gives the outputs and gradients of the same model run
//   block by block; an activation layer's ReLU likewise.
#include "core/internal/cpu_kernels.h"
#include "core/internal/layer_modules.h"
#include "core/internal/network_impl.h"
#include "core/model_spec.h"

#include <QtTest>

using namespace atelier;

namespace {

namespace F = torch::nn::functional;

bool close(const torch::Tensor& a, const torch::Tensor& b, double tolerance = 1e-4)
{
    return a.sizes() == b.sizes() && torch::allclose(a, b, tolerance, tolerance);
}

bool identical(const torch::Tensor& a, const torch::Tensor& b)
{
    return a.sizes() == b.sizes() && torch::equal(a.contiguous(), b.contiguous());
}

torch::Tensor images(std::int64_t count, std::int64_t channels, std::int64_t height,
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
Gradients convolutionGradients(Convolve convolve, const torch::Tensor& x, torch::Tensor weight,
                               torch::Tensor bias, const torch::Tensor& outGrad,
                               const torch::Tensor& mask = {})
{
    weight = weight.detach().clone().set_requires_grad(true);
    if (bias.defined())
        bias = bias.detach().clone().set_requires_grad(true);
    const torch::Tensor out = convolve(x, weight, bias);
    const torch::Tensor masked = mask.defined() ? out * mask : out;
    (masked * outGrad).sum().backward();
    return {out.detach(), weight.grad(), bias.defined() ? bias.grad() : torch::Tensor()};
}

Gradients poolGradients(const std::function<torch::Tensor(const torch::Tensor&)>& pool,
                        torch::Tensor x, const torch::Tensor& outGrad)
{
    x = x.detach().clone().set_requires_grad(true);
    const torch::Tensor out = pool(x);
    (out * outGrad).sum().backward();
    return {out.detach(), x.grad(), {}};
}

// A layer's options as the convolution module keeps them.
torch::nn::detail::ConvNdOptions<2> moduleOptions(const torch::nn::Conv2dOptions& options)
{
    return torch::nn::Conv2d(options)->options;
}

LayerSpec layer(LayerType type)
{
    LayerSpec spec = layerDefaults(type);
    spec.padding = Padding::Same;
    return spec;
}

LayerSpec reluConvolution(int filters)
{
    LayerSpec conv = layer(LayerType::Conv2D);
    conv.filters = filters;
    conv.activation = ActivationKind::Relu;
    return conv;
}

LayerSpec maxPooling(int window, int step)
{
    LayerSpec pool = layer(LayerType::MaxPool2D);
    pool.pool = Size2::square(window);
    pool.stride = Size2::square(step);
    return pool;
}

LayerSpec denseOutput()
{
    LayerSpec dense = layer(LayerType::Dense);
    dense.units = 10;
    return dense;
}

} // namespace

class TestCpuKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(7); }

    void stencilMatchesConvolution_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("padding");
        QTest::addColumn<bool>("withBias");
        QTest::addColumn<bool>("relu");
        // 32: whole 32-channel tiles; 8: one vector; 13: a vector and a scalar tail;
        // 44: a tile, a vector and a tail. Odd widths leave a single last pixel per row.
        QTest::newRow("32 same relu") << 32 << 28 << 28 << 1 << true << true;
        QTest::newRow("32 same linear") << 32 << 28 << 28 << 1 << true << false;
        QTest::newRow("8 valid relu") << 8 << 9 << 7 << 0 << true << true;
        QTest::newRow("13 same no bias") << 13 << 5 << 11 << 1 << false << true;
        QTest::newRow("44 pad 2 linear") << 44 << 6 << 3 << 2 << true << false;
        QTest::newRow("1 channel") << 1 << 4 << 4 << 1 << true << true;
    }
    void stencilMatchesConvolution()
    {
        QFETCH(int, channels);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, padding);
        QFETCH(bool, withBias);
        QFETCH(bool, relu);
        const torch::Tensor x = images(5, 1, height, width);
        const torch::Tensor weight = torch::randn({channels, 1, 3, 3});
        const torch::Tensor bias = withBias ? torch::randn({channels}) : torch::Tensor();
        const std::array<std::int64_t, 2> pad = {padding, padding};
        const auto options =
            moduleOptions(torch::nn::Conv2dOptions(1, channels, 3).padding(padding));
        QVERIFY(stencilConvolutionApplies(x, weight, options, pad));

        const std::int64_t outHeight = height + 2 * padding - 2, outWidth = width + 2 * padding - 2;
        const torch::Tensor outGrad = torch::randn({5, channels, outHeight, outWidth});
        const Gradients ours = convolutionGradients(
            [&](const torch::Tensor& in, const torch::Tensor& w, const torch::Tensor& b) {
                return stencilConvolution(in, w, b, pad, relu);
            },
            x, weight, bias, outGrad);
        QVERIFY(ours.out.is_contiguous(torch::MemoryFormat::ChannelsLast));
        // LibTorch's convolution; the ReLU's mask taken from our output so that a value within
        // rounding of 0 cannot fall on different sides of it in the two.
        const torch::Tensor mask = relu ? (ours.out > 0).to(torch::kFloat) : torch::Tensor();
        const Gradients reference = convolutionGradients(
            [&](const torch::Tensor& in, const torch::Tensor& w, const torch::Tensor& b) {
                return torch::conv2d(in.contiguous(), w, b, 1, padding);
            },
            x, weight, bias, outGrad, mask);
        const torch::Tensor expected = relu ? torch::relu(reference.out) : reference.out;
        QVERIFY(close(ours.out, expected));
        QVERIFY(close(ours.weight, reference.weight, 1e-3));
        QCOMPARE(ours.bias.defined(), withBias);
        if (withBias)
            QVERIFY(close(ours.bias, reference.bias, 1e-3));
    }

    void stencilGradientIgnoresTheThreadCount()
    {
        const torch::Tensor x = images(37, 1, 28, 28);
        const torch::Tensor weight = torch::randn({32, 1, 3, 3});
        const torch::Tensor bias = torch::randn({32});
        const torch::Tensor outGrad = torch::randn({37, 32, 28, 28});
        const int threads = at::get_num_threads();
        auto run = [&](int threadCount) {
            at::set_num_threads(threadCount);
            return convolutionGradients(
                [](const torch::Tensor& in, const torch::Tensor& w, const torch::Tensor& b) {
                    return stencilConvolution(in, w, b, {1, 1}, true);
                },
                x, weight, bias, outGrad);
        };
        const Gradients one = run(1), two = run(2);
        at::set_num_threads(threads);
        QVERIFY(identical(one.out, two.out));
        QVERIFY(identical(one.weight, two.weight));
        QVERIFY(identical(one.bias, two.bias));
    }

    void stencilRefusesOtherLayers()
    {
        const auto options = moduleOptions(torch::nn::Conv2dOptions(1, 8, 3).padding(1));
        const torch::Tensor weight = torch::randn({8, 1, 3, 3});
        const torch::Tensor x = images(2, 1, 8, 8);
        QVERIFY(stencilConvolutionApplies(x, weight, options, {1, 1}));
        QVERIFY(
            !stencilConvolutionApplies(x.clone().set_requires_grad(true), weight, options, {1, 1}));
        QVERIFY(!stencilConvolutionApplies(x.to(torch::kDouble), weight, options, {1, 1}));
        QVERIFY(!stencilConvolutionApplies(
            images(2, 3, 8, 8), torch::randn({8, 3, 3, 3}),
            moduleOptions(torch::nn::Conv2dOptions(3, 8, 3).padding(1)), {1, 1}));
        QVERIFY(!stencilConvolutionApplies(
            x, torch::randn({8, 1, 5, 5}),
            moduleOptions(torch::nn::Conv2dOptions(1, 8, 5).padding(2)), {2, 2}));
        QVERIFY(!stencilConvolutionApplies(
            x, weight, moduleOptions(torch::nn::Conv2dOptions(1, 8, 3).stride(2)), {0, 0}));
        QVERIFY(!stencilConvolutionApplies(
            x, weight, moduleOptions(torch::nn::Conv2dOptions(1, 8, 3).dilation(2)), {0, 0}));
    }

    void tilingPoolMatchesMaxPool_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("padAfter");
        QTest::addColumn<bool>("relu");
        QTest::addColumn<bool>("ties");
        QTest::addColumn<bool>("bfloat16"); // mixed precision's feature maps
        for (const bool bf16 : {false, true}) {
            const char* type = bf16 ? ", bf16" : "";
            QTest::addRow("28 by 2%s", type) << 32 << 28 << 2 << 0 << false << false << bf16;
            QTest::addRow("28 by 2, relu%s", type) << 32 << 28 << 2 << 0 << true << false << bf16;
            QTest::addRow("ties%s", type) << 16 << 8 << 2 << 0 << false << true << bf16;
            QTest::addRow("ties, relu%s", type) << 16 << 8 << 2 << 0 << true << true << bf16;
            QTest::addRow("7 valid: last row and column uncovered%s", type)
                << 9 << 7 << 2 << 0 << false << false << bf16;
            QTest::addRow("7 same: last window cut short%s", type)
                << 64 << 7 << 2 << 1 << true << false << bf16;
            QTest::addRow("8 by 3 same%s", type) << 5 << 8 << 3 << 1 << false << true << bf16;
            QTest::addRow("10 by 3 valid%s", type) << 3 << 10 << 3 << 0 << true << true << bf16;
        }
    }
    void tilingPoolMatchesMaxPool()
    {
        QFETCH(int, channels);
        QFETCH(int, size);
        QFETCH(int, window);
        QFETCH(int, padAfter);
        QFETCH(bool, relu);
        QFETCH(bool, ties);
        QFETCH(bool, bfloat16);
        const auto type = bfloat16 ? torch::kBFloat16 : torch::kFloat32;
        torch::Tensor x = images(3, channels, size, size).to(type);
        if (ties) // few distinct values: equal maxima in most windows, many of them 0
            x = x.mul(1.5).round().contiguous(torch::MemoryFormat::ChannelsLast);
        const TilingMaxPoolSpec spec{{window, window}, {padAfter, padAfter}, relu};
        QVERIFY(tilingMaxPoolApplies(x, spec));
        const std::int64_t out = (size + padAfter) / window;
        const torch::Tensor outGrad = torch::randn({3, channels, out, out}).to(type);
        const Gradients ours = poolGradients(
            [&](const torch::Tensor& in) { return tilingMaxPool(in, spec); }, x, outGrad);
        const Gradients reference = poolGradients(
            [&](const torch::Tensor& in) {
                const torch::Tensor activated = relu ? torch::relu(in) : in;
                const torch::Tensor padded =
                    F::pad(activated, F::PadFuncOptions({0, padAfter, 0, padAfter})
                                          .value(-std::numeric_limits<double>::infinity()));
                return F::max_pool2d(padded, F::MaxPool2dFuncOptions(window));
            },
            x, outGrad);
        QVERIFY(ours.out.is_contiguous(torch::MemoryFormat::ChannelsLast));
        QCOMPARE(ours.out.scalar_type(), type);
        QCOMPARE(ours.weight.scalar_type(), type);
        QVERIFY(identical(ours.out, reference.out));
        QVERIFY(identical(ours.weight, reference.weight)); // the input gradients
    }

    void tilingPoolKeepsNan()
    {
        torch::Tensor x = images(2, 4, 4, 4);
        x.index_put_({0, 1, 0, 1}, std::nan(""));
        x.index_put_({1, 2, 3, 3}, std::nan(""));
        x.index_put_({1, 2, 2, 2}, std::nan(""));
        const torch::Tensor outGrad = torch::randn({2, 4, 2, 2});
        for (const bool relu : {false, true}) {
            const TilingMaxPoolSpec spec{{2, 2}, {0, 0}, relu};
            const Gradients ours = poolGradients(
                [&](const torch::Tensor& in) { return tilingMaxPool(in, spec); }, x, outGrad);
            const Gradients reference = poolGradients(
                [&](const torch::Tensor& in) {
                    return F::max_pool2d(relu ? torch::relu(in) : in, F::MaxPool2dFuncOptions(2));
                },
                x, outGrad);
            QVERIFY(std::isnan(ours.out[0][1][0][0].item<float>()));
            QVERIFY(identical(ours.out.nan_to_num(7.0), reference.out.nan_to_num(7.0)));
            QVERIFY(identical(ours.weight, reference.weight));
        }
    }

    void tilingPoolRefusesOtherPoolings()
    {
        const torch::Tensor x = images(2, 4, 8, 8);
        QVERIFY(tilingMaxPoolApplies(x, {{2, 2}, {0, 0}, false}));
        QVERIFY(!tilingMaxPoolApplies(x.contiguous(), {{2, 2}, {0, 0}, false})); // NCHW, 4 channels
        QVERIFY(!tilingMaxPoolApplies(x, {{2, 2}, {2, 0}, false}));   // padding of a whole window
        QVERIFY(!tilingMaxPoolApplies(x, {{16, 16}, {0, 0}, false})); // 256 cells
        QVERIFY(!tilingMaxPoolApplies(images(2, 4, 1, 8), {{2, 2}, {0, 0}, false}));
    }

    void stencilPoolMatchesTheTwoKernels_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("padding"); // the convolution's
        QTest::addColumn<int>("windowHeight");
        QTest::addColumn<int>("windowWidth");
        QTest::addColumn<int>("padBottom"); // the pooling's
        QTest::addColumn<int>("padRight");
        QTest::addColumn<bool>("relu");
        QTest::addColumn<bool>("withBias");
        QTest::addColumn<bool>("ties");
        QTest::addColumn<bool>("nan"); // the first image's bottom right pixel
        // Whole 2×2 windows over multiples of 8 channels take the vector path; the others
        // (a window cut short, a channel tail, other windows) the tiling kernel's code.
        QTest::newRow("28, 2×2, relu")
            << 32 << 28 << 28 << 1 << 2 << 2 << 0 << 0 << true << true << false << false;
        QTest::newRow("28, 2×2, linear")
            << 32 << 28 << 28 << 1 << 2 << 2 << 0 << 0 << false << true << false << false;
        QTest::newRow("ties and zeros")
            << 16 << 10 << 10 << 1 << 2 << 2 << 0 << 0 << true << true << true << false;
        QTest::newRow("NaN, relu")
            << 16 << 10 << 10 << 1 << 2 << 2 << 0 << 0 << true << true << true << true;
        QTest::newRow("NaN, linear")
            << 8 << 10 << 10 << 1 << 2 << 2 << 0 << 0 << false << true << false << true;
        QTest::newRow("odd map, vector path: a row and a column in no window")
            << 16 << 11 << 9 << 0 << 2 << 2 << 0 << 0 << true << true << true << false;
        // The NaN pixel is read by one output pixel only, which lies in no window.
        QTest::newRow("odd map, NaN only where no window reaches")
            << 16 << 11 << 9 << 0 << 2 << 2 << 0 << 0 << true << true << false << true;
        QTest::newRow("odd map, channel tail")
            << 13 << 9 << 7 << 0 << 2 << 2 << 0 << 0 << true << false << false << false;
        QTest::newRow("same pooling: last windows cut short")
            << 16 << 7 << 9 << 1 << 2 << 2 << 1 << 1 << true << true << true << false;
        QTest::newRow("same pooling, 44 channels")
            << 44 << 7 << 9 << 1 << 2 << 2 << 1 << 1 << true << true << true << false;
        QTest::newRow("3×3 windows, no bias")
            << 8 << 12 << 12 << 1 << 3 << 3 << 0 << 0 << false << false << true << false;
        QTest::newRow("2×3 windows, padding after the columns only")
            << 16 << 10 << 13 << 1 << 2 << 3 << 0 << 2 << true << true << true << false;
        QTest::newRow("3×2 windows, padding after the rows only")
            << 13 << 8 << 8 << 1 << 3 << 2 << 1 << 0 << true << true << true << false;
        QTest::newRow("1×2 windows")
            << 8 << 5 << 8 << 1 << 1 << 2 << 0 << 0 << false << true << false << false;
    }
    // The fused pair gives the bits of the stencil's output pooled by the tiling kernel, and
    // the same weight and bias gradients, whatever the thread count.
    void stencilPoolMatchesTheTwoKernels()
    {
        QFETCH(int, channels);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, padding);
        QFETCH(int, windowHeight);
        QFETCH(int, windowWidth);
        QFETCH(int, padBottom);
        QFETCH(int, padRight);
        QFETCH(bool, relu);
        QFETCH(bool, withBias);
        QFETCH(bool, ties);
        QFETCH(bool, nan);
        torch::Tensor x = images(11, 1, height, width);
        torch::Tensor weight = torch::randn({channels, 1, 3, 3});
        torch::Tensor bias = withBias ? torch::randn({channels}) : torch::Tensor();
        if (ties) { // small integers: equal maxima in many windows, and many maxima at 0
            x = x.mul(1.5).round().contiguous(torch::MemoryFormat::ChannelsLast);
            weight = weight.round();
            bias = withBias ? bias.round() : bias;
        }
        if (nan) // at a corner: the taps that never read it keep finite gradients to compare
            x.index_put_({0, 0, height - 1, width - 1}, std::nan(""));
        const std::array<std::int64_t, 2> pad = {padding, padding};
        const TilingMaxPoolSpec spec{{windowHeight, windowWidth}, {padBottom, padRight}, relu};
        const auto options =
            moduleOptions(torch::nn::Conv2dOptions(1, channels, 3).padding(padding));
        QVERIFY(stencilPoolApplies(x, weight, options, pad, spec));
        const std::int64_t outHeight = (height + 2 * padding - 2 + padBottom) / windowHeight;
        const std::int64_t outWidth = (width + 2 * padding - 2 + padRight) / windowWidth;
        const torch::Tensor outGrad = torch::randn({11, channels, outHeight, outWidth});
        auto fused = [&](int threads) {
            const int before = at::get_num_threads();
            at::set_num_threads(threads);
            const Gradients g = convolutionGradients(
                [&](const torch::Tensor& in, const torch::Tensor& w, const torch::Tensor& b) {
                    return stencilConvolutionPooled(in, w, b, pad, spec);
                },
                x, weight, bias, outGrad);
            at::set_num_threads(before);
            return g;
        };
        const Gradients ours = fused(2), oneThread = fused(1);
        const Gradients reference = convolutionGradients(
            [&](const torch::Tensor& in, const torch::Tensor& w, const torch::Tensor& b) {
                return tilingMaxPool(stencilConvolution(in, w, b, pad, relu),
                                     {spec.window, spec.padAfter, false});
            },
            x, weight, bias, outGrad);
        // NaN compares unequal to itself: a stand-in value makes NaN places comparable.
        const auto same = [](const torch::Tensor& a, const torch::Tensor& b) {
            return identical(a.nan_to_num(7.0), b.nan_to_num(7.0)) &&
                   identical(a.isnan(), b.isnan());
        };
        QVERIFY(ours.out.is_contiguous(torch::MemoryFormat::ChannelsLast));
        QVERIFY(same(ours.out, reference.out));
        QVERIFY(same(ours.weight, reference.weight));
        QCOMPARE(ours.bias.defined(), withBias);
        if (withBias)
            QVERIFY(same(ours.bias, reference.bias));
        QVERIFY(same(oneThread.out, ours.out));
        QVERIFY(same(oneThread.weight, ours.weight));
        if (withBias)
            QVERIFY(same(oneThread.bias, ours.bias));
        if (nan) { // NaN reached some weight gradients, not all
            QVERIFY(ours.weight.isnan().any().item<bool>());
            QVERIFY(!ours.weight.isnan().all().item<bool>());
        }
        if (ties && relu) // windows whose maximum was at or below 0 were exercised
            QVERIFY((reference.out == 0).sum().item<std::int64_t>() > 0);
    }

    void stencilPoolRefusesOtherPoolings()
    {
        const auto options = moduleOptions(torch::nn::Conv2dOptions(1, 8, 3).padding(1));
        const torch::Tensor weight = torch::randn({8, 1, 3, 3});
        const torch::Tensor x = images(2, 1, 8, 8);
        QVERIFY(stencilPoolApplies(x, weight, options, {1, 1}, {{2, 2}, {0, 0}, true}));
        QVERIFY(!stencilPoolApplies(x, weight, options, {1, 1}, {{2, 2}, {2, 0}, true}));
        QVERIFY(!stencilPoolApplies(x, weight, options, {1, 1}, {{16, 16}, {0, 0}, true}));
        QVERIFY(!stencilPoolApplies(x, weight, options, {1, 1}, {{9, 9}, {0, 0}, true}));
        QVERIFY(!stencilPoolApplies(images(2, 3, 8, 8), torch::randn({8, 3, 3, 3}),
                                    moduleOptions(torch::nn::Conv2dOptions(3, 8, 3).padding(1)),
                                    {1, 1}, {{2, 2}, {0, 0}, true}));
    }

    // The first convolution and its pooling become one kernel only when the pooling's windows
    // tile the map; an overlapping pooling (step 1) runs after the stencil, as before.
    void fusionTakesOnlyAPoolingThatTiles()
    {
        for (const int step : {2, 1}) {
            ModelSpec spec;
            LayerSpec pool = maxPooling(2, step);
            pool.padding = Padding::Valid;
            spec.layers = {reluConvolution(8), pool, layer(LayerType::Flatten), denseOutput()};
            Network network(spec, 3);
            LayerStack& stack = network.impl().module;
            const torch::Tensor x =
                torch::randn({4, 1, 28, 28}).contiguous(torch::MemoryFormat::ChannelsLast);
            const torch::Tensor fused =
                modules::fusedWithPooling(stack->blocks[0], stack->blocks[1], x);
            QCOMPARE(fused.defined(), step == 2);
            if (fused.defined())
                QVERIFY(identical(fused, stack->blocks[1]->forward(stack->blocks[0]->forward(x))));
        }
    }

    // ReLU → pool pairs are fused when no block output is captured; a capture runs the blocks
    // one by one. Both must agree, forward and backward, bit for bit.
    void fusedBlocksMatchBlockByBlock()
    {
        ModelSpec spec;
        const LayerSpec conv = reluConvolution(8);
        const LayerSpec pool = maxPooling(2, 2);
        const LayerSpec dense = denseOutput();
        LayerSpec linearConv = conv;
        linearConv.activation = ActivationKind::Linear;
        LayerSpec relu = layer(LayerType::Activation);
        relu.activation = ActivationKind::Relu;
        // 28 → 14 (the stencil and its pooling in one kernel) → 7 (a convolution's ReLU moved
        // into the pooling) → 4 ("same" padding; an activation layer's ReLU moved into the
        // pooling).
        spec.layers = {conv, pool, conv, pool, linearConv, relu, pool, layer(LayerType::Flatten),
                       dense};
        spec.layers[2].filters = 16;
        Network network(spec, 3);
        LayerStack& stack = network.impl().module;
        const torch::Tensor x = torch::randn({6, 784});
        auto run = [&](bool capture) {
            std::vector<torch::Tensor> outputs;
            if (capture)
                stack->capturedOutputs = &outputs;
            stack->zero_grad();
            const torch::Tensor logits = stack->forward(x);
            logits.pow(2).sum().backward();
            std::vector<torch::Tensor> grads;
            for (const auto& parameter : stack->parameters())
                grads.push_back(parameter.grad().clone());
            return std::make_pair(logits.detach(), grads);
        };
        const auto fused = run(false);
        const auto blockByBlock = run(true);
        QVERIFY(identical(fused.first, blockByBlock.first));
        QCOMPARE(fused.second.size(), blockByBlock.second.size());
        for (std::size_t i = 0; i < fused.second.size(); ++i)
            QVERIFY2(identical(fused.second[i], blockByBlock.second[i]),
                     qPrintable(QString::number(i)));
    }
};

QTEST_GUILESS_MAIN(TestCpuKernels)
#include "tst_cpu_kernels.moc"
