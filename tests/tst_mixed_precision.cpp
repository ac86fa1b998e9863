// Mixed precision (training.precision: bf16) in the network's forward pass:
// - the output is float32 and close to the float32 forward of the same weights, but not equal
//   to it (autocast is really on);
// - a convolution with few input channels, whose im2col kernel takes float32 only, accepts
//   the bfloat16 output of the layer before;
// - autocast's copies of the weights are made again after every optimizer step (a copy kept
//   from the step before would train on stale weights);
// - autocast is off again once a forward pass returns, so nothing else on the thread is
//   affected.
#include "core/internal/autocast_scope.h"
#include "core/internal/network_impl.h"
#include "core/model_spec.h"

#include <QtTest>

using namespace atelier;

namespace {

LayerSpec layer(LayerType type)
{
    LayerSpec spec = layerDefaults(type);
    spec.padding = Padding::Same;
    return spec;
}

LayerSpec conv(int filters, ActivationKind activation = ActivationKind::Relu)
{
    LayerSpec spec = layer(LayerType::Conv2D);
    spec.filters = filters;
    spec.activation = activation;
    return spec;
}

// Every kind of layer that autocast treats differently: convolutions and dense layers run in
// bfloat16, batch norm takes bfloat16 with float32 statistics, pooling follows its input.
ModelSpec mixedModel()
{
    ModelSpec spec;
    LayerSpec pool = layer(LayerType::MaxPool2D);
    LayerSpec dense = layer(LayerType::Dense);
    dense.units = 10;
    // 1 → 16 (the stencil, float32) → 4 (oneDNN, bfloat16 out) → 8 (4 input channels: the
    // im2col kernel's case, given a bfloat16 input).
    spec.layers = {conv(16), conv(4), layer(LayerType::BatchNorm),
                   conv(8),  pool,    layer(LayerType::Flatten),
                   dense};
    return spec;
}

double relativeDifference(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}

} // namespace

class TestMixedPrecision : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(11); }

    void forwardIsCloseToFloat32ButComputedInBfloat16()
    {
        Network network(mixedModel(), 5);
        LayerStack& stack = network.impl().module;
        stack->eval();
        const torch::Tensor x = torch::rand({16, 784});
        const torch::NoGradGuard noGrad;
        const torch::Tensor full = stack->forward(x);
        network.setPrecision(Precision::BFloat16Mixed);
        const torch::Tensor mixed = stack->forward(x);
        QCOMPARE(mixed.scalar_type(), torch::kFloat32);
        QCOMPARE(mixed.sizes(), full.sizes());
        // bfloat16 keeps 8 significant bits (0.4%); four layers deep that is a few percent.
        const double difference = relativeDifference(mixed, full);
        QVERIFY2(difference < 0.05, qPrintable(QString::number(difference)));
        QVERIFY2(difference > 1e-4, "the same as float32: autocast did not take effect");
        qDebug("largest difference relative to the largest logit: %.4f", difference);
        QVERIFY(!autocastEnabled(torch::kCPU));
        network.setPrecision(Precision::Float32);
        QVERIFY(torch::equal(stack->forward(x), full));
    }

    void trainingStepsUseTheUpdatedWeights()
    {
        Network network(mixedModel(), 5);
        network.setPrecision(Precision::BFloat16Mixed);
        LayerStack& stack = network.impl().module;
        const torch::Tensor x = torch::rand({8, 784});
        const torch::Tensor y = torch::randint(0, 10, {8}, torch::kLong);
        torch::optim::SGD optimizer(stack->parameters(), torch::optim::SGDOptions(0.5));
        for (int step = 0; step < 2; ++step) {
            optimizer.zero_grad();
            torch::nn::functional::cross_entropy(stack->forward(x), y).backward();
            optimizer.step();
        }
        const torch::Tensor afterSteps = stack->forward(x).detach();

        // A second network given the stepped weights computes from them afresh.
        Network fresh(mixedModel(), 99);
        fresh.setPrecision(Precision::BFloat16Mixed);
        {
            const torch::NoGradGuard noGrad;
            const auto source = stack->parameters();
            auto target = fresh.impl().module->parameters();
            for (std::size_t i = 0; i < source.size(); ++i)
                target[i].copy_(source[i]);
            const auto sourceBuffers = stack->buffers();
            auto targetBuffers = fresh.impl().module->buffers();
            for (std::size_t i = 0; i < sourceBuffers.size(); ++i)
                targetBuffers[i].copy_(sourceBuffers[i]);
        }
        // Both in training mode with gradients on: autocast's weight cache is in use.
        const torch::Tensor recomputed = fresh.impl().module->forward(x).detach();
        QVERIFY2(torch::equal(afterSteps, recomputed),
                 qPrintable(QString::number(relativeDifference(afterSteps, recomputed))));
    }
};

QTEST_GUILESS_MAIN(TestMixedPrecision)
#include "tst_mixed_precision.moc"
