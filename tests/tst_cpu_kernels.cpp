// The hand-written CPU kernels (core/internal/cpu_kernels.h) against LibTorch's own:
// - the one-channel 3×3 stencil convolution: values, weight and bias gradients, with and
//   without its fused ReLU, bias and padding, for channel counts that exercise each of its
//   code paths; the same bits whatever the thread count; refused where it does not apply;
// - the tiling max pooling: values and input gradients bit for bit, in float32 and bfloat16,
//   with ties, NaN, "same" padding, windows that leave rows uncovered, and the ReLU it can
//   apply.
// The kernels fused with a pooling are tested in tst_fused_kernels.
#include "core/internal/cpu_kernels.h"
#include "cpu_kernel_helpers.h"

#include <QtTest>

using namespace atelier;
using namespace atelier::test;
namespace F = torch::nn::functional;

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
};

QTEST_GUILESS_MAIN(TestCpuKernels)
#include "tst_cpu_kernels.moc"
