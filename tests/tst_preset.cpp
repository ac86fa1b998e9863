// Preset schema: every kind of mistake is reported at its line and column with the key
// path; shipped presets load; presets round-trip through save and load.
#include "core/errors.h"
#include "core/preset.h"
#include "core/run_folder.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <limits>

using namespace atelier;

namespace {

const char* const kValid = R"(name: demo
model:
  input: [784]
  layers:
    - {type: dense, units: 64, activation: relu}
    - {type: dense, units: 10, activation: softmax}
)";

QStringList problemsOf(const std::string& yaml)
{
    QStringList lines;
    for (const PresetProblem& problem : parsePreset(yaml, "p.yaml").problems)
        lines << QString::fromStdString(problem.toString());
    return lines;
}

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

    // Finding 4 of issue 9: aliases repeat one value thousands of times; each problem once
    // copied the whole value. A few kilobytes must give a few short messages.
    void aliasBombsGiveFewShortProblems_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expectedFirst");
        const QByteArray longValue(4000, 'A');
        QByteArray scalarAliases =
            "description: &s \"" + longValue + "\"\nmodel:\n  input: [784]\n  layers: [*s";
        for (int i = 1; i < 1000; ++i)
            scalarAliases += ", *s";
        scalarAliases += "]\n";
        QTest::newRow("a long scalar as 1,000 layers")
            << scalarAliases << "p.yaml:1:14 model.layers[1]: expected a mapping";

        QByteArray keys;
        for (int i = 0; i < 200; ++i)
            keys += ", k" + QByteArray::number(i) + ": 1";
        QByteArray mappingAliases =
            "x: &m {type: dense, units: 1" + keys + "}\nmodel:\n  input: [784]\n  layers: [*m";
        for (int i = 1; i < 1000; ++i)
            mappingAliases += ", *m";
        mappingAliases += "]\n";
        QTest::newRow("200 unknown keys as 1,000 layers")
            << mappingAliases << "p.yaml:1:1: more than 100,000 values";

        QByteArray nested = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int level = 1; level <= 9; ++level) {
            nested += "a" + QByteArray::number(level) + ": &a" + QByteArray::number(level) + " [";
            for (int i = 0; i < 10; ++i)
                nested += (i ? ", *a" : "*a") + QByteArray::number(level - 1);
            nested += "]\n";
        }
        nested += "model:\n  layers: *a9\n"; // ten billion values when walked
        QTest::newRow("nested aliases") << nested << "p.yaml:1:1: more than 100,000 values";

        QByteArray selfAlias = "model: &m {layers: [*m]}\n";
        QTest::newRow("alias into itself") << selfAlias << "";
    }

    void aliasBombsGiveFewShortProblems()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expectedFirst);
        QVERIFY2(std::size_t(yaml.size()) < 16 * 1024, "the bomb should be a few KB");
        const QStringList problems = problemsOf(yaml.toStdString());
        QVERIFY(!problems.isEmpty());
        QVERIFY2(std::size_t(problems.size()) <= kMaxPresetProblems + 1,
                 qPrintable(QString::number(problems.size())));
        for (const QString& problem : problems)
            QVERIFY2(problem.size() <= 300, qPrintable(problem.left(400)));
        if (!expectedFirst.isEmpty())
            QVERIFY2(problems.front().startsWith(expectedFirst), qPrintable(problems.front()));
        if (std::size_t(problems.size()) == kMaxPresetProblems + 1)
            QVERIFY2(problems.back().contains(QRegularExpression("^p.yaml: … and [0-9,]+ more "
                                                                 "problems$")),
                     qPrintable(problems.back()));
    }

    void longAndControlValuesAreShortenedInMessages()
    {
        const std::string longWord(1000, 'x'); // YAML allows keys up to 1,024 characters
        QStringList problems =
            problemsOf("model:\n  input: [784]\n  layers:\n    - {type: " + longWord + "}\n" +
                       longWord + ": 1\n");
        QCOMPARE(problems.size(), 2);
        for (const QString& problem : problems) {
            QVERIFY2(problem.size() < 300, qPrintable(problem));
            QVERIFY2(problem.contains(QString(60, 'x') + "…'"), qPrintable(problem));
        }
        problems = problemsOf(std::string(kValid) + "training:\n  device: \"a\\nb\\u0000c\"\n");
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().endsWith("got 'a\\nb\\x00c'"), qPrintable(problems.front()));
    }

    void oversizedPresetsAreRefusedUnread()
    {
        std::string yaml = kValid;
        yaml += "description: \"" + std::string(kMaxPresetBytes, 'd') + "\"\n";
        const QStringList problems = problemsOf(yaml);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().startsWith("p.yaml: too large for a preset"),
                 qPrintable(problems.front()));
        QVERIFY(problems.front().contains("at most 524,288"));

        QTemporaryDir dir;
        const QString path = dir.filePath("big.yaml");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(yaml));
        file.close();
        try {
            loadPreset(path.toStdString());
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("too large"), e.what());
        }
    }

    // The limits must never refuse what the studio saves: the largest preset the schema
    // allows, written by presetToYaml, loads back equal.
    void theLargestPresetFitsTheLimits()
    {
        Preset preset;
        preset.name = std::string(kMaxPresetNameBytes, 'n');
        preset.description = std::string(kMaxPresetDescriptionBytes, 'd');
        for (int i = 0; i < kMaxLayers; ++i) {
            LayerSpec layer = layerDefaults(LayerType::Conv2D);
            layer.name = std::string(kMaxLayerNameBytes - 4, 'l') + std::to_string(1000 + i);
            layer.filters = kMaxFilters;
            layer.kernel = layer.stride = layer.dilation = {kMaxWindow, kMaxWindow - 1};
            layer.padding = Padding::Same;
            layer.activation = ActivationKind::LeakyRelu;
            layer.kernelInit = Initializer::uniform(-0.12345678901234567, 1.2345678901234567e-300);
            layer.biasInit = Initializer::normal(-0.12345678901234567, 1.2345678901234567e-300);
            layer.useBias = false;
            preset.model.layers.push_back(layer);
        }
        preset.training.seed = std::uint64_t(std::numeric_limits<std::int64_t>::max());
        const std::string yaml = presetToYaml(preset);
        QVERIFY2(yaml.size() <= kMaxPresetBytes, qPrintable(QString::number(yaml.size())));
        const PresetParseResult again = parsePreset(yaml, "largest.yaml");
        QVERIFY2(again.problems.empty(), qPrintable(problemsOf(yaml).join("\n")));
        QVERIFY(again.preset == preset);
    }

    void layerCountIsBounded()
    {
        std::string yaml = "model:\n  input: [784]\n  layers:\n";
        for (int i = 0; i <= kMaxLayers; ++i)
            yaml += "    - {type: dropout, rate: 0.1}\n";
        const QStringList problems = problemsOf(yaml);
        QCOMPARE(problems, QStringList{"p.yaml:4:5 model.layers: 1,001 layers; at most 1,000 "
                                       "are allowed"});
    }

    void presetNames_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::newRow("plain") << QByteArray("cnn_medium") << "";
        QTest::newRow("spaces, dots, dashes") << QByteArray("\"MLP v2.1 - wide\"") << "";
        QTest::newRow("longest") << QByteArray(int(kMaxPresetNameBytes), 'n') << "";
        QTest::newRow("empty") << QByteArray("\"\"") << "";
        QTest::newRow("parent folders") << QByteArray("\"../../escaped\"") << "starts with '.'";
        QTest::newRow("slash") << QByteArray("a/b") << "may hold only letters";
        QTest::newRow("NUL") << QByteArray("\"a\\0b\"") << "may hold only letters";
        QTest::newRow("newline") << QByteArray("\"a\\nrun: /etc\"") << "may hold only letters";
        QTest::newRow("hidden") << QByteArray(".hidden") << "starts with '.'";
        QTest::newRow("leading space") << QByteArray("\" a\"") << "starts or ends with a space";
        QTest::newRow("too long") << QByteArray(int(kMaxPresetNameBytes) + 1, 'n')
                                  << "is too long (65 bytes; at most 64)";
        QTest::newRow("not ASCII") << QByteArray("naïve") << "may hold only letters";
        QTest::newRow("not text") << QByteArray("[a, b]") << "expected text, got a list";
    }

    void presetNames()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, problem);
        const std::string yaml = "name: " + name.toStdString() + "\n" + (kValid + 11);
        const QStringList problems = problemsOf(yaml);
        if (problem.isEmpty()) {
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
            return;
        }
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().startsWith("p.yaml:1:7 name: "), qPrintable(problems.front()));
        QVERIFY2(problems.front().contains(problem), qPrintable(problems.front()));
        QVERIFY(!problems.front().contains('\n'));
    }

    void descriptionIsBounded()
    {
        const std::string yaml = std::string(kValid) + "description: " +
                                 std::string(kMaxPresetDescriptionBytes + 1, 'd') + "\n";
        QCOMPARE(problemsOf(yaml), QStringList{"p.yaml:7:14 description: is too long (16,385 "
                                               "bytes; at most 16,384)"});
    }

    void layerNamesAreBounded()
    {
        const std::string layers = "model:\n  input: [784]\n  layers:\n";
        QStringList problems = problemsOf(layers + "    - {type: flatten, name: " +
                                          std::string(kMaxLayerNameBytes + 1, 'n') + "}\n");
        QCOMPARE(problems, QStringList{"p.yaml:4:29 model.layers[1].name: is too long (65 bytes; "
                                       "at most 64)"});
        problems = problemsOf(layers + "    - {type: flatten, name: \"a\\tb\"}\n");
        QCOMPARE(
            problems,
            QStringList{"p.yaml:4:29 model.layers[1].name: 'a\\tb' holds a control character"});
    }

    void runFolderRefusesNamesThatLeaveIt()
    {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        for (const std::string& name : {std::string("../escaped"), std::string("a/b"),
                                        std::string("a\nb"), std::string("a\0b", 3)})
            QVERIFY_EXCEPTION_THROWN(createRunFolder(base, name), InputError);
        QVERIFY_EXCEPTION_THROWN(createRunFolder("", "fine"), InputError);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{});
        QVERIFY(!QFileInfo::exists(dir.filePath("../escaped")));
        const QString folder = QString::fromStdString(createRunFolder(base, "MLP v2.1"));
        QCOMPARE(QFileInfo(folder).dir().absolutePath(), QDir(dir.path()).absolutePath());
        QVERIFY(QFileInfo(folder).fileName().startsWith("MLP v2.1-"));
    }

    void savingIntoAMissingFolderFails()
    {
        QVERIFY_EXCEPTION_THROWN(savePreset(everythingPreset(), "/nonexistent/dir/p.yaml"),
                                 InputError);
    }
};

QTEST_GUILESS_MAIN(TestPreset)
#include "tst_preset.moc"
