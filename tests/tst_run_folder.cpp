// Run folders: every file of the contract, atomic writes, incomplete folders refused,
// weights reloaded with the architecture fingerprint checked.
#include "core/errors.h"
#include "core/evaluation.h"
#include "core/model_analysis.h"
#include "core/run_folder.h"
#include "core/runtime.h"
#include "core/trainer.h"
#include "core/training_session.h"
#include "core/weights.h"
#include "support/training_fixture.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using namespace atelier::test;

namespace {

QStringList readLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

} // namespace

class TestRunFolder : public QObject
{
    Q_OBJECT

private:
    const FashionMnist* m_data = nullptr;
    QTemporaryDir m_dir;
    std::string m_folder;
    TrainingResult m_result;
    Preset m_preset;
    std::size_t m_trainCount = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_data = realDataset();
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        configureThreads(0);
        m_preset = shippedPreset("cnn_small");
        m_preset.training.epochs = 2;
        SessionOptions options;
        options.outDirectory = m_dir.filePath("runs").toStdString();
        options.limit = 2000;
        options.threads = 2;
        TrainingSession session(m_preset, *m_data, options);
        m_trainCount = session.trainer().trainCount();
        m_result = session.run();
        m_folder = session.folder();
    }

    void folderHoldsEveryFile()
    {
        const QDir folder(QString::fromStdString(m_folder));
        QVERIFY(folder.dirName().startsWith("cnn_small-"));
        QStringList files = folder.entryList(QDir::Files, QDir::Name);
        QCOMPARE(files, QStringList({"batch_losses.csv", "checkpoint.pt", "confusion.csv",
                                     "history.csv", "layer_histograms.csv", "layer_stats.csv",
                                     "metrics.json", "misclassified.csv", "model.pt",
                                     "per_class.csv", "preset.yaml", "train.lock"}));

        const QStringList history = readLines(folder.filePath("history.csv"));
        QCOMPARE(history.size(), 3);
        QCOMPARE(history[0], QString("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds"));
        QVERIFY(history[2].startsWith("2,"));

        const QStringList confusion = readLines(folder.filePath("confusion.csv"));
        QCOMPARE(confusion.size(), 11);
        QVERIFY(confusion[0].endsWith(",Bag,Ankle boot"));
        QVERIFY(confusion[10].startsWith("Ankle boot,"));
        qint64 total = 0;
        for (int r = 1; r <= 10; ++r)
            for (const QString& cell : confusion[r].split(',').mid(1))
                total += cell.toLongLong();
        QCOMPARE(total, qint64(10000));

        const QStringList perClass = readLines(folder.filePath("per_class.csv"));
        QCOMPARE(perClass.size(), 12);
        QCOMPARE(perClass[0], QString("class,precision,recall,f1,support"));
        QVERIFY(perClass[11].startsWith("macro average,"));

        const QStringList misclassified = readLines(folder.filePath("misclassified.csv"));
        QCOMPARE(qint64(misclassified.size() - 1), qint64(m_result.test.misclassified.size()));
    }

    void metricsJsonHasTheContractKeys()
    {
        QFile file(QString::fromStdString(m_folder + "/metrics.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject metrics = QJsonDocument::fromJson(file.readAll()).object();
        for (const char* key :
             {"status", "test_loss", "test_accuracy", "dev_loss", "dev_accuracy", "best_epoch",
              "epochs_run", "stopped_early", "train_seconds", "samples_per_second", "device",
              "parameters", "seed", "torch_version", "device_name"})
            QVERIFY2(metrics.contains(key), key);
        QCOMPARE(metrics["status"].toString(), QString("completed"));
        QCOMPARE(metrics["parameters"].toInt(), 63050);
        QCOMPARE(metrics["epochs_run"].toInt(), 2);
        QCOMPARE(metrics["test_accuracy"].toDouble(), m_result.test.accuracy);
        QCOMPARE(metrics["seed"].toInt(), 42);
    }

    void runLoadsBack()
    {
        const RunRecord run = loadRun(m_folder);
        QVERIFY(run.preset == m_preset);
        QCOMPARE(run.history.size(), std::size_t(2));
        QCOMPARE(run.history[1].valLoss, m_result.history[1].valLoss); // shortest round-trip text
        QCOMPARE(run.metrics.status, std::string("completed"));
        QCOMPARE(run.metrics.testAccuracy, m_result.test.accuracy);
        QVERIFY(run.test.confusion == m_result.test.confusion);
        QCOMPARE(run.test.count, qint64(10000));
        QCOMPARE(run.test.report.macroF1, m_result.test.report.macroF1);
        QCOMPARE(run.test.misclassified.size(), m_result.test.misclassified.size());
        QCOMPARE(run.test.misclassified.back().index, m_result.test.misclassified.back().index);
        QCOMPARE(run.test.misclassified.back().predicted,
                 m_result.test.misclassified.back().predicted);
        // Every batch of both epochs, in order, none dropped.
        const std::size_t batches = (m_trainCount + 31) / 32;
        QCOMPARE(run.batchLosses.size(), 2 * batches);
        QCOMPARE(run.batchLosses.front().epoch, 1);
        QCOMPARE(run.batchLosses.front().batch, 1);
        QCOMPARE(run.batchLosses.back().epoch, 2);
        QCOMPARE(run.batchLosses.back().batch, int(batches));
        QVERIFY(std::isfinite(run.batchLosses.back().loss) && run.batchLosses.back().loss > 0);
    }

    void savedWeightsReproduceTheTestResult()
    {
        const RunRecord run = loadRun(m_folder);
        Network network(run.preset.model, 999); // other initial weights, replaced by the file
        loadWeights(network, weightsPath(m_folder));
        const Evaluation evaluation =
            evaluateNetwork(network, m_data->test, allIndices(10000), run.metrics.transform,
                            resolveDevice(DeviceChoice::Cpu));
        QCOMPARE(evaluation.accuracy, m_result.test.accuracy);
        QVERIFY(qFuzzyCompare(evaluation.loss, m_result.test.loss));
    }

    void weightsOfAnotherArchitectureAreRefused()
    {
        ModelSpec other = m_preset.model;
        other.layers[0].filters = 16; // same layer types, other shapes
        Network network(other, 1);
        try {
            loadWeights(network, weightsPath(m_folder));
            QFAIL("weights for another architecture were loaded");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).contains("saved for another architecture"), e.what());
        }
        // Names, initializers and dropout rates do not change the fingerprint.
        ModelSpec renamed = m_preset.model;
        renamed.layers[0].name = "first";
        renamed.layers[0].kernelInit = Initializer::of(InitKind::GlorotNormal);
        QCOMPARE(architectureFingerprint(renamed), architectureFingerprint(m_preset.model));
        QVERIFY(architectureFingerprint(other) != architectureFingerprint(m_preset.model));
    }

    void damagedWeightsAreRefused()
    {
        const QString path = m_dir.filePath("garbage.pt");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a weights file");
        file.close();
        Network network(m_preset.model, 1);
        QVERIFY_EXCEPTION_THROWN(loadWeights(network, path.toStdString()), InputError);
    }

    void incompleteFolderIsReportedAsSuch()
    {
        const std::string folder =
            createRunFolder(m_dir.filePath("runs").toStdString(), "cnn_small");
        QVERIFY(folder != m_folder); // same second, new name
        writeRunPreset(folder, m_preset);
        try {
            loadRun(folder);
            QFAIL("an incomplete run was read");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("incomplete run (no metrics.json)"), e.what());
        }
        QVERIFY_EXCEPTION_THROWN(loadRun(m_dir.filePath("nothing-here").toStdString()), InputError);
    }

    void noTemporaryFilesAreLeft()
    {
        const QDir folder(QString::fromStdString(m_folder));
        QCOMPARE(folder.entryList({"*.tmp*"}, QDir::Files), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestRunFolder)
#include "tst_run_folder.moc"
