// Layer statistics: the trainer's gradient and weight norms, update ratios and activation
// statistics equal a backpropagation written out by hand; saturated and dead shares of
// constructed layers are exact; vanishing_gradients' first layer gets orders of magnitude less
// gradient than its last while the ReLU + He twin's stays within a small factor; the option
// and the CLI flags turn them off and on. The run folder's files: tst_layer_stats_files.
#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/layer_stats.h"
#include "core/network.h"
#include "core/run_folder.h"
#include "core/trainer.h"
#include "core/training_session.h"
#include "support/cli_runner.h"
#include "support/training_fixture.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace atelier;
using namespace atelier::test;

namespace {

Preset presetFromYaml(const std::string& yaml)
{
    PresetParseResult parsed = parsePreset(yaml, "test.yaml");
    if (!parsed.problems.empty())
        qFatal("%s", parsed.problems.front().toString().c_str());
    return parsed.preset;
}

double relativeError(double actual, double expected)
{
    return std::abs(actual - expected) / std::max(std::abs(expected), 1e-30);
}

// The mean over the samples of one epoch of a layer's gradient norm.
double meanGradNorm(const LayerStatsLog& log, int layer, int epoch)
{
    double sum = 0;
    int count = 0;
    for (const LayerStatsSample& sample : log.samples)
        if (sample.epoch == epoch) {
            sum += sample.layers.at(std::size_t(layer)).gradNorm;
            ++count;
        }
    return count > 0 ? sum / count : std::nan("");
}

// The layer statistics of one training batch holding a 100-image subset (the preset's
// batch size covers it all), sampled once.
LayerStatsLog statisticsOfOneBatch(const Preset& preset, const FashionMnist& data)
{
    TrainingOptions options;
    options.limit = 100;
    Trainer trainer(preset, data, options);
    trainer.run();
    return trainer.layerStats();
}

// How many of a layer's units have a bias ≤ 0: with a zero kernel, its dead ReLU units.
int nonPositiveBiases(const Network& network, int layer)
{
    int count = 0;
    for (float b : network.biasValues(layer))
        count += b <= 0 ? 1 : 0;
    return count;
}

// One sigmoid hidden layer and a softmax output, trained on one full batch with plain SGD,
// so that the sample's gradients are those of the initial weights on the whole subset.
const char* kTinyNetwork = R"(
name: tiny
model:
  input: [784]
  layers:
    - {type: dense, units: 3, activation: sigmoid, kernel_init: {type: normal, mean: 0, std: 0.2}, bias_init: {type: uniform, min: -1, max: 1}}
    - {type: dense, units: 10, activation: softmax}
training:
  optimizer: {type: sgd, learning_rate: 0.5, momentum: 0}
  batch_size: 60000
  epochs: 1
  seed: 7
data: {dev_fraction: 0.02}
)";

constexpr std::size_t kTinyImages = 40;

struct HandGradients
{
    double grad1 = 0, grad2 = 0;     // L2 norms over weights and biases of each layer
    double weight1 = 0, weight2 = 0; // L2 norms of the initial weights and biases
    double hiddenMean = 0, hiddenStd = 0, hiddenSaturated = 0;
};

// Backpropagation of the mean cross-entropy through dense(sigmoid) → dense, in double.
HandGradients backpropagateByHand(const Preset& preset, const FashionMnist& data)
{
    const Network network(preset.model, preset.training.seed); // the trainer's initial weights
    const std::vector<float> w1 = network.kernelValues(0), b1 = network.biasValues(0);
    const std::vector<float> w2 = network.kernelValues(1), b2 = network.biasValues(1);
    const TrainDevSplit split =
        stratifiedSplit(data.train.labels, preset.data.devFraction, preset.data.splitSeed);
    const IndexList rows =
        stratifiedSubset(data.train.labels, split.train, kTinyImages, preset.data.splitSeed);
    const PixelTransform transform = pixelTransform(Normalization::Scale, data.train, rows);
    std::vector<float> x(rows.size() * 784);
    transformImages(data.train, rows, transform, x.data());

    const std::size_t n = rows.size(), hidden = 3, classes = 10, inputs = 784;
    std::vector<double> g1(hidden * inputs), gb1(hidden), g2(classes * hidden), gb2(classes);
    std::vector<double> activations;
    for (std::size_t i = 0; i < n; ++i) {
        double h[3], z[10], dz[10], dh[3];
        for (std::size_t u = 0; u < hidden; ++u) {
            double a = b1[u];
            for (std::size_t k = 0; k < inputs; ++k)
                a += double(w1[u * inputs + k]) * x[i * inputs + k];
            h[u] = 1 / (1 + std::exp(-a));
            activations.push_back(h[u]);
        }
        double zMax = -1e300, sum = 0;
        for (std::size_t c = 0; c < classes; ++c) {
            z[c] = b2[c];
            for (std::size_t u = 0; u < hidden; ++u)
                z[c] += double(w2[c * hidden + u]) * h[u];
            zMax = std::max(zMax, z[c]);
        }
        for (std::size_t c = 0; c < classes; ++c)
            sum += std::exp(z[c] - zMax);
        const int label = data.train.labels[std::size_t(rows[i])];
        for (std::size_t c = 0; c < classes; ++c)
            dz[c] = (std::exp(z[c] - zMax) / sum - (int(c) == label ? 1 : 0)) / double(n);
        for (std::size_t u = 0; u < hidden; ++u) {
            dh[u] = 0;
            for (std::size_t c = 0; c < classes; ++c) {
                dh[u] += dz[c] * w2[c * hidden + u];
                g2[c * hidden + u] += dz[c] * h[u];
            }
            const double da = dh[u] * h[u] * (1 - h[u]);
            gb1[u] += da;
            for (std::size_t k = 0; k < inputs; ++k)
                g1[u * inputs + k] += da * x[i * inputs + k];
        }
        for (std::size_t c = 0; c < classes; ++c)
            gb2[c] += dz[c];
    }
    auto norm = [](auto... vectors) {
        double sum = 0;
        for (const auto* v : {&vectors...})
            for (double value : *v)
                sum += value * value;
        return std::sqrt(sum);
    };
    auto floatNorm = [](const std::vector<float>& a, const std::vector<float>& b) {
        double sum = 0;
        for (const auto* v : {&a, &b})
            for (float value : *v)
                sum += double(value) * value;
        return std::sqrt(sum);
    };
    HandGradients hand;
    hand.grad1 = norm(g1, gb1);
    hand.grad2 = norm(g2, gb2);
    hand.weight1 = floatNorm(w1, b1);
    hand.weight2 = floatNorm(w2, b2);
    for (double a : activations) {
        hand.hiddenMean += a / double(activations.size());
        hand.hiddenSaturated += (a < 0.01 || a > 0.99) ? 1.0 / double(activations.size()) : 0;
    }
    for (double a : activations)
        hand.hiddenStd += (a - hand.hiddenMean) * (a - hand.hiddenMean);
    hand.hiddenStd = std::sqrt(hand.hiddenStd / double(activations.size()));
    return hand;
}

} // namespace

class TestLayerStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sampledBatchesAreEvenlySpacedAndEndAtTheLast()
    {
        const std::vector<int> full = sampledBatches(1500);
        QCOMPARE(int(full.size()), kLayerStatsSamplesPerEpoch);
        QCOMPARE(full.front(), 150);
        QCOMPARE(full.back(), 1500);
        for (std::size_t i = 1; i < full.size(); ++i)
            QCOMPARE(full[i] - full[i - 1], 150);
        // A short epoch samples at most one batch in kLayerStatsBatchesPerSample, the last one
        // always.
        QCOMPARE(sampledBatches(25), std::vector<int>({12, 25}));
        QCOMPARE(sampledBatches(9), std::vector<int>({9}));
        QCOMPARE(sampledBatches(1), std::vector<int>({1}));
        QVERIFY(sampledBatches(0).empty());
    }

    void histogramQuantilesInterpolateWithinBins()
    {
        Histogram h;
        h.min = 0;
        h.max = 4;
        h.counts = {10, 0, 0, 10}; // bins [0,1), [1,2), [2,3), [3,4]
        QCOMPARE(h.total(), std::int64_t(20));
        QCOMPARE(h.quantile(0.0), 0.0);
        QCOMPARE(h.quantile(0.25), 0.5);
        QCOMPARE(h.quantile(0.5), 1.0);
        QCOMPARE(h.quantile(0.75), 3.5);
        QCOMPARE(h.quantile(1.0), 4.0);
        QVERIFY(std::isnan(Histogram{}.quantile(0.5)));
    }

    void observedLayersAreThoseWithParametersOrAnActivation()
    {
        const Preset preset = shippedPreset("vanishing_gradients_batchnorm");
        const std::vector<ObservedLayer> layers = observedLayers(preset.model);
        QCOMPARE(int(layers.size()), 19); // 6 × (dense, batch_norm, activation) + the output
        QCOMPARE(layers[0].name, std::string("dense_1"));
        QVERIFY(layers[0].hasParameters && !layers[0].hasActivation());
        QVERIFY(layers[1].hasParameters); // batch_norm: a scale and a shift
        QVERIFY(!layers[2].hasParameters && layers[2].canSaturate());
        QVERIFY(layers[18].hasParameters && !layers[18].hasActivation()); // softmax: none
        const Preset cnn = shippedPreset("cnn_medium");
        for (const ObservedLayer& layer : observedLayers(cnn.model))
            QVERIFY2(layer.hasParameters, layer.name.c_str()); // pools and flatten are left out
    }

    void gradientNormsEqualHandWrittenBackpropagation()
    {
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        const Preset preset = presetFromYaml(kTinyNetwork);
        TrainingOptions options;
        options.limit = kTinyImages;
        Trainer trainer(preset, *data, options);
        trainer.run();
        const LayerStatsLog& log = trainer.layerStats();
        QCOMPARE(int(log.layers.size()), 2);
        QCOMPARE(int(log.samples.size()), 1); // one batch, sampled
        QCOMPARE(log.samples[0].epoch, 1);
        QCOMPARE(log.samples[0].batch, 1);
        const LayerSample& hidden = log.samples[0].layers[0];
        const LayerSample& output = log.samples[0].layers[1];

        const HandGradients hand = backpropagateByHand(preset, *data);
        QVERIFY(hand.grad1 > 0 && hand.grad2 > 0);
        // float32 in the trainer, double by hand.
        QVERIFY2(relativeError(hidden.gradNorm, hand.grad1) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(hidden.gradNorm).arg(hand.grad1)));
        QVERIFY2(relativeError(output.gradNorm, hand.grad2) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(output.gradNorm).arg(hand.grad2)));
        QVERIFY(relativeError(hidden.weightNorm, hand.weight1) < 1e-6);
        QVERIFY(relativeError(output.weightNorm, hand.weight2) < 1e-6);
        // Plain SGD: the step is learning rate × gradient.
        const double rate = preset.training.optimizer.learningRate;
        QVERIFY(relativeError(hidden.updateRatio, rate * hand.grad1 / hand.weight1) < 1e-3);
        QVERIFY(relativeError(output.updateRatio, rate * hand.grad2 / hand.weight2) < 1e-3);
        QVERIFY(relativeError(hidden.activationMean, hand.hiddenMean) < 1e-5);
        QVERIFY(relativeError(hidden.activationStd, hand.hiddenStd) < 1e-4);
        QCOMPARE(hidden.saturated, hand.hiddenSaturated);
        QVERIFY(std::isnan(hidden.dead));           // a sigmoid cannot die
        QVERIFY(std::isnan(output.activationMean)); // softmax is applied only when predicting

        // The epoch's histograms: every weight and every gradient entry counted once.
        QCOMPARE(int(log.histograms.size()), 2);
        QCOMPARE(log.histograms[0].weights.total(), std::int64_t(3 * 784 + 3));
        QCOMPARE(log.histograms[1].gradients.total(), std::int64_t(10 * 3 + 10));
    }

    void saturatedAndDeadSharesOfConstructedLayers()
    {
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        // Zero kernels: each unit outputs activation(bias) for every image, so a ReLU unit
        // with a bias ≤ 0 is dead and a sigmoid unit with |bias| > logit(0.99) saturated.
        const Preset preset = presetFromYaml(R"(
model:
  input: [784]
  layers:
    - {type: dense, units: 16, activation: relu, kernel_init: zeros, bias_init: {type: uniform, min: -1, max: 1}}
    - {type: dense, units: 16, activation: sigmoid, kernel_init: zeros, bias_init: {type: uniform, min: -10, max: 10}}
    - {type: dense, units: 10, activation: softmax}
training: {optimizer: {type: sgd, learning_rate: 0.01}, batch_size: 60000, epochs: 1, seed: 3}
data: {dev_fraction: 0.02}
)");
        const Network network(preset.model, preset.training.seed);
        const int dead = nonPositiveBiases(network, 0);
        int saturated = 0;
        for (float b : network.biasValues(1)) {
            const double s = 1 / (1 + std::exp(-double(b)));
            saturated += (s < 0.01 || s > 0.99) ? 1 : 0;
        }
        QVERIFY2(dead > 0 && dead < 16, "the seed gives a mix of live and dead units");
        QVERIFY2(saturated > 0 && saturated < 16, "the seed gives a mix");

        const LayerStatsLog log = statisticsOfOneBatch(preset, *data);
        QCOMPARE(int(log.samples.size()), 1);
        QCOMPARE(log.samples[0].layers[0].dead, dead / 16.0);
        QVERIFY(std::isnan(log.samples[0].layers[0].saturated));
        QCOMPARE(log.samples[0].layers[1].saturated, saturated / 16.0);
        QVERIFY(std::isnan(log.samples[0].layers[1].dead));
    }

    void deadSharesOfConvolutionUnits()
    {
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        // A unit of a convolution is a channel at one pixel, counted over its channels-last
        // map. With a zero kernel every pixel of a channel outputs relu(bias): a channel with
        // a bias ≤ 0 is 28 × 28 dead units, the others 28 × 28 live ones. The pooling after
        // the convolution is what the training step fuses with it; a sampled batch sees the
        // convolution's own output.
        const Preset preset = presetFromYaml(R"(
model:
  input: [1, 28, 28]
  layers:
    - {type: conv2d, filters: 16, kernel: 3, padding: same, activation: relu, kernel_init: zeros, bias_init: {type: uniform, min: -1, max: 1}}
    - {type: max_pool2d, pool: 2}
    - {type: flatten}
    - {type: dense, units: 10, activation: softmax}
training: {optimizer: {type: sgd, learning_rate: 0.01}, batch_size: 60000, epochs: 1, seed: 5}
data: {dev_fraction: 0.02}
)");
        const Network network(preset.model, preset.training.seed);
        const int dead = nonPositiveBiases(network, 0);
        QVERIFY2(dead > 0 && dead < 16, "the seed gives a mix of live and dead channels");

        const LayerStatsLog log = statisticsOfOneBatch(preset, *data);
        QCOMPARE(int(log.samples.size()), 1);
        QCOMPARE(log.layers[0].name, std::string("conv2d_1"));
        QCOMPARE(log.samples[0].layers[0].dead, dead / 16.0);
        QVERIFY(std::isnan(log.samples[0].layers[0].saturated));
    }

    void vanishingGradientsVanishWhileReluHeFlows()
    {
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        // Measured over the first epoch on 6,000 images: the sigmoid stack's first layer gets
        // about 1e-9 of its last layer's gradient, the ReLU + He twin's about 0.2–5
        // (docs/results.md has the full runs). Thresholds leave orders of magnitude of headroom.
        auto firstOverLast = [&](const char* name) {
            Preset preset = shippedPreset(name);
            preset.training.epochs = 1;
            preset.data.devFraction = 0.02;
            TrainingOptions options;
            options.limit = 6000;
            Trainer trainer(preset, *data, options);
            trainer.run();
            const LayerStatsLog& log = trainer.layerStats();
            return meanGradNorm(log, 0, 1) / meanGradNorm(log, int(log.layers.size()) - 1, 1);
        };
        const double sigmoid = firstOverLast("vanishing_gradients");
        const double reluHe = firstOverLast("vanishing_gradients_relu_he");
        qInfo("first/last layer gradient norm: sigmoid %.3g, relu + he %.3g", sigmoid, reluHe);
        QVERIFY2(sigmoid < 1e-5, qPrintable(QString::number(sigmoid)));
        QVERIFY2(reluHe > 0.05 && reluHe < 20, qPrintable(QString::number(reluHe)));
    }

    void offMeansNoFilesNoSamplesAndTheCliFlagsDecide()
    {
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        QTemporaryDir directory;
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 1;
        preset.data.devFraction = 0.02;
        preset.training.layerStats = false;
        QVERIFY(presetToYaml(preset).find("layer_stats: false") != std::string::npos);
        QCOMPARE(presetFromYaml(presetToYaml(preset)).training.layerStats, false);
        SessionOptions options;
        options.outDirectory = directory.path().toStdString();
        options.limit = 500;
        bool anySample = false;
        TrainingCallbacks watch;
        watch.onBatch = [&](const BatchProgress& p) {
            anySample = anySample || !p.layerSamples.empty();
            return true;
        };
        watch.onEpoch = [&](const EpochReport& r) {
            anySample = anySample || !r.histograms.empty();
            return true;
        };
        std::string folder;
        {
            TrainingSession session(preset, *data, options);
            folder = session.folder();
            session.run(watch);
        }
        QVERIFY(!anySample);
        QVERIFY(!QFile::exists(QString::fromStdString(folder) + "/layer_stats.csv"));
        QVERIFY(loadRun(folder).layerStats.empty());

        // The CLI: --layer-stats turns them on over a preset that has them off, and
        // --no-layer-stats off over the default; both at once is refused.
        const QString presetPath = directory.filePath("off.yaml");
        savePreset(preset, presetPath.toStdString());
        const CliResult on = runCli({"train", presetPath, "--layer-stats", "--limit", "500",
                                     "--out", directory.filePath("on"), "-q"});
        QCOMPARE(on.exitCode, 0);
        QVERIFY(QFile::exists(valueOf(on.out, "run") + "/layer_stats.csv"));
        QVERIFY(QFile::exists(valueOf(on.out, "run") + "/layer_histograms.csv"));
        preset.training.layerStats = true;
        savePreset(preset, presetPath.toStdString());
        const CliResult off = runCli({"train", presetPath, "--no-layer-stats", "--limit", "500",
                                      "--out", directory.filePath("off"), "-q"});
        QCOMPARE(off.exitCode, 0);
        QVERIFY(!QFile::exists(valueOf(off.out, "run") + "/layer_stats.csv"));
        const CliResult both =
            runCli({"train", presetPath, "--layer-stats", "--no-layer-stats", "--limit", "500"});
        QCOMPARE(both.exitCode, 2);
        QVERIFY2(both.err.contains("--no-layer-stats") || both.err.contains("--layer-stats"),
                 qPrintable(both.err));
    }
};

QTEST_GUILESS_MAIN(TestLayerStats)
#include "tst_layer_stats.moc"
