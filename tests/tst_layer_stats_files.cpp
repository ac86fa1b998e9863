// The run folder's layer statistics (layer_stats.csv, layer_histograms.csv): they round-trip
// exactly, continue on resume (also for a folder that had none), keep a stopped epoch's
// samples, quote a layer name with a comma, and refuse damage with file and line.
#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/layer_stats.h"
#include "core/run_folder.h"
#include "core/training_session.h"
#include "support/training_fixture.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using namespace atelier::test;

namespace {

std::string readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

// A shipped preset shortened for a test: a small dev split, `epochs` epochs.
Preset shortPreset(const char* name, int epochs)
{
    Preset preset = shippedPreset(name);
    preset.training.epochs = epochs;
    preset.data.devFraction = 0.02;
    return preset;
}

SessionOptions sessionIn(const QTemporaryDir& directory, std::size_t limit)
{
    SessionOptions options;
    options.outDirectory = directory.path().toStdString();
    options.limit = limit;
    return options;
}

} // namespace

class TestLayerStatsFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!realDataset())
            QSKIP("Fashion-MNIST is not installed");
    }

    void runFolderFilesRoundTripAndContinueOnResume()
    {
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        QTemporaryDir directory;
        Preset preset = shippedPreset("vanishing_gradients_batchnorm");
        preset.training.epochs = 3;
        preset.data.devFraction = 0.02;
        SessionOptions options;
        options.outDirectory = directory.path().toStdString();
        options.limit = 2000; // 63 batches: 6 samples an epoch
        std::string folder;
        LayerStatsLog stoppedLog;
        {
            TrainingSession session(preset, *data, options);
            folder = session.folder();
            TrainingCallbacks stopAfterTwo;
            stopAfterTwo.onEpoch = [](const EpochReport& report) {
                return report.record.epoch < 2;
            };
            session.run(stopAfterTwo);
            stoppedLog = session.trainer().layerStats();
        }
        QCOMPARE(int(stoppedLog.samples.size()), 2 * 6);
        QCOMPARE(int(stoppedLog.histograms.size()), 2 * 13); // 13 layers with parameters
        const RunRecord stopped = loadRun(folder);
        QCOMPARE(stopped.layerStats.layers, stoppedLog.layers);
        QCOMPARE(layerStatsToCsv(stopped.layerStats), layerStatsToCsv(stoppedLog));
        QCOMPARE(layerHistogramsToCsv(stopped.layerStats), layerHistogramsToCsv(stoppedLog));
        QCOMPARE(stopped.layerStats.samples[3].layers[0].gradNorm,
                 stoppedLog.samples[3].layers[0].gradNorm); // exact: shortest round-trip digits

        const auto resumed = TrainingSession::resume(folder, *data, options);
        std::vector<int> liveEpochs;
        TrainingCallbacks watch;
        watch.onBatch = [&](const BatchProgress& progress) {
            for (const LayerStatsSample& sample : progress.layerSamples)
                liveEpochs.push_back(sample.epoch);
            return true;
        };
        resumed->run(watch);
        QCOMPARE(liveEpochs, std::vector<int>(6, 3)); // only the new epoch is reported
        const RunRecord finished = loadRun(folder);
        QCOMPARE(int(finished.layerStats.samples.size()), 3 * 6);
        QCOMPARE(int(finished.layerStats.histograms.size()), 3 * 13);
        QCOMPARE(finished.layerStats.samples[5].layers[4].gradNorm,
                 stoppedLog.samples[5].layers[4].gradNorm); // epochs 1–2 kept as they were
        QCOMPARE(finished.layerStats.samples.back().epoch, 3);
    }

    void damagedFilesAreRefusedWithFileAndLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("message");
        QTest::newRow("header") << "layer_stats.csv"
                                << "grad_norm"
                                << "gradnorm"
                                << "layer_stats.csv:1: expected the header";
        QTest::newRow("name") << "layer_stats.csv"
                              << ",2,dense_2,"
                              << ",2,dense_9,"
                              << "layer_stats.csv:3: layer 2 is named 'dense_2'";
        QTest::newRow("missing layer") << "layer_stats.csv"
                                       << ",2,dense_2,"
                                       << ",3,dense_3,"
                                       << "layer_stats.csv:3: layer rows of a sample go in model";
        QTest::newRow("value where none") << "layer_stats.csv"
                                          << ",,,,\n"
                                          << ",,,,0.5\n"
                                          << "column 'dead': a value, but the layer has none";
        QTest::newRow("share above 1") << "layer_stats.csv"
                                       << ",0,\n"
                                       << ",1.5,\n"
                                       << "column 'saturated': expected a number from 0 to 1";
        QTest::newRow("histogram order") << "layer_histograms.csv"
                                         << "\n1,1,dense_1,gradient,"
                                         << "\n1,1,dense_1,weight,"
                                         << "layer_histograms.csv:3: expected epoch 1, layer 1, "
                                            "gradient";
        QTest::newRow("epoch beyond the run") << "layer_histograms.csv"
                                              << "\n1,1,dense_1,weight,"
                                              << "\n9,1,dense_1,weight,"
                                              << "column 'epoch': expected a whole number from 1 "
                                                 "to 1";
    }

    void damagedFilesAreRefusedWithFileAndLine()
    {
        QFETCH(QString, file);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, message);
        const FashionMnist* data = realDataset();
        if (!data)
            QSKIP("Fashion-MNIST is not installed");
        QTemporaryDir directory;
        Preset preset = shippedPreset("vanishing_gradients");
        preset.training.epochs = 1;
        preset.data.devFraction = 0.02;
        SessionOptions options;
        options.outDirectory = directory.path().toStdString();
        options.limit = 2000;
        std::string folder;
        {
            TrainingSession session(preset, *data, options);
            folder = session.folder();
            session.run();
        }
        QVERIFY(!loadRun(folder).layerStats.empty());
        const QString path = QString::fromStdString(folder) + "/" + file;
        QString text = QString::fromStdString(readText(path));
        const int at = text.indexOf(from);
        QVERIFY2(at >= 0, qPrintable(from));
        text.replace(at, from.size(), to);
        writeFileAtomically(path.toStdString(), text.toStdString());
        try {
            loadRun(folder);
            QFAIL("a damaged file was read");
        } catch (const InputError& error) {
            QVERIFY2(QString(error.what()).contains(message), error.what());
            QVERIFY2(QString(error.what()).contains(path), error.what());
        }
    }

    void aFolderWithoutStatisticsResumesAndStaysReadable()
    {
        QTemporaryDir directory;
        const SessionOptions options = sessionIn(directory, 2000);
        std::string folder;
        {
            TrainingSession session(shortPreset("vanishing_gradients", 2), *realDataset(), options);
            folder = session.folder();
            TrainingCallbacks stopAfterOne;
            stopAfterOne.onEpoch = [](const EpochReport&) { return false; };
            session.run(stopAfterOne);
        }
        // As a folder written before Atelier recorded layer statistics.
        QVERIFY(QFile::remove(QString::fromStdString(folder + "/layer_stats.csv")));
        QVERIFY(QFile::remove(QString::fromStdString(folder + "/layer_histograms.csv")));
        TrainingSession::resume(folder, *realDataset(), options)->run();
        const RunRecord record = loadRun(folder); // readable: the files start at epoch 2
        QCOMPARE(record.metrics.epochsRun, 2);
        QVERIFY(!record.layerStats.samples.empty());
        for (const LayerStatsSample& sample : record.layerStats.samples)
            QCOMPARE(sample.epoch, 2);
        QCOMPARE(int(record.layerStats.histograms.size()), 7);
        QCOMPARE(record.layerStats.histograms.front().epoch, 2);
        // And once more: a second resume reads them back.
        TrainingSession::resume(folder, *realDataset(), options, 3)->run();
        QCOMPARE(loadRun(folder).layerStats.histograms.back().epoch, 3);
    }

    void aStoppedEpochKeepsItsSamplesAndNamesWithCommasRoundTrip()
    {
        QTemporaryDir directory;
        Preset preset = shortPreset("mlp_small", 3);
        const std::string name = "hidden, \"wide\"";
        preset.model.layers[0].name = name;
        std::string folder;
        {
            TrainingSession session(preset, *realDataset(), sessionIn(directory, 2000));
            folder = session.folder();
            TrainingCallbacks stopInEpochTwo; // after epoch 2's first sample
            stopInEpochTwo.onBatch = [](const BatchProgress& progress) {
                for (const LayerStatsSample& sample : progress.layerSamples)
                    if (sample.epoch == 2)
                        return false;
                return true;
            };
            session.run(stopInEpochTwo);
        }
        const RunRecord record = loadRun(folder);
        QCOMPARE(record.metrics.status, std::string("interrupted"));
        QCOMPARE(record.metrics.epochsRun, 1);
        QCOMPARE(record.layerStats.layers[0].name, name);
        QVERIFY(readText(QString::fromStdString(folder) + "/layer_stats.csv")
                    .find(",\"hidden, \"\"wide\"\"\",") != std::string::npos);
        QCOMPARE(record.layerStats.samples.back().epoch, 2);    // the stopped epoch's samples
        QCOMPARE(record.layerStats.histograms.back().epoch, 1); // histograms: complete epochs
    }
};

QTEST_GUILESS_MAIN(TestLayerStatsFiles)
#include "tst_layer_stats_files.moc"
