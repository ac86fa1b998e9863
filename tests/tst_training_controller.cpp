// The studio's training controller: a seeded short training on a background thread reports
// through queued signals and leaves a complete run folder; stop, pause/resume and
// destruction while training behave.
#include "core/run_folder.h"
#include "support/training_fixture.h"
#include "ui/train/training_controller.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace atelier;
using namespace atelier::ui;

class TestTrainingController : public QObject
{
    Q_OBJECT

    TrainingJob job(int epochs, std::size_t limit = 2000)
    {
        TrainingJob job;
        job.preset = test::shippedPreset(QStringLiteral("mlp_small"));
        job.preset.training.epochs = epochs;
        job.data = m_data;
        job.outDirectory = m_dir.filePath(QStringLiteral("runs"));
        job.limit = limit;
        return job;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_data = test::sharedRealDataset();
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
    }

    void shortRunReportsEveryEpochAndWritesTheFolder()
    {
        TrainingController controller;
        QSignalSpy started(&controller, &TrainingController::started);
        QSignalSpy batches(&controller, &TrainingController::batchProgress);
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start(job(2)));
        QVERIFY(controller.isRunning());
        QVERIFY(!controller.start(job(2))); // one at a time
        QVERIFY(finished.wait(120000));
        QVERIFY(!controller.isRunning());
        QCOMPARE(started.count(), 1);
        QCOMPARE(epochs.count(), 2);
        const auto run = finished.first().first().value<RunFinished>();
        QCOMPARE(run.result.status, RunStatus::Completed);
        QCOMPARE(run.result.history.size(), std::size_t(2));
        QVERIFY(run.result.test.accuracy > 0.6); // chance is 0.1
        // Every batch loss arrives, each exactly once, in order.
        int expectedNext = 0;
        int batchesPerEpoch = 0;
        int received = 0;
        for (const QList<QVariant>& signal : batches) {
            const auto update = signal.first().value<BatchUpdate>();
            batchesPerEpoch = update.batchesPerEpoch;
            if (update.epoch == 2 && update.firstBatch == 0)
                expectedNext = 0;
            QCOMPARE(update.firstBatch, expectedNext);
            expectedNext += update.losses.size();
            received += update.losses.size();
        }
        QCOMPARE(received, 2 * batchesPerEpoch);
        const auto epoch2 = epochs.last().first().value<EpochUpdate>();
        QCOMPARE(epoch2.record.epoch, 2);
        std::int64_t devImages = 0;
        for (const auto& row : epoch2.devConfusion)
            for (std::int64_t count : row)
                devImages += count;
        QCOMPARE(devImages, qint64(12000));
        const RunRecord record = loadRun(run.folder.toStdString());
        QCOMPARE(record.metrics.status, std::string("completed"));
        QCOMPARE(record.batchLosses.size(), std::size_t(received));
        QCOMPARE(started.first().first().value<RunStarted>().folder, run.folder);
    }

    void stopMidEpochLeavesAnInterruptedRun()
    {
        TrainingController controller;
        QSignalSpy batches(&controller, &TrainingController::batchProgress);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start(job(50, 0)));
        QVERIFY(batches.wait(60000));
        controller.stop();
        QVERIFY(finished.wait(60000));
        const auto run = finished.first().first().value<RunFinished>();
        QCOMPARE(run.result.status, RunStatus::Interrupted);
        const RunRecord record = loadRun(run.folder.toStdString());
        QCOMPARE(record.metrics.status, std::string("interrupted"));
        QVERIFY(record.history.size() < 50);
    }

    void pauseAndResumeContinueTheSameHistory()
    {
        std::vector<EpochRecord> straight;
        {
            TrainingController controller;
            QSignalSpy finished(&controller, &TrainingController::finished);
            controller.start(job(2));
            QVERIFY(finished.wait(120000));
            straight = finished.first().first().value<RunFinished>().result.history;
        }
        TrainingController controller;
        QSignalSpy batches(&controller, &TrainingController::batchProgress);
        QSignalSpy paused(&controller, &TrainingController::pausedChanged);
        QSignalSpy finished(&controller, &TrainingController::finished);
        controller.start(job(2));
        QVERIFY(batches.wait(60000));
        controller.pause();
        QVERIFY(controller.isPaused());
        QCOMPARE(paused.count(), 1);
        QTest::qWait(300);
        const int whilePaused = batches.count();
        QTest::qWait(300);
        QVERIFY(batches.count() <= whilePaused + 1); // at most the batch already under way
        controller.resume();
        QVERIFY(finished.wait(120000));
        const auto history = finished.first().first().value<RunFinished>().result.history;
        QCOMPARE(history.size(), straight.size());
        for (std::size_t i = 0; i < history.size(); ++i) {
            QCOMPARE(history[i].loss, straight[i].loss);
            QCOMPARE(history[i].valAccuracy, straight[i].valAccuracy);
        }
    }

    void destroyingWhileTrainingKeepsTheRun()
    {
        QString folder;
        {
            TrainingController controller;
            QSignalSpy started(&controller, &TrainingController::started);
            QSignalSpy batches(&controller, &TrainingController::batchProgress);
            controller.start(job(50, 0));
            QVERIFY(batches.wait(60000));
            folder = started.first().first().value<RunStarted>().folder;
        } // the destructor stops and waits
        const RunRecord record = loadRun(folder.toStdString());
        QCOMPARE(record.metrics.status, std::string("interrupted"));
    }

    void badJobFailsWithAMessage()
    {
        TrainingController controller;
        QSignalSpy failed(&controller, &TrainingController::failed);
        TrainingJob bad = job(1);
        bad.preset.training.device = DeviceChoice::Cuda;
        QVERIFY(controller.start(bad));
        QVERIFY(failed.wait(60000));
        QVERIFY(!failed.first().first().toString().isEmpty());
        QVERIFY(!controller.isRunning());
    }

    // A run that fails inside session.run (its folder vanished, so the epoch's files cannot
    // be written) while the GUI thread keeps reaching the trainer (pause, resume and stop take
    // the same path): the trainer is forgotten before it is destroyed, so nothing reaches
    // freed memory (TSan and ASan would say so), and the failure is reported with its reason.
    void failingMidRunWhileTheGuiReachesTheTrainerIsSafe()
    {
        TrainingController controller;
        QSignalSpy started(&controller, &TrainingController::started);
        QSignalSpy batches(&controller, &TrainingController::batchProgress);
        QSignalSpy failed(&controller, &TrainingController::failed);
        QVERIFY(controller.start(job(50, 0)));
        QVERIFY(batches.wait(60000));
        const QString folder = started.first().first().value<RunStarted>().folder;
        QVERIFY(QDir(folder).removeRecursively());
        // Not stop(): pause and resume reach the trainer too, without ending the run before
        // its epoch tries to write. From a timer inside the event loop, as a user's clicks
        // come (a loop spinning processEvents() would hide the hand-over of the queued
        // signals' arguments from ThreadSanitizer).
        QTimer poke;
        poke.setInterval(1);
        connect(&poke, &QTimer::timeout, &controller, [&controller] {
            controller.pause();
            controller.resume();
        });
        poke.start();
        QVERIFY(failed.wait(120000));
        poke.stop();
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains(folder),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(!controller.isRunning());
        controller.stop(); // the trainer is gone: nothing to reach
    }

private:
    std::shared_ptr<const FashionMnist> m_data;
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestTrainingController)
#include "tst_training_controller.moc"
