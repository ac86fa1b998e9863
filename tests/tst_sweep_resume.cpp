// atelier-cli sweep interrupted and resumed on the real dataset (docs/sweeps.md): after
// kill -9 of the sweep process and after Ctrl-C without rerunning a finished trial; a trial
// stopped alone; a trial with a damaged checkpoint kept; the resume line without --limit
// keeping the folder's settings; and a second `sweep run` on a folder in use refused.
#include "core/run_lock.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace atelier::test;

namespace {

// The processes whose parent is `parent` (the trials of a `sweep run`).
QList<pid_t> childrenOf(qint64 parent)
{
    QList<pid_t> children;
    for (const QString& entry : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool isPid = false;
        const pid_t pid = pid_t(entry.toInt(&isPid));
        if (!isPid)
            continue;
        const QByteArray stat = fileBytes("/proc/" + entry + "/stat");
        // "pid (comm) state ppid ...": read after the command name, which may hold spaces.
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == parent)
            children << pid;
    }
    return children;
}

// Waits while `sweep` runs until a trial of `out` is in its second epoch (its first
// checkpointed, at least one more to go), after `finishedFirst` trials have completed;
// returns its index, or -1.
int waitForASecondEpoch(const QProcess& sweep, const QString& out, int finishedFirst)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 300000 && sweep.state() == QProcess::Running) {
        int finished = 0, inSecondEpoch = -1;
        for (int i = 0; i < kTrials; ++i) {
            const QString folder = trialFolder(out, i);
            if (metricsStatus(folder) == "completed")
                ++finished;
            else if (inItsSecondEpoch(folder))
                inSecondEpoch = i;
        }
        if (finished >= finishedFirst && inSecondEpoch >= 0)
            return inSecondEpoch;
        QTest::qWait(5);
    }
    return -1;
}

struct FileState
{
    QDateTime modified;
    QByteArray bytes;
};

FileState fileState(const QString& path)
{
    return {QFileInfo(path).lastModified(), fileBytes(path)};
}

// `sweep run` of `sweepFile` into `out` on 300 images, one trial at a time.
QStringList oneTrialAtATime(const QString& sweepFile, const QString& out)
{
    return {"sweep", "run", sweepFile, "--out", out, "--limit", "300", "--jobs", "1"};
}

// Starts atelier-cli with `arguments` in `sweep`, in the background as in a terminal.
void startInBackground(QProcess& sweep, const QStringList& arguments)
{
    sweep.start(ATELIER_CLI_PATH, arguments);
    QVERIFY(sweep.waitForStarted());
}

// Kills a `sweep run` that did not get where the test needed it, and fails the test with
// `what` and what the sweep printed.
void killAndFail(QProcess& sweep, const QByteArray& what)
{
    sweep.kill();
    sweep.waitForFinished();
    QFAIL((what + "; sweep run printed: " + sweep.readAllStandardError()).constData());
}

// Starts `arguments`, a `sweep run` into `out`, in `sweep` and waits until one of its trials
// is in its second epoch after `finishedFirst` have completed; returns that trial. A sweep
// that does not get there is killed and the test fails with `failure`; returns -1.
int startUntilASecondEpoch(QProcess& sweep, const QStringList& arguments, const QString& out,
                           int finishedFirst, const QByteArray& failure)
{
    startInBackground(sweep, arguments);
    if (QTest::currentTestFailed())
        return -1;
    const int target = waitForASecondEpoch(sweep, out, finishedFirst);
    if (target < 0)
        killAndFail(sweep, failure);
    return target;
}

// Ctrl-C: SIGINT to `sweep`, a `sweep run`, which then ends by itself within a minute.
void interrupt(QProcess& sweep)
{
    QCOMPARE(::kill(pid_t(sweep.processId()), SIGINT), 0);
    QVERIFY(sweep.waitForFinished(60000));
    QCOMPARE(sweep.exitStatus(), QProcess::NormalExit);
}

// Starts `arguments`, a `sweep run` into `out`, in `sweep` and interrupts it once its first
// trial has completed, the sweep still running.
void startAndInterruptAfterTheFirstTrial(QProcess& sweep, const QStringList& arguments,
                                         const QString& out)
{
    startInBackground(sweep, arguments);
    if (QTest::currentTestFailed())
        return;
    QElapsedTimer timer;
    timer.start();
    while (metricsStatus(trialFolder(out, 0)) != "completed" && timer.elapsed() < 120000 &&
           sweep.state() == QProcess::Running)
        QTest::qWait(10);
    QCOMPARE(metricsStatus(trialFolder(out, 0)), QString("completed"));
    QCOMPARE(sweep.state(), QProcess::Running);
    interrupt(sweep);
}

// Runs the interrupted `sweep run` (`arguments`, into `out`) again: it must finish every
// trial and leave them all completed.
void resumeAndVerifyAllCompleted(const QStringList& arguments, const QString& out)
{
    const CliResult resumed = runCli(arguments);
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QCOMPARE(valueOf(resumed.out, "finished"), QString::number(kTrials));
    verifyAllCompleted(out);
}

} // namespace

class TestSweepResume : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (!hasFashionMnist())
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        QVERIFY(m_dir.isValid());
    }

    // kill -9 of `sweep run`: its trials get SIGTERM (PR_SET_PDEATHSIG) and stop cleanly; the
    // same command then keeps the finished trials as they are, continues the interrupted
    // one from its checkpoint and runs the rest.
    void resumeAfterKill9OfTheSweep()
    {
        const QString sweepFile = writeFile(m_dir.filePath("killed.yaml"), cnnSweep("killed"));
        const QString out = m_dir.filePath("killed");
        const QStringList arguments = oneTrialAtATime(sweepFile, out);

        // Kill once a trial has finished and another is in its second epoch (its first is
        // checkpointed, so it must resume rather than start again).
        QProcess sweep;
        const int target = startUntilASecondEpoch(
            sweep, arguments, out, 1, "no trial was seen in its second epoch after a finished one");
        if (target < 0)
            return;
        QCOMPARE(::kill(pid_t(sweep.processId()), SIGKILL), 0);
        QVERIFY(sweep.waitForFinished(10000));
        QCOMPARE(sweep.exitStatus(), QProcess::CrashExit);

        // The orphaned trial stops after its batch and releases its lock.
        CliResult status;
        QElapsedTimer timer;
        timer.start();
        do {
            QTest::qWait(200);
            status = runCli({"sweep", "status", out});
        } while (statusCount(status.out, "running") != 0 && timer.elapsed() < 60000);
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(statusCount(status.out, "running") == 0, qPrintable(status.out));
        QVERIFY2(statusCount(status.out, "interrupted") >= 1, qPrintable(status.out));
        QVERIFY2(statusCount(status.out, "completed") < kTrials, qPrintable(status.out));
        // Stopped by the SIGTERM it got, not killed: written as interrupted, checkpoint kept.
        const QString targetFolder = trialFolder(out, target);
        QCOMPARE(metricsStatus(targetFolder), QString("interrupted"));
        QVERIFY(QFileInfo::exists(targetFolder + "/checkpoint.pt"));
        QVERIFY2(fileBytes(trialLog(out, target)).contains("status: interrupted"),
                 fileBytes(trialLog(out, target)).constData());

        QMap<int, FileState> finishedBefore;
        for (int i = 0; i < kTrials; ++i)
            if (metricsStatus(trialFolder(out, i)) == "completed")
                finishedBefore[i] = fileState(trialFolder(out, i) + "/metrics.json");
        QVERIFY(!finishedBefore.isEmpty());
        QVERIFY(!finishedBefore.contains(target));

        const CliResult resumed = runCli(arguments);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains(QString("%1 finished, %2 to run")
                                          .arg(finishedBefore.size())
                                          .arg(kTrials - finishedBefore.size())),
                 qPrintable(resumed.err));
        verifyAllCompleted(out);
        if (QTest::currentTestFailed())
            return;
        for (auto it = finishedBefore.cbegin(); it != finishedBefore.cend(); ++it) {
            const FileState now = fileState(trialFolder(out, it.key()) + "/metrics.json");
            QCOMPARE(now.modified, it.value().modified);
            QCOMPARE(now.bytes, it.value().bytes);
            QCOMPARE(trainingLines(trialLog(out, it.key())), 1); // never trained again
        }
        const QString log = QString::fromUtf8(fileBytes(trialLog(out, target)));
        QVERIFY2(log.contains(QRegularExpression("^Resuming after epoch [12]$",
                                                 QRegularExpression::MultilineOption)),
                 qPrintable(log));
        QCOMPARE(trainingLines(trialLog(out, target)), 2);
        QCOMPARE(historyRows(targetFolder), 3);
    }

    // A trial stopped by a signal sent to it alone (not to the sweep) is not finished: the
    // sweep says so and exits 1, and the same command resumes it.
    void aTrialStoppedAloneIsNotDone()
    {
        const QString sweepFile = writeFile(m_dir.filePath("alone.yaml"), cnnSweep("alone"));
        const QString out = m_dir.filePath("alone");
        const QStringList arguments = oneTrialAtATime(sweepFile, out);
        const QByteArray notSeen = "no single trial process seen in its second epoch";
        QProcess sweep;
        const int target = startUntilASecondEpoch(sweep, arguments, out, 0, notSeen);
        if (target < 0)
            return;
        const QList<pid_t> trials = childrenOf(sweep.processId());
        if (trials.size() != 1)
            return killAndFail(sweep, notSeen);
        QCOMPARE(::kill(trials.first(), SIGTERM), 0);
        QVERIFY(sweep.waitForFinished(240000));
        const QString output = QString::fromUtf8(sweep.readAllStandardOutput());
        const QString err = QString::fromUtf8(sweep.readAllStandardError());
        QCOMPARE(sweep.exitStatus(), QProcess::NormalExit);
        QVERIFY2(sweep.exitCode() == 1, qPrintable(err));
        QCOMPARE(valueOf(output, "finished"), QString::number(kTrials - 1));
        QVERIFY2(err.contains(QString("trial %1 stopped by a signal sent to it alone").arg(target)),
                 qPrintable(err));
        QVERIFY2(err.contains("run the same command again"), qPrintable(err));
        QVERIFY2(!err.contains("Done."), qPrintable(err));
        QCOMPARE(metricsStatus(trialFolder(out, target)), QString("interrupted"));

        const CliResult resumed = runCli(arguments);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        verifyAllCompleted(out);
        if (QTest::currentTestFailed())
            return;
        const QString log = QString::fromUtf8(fileBytes(trialLog(out, target)));
        QVERIFY2(log.contains(QRegularExpression("^Resuming after epoch [12]$",
                                                 QRegularExpression::MultilineOption)),
                 qPrintable(log));
    }

    // A trial whose checkpoint cannot be used is never deleted: `sweep trial` stops with the
    // reason and the folder (exit 2) and leaves it as it is; `sweep run` reports that trial
    // as not finished (exit 1) and runs the others.
    void aTrialWithADamagedCheckpointIsKept()
    {
        const QString sweepFile = writeFile(m_dir.filePath("damaged.yaml"), cnnSweep("damaged"));
        const QString out = m_dir.filePath("damaged");
        const QStringList arguments = oneTrialAtATime(sweepFile, out);
        // Ctrl-C while the first trial is in its second epoch: it keeps a checkpoint, the
        // others have not started.
        QProcess sweep;
        const int target = startUntilASecondEpoch(sweep, arguments, out, 0,
                                                  "no trial was seen in its second epoch");
        if (target < 0)
            return;
        interrupt(sweep);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(sweep.exitCode() == 130, sweep.readAllStandardError().constData());
        const QString folder = trialFolder(out, target);
        QCOMPARE(metricsStatus(folder), QString("interrupted"));
        const QString checkpoint = folder + "/checkpoint.pt";
        QVERIFY(QFileInfo(checkpoint).size() > 100);
        const QByteArray history = fileBytes(folder + "/history.csv");
        QVERIFY(historyRows(folder) >= 1);
        QVERIFY(QFile::resize(checkpoint, 100));

        const CliResult trial = runCli({"sweep", "trial", out, QString::number(target)});
        QCOMPARE(trial.exitCode, 2);
        QVERIFY2(trial.err.contains(folder) &&
                     trial.err.contains("the trial folder is kept as it is"),
                 qPrintable(trial.err));
        QVERIFY(valueOf(trial.out, "status").isEmpty());
        QVERIFY(QFileInfo::exists(folder));
        QCOMPARE(fileBytes(folder + "/history.csv"), history);
        QCOMPARE(QFileInfo(checkpoint).size(), qint64(100));
        QCOMPARE(metricsStatus(folder), QString("interrupted"));

        const CliResult run = runCli(arguments);
        QVERIFY2(run.exitCode == 1, qPrintable(run.err));
        QCOMPARE(valueOf(run.out, "finished"), QString::number(kTrials - 1));
        QVERIFY2(run.err.contains("1 trial did not finish"), qPrintable(run.err));
        QVERIFY2(run.err.contains(QString("trial %1 failed (exit 2)").arg(target)) &&
                     run.err.contains("the trial folder is kept as it is"),
                 qPrintable(run.err));
        QVERIFY2(!run.err.contains("Done."), qPrintable(run.err));
        QVERIFY(QFileInfo::exists(folder));
        QCOMPARE(fileBytes(folder + "/history.csv"), history);
        QCOMPARE(QFileInfo(checkpoint).size(), qint64(100));
        const TrialsTable table = readTrialsCsv(out);
        QCOMPARE(table.rows.size(), kTrials);
        for (int i = 0; i < kTrials; ++i) {
            QCOMPARE(table.rows[i]["status"], QString(i == target ? "interrupted" : "completed"));
            QCOMPARE(metricsStatus(trialFolder(out, i)),
                     QString(i == target ? "interrupted" : "completed"));
        }
    }

    // The resume line printed after Ctrl-C has no --limit: the folder's own (sweep.json)
    // stands, and another --limit on that folder is refused.
    void resumingWithoutLimitKeepsTheFoldersSettings()
    {
        const QString sweepFile = writeFile(m_dir.filePath("keep.yaml"), mlpSweep("keep", 1));
        const QString out = m_dir.filePath("keep");
        QProcess sweep;
        startAndInterruptAfterTheFirstTrial(
            sweep, {"sweep", "run", sweepFile, "--out", out, "--limit", "300"}, out);
        if (QTest::currentTestFailed())
            return;
        const QString err = QString::fromUtf8(sweep.readAllStandardError());
        QCOMPARE(sweep.exitCode(), 130);
        const QRegularExpressionMatch resume =
            QRegularExpression("Resume with:\n  (.*)\n").match(err);
        QVERIFY2(resume.hasMatch(), qPrintable(err));
        QStringList arguments = resume.captured(1).split(' ');
        QCOMPARE(arguments.takeFirst(), QString("atelier-cli"));
        QVERIFY2(!arguments.contains("--limit"), qPrintable(resume.captured(1)));

        resumeAndVerifyAllCompleted(arguments, out);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(QJsonDocument::fromJson(fileBytes(out + "/sweep.json")).object()["limit"].toInt(),
                 300);
        // Every trial trained on the same 300-image subset, those of the resumed run too.
        const QRegularExpression images("\\d+ train / \\d+ dev images");
        const QString first =
            images.match(QString::fromUtf8(fileBytes(trialLog(out, 0)))).captured();
        QVERIFY(!first.isEmpty());
        for (int i = 1; i < kTrials; ++i)
            QCOMPARE(images.match(QString::fromUtf8(fileBytes(trialLog(out, i)))).captured(),
                     first);

        const QStringList before = tree(out);
        const QByteArray settings = fileBytes(out + "/sweep.json");
        const CliResult other = runCli({"sweep", "run", sweepFile, "--out", out, "--limit", "600"});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains(out + ": this sweep folder was made with --limit 300"),
                 qPrintable(other.err));
        QVERIFY(other.out.isEmpty());
        QCOMPARE(tree(out), before);
        QCOMPARE(fileBytes(out + "/sweep.json"), settings);
    }

    // One `sweep run` at a time on a folder: a second one is refused while the first runs,
    // which then stops and ends as usual.
    void aSecondSweepRunOnAFolderInUseIsRefused()
    {
        const QString sweepFile = writeFile(m_dir.filePath("busy.yaml"), cnnSweep("busy"));
        const QString out = m_dir.filePath("busy");
        const QStringList arguments = oneTrialAtATime(sweepFile, out);
        QProcess sweep;
        startInBackground(sweep, arguments);
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer timer;
        timer.start();
        while (!(QFileInfo::exists(trialFolder(out, 0)) &&
                 atelier::isRunFolderLocked(trialFolder(out, 0).toStdString())) &&
               timer.elapsed() < 120000 && sweep.state() == QProcess::Running)
            QTest::qWait(10);
        QVERIFY2(sweep.state() == QProcess::Running, sweep.readAllStandardError().constData());
        QVERIFY(atelier::isRunFolderLocked(trialFolder(out, 0).toStdString()));

        const CliResult second = runCli(arguments);
        QCOMPARE(second.exitCode, 2);
        QVERIFY2(second.err.contains(out + ": another atelier-cli sweep run"),
                 qPrintable(second.err));
        QVERIFY(second.out.isEmpty());
        QCOMPARE(sweep.state(), QProcess::Running);

        interrupt(sweep);
        if (QTest::currentTestFailed())
            return;
        const QString err = QString::fromUtf8(sweep.readAllStandardError());
        QVERIFY2(sweep.exitCode() == 130, qPrintable(err));
        QVERIFY2(err.contains("Interrupted:"), qPrintable(err));
        const CliResult status = runCli({"sweep", "status", out});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(statusCount(status.out, "running"), 0);
    }

    void ctrlCStopsAndTheSameCommandResumes()
    {
        const QString sweepFile = writeFile(m_dir.filePath("ctrlc.yaml"), mlpSweep("ctrlc", 1));
        const QString out = m_dir.filePath("ctrlc");
        const QStringList arguments = oneTrialAtATime(sweepFile, out);
        QProcess sweep;
        startAndInterruptAfterTheFirstTrial(sweep, arguments, out);
        if (QTest::currentTestFailed())
            return;
        const QString output = QString::fromUtf8(sweep.readAllStandardOutput());
        const QString err = QString::fromUtf8(sweep.readAllStandardError());
        QCOMPARE(sweep.exitCode(), 130);
        QVERIFY2(err.contains(QRegularExpression("Interrupted: \\d of 4 trials finished")),
                 qPrintable(err));
        QVERIFY2(err.contains("Resume with:\n  atelier-cli sweep run " + sweepFile + " --out " +
                              out + "\n"),
                 qPrintable(err));
        const int finished = valueOf(output, "finished").toInt();
        QVERIFY2(finished >= 1 && finished < kTrials, qPrintable(output));
        const CliResult status = runCli({"sweep", "status", out});
        QCOMPARE(statusCount(status.out, "running"), 0);
        QCOMPARE(statusCount(status.out, "completed"), finished);
        const FileState first = fileState(trialFolder(out, 0) + "/metrics.json");

        resumeAndVerifyAllCompleted(arguments, out);
        if (QTest::currentTestFailed())
            return;
        const FileState now = fileState(trialFolder(out, 0) + "/metrics.json");
        QCOMPARE(now.modified, first.modified);
        QCOMPARE(now.bytes, first.bytes);
        QCOMPARE(trainingLines(trialLog(out, 0)), 1);
    }
};

QTEST_GUILESS_MAIN(TestSweepResume)
#include "tst_sweep_resume.moc"
