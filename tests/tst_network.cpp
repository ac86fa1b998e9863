// The LibTorch builder against shape inference: for every shipped preset and for a grid of
// convolution/pooling settings, the built module must have the inferred parameter counts
// and produce the inferred shape at every layer. Also checks the initializers.
#include "core/errors.h"
#include "core/model_analysis.h"
#include "core/network.h"
#include "core/preset.h"

#include <QDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace atelier;

Q_DECLARE_METATYPE(atelier::Initializer)

namespace {

void compareWithInference(const ModelSpec& spec)
{
    const ModelReport report = analyzeModel(spec, 10);
    QVERIFY2(report.valid(), report.valid() ? "" : report.errors().front().c_str());
    const Network network(spec, 1);
    QCOMPARE(network.trainableParameterCount(), report.trainableParams());
    QCOMPARE(network.nonTrainableParameterCount(), report.nonTrainableParams());
    const auto shapes = network.probeLayerShapes();
    QCOMPARE(shapes.size(), report.layers.size());
    for (std::size_t i = 0; i < shapes.size(); ++i)
        QCOMPARE(shapes[i], report.layers[i].output.dims);
}

LayerSpec windowLayer(LayerType type, int window, int stride, int dilation, Padding padding)
{
    LayerSpec layer = layerDefaults(type);
    if (type == LayerType::Conv2D) {
        layer.filters = 3;
        layer.kernel = Size2::square(window);
        layer.dilation = Size2::square(dilation);
    } else {
        layer.pool = Size2::square(window);
    }
    layer.stride = Size2::square(stride);
    layer.padding = padding;
    return layer;
}

} // namespace

class TestNetwork : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedPresetsBuildAsInferred_data()
    {
        QTest::addColumn<QString>("file");
        const QDir presets(ATELIER_PRESETS_DIR);
        const QStringList files = presets.entryList({"*.yaml"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 13);
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << presets.filePath(file);
    }

    void shippedPresetsBuildAsInferred()
    {
        QFETCH(QString, file);
        compareWithInference(loadPreset(file.toStdString()).model);
    }

    void windowLayersMatchInference_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("dilation");
        QTest::addColumn<int>("padding");
        // Odd and even sizes with every stride and window exercise the asymmetric
        // "same" padding that Keras puts at the end.
        for (LayerType type : {LayerType::Conv2D, LayerType::MaxPool2D, LayerType::AvgPool2D})
            for (int side : {5, 7, 8})
                for (int window : {1, 2, 3, 4})
                    for (int stride : {1, 2, 3})
                        for (Padding padding : {Padding::Valid, Padding::Same})
                            for (int dilation : {1, 2}) {
                                if (type != LayerType::Conv2D && dilation > 1)
                                    continue;
                                QTest::addRow("%s side %d window %d stride %d dilation %d %s",
                                              layerTypeName(type).c_str(), side, window, stride,
                                              dilation, paddingName(padding).c_str())
                                    << int(type) << side << window << stride << dilation
                                    << int(padding);
                            }
    }

    void windowLayersMatchInference()
    {
        QFETCH(int, type);
        QFETCH(int, side);
        QFETCH(int, window);
        QFETCH(int, stride);
        QFETCH(int, dilation);
        QFETCH(int, padding);
        // Reach a side×side input from 28×28 with a valid convolution, then test the layer.
        ModelSpec spec;
        LayerSpec shrink = windowLayer(LayerType::Conv2D, 29 - side, 1, 1, Padding::Valid);
        spec.layers.push_back(shrink);
        spec.layers.push_back(
            windowLayer(LayerType(type), window, stride, dilation, Padding(padding)));
        spec.layers.push_back(layerDefaults(LayerType::Flatten));
        spec.layers.push_back(layerDefaults(LayerType::Dense));
        const ModelReport report = analyzeModel(spec, 10);
        if (!report.valid())
            QSKIP("the window does not fit this input (inference says so)");
        compareWithInference(spec);
    }

    void samePoolingIgnoresThePadding_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("max") << int(LayerType::MaxPool2D);
        QTest::newRow("avg") << int(LayerType::AvgPool2D);
    }

    void samePoolingIgnoresThePadding()
    {
        // A constant negative 3×3 map pooled 2×2 "same" gives 2×2 cells, three of which
        // overlap the padding. As in TensorFlow, padding must neither win a max nor dilute
        // an average: every output equals the constant.
        QFETCH(int, type);
        ModelSpec spec;
        spec.layers = {windowLayer(LayerType::Conv2D, 26, 1, 1, Padding::Valid),
                       windowLayer(LayerType(type), 2, 2, 1, Padding::Same),
                       layerDefaults(LayerType::Flatten), layerDefaults(LayerType::Dense)};
        spec.layers[0].filters = 1;
        spec.layers[0].kernelInit = Initializer::of(InitKind::Zeros);
        spec.layers[0].biasInit = Initializer::uniform(-2.0, -1.0);
        compareWithInference(spec);
        const Network network(spec, 1);
        const std::vector<float> image(784, 0.5f);
        const std::vector<float> conv = network.layerActivations(image, 0);
        QCOMPARE(conv.size(), std::size_t(9));
        QVERIFY(conv[0] < -0.9f);
        const std::vector<float> pooled = network.layerActivations(image, 1);
        QCOMPARE(pooled.size(), std::size_t(4));
        for (float value : pooled)
            QCOMPARE(value, conv[0]);
    }

    void layerActivationsFollowTheStack()
    {
        ModelSpec spec;
        spec.inputShape = {784};
        LayerSpec identityLike = layerDefaults(LayerType::Dense);
        identityLike.units = 10;
        identityLike.kernelInit = Initializer::of(InitKind::Zeros);
        identityLike.biasInit = Initializer::uniform(0.5, 0.6);
        LayerSpec relu = layerDefaults(LayerType::Activation);
        LayerSpec negate = layerDefaults(LayerType::Dense);
        spec.layers = {identityLike, relu, negate};
        const Network network(spec, 2);
        const std::vector<float> hidden =
            network.layerActivations(std::vector<float>(784, 1.0f), 1);
        QCOMPARE(hidden.size(), std::size_t(10));
        for (float value : hidden)
            QVERIFY(value >= 0.5f && value <= 0.6f);
        QVERIFY_EXCEPTION_THROWN(network.layerActivations(std::vector<float>(10, 0.0f), 0),
                                 InputError);
        QVERIFY_EXCEPTION_THROWN(network.layerActivations(std::vector<float>(784, 0.0f), 3),
                                 InputError);
    }

    // With zero kernels both convolutions of the main path give 0, and so do their batch
    // norms at inference: the block's output is activation(shortcut(x)). The identity
    // shortcut passes x on (relu(x), negatives cut); a projection of zero kernels gives 0.
    void residualBlocksAddTheirShortcut()
    {
        ModelSpec spec;
        LayerSpec signedValues = layerDefaults(LayerType::Conv2D);
        signedValues.filters = 4;
        signedValues.padding = Padding::Same;
        signedValues.kernelInit = Initializer::uniform(-1.0, 1.0);
        LayerSpec identityBlock = layerDefaults(LayerType::Residual);
        identityBlock.filters = 4;
        identityBlock.kernelInit = Initializer::of(InitKind::Zeros);
        LayerSpec projectedBlock = identityBlock;
        projectedBlock.filters = 6;
        projectedBlock.stride = Size2::square(2);
        spec.layers = {signedValues, identityBlock, projectedBlock,
                       layerDefaults(LayerType::Flatten), layerDefaults(LayerType::Dense)};
        compareWithInference(spec);
        const Network network(spec, 3);
        std::vector<float> image(784);
        for (std::size_t i = 0; i < image.size(); ++i)
            image[i] = float(i % 29) / 28.0f;
        const std::vector<float> before = network.layerActivations(image, 0);
        const std::vector<float> after = network.layerActivations(image, 1);
        QCOMPARE(after.size(), before.size());
        int negatives = 0;
        for (std::size_t i = 0; i < before.size(); ++i) {
            QCOMPARE(after[i], std::max(before[i], 0.0f));
            negatives += before[i] < 0.0f;
        }
        QVERIFY(negatives > 100); // the ReLU after the sum was exercised
        const std::vector<float> projected = network.layerActivations(image, 2);
        QCOMPARE(projected.size(), std::size_t(6 * 14 * 14));
        for (float value : projected)
            QCOMPARE(value, 0.0f);
        // A block's kernel is its first convolution's (6 × 4 × 3 × 3, zeros); that
        // convolution has no bias, and the batch norm's shift is not reported as one.
        const std::vector<float> kernel = network.kernelValues(2);
        QCOMPARE(kernel.size(), std::size_t(6 * 4 * 3 * 3));
        QVERIFY(std::all_of(kernel.begin(), kernel.end(), [](float v) { return v == 0.0f; }));
        QVERIFY(network.biasValues(2).empty());
        QCOMPARE(network.biasValues(0).size(), std::size_t(4)); // a conv2d keeps its own
    }

    void initializersRespectTheirRanges_data()
    {
        QTest::addColumn<Initializer>("init");
        QTest::addColumn<double>("bound"); // every weight lies in [-bound, bound] (+ mean)
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("stddev"); // expected standard deviation
        // A 784→256 dense layer: fan_in 784, fan_out 256.
        const double uniformHe = std::sqrt(6.0 / 784);
        const double uniformGlorot = std::sqrt(6.0 / (784 + 256));
        QTest::newRow("he_uniform") << Initializer::of(InitKind::HeUniform) << uniformHe << 0.0
                                    << uniformHe / std::sqrt(3.0);
        QTest::newRow("he_normal")
            << Initializer::of(InitKind::HeNormal) << 1e9 << 0.0 << std::sqrt(2.0 / 784);
        QTest::newRow("glorot_uniform") << Initializer::of(InitKind::GlorotUniform) << uniformGlorot
                                        << 0.0 << uniformGlorot / std::sqrt(3.0);
        QTest::newRow("glorot_normal") << Initializer::of(InitKind::GlorotNormal) << 1e9 << 0.0
                                       << std::sqrt(2.0 / (784 + 256));
        QTest::newRow("uniform") << Initializer::uniform(0.1, 0.3) << 0.1 << 0.2
                                 << 0.2 / std::sqrt(12.0);
        QTest::newRow("normal") << Initializer::normal(1.0, 0.5) << 1e9 << 1.0 << 0.5;
        QTest::newRow("zeros") << Initializer::of(InitKind::Zeros) << 0.0 << 0.0 << 0.0;
    }

    void initializersRespectTheirRanges()
    {
        QFETCH(Initializer, init);
        QFETCH(double, bound);
        QFETCH(double, mean);
        QFETCH(double, stddev);
        ModelSpec spec;
        spec.inputShape = {784};
        LayerSpec hidden = layerDefaults(LayerType::Dense);
        hidden.units = 256;
        hidden.kernelInit = init;
        hidden.biasInit = Initializer::uniform(-0.01, 0.01);
        spec.layers = {hidden, layerDefaults(LayerType::Dense)};
        const Network network(spec, 3);
        const TensorStatistics kernel = network.kernelStatistics(0);
        QCOMPARE(kernel.count, qint64(784 * 256));
        QVERIFY2(kernel.min >= mean - bound - 1e-9 && kernel.max <= mean + bound + 1e-9,
                 qPrintable(QString("range [%1, %2]").arg(kernel.min).arg(kernel.max)));
        QVERIFY2(std::abs(kernel.mean - mean) < 0.01, qPrintable(QString::number(kernel.mean)));
        QVERIFY2(std::abs(kernel.stddev - stddev) <= 0.03 * stddev + 1e-12,
                 qPrintable(QString("std %1, expected %2").arg(kernel.stddev).arg(stddev)));
        const TensorStatistics bias = network.biasStatistics(0);
        QCOMPARE(bias.count, qint64(256));
        QVERIFY(bias.min >= -0.01 && bias.max <= 0.01 && bias.max > bias.min);
        // Default bias initialisation is zeros.
        const TensorStatistics outputBias = network.biasStatistics(1);
        QCOMPARE(outputBias.min, 0.0);
        QCOMPARE(outputBias.max, 0.0);
    }

    void sameSeedSameWeights()
    {
        const ModelSpec spec = loadPreset(ATELIER_PRESETS_DIR "/cnn_small.yaml").model;
        const Network a(spec, 5), b(spec, 5), c(spec, 6);
        QCOMPARE(a.kernelStatistics(0).mean, b.kernelStatistics(0).mean);
        QCOMPARE(a.kernelStatistics(3).stddev, b.kernelStatistics(3).stddev);
        QVERIFY(a.kernelStatistics(0).mean != c.kernelStatistics(0).mean);
    }

    void invalidSpecIsRefused()
    {
        ModelSpec spec;
        spec.inputShape = {784};
        spec.layers = {layerDefaults(LayerType::Conv2D)};
        QVERIFY_EXCEPTION_THROWN(Network(spec, 1), ModelError);
    }
};

QTEST_GUILESS_MAIN(TestNetwork)
#include "tst_network.moc"
