// Kernels fused with the max pooling after them (core/internal/cpu_kernels.h,
// core/internal/layer_modules.h):
// - the stencil and a tiling pooling in one kernel: the bits of the two kernels one after the
//   other, values and gradients, also with NaN and rows or columns in no window; only a
//   pooling that tiles is fused;
// - a model whose blocks get fused (a convolution's ReLU moved after its pooling, the stencil
//   and its pooling in one kernel) gives the outputs and gradients of the same model run
//   block by block; an activation layer's ReLU likewise.
#include "core/internal/cpu_kernels.h"
#include "core/internal/layer_modules.h"
#include "core/internal/network_impl.h"
#include "cpu_kernel_helpers.h"

#include <QtTest>
#include <cmath>

using namespace atelier;
using namespace atelier::test;

class TestFusedKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(7); }

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

QTEST_GUILESS_MAIN(TestFusedKernels)
#include "tst_fused_kernels.moc"
