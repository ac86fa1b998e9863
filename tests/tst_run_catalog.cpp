// The studio's run catalog: the one owner of the runs, the run training now and the
// selection. Adding and selecting signal exactly once; a live run grows through the
// controller's signals with the trainer's own best epoch; run folders and sweep trials are
// listed once and read again when they change on disk. The live run's layer statistics
// arrive through the same signals and equal the folder's.
#include "core/run_folder.h"
#include "support/training_fixture.h"
#include "ui/runs/run_catalog.h"
#include "ui/train/training_controller.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace atelier;
using namespace atelier::ui;

namespace {

std::shared_ptr<RunData> namedRun(const QString& name)
{
    auto run = std::make_shared<RunData>();
    run->name = name;
    run->status = QStringLiteral("completed");
    return run;
}

} // namespace

class TestRunCatalog : public QObject
{
    Q_OBJECT

    // A short run trained through a catalog; returns its folder.
    QString trainOnce(RunCatalog& catalog, TrainingController& controller, int epochs,
                      double minDelta)
    {
        TrainingJob job;
        job.preset = test::shippedPreset(QStringLiteral("mlp_small"));
        job.preset.training.epochs = epochs;
        job.preset.training.earlyStopping.enabled = false;
        job.preset.training.earlyStopping.monitor = Monitor::ValAccuracy;
        job.preset.training.earlyStopping.minDelta = minDelta;
        job.data = m_data;
        job.outDirectory = m_dir.filePath(QStringLiteral("runs"));
        job.limit = 1200;
        auto run = namedRun(QStringLiteral("live"));
        run->preset = job.preset;
        QSignalSpy finished(&controller, &TrainingController::finished);
        QString why;
        if (!catalog.train(job, run, &why))
            return QStringLiteral("refused: ") + why;
        if (!finished.wait(120000))
            return QStringLiteral("did not finish");
        return run->folder;
    }

private Q_SLOTS:
    void initTestCase() { m_data = test::sharedRealDataset(); }

    void addingAndSelectingSignalOnce()
    {
        TrainingController controller;
        RunCatalog catalog(&controller);
        QSignalSpy added(&catalog, &RunCatalog::runAdded);
        QSignalSpy selection(&catalog, &RunCatalog::selectionChanged);
        QSignalSpy current(&catalog, &RunCatalog::currentRunChanged);
        const auto a = namedRun("a"), b = namedRun("b"), c = namedRun("c");
        QCOMPARE(catalog.add(a), 0);
        QCOMPARE(catalog.add(b), 1);
        QCOMPARE(catalog.add(c), 2);
        QCOMPARE(added.count(), 3);
        QCOMPARE(added.at(2).at(0).toInt(), 2);
        QCOMPARE(catalog.indexOf(b.get()), 1);

        catalog.select({0, 2}); // the last is current unless told
        QCOMPARE(selection.count(), 1);
        QCOMPARE(current.count(), 1);
        QCOMPARE(catalog.currentRun(), c);
        QCOMPARE(catalog.selectedRuns().size(), std::size_t(2));

        catalog.select({0, 2}, 0); // same runs, another current: no selection signal
        QCOMPARE(selection.count(), 1);
        QCOMPARE(current.count(), 2);
        QCOMPARE(catalog.currentRun(), a);

        catalog.select({7, -1, 1, 1}); // unknown indices dropped, duplicates once
        QCOMPARE(catalog.selection(), QList<int>{1});
        QCOMPARE(catalog.currentRun(), b);
        catalog.select({});
        QVERIFY(!catalog.currentRun());
        QCOMPARE(selection.count(), 3);
    }

    void liveRunUsesTheTrainersBestEpochThenListsItsFolderOnce()
    {
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        TrainingController controller;
        RunCatalog catalog(&controller);
        QSignalSpy changed(&catalog, &RunCatalog::runChanged);
        QSignalSpy batches(&catalog, &RunCatalog::batchesAdded);
        QSignalSpy current(&catalog, &RunCatalog::currentRunChanged);
        // min_delta 0.5 of accuracy: no later epoch counts as better than the first, although
        // its accuracy is higher. A marker without min_delta would move; the trainer's does not.
        std::vector<int> liveBest;
        connect(&catalog, &RunCatalog::runChanged, this, [&](const RunData* run) {
            if (run == catalog.live().get() && !run->history.empty())
                liveBest.push_back(run->bestEpoch());
        });
        const QString folder = trainOnce(catalog, controller, 3, 0.5);
        QVERIFY2(QFileInfo(folder).isDir(), qPrintable(folder));
        QCOMPARE(catalog.count(), 1);
        QCOMPARE(catalog.selection(), QList<int>{0}); // a started run is selected
        QCOMPARE(current.count(), 1);
        QVERIFY(!catalog.live());
        const auto run = catalog.run(0);
        QCOMPARE(run->status, QStringLiteral("completed"));
        QCOMPARE(run->history.size(), std::size_t(3));
        QVERIFY(run->history[2].valAccuracy != run->history[0].valAccuracy);
        QCOMPARE(liveBest, (std::vector<int>{1, 1, 1}));
        const RunRecord record = loadRun(folder.toStdString());
        QCOMPARE(record.metrics.bestEpoch, 1);
        QCOMPARE(run->bestEpoch(), 1);
        QVERIFY(batches.count() >= 1);
        QVERIFY(changed.count() >= 5); // starting, training, 3 epochs, the end
        // The layer statistics that reached the catalog through the controller's signals are
        // exactly the folder's: 1,200 images in batches of 32 are sampled 3 times an epoch.
        QCOMPARE(run->layerStats.layers, observedLayers(run->preset.model));
        QCOMPARE(int(run->layerStats.samples.size()), 3 * 3);
        QCOMPARE(int(run->layerStats.histograms.size()), 3 * 2); // two dense layers
        QCOMPARE(layerStatsToCsv(run->layerStats), layerStatsToCsv(record.layerStats));
        QCOMPARE(layerHistogramsToCsv(run->layerStats), layerHistogramsToCsv(record.layerStats));

        // The runs folder read by another catalog: the same run, once, however often reloaded.
        RunCatalog reader(&controller);
        const QString runs = m_dir.filePath(QStringLiteral("runs"));
        QDir(runs).mkpath(QStringLiteral("damaged"));
        QFile preset(runs + QStringLiteral("/damaged/preset.yaml"));
        QVERIFY(preset.open(QIODevice::WriteOnly));
        preset.write("name: [");
        preset.close();
        QFile metrics(runs + QStringLiteral("/damaged/metrics.json"));
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        metrics.write("{");
        metrics.close();
        QCOMPARE(reader.addFolders(runs), 2);
        QCOMPARE(reader.addFolders(runs), 0);
        const int listed = reader.indexOfFolder(folder);
        QVERIFY(listed >= 0);
        QCOMPARE(reader.run(listed)->testAccuracy, run->testAccuracy);
        QCOMPARE(reader.run(listed)->bestEpoch(), 1);
        const int damaged = reader.indexOfFolder(runs + QStringLiteral("/damaged"));
        QCOMPARE(reader.run(damaged)->status, QStringLiteral("damaged"));
        QVERIFY(!reader.run(damaged)->problem.isEmpty());
    }

    void aFolderThatChangesOnDiskIsReadAgainInPlace()
    {
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        TrainingController controller;
        RunCatalog catalog(&controller);
        const QString folder = trainOnce(catalog, controller, 1, 0);
        QVERIFY2(QFileInfo(folder).isDir(), qPrintable(folder));
        // A sweep trial seen while running: no results yet, as a trial process leaves it.
        const QString metrics = folder + QStringLiteral("/metrics.json");
        QVERIFY(QFile::rename(metrics, metrics + QStringLiteral(".later")));
        RunCatalog viewer(&controller);
        QSignalSpy added(&viewer, &RunCatalog::runAdded);
        QSignalSpy changed(&viewer, &RunCatalog::runChanged);
        const int index = viewer.addFolder(folder, QStringLiteral("quick #0"));
        viewer.select({index});
        QSignalSpy current(&viewer, &RunCatalog::currentRunChanged);
        QCOMPARE(viewer.run(index)->name, QStringLiteral("quick #0"));
        QVERIFY(!viewer.run(index)->hasResult);
        const RunData* sameObject = viewer.run(index).get();

        QVERIFY(QFile::rename(metrics + QStringLiteral(".later"), metrics));
        QCOMPARE(viewer.addFolder(folder, QStringLiteral("quick #0")), index);
        QCOMPARE(added.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(current.count(), 1); // the Evaluate view shows the finished trial
        QCOMPARE(viewer.run(index).get(), sameObject);
        QVERIFY(viewer.run(index)->hasResult);
        QCOMPARE(viewer.run(index)->status, QStringLiteral("completed"));
        QCOMPARE(viewer.run(index)->name, QStringLiteral("quick #0"));
    }

private:
    std::shared_ptr<const FashionMnist> m_data;
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRunCatalog)
#include "tst_run_catalog.moc"
