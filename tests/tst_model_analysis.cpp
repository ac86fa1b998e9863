// Shape inference, parameter counts and validation messages of layer stacks.
#include "core/model_analysis.h"
#include "core/preset.h"
#include "layer_spec_helpers.h"

#include <QtTest>

using namespace atelier;
using namespace atelier::test;

Q_DECLARE_METATYPE(atelier::LayerSpec)
Q_DECLARE_METATYPE(atelier::ModelSpec)

class TestModelAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedPresetsHaveTheReferenceParameterCounts_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<qint64>("params");
        // The reference study's architectures; the *_dropout variants add no weights.
        const std::pair<const char*, qint64> reference[] = {
            {"mlp_small", 101770}, {"mlp_medium", 118282}, {"mlp_large", 134794},
            {"cnn_small", 63050},  {"cnn_medium", 50186},  {"cnn_large", 398090}};
        for (const auto& [name, params] : reference) {
            QTest::newRow(name) << QString(name) << params;
            const QString dropout = QString(name) + "_dropout";
            QTest::newRow(qPrintable(dropout)) << dropout << params;
        }
        QTest::newRow("vanishing_gradients") << "vanishing_gradients" << qint64(6730);
        QTest::newRow("vanishing_gradients_relu_he")
            << "vanishing_gradients_relu_he" << qint64(6730);
    }

    void shippedPresetsHaveTheReferenceParameterCounts()
    {
        QFETCH(QString, preset);
        QFETCH(qint64, params);
        const Preset loaded = loadPreset(ATELIER_PRESETS_DIR "/" + preset.toStdString() + ".yaml");
        const ModelReport report = analyzeModel(loaded.model, 10);
        QVERIFY2(report.valid(), report.valid() ? "" : report.errors().front().c_str());
        QCOMPARE(report.totalParams(), params);
        QCOMPARE(report.trainableParams(), params);
        QCOMPARE(report.nonTrainableParams(), qint64(0));
    }

    void batchNormTwinAddsAScaleAndShiftPerUnit()
    {
        const Preset loaded = loadPreset(ATELIER_PRESETS_DIR "/vanishing_gradients_batchnorm.yaml");
        const ModelReport report = analyzeModel(loaded.model, 10);
        QVERIFY(report.valid());
        // vanishing_gradients' 6,730 plus 2 × 48 trainable and 2 × 48 running statistics.
        QCOMPARE(report.trainableParams(), qint64(6730 + 96));
        QCOMPARE(report.nonTrainableParams(), qint64(96));
    }

    void cnnLargeShrinks28To14To7To4To2()
    {
        const Preset loaded = loadPreset(ATELIER_PRESETS_DIR "/cnn_large.yaml");
        const ModelReport report = analyzeModel(loaded.model, 10);
        QStringList poolOutputs;
        for (const LayerReport& layer : report.layers)
            if (layer.type == LayerType::MaxPool2D)
                poolOutputs << QString::fromStdString(layer.output.toString());
        QCOMPARE(poolOutputs, QStringList({"32×14×14", "64×7×7", "128×4×4", "256×2×2"}));
    }

    void eachLayerTypeInfersItsShape_data()
    {
        QTest::addColumn<LayerSpec>("layer");
        QTest::addColumn<QString>("output");
        QTest::addColumn<qint64>("trainable");
        QTest::addColumn<qint64>("nonTrainable");
        // Every layer under test receives 8×14×14 (see eachLayerTypeInfersItsShape).
        QTest::newRow("conv valid")
            << conv(16, 3) << "16×12×12" << qint64(8 * 9 * 16 + 16) << qint64(0);
        QTest::newRow("conv same")
            << conv(16, 3, Padding::Same) << "16×14×14" << qint64(1168) << qint64(0);
        QTest::newRow("conv same stride 2")
            << conv(4, 3, Padding::Same, 2) << "4×7×7" << qint64(292) << qint64(0);
        QTest::newRow("conv valid stride 2")
            << conv(4, 3, Padding::Valid, 2) << "4×6×6" << qint64(292) << qint64(0);
        QTest::newRow("conv dilated")
            << conv(4, 3, Padding::Valid, 1, 2) << "4×10×10" << qint64(292) << qint64(0);
        LayerSpec noBias = conv(4, 1);
        noBias.useBias = false;
        QTest::newRow("conv 1x1 no bias") << noBias << "4×14×14" << qint64(32) << qint64(0);
        LayerSpec rect = conv(2, 1);
        rect.kernel = {3, 5};
        QTest::newRow("conv 3x5") << rect << "2×12×10" << qint64(8 * 15 * 2 + 2) << qint64(0);
        QTest::newRow("max pool 2")
            << pool(LayerType::MaxPool2D, 2) << "8×7×7" << qint64(0) << qint64(0);
        QTest::newRow("max pool 3 valid")
            << pool(LayerType::MaxPool2D, 3) << "8×4×4" << qint64(0) << qint64(0);
        QTest::newRow("max pool 3 same")
            << pool(LayerType::MaxPool2D, 3, Padding::Same) << "8×5×5" << qint64(0) << qint64(0);
        QTest::newRow("avg pool 2 stride 1") << pool(LayerType::AvgPool2D, 2, Padding::Valid, 1)
                                             << "8×13×13" << qint64(0) << qint64(0);
        QTest::newRow("batch norm")
            << plain(LayerType::BatchNorm) << "8×14×14" << qint64(16) << qint64(16);
        QTest::newRow("dropout") << plain(LayerType::Dropout) << "8×14×14" << qint64(0)
                                 << qint64(0);
        QTest::newRow("activation")
            << plain(LayerType::Activation) << "8×14×14" << qint64(0) << qint64(0);
        QTest::newRow("flatten") << plain(LayerType::Flatten) << "1568" << qint64(0) << qint64(0);
        // Two bias-free 3×3 convolutions and two batch norms; the shortcut is the identity.
        QTest::newRow("residual keeps shape")
            << residual(8) << "8×14×14" << qint64(2 * 8 * 9 * 8 + 2 * 16) << qint64(32);
        // The shape changes: a 1×1 convolution and a batch norm on the shortcut too.
        QTest::newRow("residual stride 2 widens")
            << residual(16, 2) << "16×7×7"
            << qint64(8 * 9 * 16 + 16 * 9 * 16 + 8 * 16 + 3 * 32) << qint64(3 * 32);
        QTest::newRow("residual stride 3 kernel 5")
            << residual(8, 3, 5) << "8×5×5" << qint64(2 * 8 * 25 * 8 + 8 * 8 + 3 * 16)
            << qint64(3 * 16);
    }

    void eachLayerTypeInfersItsShape()
    {
        QFETCH(LayerSpec, layer);
        QFETCH(QString, output);
        QFETCH(qint64, trainable);
        QFETCH(qint64, nonTrainable);
        // 1×28×28 → conv 8 same → 8×28×28 → pool 2 → 8×14×14 → layer under test
        const ModelSpec spec =
            imageModel({conv(8, 3, Padding::Same), pool(LayerType::MaxPool2D, 2), layer});
        const ModelReport report = analyzeModel(spec, 10);
        const LayerReport& row = report.layers.at(2);
        QVERIFY2(row.error.empty(), row.error.c_str());
        QCOMPARE(QString::fromStdString(row.output.toString()), output);
        QCOMPARE(row.trainableParams, trainable);
        QCOMPARE(row.nonTrainableParams, nonTrainable);
    }

    void denseAndBatchNormOnFlatInput()
    {
        ModelSpec spec;
        spec.inputShape = {784};
        spec.layers = {dense(32, ActivationKind::Relu), plain(LayerType::BatchNorm),
                       dense(10, ActivationKind::Softmax)};
        const ModelReport report = analyzeModel(spec, 10);
        QVERIFY(report.valid());
        QCOMPARE(report.layers[1].trainableParams, qint64(64));
        QCOMPARE(report.layers[1].nonTrainableParams, qint64(64));
        QCOMPARE(report.totalParams(), qint64(784 * 32 + 32 + 128 + 330));
        QCOMPARE(report.layers[0].name, std::string("dense_1"));
        QCOMPARE(report.layers[2].name, std::string("dense_2"));
    }

    void invalidStacksAreExplained_data()
    {
        QTest::addColumn<QVector<int>>("input");
        QTest::addColumn<QVector<LayerSpec>>("layers");
        QTest::addColumn<QString>("error");
        const QVector<int> image = {1, 28, 28};
        QTest::newRow("conv after flatten")
            << image
            << QVector<LayerSpec>{plain(LayerType::Flatten), dense(128), plain(LayerType::Flatten),
                                  conv(8, 3), dense(10)}
            << "layer 4 conv2d: needs a 3-D input (C×H×W) but gets 128 after flatten";
        QTest::newRow("conv on flat input")
            << QVector<int>{784} << QVector<LayerSpec>{conv(8, 3)}
            << "layer 1 conv2d: needs a 3-D input (C×H×W) but gets 784 (the model input is flat";
        QTest::newRow("dense on image")
            << image << QVector<LayerSpec>{dense(10)}
            << "layer 1 dense: needs a flat input but gets 1×28×28; add a Flatten layer before it";
        QTest::newRow("pool larger than input")
            << image
            << QVector<LayerSpec>{pool(LayerType::MaxPool2D, 8), pool(LayerType::MaxPool2D, 4),
                                  plain(LayerType::Flatten), dense(10)}
            << "layer 2 max_pool2d: pool 4×4 is larger than its 3×3 input";
        QTest::newRow("kernel larger than input")
            << image << QVector<LayerSpec>{conv(4, 29)}
            << "layer 1 conv2d: kernel 29×29 is larger than its 28×28 input";
        QTest::newRow("wrong output size")
            << QVector<int>{784} << QVector<LayerSpec>{dense(128)}
            << "model: the stack ends with 128 outputs but must end with 10";
        QTest::newRow("spatial output")
            << image << QVector<LayerSpec>{conv(10, 28)}
            << "model: the stack ends with 10×1×1 but must end with 10 class scores";
        QTest::newRow("empty") << image << QVector<LayerSpec>{} << "model: the stack is empty";
        QTest::newRow("bad input")
            << QVector<int>{3, 32, 32} << QVector<LayerSpec>{dense(10)}
            << "model: the input must be 1×28×28 (images) or 784 (flat pixels), not 3×32×32";
        QTest::newRow("softmax inside")
            << QVector<int>{784}
            << QVector<LayerSpec>{dense(32, ActivationKind::Softmax), dense(10)}
            << "layer 1 dense: softmax belongs on the output layer only";
        LayerSpec zeroUnits = dense(0);
        QTest::newRow("zero units") << QVector<int>{784} << QVector<LayerSpec>{zeroUnits}
                                    << "layer 1 dense: units must be at least 1";
        LayerSpec badRate = plain(LayerType::Dropout);
        badRate.rate = 1.0;
        QTest::newRow("dropout rate 1")
            << QVector<int>{784} << QVector<LayerSpec>{badRate, dense(10)}
            << "layer 1 dropout: rate must be in [0, 1)";
        LayerSpec heBias = dense(10);
        heBias.biasInit = Initializer::of(InitKind::HeUniform);
        QTest::newRow("he bias") << QVector<int>{784} << QVector<LayerSpec>{heBias}
                                 << "layer 1 dense: bias_init must be zeros, uniform or normal";
        QTest::newRow("residual on flat input")
            << image << QVector<LayerSpec>{plain(LayerType::Flatten), residual(8), dense(10)}
            << "layer 2 residual: needs a 3-D input (C×H×W) but gets 784 after flatten";
        LayerSpec softmaxBlock = residual(8);
        softmaxBlock.activation = ActivationKind::Softmax;
        QTest::newRow("residual with softmax")
            << image
            << QVector<LayerSpec>{softmaxBlock, plain(LayerType::Flatten), dense(10)}
            << "layer 1 residual: softmax belongs on the output layer only; a residual block";
        QTest::newRow("residual without filters")
            << image << QVector<LayerSpec>{residual(0), plain(LayerType::Flatten), dense(10)}
            << "layer 1 residual: filters must be at least 1";
        LayerSpec named = dense(10);
        named.name = "out";
        QTest::newRow("duplicate names")
            << QVector<int>{784} << QVector<LayerSpec>{named, named}
            << "layer 2 dense: the name 'out' is already used by layer 1";
    }

    void invalidStacksAreExplained()
    {
        QFETCH(QVector<int>, input);
        QFETCH(QVector<LayerSpec>, layers);
        QFETCH(QString, error);
        ModelSpec spec;
        spec.inputShape.assign(input.begin(), input.end());
        spec.layers.assign(layers.begin(), layers.end());
        const ModelReport report = analyzeModel(spec, 10);
        QVERIFY(!report.valid());
        QStringList errors;
        for (const std::string& e : report.errors())
            errors << QString::fromStdString(e);
        QVERIFY2(errors.filter(error).size() == 1, qPrintable(errors.join("\n")));
        QVERIFY_EXCEPTION_THROWN(requireValidModel(report), ModelError);
    }

    void layersAfterAnInvalidOneHaveUnknownShapes()
    {
        const ModelReport report =
            analyzeModel(imageModel({dense(10), plain(LayerType::Flatten)}), 10);
        QVERIFY(!report.layers[0].error.empty());
        QVERIFY(!report.layers[1].output.known());
        QVERIFY(report.layers[1].error.empty()); // one cause, reported once
    }

    void windowOutputSizeFollowsKeras_data()
    {
        QTest::addColumn<int>("input");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("dilation");
        QTest::addColumn<bool>("same");
        QTest::addColumn<int>("expected");
        QTest::newRow("7 pool2 same") << 7 << 2 << 2 << 1 << true << 4;
        QTest::newRow("7 pool2 valid") << 7 << 2 << 2 << 1 << false << 3;
        QTest::newRow("28 k5 valid") << 28 << 5 << 1 << 1 << false << 24;
        QTest::newRow("28 k3 d2 valid") << 28 << 3 << 1 << 2 << false << 24;
        QTest::newRow("5 k7 valid") << 5 << 7 << 1 << 1 << false << -1;
        QTest::newRow("28 k3 s3 same") << 28 << 3 << 3 << 1 << true << 10;
    }

    void windowOutputSizeFollowsKeras()
    {
        QFETCH(int, input);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(int, dilation);
        QFETCH(bool, same);
        QFETCH(int, expected);
        QCOMPARE(windowOutputSize(input, kernel, stride, dilation,
                                  same ? Padding::Same : Padding::Valid),
                 std::int64_t(expected));
    }

    void forwardFlopsPerImage_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<qint64>("flops");
        // 2 × multiply-adds: conv 1→32 at 28×28 + conv 32→64 at 14×14 + dense 3136→10.
        QTest::newRow("cnn_medium")
            << "cnn_medium" << qint64(2 * (9 * 32 * 784 + 32 * 9 * 64 * 196 + 3136 * 10));
        QTest::newRow("mlp_medium")
            << "mlp_medium" << qint64(2 * (784 * 128 + 128 * 128 + 128 * 10));
        // Stem 1→32 at 28×28; blocks 32→32 at 28×28, 32→64 (stride 2, 1×1 shortcut) and
        // 64→64 at 14×14, 64→128 (stride 2, 1×1 shortcut) and 128→128 at 7×7; dense 128→10.
        QTest::newRow("cnn_speedrun")
            << "cnn_speedrun"
            << qint64(2 * (9 * 32 * 784 + 2 * 32 * 9 * 32 * 784 +
                           (32 * 9 * 64 + 64 * 9 * 64 + 32 * 64) * 196 + 2 * 64 * 9 * 64 * 196 +
                           (64 * 9 * 128 + 128 * 9 * 128 + 64 * 128) * 49 +
                           2 * 128 * 9 * 128 * 49 + 128 * 10));
    }

    void forwardFlopsPerImage()
    {
        QFETCH(QString, preset);
        QFETCH(qint64, flops);
        const Preset loaded = loadPreset(ATELIER_PRESETS_DIR "/" + preset.toStdString() + ".yaml");
        QCOMPARE(analyzeModel(loaded.model, 10).forwardFlops(), flops);
    }

    void summaryListsLayersAndTotals()
    {
        const Preset loaded = loadPreset(ATELIER_PRESETS_DIR "/cnn_medium.yaml");
        const QString summary =
            QString::fromStdString(formatSummary(analyzeModel(loaded.model, 10)));
        QVERIFY2(
            summary.contains(QRegularExpression("conv2d_2 \\(Conv2D\\)\\s+64×14×14\\s+18,496")),
            qPrintable(summary));
        QVERIFY2(summary.contains(QRegularExpression("dense_1 \\(Dense\\)\\s+10\\s+31,370")),
                 qPrintable(summary));
        QVERIFY(summary.contains("Total params: 50,186"));
        QVERIFY(summary.contains("Trainable params: 50,186"));
        QVERIFY(summary.contains("Non-trainable params: 0"));
        QVERIFY2(summary.contains("Forward pass: 7.74 MFLOP per image"), qPrintable(summary));
    }

    void theLayerCountIsBounded()
    {
        std::vector<LayerSpec> layers(std::size_t(kMaxLayers), plain(LayerType::Dropout));
        layers.push_back(dense(10));
        const auto errors = analyzeModel(flatModel(layers), 10).errors();
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors.front(), std::string("model: 1,001 layers; at most 1,000 are allowed"));
        layers.erase(layers.begin());
        QVERIFY(analyzeModel(flatModel(layers), 10).valid());
    }

    void layerNamesTheSchemaRefusesAreErrors()
    {
        LayerSpec named = dense(10);
        named.name = std::string(kMaxLayerNameBytes + 1, 'n');
        auto errors = analyzeModel(flatModel({named}), 10).errors();
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors.front(),
                 std::string("layer 1 dense: the name is too long (65 bytes; at most 64)"));
        named.name = "a\nb";
        errors = analyzeModel(flatModel({named}), 10).errors();
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors.front(), std::string("layer 1 dense: the name 'a\\nb' holds a control "
                                             "character"));
    }
};

QTEST_GUILESS_MAIN(TestModelAnalysis)
#include "tst_model_analysis.moc"
