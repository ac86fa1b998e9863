// Exported models checked by runtimes nobody here wrote. Trains five small models that together
// hold every layer type (dense, conv2d with valid, symmetric and asymmetric "same" padding,
// stride and dilation, max and average pooling of each padding, batch norm after dense and
// conv layers, dropout, flatten, the activation layer, residual blocks, every activation),
// exports each as ONNX and TorchScript with atelier-cli, and has
// tests/model_export/check_exports.py run them: ONNX's checker, OpenCV's DNN module and
// PyTorch, on all 10,000 test images, against Atelier's own probabilities. Then `predict`
// and its refusals.
#include "core/dataset.h"
#include "core/evaluation.h"
#include "core/image_input.h"
#include "core/model_analysis.h"
#include "core/network.h"
#include "core/run_folder.h"
#include "core/weights.h"
#include "support/cli_runner.h"
#include "support/png_bytes.h"
#include "support/training_fixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using atelier::test::runCli;

namespace {

struct Case
{
    const char* name;
    const char* layers; // the preset's model.layers, YAML flow sequences one per line
    const char* input;
    const char* normalization; // scale, or standardize: then the exports' Mul/Add matter
};

// Images whose every layer output OpenCV must reproduce.
constexpr int kLayerImages = 16;

// Together: every layer type, padding kind and activation the builder offers.
const Case kCases[] = {
    {"mlp", // an MLP with batch norm and dropout, every activation
     "    - {type: dense, units: 64, activation: relu}\n"
     "    - {type: batch_norm}\n"
     "    - {type: dense, units: 32, activation: sigmoid, use_bias: false}\n"
     "    - {type: dense, units: 32, activation: tanh}\n"
     "    - {type: dropout, rate: 0.3}\n"
     "    - {type: dense, units: 24, activation: elu}\n"
     "    - {type: dense, units: 16, activation: leaky_relu}\n"
     "    - {type: activation, function: tanh}\n"
     "    - {type: dense, units: 10, activation: softmax}\n",
     "[784]", "standardize"},
    {"cnn_batch_norm", // a small CNN with batch norm and dropout; asymmetric "same" everywhere
     "    - {type: conv2d, filters: 8, kernel: 3, stride: 2, padding: same, activation: relu, "
     "use_bias: false}\n"
     "    - {type: conv2d, filters: 8, kernel: 3, dilation: 2, padding: same, activation: elu}\n"
     "    - {type: batch_norm}\n"
     "    - {type: max_pool2d, pool: 3, stride: 2, padding: same}\n"
     "    - {type: dropout, rate: 0.25}\n"
     "    - {type: flatten}\n"
     "    - {type: dense, units: 10, activation: softmax}\n",
     "[1, 28, 28]", "standardize"},
    {"cnn_pooling", // valid convolution, average pooling of both paddings, stride-1 max pool
     "    - {type: conv2d, filters: 6, kernel: 5, activation: tanh}\n"
     "    - {type: avg_pool2d, pool: 3, stride: 2, padding: same}\n"
     "    - {type: avg_pool2d, pool: 2}\n"
     "    - {type: max_pool2d, pool: 3, stride: 1, padding: same}\n"
     "    - {type: activation, function: leaky_relu}\n"
     "    - {type: flatten}\n"
     "    - {type: dense, units: 10}\n",
     "[1, 28, 28]", "scale"},
    {"cnn_stencil", // the hand-written first convolution, fused ReLU + pooling (11 → 6: the
                    // tiling max pool's padding at the end)
     "    - {type: conv2d, filters: 16, kernel: 3, padding: same, activation: relu}\n"
     "    - {type: avg_pool2d, pool: 3, stride: 1, padding: same}\n"
     "    - {type: max_pool2d, pool: 2}\n"
     "    - {type: conv2d, filters: 8, kernel: 4, activation: relu}\n"
     "    - {type: max_pool2d, pool: 2, padding: same}\n"
     "    - {type: flatten}\n"
     "    - {type: dense, units: 10, activation: softmax}\n",
     "[1, 28, 28]", "scale"},
    {"cnn_residual", // residual blocks: identity and 1×1 shortcuts, asymmetric "same" padding
     "    - {type: conv2d, filters: 8, kernel: 3, padding: same, use_bias: false}\n"
     "    - {type: batch_norm}\n"
     "    - {type: activation, function: relu}\n"
     "    - {type: residual, filters: 8}\n"
     "    - {type: residual, filters: 12, stride: 2, activation: elu}\n"
     "    - {type: residual, filters: 12, kernel: 5, stride: 3}\n"
     "    - {type: avg_pool2d, pool: 5}\n"
     "    - {type: flatten}\n"
     "    - {type: dense, units: 10, activation: softmax}\n",
     "[1, 28, 28]", "standardize"},
};

QString presetText(const Case& c)
{
    return QString("name: %1\nmodel:\n  input: %2\n  layers:\n%3"
                   "training:\n  optimizer: {type: adam, learning_rate: 0.002}\n"
                   "  batch_size: 64\n  epochs: 1\n  seed: 7\ndata:\n  normalization: %4\n")
        .arg(c.name, c.input, c.layers, c.normalization);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QImage testImage(const ImageSet& set, int index)
{
    QImage image(set.image(index), set.cols, set.rows, set.cols, QImage::Format_Grayscale8);
    return image.copy();
}

} // namespace

class ModelExportTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void checkerAcceptsEveryOnnxFile_data() { cases(); }
    void checkerAcceptsEveryOnnxFile();
    void opencvAgreesWithAtelier_data() { cases(); }
    void opencvAgreesWithAtelier();
    void pytorchAgreesWithAtelier_data() { cases(); }
    void pytorchAgreesWithAtelier();
    void onnxLayerShapesMatchTheSummary_data() { cases(); }
    void onnxLayerShapesMatchTheSummary();
    void everyLayerComputesAsInAtelier_data() { cases(); }
    void everyLayerComputesAsInAtelier();
    void filesCarryClassNamesAndPreset();
    void exportRefusesBadRunsAndPaths();
    void predictGivesTheTestSetAnswerForATestImage();
    void predictPreparesAnInvertedEnlargedCopy();
    void predictRefusesHostileFiles();

private:
    void cases();
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    const FashionMnist* m_data = nullptr;
    QMap<QString, QString> m_runs;               // case → run folder
    QMap<QString, std::vector<float>> m_atelier; // case → Atelier's test probabilities
    QMap<QString, QJsonObject> m_reports;        // case → check_exports.py's findings
};

void ModelExportTest::cases()
{
    QTest::addColumn<QString>("name");
    for (const Case& c : kCases)
        QTest::newRow(c.name) << QString(c.name);
}

void ModelExportTest::initTestCase()
{
    m_data = test::realDataset();
    if (!m_data)
        QSKIP("the Fashion-MNIST package is not installed");
    QVERIFY(m_dir.isValid());
    QJsonArray manifestCases;
    const DeviceInfo cpu = resolveDevice(DeviceChoice::Cpu);
    for (const Case& c : kCases) {
        const QString name = c.name;
        writeFile(path(name + ".yaml"), presetText(c).toUtf8());
        const auto trained = runCli({"train", path(name + ".yaml"), "--limit", "3000", "--out",
                                     path("runs"), "--no-layer-stats", "-q"});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        const QString run = test::valueOf(trained.out, "run");
        m_runs[name] = run;
        for (const char* format : {"onnx", "torchscript"}) {
            const QString file = path(name + (QString(format) == "onnx" ? ".onnx" : ".pt"));
            const auto exported = runCli({"export-model", run, "--format", format, "--out", file});
            QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
            QVERIFY(exported.out.contains(file));
        }
        // Atelier's own answer for every test image, through the library the studio uses.
        const RunRecord record = loadRun(run.toStdString());
        Network network(record.preset.model, record.preset.training.seed);
        loadWeights(network, weightsPath(run.toStdString()));
        m_atelier[name] =
            classProbabilities(network, m_data->test, allIndices(std::size_t(m_data->test.count)),
                               record.metrics.transform, cpu);
        writeFile(path(name + ".expected"),
                  QByteArray(reinterpret_cast<const char*>(m_atelier[name].data()),
                             int(m_atelier[name].size() * sizeof(float))));
        // Every layer's own output for the first test images, for the per-layer comparison.
        QJsonObject layerFiles;
        for (std::size_t layer = 0; layer < record.preset.model.layers.size(); ++layer) {
            std::vector<float> outputs;
            for (int image = 0; image < kLayerImages; ++image) {
                std::vector<float> input(784);
                for (std::size_t i = 0; i < input.size(); ++i)
                    input[i] = record.metrics.transform.apply(m_data->test.image(image)[i]);
                const std::vector<float> output = network.layerActivations(input, layer);
                outputs.insert(outputs.end(), output.begin(), output.end());
            }
            const QString file = path(name + QString(".layer%1").arg(layer + 1));
            writeFile(file, QByteArray(reinterpret_cast<const char*>(outputs.data()),
                                       int(outputs.size() * sizeof(float))));
            layerFiles[QString("layer%1").arg(layer + 1)] = file;
        }
        manifestCases.append(QJsonObject{{"name", name},
                                         {"onnx", path(name + ".onnx")},
                                         {"torchscript", path(name + ".pt")},
                                         {"expected", path(name + ".expected")},
                                         {"layer_files", layerFiles},
                                         {"layer_images", kLayerImages}});
    }
    const QString data = QString::fromStdString(m_data->directory);
    writeFile(path("manifest.json"),
              QJsonDocument(QJsonObject{{"images", data + "/t10k-images-idx3-ubyte.gz"},
                                        {"labels", data + "/t10k-labels-idx1-ubyte.gz"},
                                        {"cases", manifestCases}})
                  .toJson());
    // Debian's python3 with python3-onnx, -opencv and -torch, whatever python3 PATH finds.
    QProcess checker;
    checker.start("/usr/bin/python3", {ATELIER_EXPORT_CHECKER, path("manifest.json")});
    QVERIFY(checker.waitForFinished(600000));
    const QByteArray out = checker.readAllStandardOutput();
    QVERIFY2(checker.exitCode() == 0, checker.readAllStandardError().constData());
    for (const QByteArray& line : out.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject report = QJsonDocument::fromJson(line).object();
        m_reports[report["name"].toString()] = report;
        // The figures themselves, for the log: agreement, largest difference, accuracy.
        const auto figures = [](const QJsonObject& r) {
            return QString("agree %1, max difference %2, accuracy %3")
                .arg(r["agree"].toDouble())
                .arg(r["max_difference"].toDouble())
                .arg(r["accuracy"].toDouble());
        };
        qInfo().noquote() << report["name"].toString()
                          << "OpenCV:" << figures(report["onnx"]["opencv"].toObject())
                          << "| PyTorch:" << figures(report["torchscript"]["torch"].toObject());
    }
    QCOMPARE(m_reports.size(), int(std::size(kCases)));
}

void ModelExportTest::checkerAcceptsEveryOnnxFile()
{
    QFETCH(QString, name);
    const QJsonObject onnx = m_reports[name]["onnx"].toObject();
    QCOMPARE(onnx["checker"].toString(), QString("ok"));
    QCOMPARE(onnx["opset"].toArray(), QJsonArray{13});
}

// The bar: the predicted class agrees on ≥ 99.9% of images, probabilities within 1e-4,
// and the runtime's accuracy on the test labels is the run's test_accuracy.
static void checkAgreement(const QJsonObject& result, double testAccuracy)
{
    QCOMPARE(result["shape"].toArray(), (QJsonArray{10000, 10}));
    QVERIFY2(result["agree"].toDouble() >= 0.999,
             qPrintable(QString("agreement %1").arg(result["agree"].toDouble())));
    QVERIFY2(result["max_difference"].toDouble() <= 1e-4,
             qPrintable(QString("largest difference %1").arg(result["max_difference"].toDouble())));
    QVERIFY2(std::abs(result["accuracy"].toDouble() - testAccuracy) < 0.5e-4,
             qPrintable(QString("accuracy %1, the run's %2")
                            .arg(result["accuracy"].toDouble())
                            .arg(testAccuracy)));
}

void ModelExportTest::opencvAgreesWithAtelier()
{
    QFETCH(QString, name);
    const RunRecord run = loadRun(m_runs[name].toStdString());
    checkAgreement(m_reports[name]["onnx"].toObject()["opencv"].toObject(),
                   run.metrics.testAccuracy);
}

void ModelExportTest::pytorchAgreesWithAtelier()
{
    QFETCH(QString, name);
    const RunRecord run = loadRun(m_runs[name].toStdString());
    checkAgreement(m_reports[name]["torchscript"].toObject()["torch"].toObject(),
                   run.metrics.testAccuracy);
}

void ModelExportTest::onnxLayerShapesMatchTheSummary()
{
    QFETCH(QString, name);
    const RunRecord run = loadRun(m_runs[name].toStdString());
    const ModelReport summary = analyzeModel(run.preset.model, kNumClasses);
    const QJsonObject shapes = m_reports[name]["onnx"].toObject()["layer_shapes"].toObject();
    int compared = 0;
    for (std::size_t i = 0; i < summary.layers.size(); ++i) {
        const QString layer = QString("layer%1").arg(i + 1);
        if (!shapes.contains(layer)) { // dropout: no node at inference
            QCOMPARE(run.preset.model.layers[i].type, LayerType::Dropout);
            continue;
        }
        QJsonArray expected{"N"};
        for (std::int64_t d : summary.layers[i].output.dims)
            expected.append(qint64(d));
        QCOMPARE(shapes[layer].toArray(), expected);
        ++compared;
    }
    QVERIFY(compared >= 5);
}

// Each layer alone: OpenCV's output of the layer's last node against Atelier's forward pass
// through the same layers, value by value.
void ModelExportTest::everyLayerComputesAsInAtelier()
{
    QFETCH(QString, name);
    const RunRecord run = loadRun(m_runs[name].toStdString());
    const QJsonObject values = m_reports[name]["onnx"].toObject()["layer_values"].toObject();
    for (std::size_t i = 0; i < run.preset.model.layers.size(); ++i) {
        const QString layer = QString("layer%1").arg(i + 1);
        if (run.preset.model.layers[i].type == LayerType::Dropout) {
            QVERIFY(!values.contains(layer));
            continue;
        }
        QVERIFY2(values[layer].isDouble(), qPrintable(layer + ": " + values[layer].toString()));
        QVERIFY2(values[layer].toDouble() <= 1e-4,
                 qPrintable(QString("%1 (%2): relative difference %3")
                                .arg(layer, QString::fromStdString(
                                                layerTypeName(run.preset.model.layers[i].type)))
                                .arg(values[layer].toDouble())));
    }
}

void ModelExportTest::filesCarryClassNamesAndPreset()
{
    const QJsonObject onnx = m_reports["mlp"]["onnx"].toObject()["metadata"].toObject();
    const QJsonObject torch = m_reports["mlp"]["torchscript"].toObject()["metadata"].toObject();
    for (const QJsonObject& metadata : {onnx, torch}) {
        QCOMPARE(metadata["class_names"].toString().split(',').size(), kNumClasses);
        QVERIFY(metadata["class_names"].toString().startsWith("T-shirt/top,Trouser"));
        QVERIFY(metadata["preset"].toString().contains("units: 64"));
        QCOMPARE(metadata["preset_name"].toString(), QString("mlp"));
        // The folder's name, never its path (a shared file would carry the home folder).
        QCOMPARE(metadata["run"].toString(), QFileInfo(m_runs["mlp"]).fileName());
    }
}

void ModelExportTest::exportRefusesBadRunsAndPaths()
{
    const QString run = m_runs["cnn_stencil"];
    const auto copyRun = [&](const QString& target) {
        QDir().mkpath(target);
        for (const QString& file : QDir(run).entryList(QDir::Files))
            QFile::copy(run + "/" + file, target + "/" + file);
    };
    const auto refused = [](const QStringList& arguments, const QString& phrase) {
        const auto result = runCli(arguments);
        QVERIFY2(result.exitCode == 2, qPrintable(result.out + result.err));
        QVERIFY2(result.err.contains(phrase), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
    };
    copyRun(path("no-weights"));
    QFile::remove(path("no-weights/model.pt"));
    refused({"export-model", path("no-weights"), "--format", "onnx"}, "model.pt");
    QVERIFY(!QFile::exists(path("no-weights/model.onnx")));

    copyRun(path("incomplete"));
    QFile::remove(path("incomplete/metrics.json"));
    refused({"export-model", path("incomplete"), "--format", "torchscript"}, "incomplete");
    QVERIFY(!QFile::exists(path("incomplete/model.torchscript.pt")));

    QDir().mkpath(path("a-folder"));
    refused({"export-model", run, "--format", "onnx", "--out", path("a-folder")}, "is a folder");
    refused({"export-model", run, "--format", "onnx", "--out", path("missing/dir/m.onnx")},
            "missing/dir");
    refused({"export-model", run, "--format", "keras"}, "keras");
    // The run's own files are never replaced, however the path is spelt.
    const QByteArray weights = readFile(run + "/model.pt");
    refused({"export-model", run, "--format", "torchscript", "--out", run + "/model.pt"},
            "is the run's own model.pt");
    refused({"export-model", run, "--format", "onnx", "--out",
             run + "/../" + QFileInfo(run).fileName() + "/metrics.json"},
            "is the run's own metrics.json");
    QCOMPARE(readFile(run + "/model.pt"), weights);
    refused({"export-model", path("not-there"), "--format", "onnx"}, "not-there");
    QCOMPARE(QDir(path("missing")).exists(), false);
}

void ModelExportTest::predictGivesTheTestSetAnswerForATestImage()
{
    const QString run = m_runs["cnn_batch_norm"];
    const std::vector<float>& expected = m_atelier["cnn_batch_norm"];
    const auto& names = fashionMnistClassNames();
    for (int index : {0, 1, 17, 4242}) {
        const QString file = path(QString("test%1.png").arg(index));
        QVERIFY(testImage(m_data->test, index).save(file));
        const auto result = runCli({"predict", run, file});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const float* p = expected.data() + std::size_t(index) * kNumClasses;
        const int top = int(std::max_element(p, p + kNumClasses) - p);
        const QStringList lines = result.out.split('\n');
        QVERIFY2(lines[0].contains("28×28, used as it is"), qPrintable(lines[0]));
        QVERIFY2(lines[1].contains(QString::fromStdString(names[std::size_t(top)])),
                 qPrintable(result.out));
        QVERIFY2(lines[1].contains(QString::number(100.0 * p[top], 'f', 2) + "%"),
                 qPrintable(result.out));
    }
}

void ModelExportTest::predictPreparesAnInvertedEnlargedCopy()
{
    // Test image 3 spans all 28 rows: its 3× copy is fitted back at exactly 1/3, so the
    // documented steps give the original's garment (its non-background box) centred.
    const int index = 3;
    QImage copy = testImage(m_data->test, index)
                      .scaled(84, 84, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    copy.invertPixels();
    // Dark on a wider white canvas: negated, and the margins cut.
    QImage canvas(160, 120, QImage::Format_RGB32);
    canvas.fill(Qt::white);
    for (int y = 0; y < 84; ++y)
        for (int x = 0; x < 84; ++x)
            canvas.setPixel(40 + x, 20 + y, copy.pixel(x, y));
    const QString file = path("inverted.png");
    QVERIFY(canvas.save(file));
    const PreparedImage prepared = prepareImageFile(file.toStdString());
    QVERIFY(prepared.inverted);
    QVERIFY(!prepared.unchanged);
    QCOMPARE(prepared.sourceWidth, 160);
    QCOMPARE(prepared.sourceHeight, 120);

    const std::uint8_t* original = m_data->test.image(index);
    int left = 28, right = -1;
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
            if (original[y * 28 + x] > 16)
                left = std::min(left, x), right = std::max(right, x);
    const int shift = left - (28 - (right - left + 1)) / 2;
    QVERIFY(shift != 0); // the garment does move: centring is tested, not assumed
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const int source = x + shift;
            const int expected = source >= left && source <= right ? original[y * 28 + source] : 0;
            // Faint pixels (≤ 16) beside the box are background by the documented rule.
            QVERIFY2(std::abs(int(prepared.pixels[std::size_t(y * 28 + x)]) - expected) <= 17,
                     qPrintable(QString("pixel (%1, %2)").arg(x).arg(y)));
        }

    const auto result = runCli({"predict", m_runs["cnn_batch_norm"], file});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains("160×120, light background negated"), qPrintable(result.out));
}

void ModelExportTest::predictRefusesHostileFiles()
{
    const QString run = m_runs["mlp"];
    QVERIFY(testImage(m_data->test, 3).save(path("good.png")));
    QVERIFY(testImage(m_data->test, 3)
                .convertToFormat(QImage::Format_RGB32)
                .save(path("good.jpg"), "JPEG", 95));
    QVERIFY(
        testImage(m_data->test, 3).convertToFormat(QImage::Format_RGB32).save(path("good.bmp")));
    const QByteArray png = readFile(path("good.png")), jpeg = readFile(path("good.jpg")),
                     bmp = readFile(path("good.bmp"));
    writeFile(path("empty.png"), {});
    writeFile(path("text.png"), "not a picture at all\n");
    writeFile(path("cut.png"), png.left(png.size() / 2));
    writeFile(path("cut.jpg"), jpeg.left(jpeg.size() * 2 / 3));
    writeFile(path("cut.bmp"), bmp.left(bmp.size() / 2));
    writeFile(path("huge.png"), QByteArray::fromStdString(test::pngHeaderOnly(20000, 20000)));
    writeFile(path("many-pixels.png"),
              QByteArray::fromStdString(test::pngHeaderOnly(12000, 12000)));
    writeFile(path("gif.gif"), "GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    QDir().mkpath(path("folder.png"));

    const QList<QPair<QString, QString>> hostile = {
        {"empty.png", "empty"},
        {"text.png", "not a PNG, JPEG or BMP image"},
        {"gif.gif", "not a PNG, JPEG or BMP image"},
        {"cut.png", "corrupt or truncated"},
        {"cut.jpg", "truncated"},
        {"cut.bmp", "truncated"},
        {"huge.png", "20000×20000 pixels is larger than Atelier decodes (at most 16384"},
        {"many-pixels.png", "at most 16384 pixels a side and 50.0 MP"},
        {"folder.png", "not a regular file (a folder)"},
        {"nowhere.png", "nowhere.png"},
    };
    for (const auto& [file, phrase] : hostile) {
        // The good image first: nothing is printed for it either, the run stops at the bad one.
        const auto result = runCli({"predict", run, path("good.png"), path(file)});
        QVERIFY2(result.exitCode == 2, qPrintable(file + ": " + result.out + result.err));
        QVERIFY2(result.err.contains(path(file)) && result.err.contains(phrase),
                 qPrintable(file + ": " + result.err));
        QVERIFY2(result.out.isEmpty(), qPrintable(result.out));
    }
    for (const char* good : {"good.png", "good.jpg", "good.bmp"}) {
        const auto result = runCli({"predict", run, path(good)});
        QVERIFY2(result.exitCode == 0, qPrintable(QString(good) + ": " + result.err));
    }
}

QTEST_GUILESS_MAIN(ModelExportTest)
#include "tst_model_export.moc"
