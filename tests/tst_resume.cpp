// Nothing lost: a run stopped at a random batch, killed with SIGKILL, or ended by SIGTERM or
// SIGHUP resumes from its checkpoint to exactly the history of a run that never stopped; a
// full disk is a clear error that leaves the folder resumable.
#include "core/atomic_file.h"
#include "core/checkpoint.h"
#include "core/errors.h"
#include "core/model_spec.h"
#include "core/network.h"
#include "core/run_folder.h"
#include "core/run_lock.h"
#include "core/runtime.h"
#include "core/training_session.h"
#include "core/weights.h"
#include "support/cli_runner.h"
#include "support/training_fixture.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace atelier;
using namespace atelier::test;

namespace {

// Small enough for a test, large enough for several progress reports per epoch.
constexpr std::size_t kImages = 1500;
constexpr int kEpochs = 4;

// A shipped preset for a short run: its dev set, evaluated after every epoch, shrunk too.
Preset shortPreset(const QString& name)
{
    Preset preset = shippedPreset(name);
    preset.training.epochs = kEpochs;
    preset.data.devFraction = 0.02;
    return preset;
}

// The same as a file, for atelier-cli.
QString shortPresetFile(const QString& name, const QString& directory)
{
    const QString path = directory + "/" + name + ".yaml";
    QDir().mkpath(directory);
    writeFileAtomically(path.toStdString(), presetToYaml(shortPreset(name)));
    return path;
}

SessionOptions sessionIn(const QString& directory)
{
    SessionOptions options;
    options.outDirectory = directory.toStdString();
    options.limit = kImages;
    return options;
}

// Everything of an epoch but its wall time.
void compareHistories(const std::vector<EpochRecord>& actual,
                      const std::vector<EpochRecord>& expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].epoch, expected[i].epoch);
        QCOMPARE(actual[i].loss, expected[i].loss);
        QCOMPARE(actual[i].accuracy, expected[i].accuracy);
        QCOMPARE(actual[i].valLoss, expected[i].valLoss);
        QCOMPARE(actual[i].valAccuracy, expected[i].valAccuracy);
        QCOMPARE(actual[i].learningRate, expected[i].learningRate);
    }
}

void compareBatchLosses(const std::vector<BatchLoss>& actual,
                        const std::vector<BatchLoss>& expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].epoch, expected[i].epoch);
        QCOMPARE(actual[i].batch, expected[i].batch);
        QCOMPARE(actual[i].loss, expected[i].loss);
    }
}

QStringList temporaries(const QString& folder)
{
    return QDir(folder).entryList({"*.tmp.*"}, QDir::Files);
}

int historyRows(const QString& folder)
{
    QFile file(folder + "/history.csv");
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n')) - 1;
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// history.csv without the seconds column.
QStringList historyWithoutSeconds(const QString& folder)
{
    QStringList rows;
    for (const QString& line : QString::fromUtf8(fileBytes(folder + "/history.csv")).split('\n'))
        if (!line.isEmpty())
            rows << line.section(',', 0, 5);
    return rows;
}

// Writes `path` until the file system is full.
bool fillUp(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QByteArray block(4096, 'x');
    while (file.write(block) == block.size() && file.flush()) {
    }
    return true;
}

// atelier-cli train started in the background; the folder is known once it exists.
struct BackgroundTraining
{
    QProcess process;
    QString out;

    void start(const QStringList& arguments, const QString& outDirectory)
    {
        out = outDirectory;
        process.start(ATELIER_CLI_PATH, arguments);
        process.waitForStarted();
    }

    QString folder() const
    {
        const QStringList runs = QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        return runs.isEmpty() ? QString() : out + "/" + runs.first();
    }

    // Waits until `epochs` epochs are in history.csv (and so in the checkpoint).
    bool waitForEpochs(int epochs, int timeoutMs = 240000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs && process.state() == QProcess::Running) {
            const QString run = folder();
            if (!run.isEmpty() && epochs == 0)
                return true;
            if (!run.isEmpty() && historyRows(run) >= epochs && hasCheckpoint(run.toStdString()) &&
                readCheckpointInfo(run.toStdString()).epochsDone >= epochs)
                return true;
            QTest::qWait(20);
        }
        return false;
    }
};

} // namespace

class TestResume : public QObject
{
    Q_OBJECT

private:
    const FashionMnist* m_data = nullptr;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        m_data = realDataset();
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        configureThreads(0);
    }

    void stoppedAtARandomBatchResumesToTheSameRun_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("mixedOneCycleShifts");
        // SGD without extras; Adam with batch norm, dropout, augmentation and a schedule;
        // mixed precision with a per-batch schedule and shifted crops.
        QTest::newRow("mlp_medium") << "mlp_medium" << false;
        QTest::newRow("cnn_best") << "cnn_best" << false;
        QTest::newRow("cnn_small_dropout, bf16, one cycle, shifts") << "cnn_small_dropout" << true;
    }

    void stoppedAtARandomBatchResumesToTheSameRun()
    {
        QFETCH(QString, preset);
        QFETCH(bool, mixedOneCycleShifts);
        Preset settings = shortPreset(preset);
        if (mixedOneCycleShifts) {
            settings.training.precision = Precision::BFloat16Mixed;
            settings.training.lrSchedule.kind = LrScheduleKind::OneCycle;
            settings.training.augmentation = {true, 2};
        }
        const QString base = m_dir.filePath("random-" + preset);
        TrainingSession reference(settings, *m_data, sessionIn(base + "/reference"));
        const TrainingResult expected = reference.run();
        QCOMPARE(expected.status, RunStatus::Completed);

        TrainingSession interrupted(settings, *m_data, sessionIn(base + "/stopped"));
        const int batches = int((interrupted.trainer().trainCount() +
                                 std::size_t(interrupted.preset().training.batchSize) - 1) /
                                std::size_t(interrupted.preset().training.batchSize));
        const int stopAfter = 1 + int(QRandomGenerator::global()->bounded(batches - 1));
        qInfo("stopping in epoch 3 after batch %d of %d", stopAfter, batches);
        TrainingCallbacks callbacks;
        callbacks.onBatch = [&](const BatchProgress& progress) {
            return !(progress.epoch == 3 &&
                     progress.firstBatch + int(progress.losses.size()) >= stopAfter);
        };
        const TrainingResult stopped = interrupted.run(callbacks);
        QCOMPARE(stopped.status, RunStatus::Interrupted);
        QCOMPARE(int(stopped.history.size()), 2);
        const std::string folder = interrupted.folder();
        QCOMPARE(readCheckpointInfo(folder).epochsDone, 2);

        const auto resumed = TrainingSession::resume(folder, *m_data, sessionIn(base));
        QCOMPARE(resumed->resumedEpochs(), 2);
        QVERIFY2(!QFileInfo::exists(QString::fromStdString(folder) + "/metrics.json"),
                 "a resumed run is unfinished until it ends");
        const TrainingResult result = resumed->run();
        QCOMPARE(result.status, RunStatus::Completed);
        compareHistories(result.history, expected.history);
        compareBatchLosses(resumed->trainer().batchLosses(), reference.trainer().batchLosses());
        QCOMPARE(result.bestEpoch, expected.bestEpoch);
        QCOMPARE(result.test.loss, expected.test.loss);
        QVERIFY(result.test.confusion == expected.test.confusion);

        // The folder says the same as the uninterrupted one's.
        const RunRecord mine = loadRun(folder);
        const RunRecord theirs = loadRun(reference.folder());
        compareHistories(mine.history, theirs.history);
        compareBatchLosses(mine.batchLosses, theirs.batchLosses);
        QCOMPARE(mine.metrics.testAccuracy, theirs.metrics.testAccuracy);
        QVERIFY(temporaries(QString::fromStdString(folder)).isEmpty());
    }

    void resumeRefusesWhatItCannotContinue()
    {
        Preset preset = shortPreset("mlp_small");
        preset.training.epochs = 1;
        TrainingSession session(preset, *m_data, sessionIn(m_dir.filePath("refusals")));
        session.run();
        const std::string folder = session.folder();
        const SessionOptions options = sessionIn(m_dir.filePath("refusals"));
        auto refusal = [&](const std::string& path, int epochs = 0) -> QString {
            try {
                TrainingSession::resume(path, *m_data, options, epochs);
            } catch (const InputError& e) {
                return QString::fromUtf8(e.what());
            }
            return {};
        };
        QVERIFY2(refusal(folder).contains("nothing to resume: the run is complete (1 of 1 epochs)"),
                 qPrintable(refusal(folder)));
        QVERIFY(refusal(folder + "/missing").contains("no such run folder"));

        // More epochs would restart a one_cycle schedule midway.
        Preset cycle = preset;
        cycle.training.lrSchedule.kind = LrScheduleKind::OneCycle;
        TrainingSession cycled(cycle, *m_data, sessionIn(m_dir.filePath("refusals")));
        cycled.run();
        const QString cycleRefusal = refusal(cycled.folder(), 2);
        QVERIFY2(cycleRefusal.contains("one_cycle learning rate spans the planned 1 epochs"),
                 qPrintable(cycleRefusal));

        const QString copy = m_dir.filePath("refusals/copy");
        QVERIFY(QDir().mkpath(copy));
        QFile::copy(QString::fromStdString(folder) + "/preset.yaml", copy + "/preset.yaml");
        QVERIFY(refusal(copy.toStdString()).contains("no checkpoint.pt"));

        // A damaged checkpoint: cut in half, then one that is not an archive at all.
        const QByteArray bytes = fileBytes(QString::fromStdString(checkpointPath(folder)));
        for (const QByteArray& damage : {bytes.left(bytes.size() / 2), QByteArray("not a zip")}) {
            QFile file(copy + "/checkpoint.pt");
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(damage);
            file.close();
            const QString message = refusal(copy.toStdString());
            QVERIFY2(message.contains(copy + "/checkpoint.pt: not a checkpoint"),
                     qPrintable(message));
        }
        // A FIFO where the checkpoint should be is refused, not read forever.
        QFile::remove(copy + "/checkpoint.pt");
        QCOMPARE(::mkfifo(qPrintable(copy + "/checkpoint.pt"), 0644), 0);
        QVERIFY2(refusal(copy.toStdString()).contains("not a regular file"),
                 qPrintable(refusal(copy.toStdString())));

        // Extending a complete run works; shrinking it below what is done does not.
        Preset longer = preset;
        longer.training.epochs = 3;
        TrainingSession three(longer, *m_data, sessionIn(m_dir.filePath("refusals")));
        TrainingCallbacks stopAfterTwo;
        stopAfterTwo.onEpoch = [](const EpochReport& report) { return report.record.epoch < 2; };
        three.run(stopAfterTwo);
        QVERIFY(
            refusal(three.folder(), 1).contains("cannot resume to 1 epochs: 2 are already done"));
    }

    // A resume that cannot work (here: other labels than the run trained on) must leave the
    // folder as it was: still complete, still the same preset.
    void aRefusedResumeChangesNothing()
    {
        Preset preset = shortPreset("mlp_small");
        TrainingSession session(preset, *m_data, sessionIn(m_dir.filePath("refused")));
        TrainingCallbacks stopAfterOne;
        stopAfterOne.onEpoch = [](const EpochReport& report) { return report.record.epoch < 1; };
        session.run(stopAfterOne);
        const std::string folder = session.folder();
        const QString presetPath = QString::fromStdString(folder) + "/preset.yaml";
        const QByteArray presetBefore = fileBytes(presetPath);

        FashionMnist other = *m_data;
        std::swap(other.train.labels[0], other.train.labels[1]);
        std::swap(other.train.labels[2], other.train.labels[3]);
        QString message;
        try {
            TrainingSession::resume(folder, other, sessionIn(m_dir.filePath("refused")), 6);
        } catch (const InputError& e) {
            message = QString::fromUtf8(e.what());
        }
        QVERIFY2(message.contains("trained on other images or labels"), qPrintable(message));
        QVERIFY(QFileInfo::exists(QString::fromStdString(folder) + "/metrics.json"));
        QCOMPARE(fileBytes(presetPath), presetBefore);
        QCOMPARE(loadRun(folder).metrics.status, std::string("interrupted"));
    }

    void theFolderLockKeepsASecondTrainerOut()
    {
        const QString folder = m_dir.filePath("locked");
        QVERIFY(QDir().mkpath(folder));
        auto first = std::make_unique<RunFolderLock>(folder.toStdString());
        QVERIFY(isRunFolderLocked(folder.toStdString()));
        QVERIFY(isRunFolderLocked(folder.toStdString())); // probing takes nothing
        bool refused = false;
        try {
            RunFolderLock second(folder.toStdString());
        } catch (const InputError& e) {
            refused = QString::fromUtf8(e.what()).contains("another process is training");
        }
        QVERIFY(refused);
        first.reset();
        QVERIFY(!isRunFolderLocked(folder.toStdString()));
        RunFolderLock third(folder.toStdString());
    }

    void staleTemporariesOfDeadWritersAreRemoved()
    {
        const QString folder = m_dir.filePath("stale");
        QVERIFY(QDir().mkpath(folder));
        // A PID above Linux's maximum (2^22) belongs to no process.
        const QStringList names = {"history.csv.tmp.99999999", "model.pt.tmp.4194305",
                                   "history.csv.tmp." + QString::number(::getpid()),
                                   "notes.tmp.txt"};
        for (const QString& name : names) {
            QFile file(folder + "/" + name);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        QCOMPARE(removeStaleTemporaries(folder.toStdString()), 2);
        QCOMPARE(QDir(folder).entryList(QDir::Files),
                 QStringList({"history.csv.tmp." + QString::number(::getpid()), "notes.tmp.txt"}));
    }

    void killedDuringEpoch3ResumesToTheSameRun()
    {
        const QString base = m_dir.filePath("killed");
        const QStringList common = {"--epochs", "4", "--limit", "1500", "--threads", "2", "-q"};
        const QString preset = shortPresetFile("cnn_best", base);
        const CliResult reference =
            runCli(QStringList{"train", preset, "--out", base + "/reference"} + common);
        QCOMPARE(reference.exitCode, 0);

        BackgroundTraining training;
        training.start(QStringList{"train", preset, "--out", base + "/killed"} + common,
                       base + "/killed");
        QVERIFY(training.waitForEpochs(2));
        QTest::qWait(int(QRandomGenerator::global()->bounded(400)));
        ::kill(pid_t(training.process.processId()), SIGKILL);
        QVERIFY(training.process.waitForFinished(30000));
        const QString folder = training.folder();
        QVERIFY(!QFileInfo::exists(folder + "/metrics.json"));
        const CliResult eval = runCli({"eval", folder});
        QCOMPARE(eval.exitCode, 2);
        QVERIFY2(eval.err.contains("continue it with: atelier-cli train --resume " + folder),
                 qPrintable(eval.err));

        const CliResult resumed = runCli({"train", "--resume", folder, "--threads", "2"});
        QCOMPARE(resumed.exitCode, 0);
        QVERIFY2(resumed.err.contains("Resuming " + folder + " after epoch "),
                 qPrintable(resumed.err));
        QCOMPARE(valueOf(resumed.out, "status"), QString("completed"));
        QCOMPARE(valueOf(resumed.out, "run"), folder);
        const QString expected = valueOf(reference.out, "run");
        QCOMPARE(historyWithoutSeconds(folder), historyWithoutSeconds(expected));
        QCOMPARE(fileBytes(folder + "/batch_losses.csv"),
                 fileBytes(expected + "/batch_losses.csv"));
        QCOMPARE(fileBytes(folder + "/confusion.csv"), fileBytes(expected + "/confusion.csv"));
        QCOMPARE(valueOf(resumed.out, "test_loss"), valueOf(reference.out, "test_loss"));
        QVERIFY(temporaries(folder).isEmpty());
    }

    void stopSignalsKeepTheRun_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP);
    }

    void stopSignalsKeepTheRun()
    {
        QFETCH(int, signal);
        const QString out = m_dir.filePath(QString("signal-%1").arg(signal));
        BackgroundTraining training;
        training.start({"train", shortPresetFile("mlp_small", out), "--epochs", "50", "--limit",
                        "3000", "--out", out + "/runs"},
                       out + "/runs");
        QVERIFY(training.waitForEpochs(1));
        ::kill(pid_t(training.process.processId()), signal);
        QVERIFY(training.process.waitForFinished(60000));
        QCOMPARE(training.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(training.process.exitCode(), 130);
        const QString output = QString::fromUtf8(training.process.readAllStandardOutput());
        QCOMPARE(valueOf(output, "status"), QString("interrupted"));
        const RunRecord run = loadRun(training.folder().toStdString());
        QCOMPARE(run.metrics.status, std::string("interrupted"));
        QVERIFY(QFileInfo::exists(training.folder() + "/model.pt"));
        QVERIFY(QString::fromUtf8(training.process.readAllStandardError())
                    .contains("Resume with: atelier-cli train --resume " + training.folder()));
    }

    // nohup's SIGHUP stays ignored: logging out does not stop a run started with nohup.
    void anIgnoredSignalStaysIgnored()
    {
        const QString out = m_dir.filePath("nohup");
        BackgroundTraining training;
        training.out = out + "/runs";
        training.process.start("nohup", {ATELIER_CLI_PATH, "train", shortPresetFile("mlp_small", out),
                                         "--epochs", "50", "--out", out + "/runs"});
        QVERIFY(training.process.waitForStarted());
        QVERIFY(training.waitForEpochs(1));
        ::kill(pid_t(training.process.processId()), SIGHUP);
        QVERIFY2(!training.process.waitForFinished(2000),
                 training.process.readAllStandardError().constData()); // still training
        ::kill(pid_t(training.process.processId()), SIGTERM);
        QVERIFY(training.process.waitForFinished(60000));
        QCOMPARE(training.process.exitCode(), 130);
    }

    void aSecondSignalEndsAtOnce()
    {
        const QString out = m_dir.filePath("second-signal");
        BackgroundTraining training;
        training.start({"train", ATELIER_PRESETS_DIR "/cnn_medium.yaml", "--out", out}, out);
        QVERIFY(training.waitForEpochs(0));
        QTest::qWait(1000);
        const pid_t pid = pid_t(training.process.processId());
        ::kill(pid, SIGTERM);
        QTest::qWait(5); // the handler runs; the run then finishes its batch and evaluates
        ::kill(pid, SIGTERM);
        QVERIFY(training.process.waitForFinished(30000));
        QCOMPARE(training.process.exitStatus(), QProcess::CrashExit);
    }

    // A small tmpfs stands for a full disk. Mounting needs root (as CI runs).
    void fullDiskIsAClearErrorAndTheRunResumes()
    {
        const QString mountPoint = m_dir.filePath("tmpfs");
        QVERIFY(QDir().mkpath(mountPoint));
        QProcess mount;
        mount.start("mount", {"-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint});
        if (!mount.waitForFinished(10000) || mount.exitStatus() != QProcess::NormalExit ||
            mount.exitCode() != 0)
            QSKIP("cannot mount a tmpfs here (needs root and mount rights): full-disk test "
                  "skipped");
        struct Unmount
        {
            QString path;
            ~Unmount() { QProcess::execute("umount", {path}); }
        } unmount{mountPoint};

        // How large one checkpoint of this run is, measured on a real one.
        const QStringList arguments = {shortPresetFile("mlp_small", m_dir.filePath("disk")),
                                       "--epochs",
                                       "3",
                                       "--limit",
                                       "600",
                                       "-q"};
        const CliResult probe = runCli(QStringList{"train"} + arguments +
                                       QStringList{"--out", m_dir.filePath("probe")});
        QCOMPARE(probe.exitCode, 0);
        const qint64 checkpointBytes =
            QFileInfo(valueOf(probe.out, "run") + "/checkpoint.pt").size();
        QVERIFY(checkpointBytes > 0);

        // Leave room for the first checkpoint but not for the second next to it.
        const QString filler = mountPoint + "/filler";
        QVERIFY(fillUp(filler));
        const qint64 room = checkpointBytes * 3 / 2 + 64 * 1024;
        QVERIFY(QFile::resize(filler, QFileInfo(filler).size() - room));

        const CliResult full =
            runCli(QStringList{"train"} + arguments + QStringList{"--out", mountPoint + "/runs"});
        QCOMPARE(full.exitCode, 2);
        QVERIFY2(full.err.contains("No space left on device"), qPrintable(full.err));
        QVERIFY2(!full.err.contains("terminate"), qPrintable(full.err));
        const QString folder =
            mountPoint + "/runs/" +
            QDir(mountPoint + "/runs").entryList(QDir::Dirs | QDir::NoDotAndDotDot).first();
        QVERIFY(temporaries(folder).isEmpty());
        QCOMPARE(readCheckpointInfo(folder.toStdString()).epochsDone, 1);

        // Weights written straight onto the full disk: an error, no temporary file left.
        QVERIFY(fillUp(mountPoint + "/filler2"));
        Network network(shippedPreset("mlp_small").model, 1);
        bool refused = false;
        try {
            saveWeights(network, (folder + "/model.pt").toStdString());
        } catch (const InputError& e) {
            refused = QString::fromUtf8(e.what()).contains("No space left on device");
        }
        QVERIFY(refused);
        QVERIFY(temporaries(folder).isEmpty());

        // With room again, the run resumes from its first epoch and completes.
        QVERIFY(QFile::remove(filler));
        QVERIFY(QFile::remove(mountPoint + "/filler2"));
        const CliResult resumed = runCli({"train", "--resume", folder, "-q"});
        QCOMPARE(resumed.exitCode, 0);
        QCOMPARE(valueOf(resumed.out, "status"), QString("completed"));
        QCOMPARE(historyWithoutSeconds(folder), historyWithoutSeconds(valueOf(probe.out, "run")));
    }
};

QTEST_GUILESS_MAIN(TestResume)
#include "tst_resume.moc"
