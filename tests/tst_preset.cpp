// Preset schema: every kind of mistake is reported at its line and column with the key
// path; shipped presets load; presets round-trip through save and load.
#include "core/errors.h"
#include "core/preset.h"
#include "preset_test_helpers.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using atelier::test::kValid;
using atelier::test::problemsOf;

namespace {

// A preset that sets every field away from its default, to prove the round trip is complete.
Preset everythingPreset()
{
    Preset preset;
    preset.name = "everything";
    preset.description = "Every key: a: colon, quotes \"here\" and #hash";
    LayerSpec conv = layerDefaults(LayerType::Conv2D);
    conv.name = "first";
    conv.filters = 7;
    conv.kernel = {3, 5};
    conv.stride = {2, 1};
    conv.dilation = Size2::square(2);
    conv.padding = Padding::Same;
    conv.activation = ActivationKind::LeakyRelu;
    conv.kernelInit = Initializer::normal(0.01, 0.2);
    conv.biasInit = Initializer::uniform(-0.1, 0.25);
    conv.useBias = false;
    LayerSpec batchNorm = layerDefaults(LayerType::BatchNorm);
    batchNorm.momentum = 0.05;
    batchNorm.epsilon = 1e-3;
    LayerSpec pool = layerDefaults(LayerType::AvgPool2D);
    pool.pool = Size2::square(3);
    pool.stride = Size2::square(1);
    pool.padding = Padding::Same;
    LayerSpec activation = layerDefaults(LayerType::Activation);
    activation.activation = ActivationKind::Elu;
    LayerSpec dropout = layerDefaults(LayerType::Dropout);
    dropout.rate = 0.3;
    LayerSpec residual = layerDefaults(LayerType::Residual);
    residual.name = "block";
    residual.filters = 9;
    residual.kernel = {3, 5};
    residual.stride = {2, 1};
    residual.activation = ActivationKind::Tanh;
    residual.kernelInit = Initializer::of(InitKind::GlorotUniform);
    residual.momentum = 0.2;
    residual.epsilon = 1e-4;
    LayerSpec out = layerDefaults(LayerType::Dense);
    out.kernelInit = Initializer::of(InitKind::GlorotNormal);
    out.activation = ActivationKind::Softmax;
    preset.model.layers = {conv,
                           batchNorm,
                           pool,
                           activation,
                           residual,
                           layerDefaults(LayerType::MaxPool2D),
                           layerDefaults(LayerType::Flatten),
                           dropout,
                           out};
    preset.training.optimizer.kind = OptimizerKind::Adam;
    preset.training.optimizer.learningRate = 0.0003;
    preset.training.optimizer.beta1 = 0.85;
    preset.training.optimizer.beta2 = 0.995;
    preset.training.optimizer.epsilon = 1e-7;
    preset.training.optimizer.weightDecay = 1e-4;
    preset.training.batchSize = 128;
    preset.training.epochs = 33;
    preset.training.earlyStopping = {true, Monitor::ValAccuracy, 4, 0.001, false};
    preset.training.lrSchedule = {LrScheduleKind::Plateau, 10, 3, 0.2, 1e-5};
    preset.training.augmentation = {true, 3};
    preset.training.seed = 1234567890123ULL;
    preset.training.device = DeviceChoice::Cpu;
    preset.training.precision = Precision::BFloat16Mixed;
    preset.data.devFraction = 0.15;
    preset.data.splitSeed = 9;
    preset.data.normalization = Normalization::Standardize;
    return preset;
}

} // namespace

class TestPreset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validPresetParsesWithDefaults()
    {
        const PresetParseResult result = parsePreset(kValid, "p.yaml");
        QVERIFY2(result.problems.empty(), qPrintable(problemsOf(kValid).join("\n")));
        QCOMPARE(result.preset.model.layers.size(), std::size_t(2));
        QCOMPARE(result.preset.model.layers[0].units, 64);
        QCOMPARE(result.preset.model.layers[0].activation, ActivationKind::Relu);
        QCOMPARE(result.preset.model.layers[0].kernelInit,
                 Initializer::of(InitKind::GlorotUniform));
        QCOMPARE(result.preset.training.batchSize, 32);
        QCOMPARE(result.preset.data.devFraction, 0.2);
        QVERIFY(!result.preset.training.earlyStopping.enabled);
    }

    void problemsAreLocated_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        const QString layers = "model:\n  input: [784]\n  layers:\n";
        QTest::newRow("syntax error") << "model: [1, 2\nname: x\n"
                                      << "p.yaml:2:5: YAML syntax error";
        QTest::newRow("top level not a map") << "- a\n- b\n"
                                             << "p.yaml:1:1: expected a mapping";
        QTest::newRow("empty file") << ""
                                    << "p.yaml: expected a mapping (key: value lines), got nothing";
        QTest::newRow("missing model") << "name: x\n"
                                       << "p.yaml:1:1 model: missing key 'model'";
        QTest::newRow("missing layers") << "name: x\nmodel:\n  input: [784]\n"
                                        << "p.yaml:3:3 model.layers: missing key 'layers'";
        QTest::newRow("unknown top key")
            << QString(kValid) + "trainig: {}\n"
            << "p.yaml:7:1 trainig: unknown key 'trainig'; did you mean 'training'?";
        QTest::newRow("duplicate key") << QString(kValid) + "name: again\n"
                                       << "p.yaml:7:1 name: duplicate key (first set at line 1)";
        QTest::newRow("missing units") << layers + "    - {type: dense, activation: relu}\n"
                                       << "p.yaml:4:7 model.layers[1].units: missing key 'units'";
        QTest::newRow("units wrong type")
            << layers + "    - {type: dense, units: many}\n"
            << "p.yaml:4:28 model.layers[1].units: expected an integer, got 'many'";
        QTest::newRow("units float") << layers + "    - {type: dense, units: 12.5}\n"
                                     << "model.layers[1].units: expected an integer, got '12.5'";
        QTest::newRow("units out of range")
            << layers + "    - {type: dense, units: 0}\n"
            << "p.yaml:4:28 model.layers[1].units: 0 is out of range [1, 1000000]";
        QTest::newRow("unknown layer type")
            << layers + "    - {type: lstm, units: 3}\n"
            << "p.yaml:4:14 model.layers[1].type: expected one of dense, conv2d, max_pool2d";
        QTest::newRow("missing layer type")
            << layers + "    - {units: 3}\n"
            << "p.yaml:4:7 model.layers[1].type: missing key 'type'";
        QTest::newRow("key of another layer type")
            << layers + "    - {type: dense, units: 3, filters: 8}\n"
            << "p.yaml:4:31 model.layers[1].filters: unknown key 'filters'";
        QTest::newRow("residual pads same only")
            << layers + "    - {type: residual, filters: 8, padding: valid}\n"
            << "p.yaml:4:36 model.layers[1].padding: unknown key 'padding'";
        QTest::newRow("residual without filters")
            << layers + "    - {type: residual, stride: 2}\n"
            << "model.layers[1].filters: missing key 'filters'";
        QTest::newRow("bad activation")
            << layers + "    - {type: dense, units: 3, activation: gelu}\n"
            << "model.layers[1].activation: expected one of linear, relu, sigmoid, tanh, elu, "
               "leaky_relu, softmax, got 'gelu'";
        QTest::newRow("layer not a map") << layers + "    - dense\n"
                                         << "p.yaml:4:7 model.layers[1]: expected a mapping";
        QTest::newRow("layers not a list") << "model:\n  layers: 3\n"
                                           << "p.yaml:2:11 model.layers: expected a list of layers";
        QTest::newRow("kernel list too long")
            << layers + "    - {type: conv2d, filters: 3, kernel: [1, 2, 3]}\n"
            << "model.layers[1].kernel: expected n or [height, width]";
        QTest::newRow("dropout rate 1") << layers + "    - {type: dropout, rate: 1}\n"
                                        << "model.layers[1].rate: 1 is out of range [0, 1)";
        QTest::newRow("uniform min above max")
            << layers +
                   "    - {type: dense, units: 3, kernel_init: {type: uniform, min: 1, max: 0}}\n"
            << "model.layers[1].kernel_init: min must be less than max";
        QTest::newRow("learning rate zero")
            << QString(kValid) + "training:\n  optimizer: {type: sgd, learning_rate: 0}\n"
            << "p.yaml:8:41 training.optimizer.learning_rate: 0 is out of range (0, 10]";
        QTest::newRow("missing optimizer type")
            << QString(kValid) + "training:\n  optimizer: {learning_rate: 0.1}\n"
            << "p.yaml:8:14 training.optimizer.type: missing key 'type'";
        QTest::newRow("momentum with adam")
            << QString(kValid) + "training:\n  optimizer: {type: adam, momentum: 0.9}\n"
            << "training.optimizer.momentum: unknown key 'momentum'";
        QTest::newRow("nesterov without momentum")
            << QString(kValid) + "training:\n  optimizer: {type: sgd, nesterov: true}\n"
            << "training.optimizer.nesterov: Nesterov momentum needs momentum > 0";
        QTest::newRow("bool typo")
            << QString(kValid) + "training:\n  early_stopping: {restore_best: yes}\n"
            << "training.early_stopping.restore_best: expected true or false, got 'yes'";
        QTest::newRow("lr schedule factor")
            << QString(kValid) + "training:\n  lr_schedule: {type: step, factor: 2}\n"
            << "training.lr_schedule.factor: 2 is out of range (0, 1)";
        QTest::newRow("lr schedule key of another type")
            << QString(kValid) + "training:\n  lr_schedule: {type: step, patience: 2}\n"
            << "training.lr_schedule.patience: unknown key 'patience'";
        QTest::newRow("augmentation shift")
            << QString(kValid) + "training:\n  augmentation: {shift: 9}\n"
            << "training.augmentation.shift: 9 is out of range [0, 8]";
        QTest::newRow("batch size negative")
            << QString(kValid) + "training:\n  batch_size: -4\n"
            << "p.yaml:8:15 training.batch_size: -4 is out of range [1, 60000]";
        QTest::newRow("device") << QString(kValid) + "training:\n  device: gpu\n"
                                << "training.device: expected one of auto, cpu, cuda, got 'gpu'";
        QTest::newRow("precision") << QString(kValid) + "training:\n  precision: fp16\n"
                                   << "training.precision: expected one of fp32, bf16, got 'fp16'";
        QTest::newRow("one_cycle warmup")
            << QString(kValid) + "training:\n  lr_schedule: {type: one_cycle, warmup: 1}\n"
            << "training.lr_schedule.warmup:";
        QTest::newRow("one_cycle factor")
            << QString(kValid) + "training:\n  lr_schedule: {type: one_cycle, factor: 0.5}\n"
            << "unknown key 'factor'";
        QTest::newRow("dev fraction")
            << QString(kValid) + "data:\n  dev_fraction: 0.95\n"
            << "p.yaml:8:17 data.dev_fraction: 0.95 is out of range (0, 0.9]";
        QTest::newRow("nan") << QString(kValid) + "data:\n  dev_fraction: .nan\n"
                             << "data.dev_fraction: expected a finite number, got '.nan'";
        QTest::newRow("seed negative")
            << QString(kValid) + "training:\n  seed: -1\n"
            << "training.seed: -1 is out of range [0, 9223372036854775807]";
        QTest::newRow("missing value")
            << "model:\n  input: [784]\n  layers:\n    - {type: dense, units: }\n"
            << "p.yaml:4:21 model.layers[1].units: has no value";
    }

    void problemsAreLocated()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const QStringList problems = problemsOf(yaml.toStdString());
        QVERIFY2(!problems.filter(expected).isEmpty(),
                 qPrintable("expected: " + expected + "\ngot:\n" + problems.join("\n")));
    }

    // Found by fuzz_preset: invalid UTF-8 came back as U+FFFD after a save.
    void invalidUtf8TextIsRefused()
    {
        const std::string yaml = std::string(kValid) + "description: \"bad \xC3\x28 byte\"\n";
        const QStringList problems = problemsOf(yaml);
        QVERIFY2(!problems.filter("p.yaml:7:14 description: is not valid UTF-8 text").isEmpty(),
                 qPrintable(problems.join("\n")));
        QVERIFY(problemsOf(std::string(kValid) + "description: \"caf\xC3\xA9\"\n").isEmpty());
    }

    void everyProblemIsCollected()
    {
        const std::string yaml = "model:\n  input: [784]\n  layers:\n"
                                 "    - {type: dense, units: 0}\n"
                                 "    - {type: dense, unit: 10}\n"
                                 "training: {epochs: 0}\n";
        const QStringList problems = problemsOf(yaml);
        QCOMPARE(problems.size(), 4); // units range, missing units, unknown 'unit', epochs range
        QVERIFY(!problems.filter("did you mean 'units'?").isEmpty());
    }

    void loadPresetThrowsWithAllProblems()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.yaml").toStdString();
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("model:\n  layers: []\nfoo: 1\nbar: 2\n");
        file.close();
        try {
            loadPreset(path);
            QFAIL("no error");
        } catch (const PresetError& e) {
            QCOMPARE(e.problems().size(), std::size_t(2));
            QVERIFY(QString(e.what()).startsWith(QString::fromStdString(path) +
                                                 ":3:1 foo: unknown key"));
            QVERIFY(QString(e.what()).endsWith("(and 1 more)"));
        }
        QVERIFY_EXCEPTION_THROWN(loadPreset(dir.filePath("missing.yaml").toStdString()),
                                 InputError);
    }

    void shippedPresetsRoundTrip_data()
    {
        QTest::addColumn<QString>("file");
        const QDir presets(ATELIER_PRESETS_DIR);
        for (const QString& file : presets.entryList({"*.yaml"}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(file)) << presets.filePath(file);
    }

    void shippedPresetsRoundTrip()
    {
        QFETCH(QString, file);
        const Preset original = loadPreset(file.toStdString());
        QVERIFY(!original.name.empty());
        QVERIFY(!original.model.layers.empty());
        const PresetParseResult again = parsePreset(presetToYaml(original), "saved.yaml");
        QVERIFY(again.problems.empty());
        QVERIFY(again.preset == original);
    }

    void everyFieldRoundTripsThroughAFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("everything.yaml").toStdString();
        const Preset original = everythingPreset();
        savePreset(original, path);
        const Preset loaded = loadPreset(path);
        QVERIFY2(loaded == original, presetToYaml(loaded).c_str());
        QCOMPARE(loaded.model.layers[0].kernelInit, Initializer::normal(0.01, 0.2));
        QCOMPARE(loaded.training.optimizer.learningRate, 0.0003);
        QCOMPARE(loaded.training.seed, 1234567890123ULL);
        QCOMPARE(loaded.training.precision, Precision::BFloat16Mixed);
        // Atomic save leaves no temporary file behind, and a second save replaces the first.
        Preset changed = original;
        changed.training.epochs = 2;
        savePreset(changed, path);
        QCOMPARE(loadPreset(path).training.epochs, 2);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList({"everything.yaml"}));
    }

    void savedYamlIsReadable()
    {
        const std::string yaml = presetToYaml(everythingPreset());
        const QString text = QString::fromStdString(yaml);
        QVERIFY2(text.contains("learning_rate: 0.0003"), yaml.c_str());
        QVERIFY2(text.contains("- {type: dropout, rate: 0.3}"), yaml.c_str());
        QVERIFY2(text.contains("kernel: [3, 5]"), yaml.c_str());
    }

    void savingIntoAMissingFolderFails()
    {
        QVERIFY_EXCEPTION_THROWN(savePreset(everythingPreset(), "/nonexistent/dir/p.yaml"),
                                 InputError);
    }
};

QTEST_GUILESS_MAIN(TestPreset)
#include "tst_preset.moc"
