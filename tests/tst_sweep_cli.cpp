// atelier-cli sweep end to end on the real dataset (docs/sweeps.md): a local sweep of four
// trials run, followed and reported; resumed after kill -9 of the sweep process and after
// Ctrl-C without rerunning a finished trial; the same results with one job or two; and bad
// input refused (exit 2) before anything is written.
#include "core/run_lock.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <csignal>

using namespace atelier::test;

namespace {

QString trialLog(const QString& sweep, int index)
{
    return sweep + QString("/logs/trial-%1.log").arg(index, 4, 10, QChar('0'));
}

// Lines of a trial's log that start its training ("Training 12,730 parameters on cpu...").
int trainingLines(const QString& log)
{
    return int(QString::fromUtf8(fileBytes(log))
                   .count(QRegularExpression("^Training [0-9,]+ parameters",
                                             QRegularExpression::MultilineOption)));
}

// Every path under `directory`, for checking that a refused command wrote nothing.
QStringList tree(const QString& directory)
{
    QStringList paths;
    QDirIterator it(directory, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    return paths;
}

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

// Checks the table of a finished sweep: a header and one completed row per trial, in order,
// each with a dev accuracy in (0, 1] and its run folder trials/NNNN holding metrics.json.
void verifyAllCompleted(const QString& sweep)
{
    const TrialsTable table = readTrialsCsv(sweep);
    const QStringList results = {"params",       "best_epoch",    "epochs",  "val_loss",
                                 "val_accuracy", "test_accuracy", "seconds", "run_folder"};
    QVERIFY2(table.header.size() > results.size() + 2, qPrintable(table.header.join(',')));
    QCOMPARE(table.header.mid(0, 2), QStringList({"index", "status"}));
    QCOMPARE(table.header.mid(table.header.size() - results.size()), results);
    QCOMPARE(table.rows.size(), kTrials);
    for (int i = 0; i < kTrials; ++i) {
        const QMap<QString, QString>& row = table.rows[i];
        QCOMPARE(row["index"], QString::number(i));
        QCOMPARE(row["status"], QString("completed"));
        bool ok = false;
        const double accuracy = row["val_accuracy"].toDouble(&ok);
        QVERIFY2(ok && accuracy > 0 && accuracy <= 1, qPrintable(row["val_accuracy"]));
        QCOMPARE(row["run_folder"], QString("trials/%1").arg(i, 4, 10, QChar('0')));
        QVERIFY(QFileInfo::exists(sweep + "/" + row["run_folder"] + "/metrics.json"));
        QCOMPARE(metricsStatus(sweep + "/" + row["run_folder"]), QString("completed"));
    }
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

class TestSweepCli : public QObject
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

    void fourTrialsRunFollowAndReport()
    {
        const QString sweepFile = writeFile(m_dir.filePath("four.yaml"), mlpSweep("four", 1));
        const QString out = m_dir.filePath("four");
        const CliResult run =
            runCli({"sweep", "run", sweepFile, "--out", out, "--limit", "300", "--jobs", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(valueOf(run.out, "trials"), QString::number(kTrials));
        QCOMPARE(valueOf(run.out, "finished"), QString::number(kTrials));
        QVERIFY2(run.err.contains("2 jobs"), qPrintable(run.err));
        verifyAllCompleted(out);
        if (QTest::currentTestFailed())
            return;
        for (int i = 0; i < kTrials; ++i)
            QCOMPARE(trainingLines(trialLog(out, i)), 1);

        const CliResult status = runCli({"sweep", "status", out});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(statusCount(status.out, "completed"), kTrials);
        QCOMPARE(statusCount(status.out, "running"), 0);
        QCOMPARE(statusCount(status.out, "interrupted"), 0);
        QCOMPARE(statusCount(status.out, "pending"), 0);

        const CliResult report = runCli({"sweep", "report", out});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        // "   1     3       0.4833   1.5241      1     25,450  model.layers[1].units=32 ..."
        const QRegularExpression rankLine(
            "^\\s*(\\d+)\\s+(\\d+)\\s+(\\d\\.\\d{4})\\s+(\\d+\\.\\d{4})\\s+\\d+\\s+[0-9,]+\\s+\\S",
            QRegularExpression::MultilineOption);
        QList<int> rankedTrials;
        QList<double> rankedAccuracies;
        for (auto it = rankLine.globalMatch(report.out); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            QCOMPARE(match.captured(1).toInt(), int(rankedTrials.size()) + 1);
            rankedTrials << match.captured(2).toInt();
            rankedAccuracies << match.captured(3).toDouble();
        }
        QCOMPARE(rankedTrials.size(), kTrials);
        QVERIFY2(std::is_sorted(rankedAccuracies.rbegin(), rankedAccuracies.rend()),
                 qPrintable(report.out));
        const TrialsTable table = readTrialsCsv(out);
        double highest = 0;
        for (const auto& row : table.rows)
            highest = std::max(highest, row["val_accuracy"].toDouble());
        const int best = rankedTrials.first();
        QVERIFY(best >= 0 && best < kTrials);
        QCOMPARE(table.rows[best]["val_accuracy"].toDouble(), highest);
        QVERIFY(qAbs(rankedAccuracies.first() - highest) < 0.00006);
        QVERIFY2(report.out.contains(QString("best: trial %1,").arg(best)), qPrintable(report.out));

        const QString bestFile = out + "/best.yaml";
        QVERIFY(QFileInfo::exists(bestFile));
        const CliResult summary = runCli({"summary", bestFile});
        QVERIFY2(summary.exitCode == 0, qPrintable(summary.err));
        QVERIFY(summary.out.contains("Model: four_best"));
        // The preset of the best trial: its width, so its parameter count.
        const QString params =
            QRegularExpression("Total params: ([0-9,]+)").match(summary.out).captured(1);
        QCOMPARE(QString(params).remove(','), table.rows[best]["params"]);
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

    // A random sweep may grow (a larger fraction starts with the smaller one's trials), but
    // a fraction that leaves out trials already run is refused and the folder kept.
    void aSmallerFractionThanTheTrialsRunIsRefused()
    {
        const QByteArray grid = mlpSweep("fraction", 1);
        const QString sweepFile = writeFile(
            m_dir.filePath("fraction.yaml"),
            QByteArray(grid).replace("method: grid\n", "method: random\nfraction: 1.0\n"));
        const QString out = m_dir.filePath("fraction");
        const CliResult run = runCli(
            {"sweep", "run", sweepFile, "--out", out, "--limit", "300", "--jobs", "2", "-q"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(valueOf(run.out, "trials"), QString::number(kTrials));
        verifyAllCompleted(out);
        if (QTest::currentTestFailed())
            return;
        const QByteArray recorded = fileBytes(out + "/sweep.yaml");
        const QByteArray settings = fileBytes(out + "/sweep.json");
        const QByteArray table = fileBytes(out + "/trials.csv");
        const QStringList before = tree(out);

        writeFile(sweepFile,
                  QByteArray(grid).replace("method: grid\n", "method: random\nfraction: 0.5\n"));
        for (const QString command : {"run", "slurm"}) {
            QStringList arguments = {"sweep", command, sweepFile, "--out", out, "--limit", "300"};
            if (command == "slurm")
                arguments << "--dry-run";
            const CliResult r = runCli(arguments);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(out + ": the sweep now has 2 trials, but trial 2 of its 4 "
                                          "has run already") &&
                         r.err.contains("never drops a trial"),
                     qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
            QCOMPARE(fileBytes(out + "/sweep.yaml"), recorded);
            QCOMPARE(fileBytes(out + "/sweep.json"), settings);
            QCOMPARE(fileBytes(out + "/trials.csv"), table);
            QCOMPARE(tree(out), before);
        }
        const CliResult status = runCli({"sweep", "status", out});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(statusCount(status.out, "completed"), kTrials);
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

    // Trials are separate processes with their own seeds: how many run at once changes
    // nothing in their results.
    void oneJobOrTwoGiveTheSameResults()
    {
        const QString sweepFile = writeFile(m_dir.filePath("jobs.yaml"), mlpSweep("jobs", 2));
        QList<TrialsTable> tables;
        for (const QString jobs : {"1", "2"}) {
            const QString out = m_dir.filePath("jobs-" + jobs);
            const CliResult run =
                runCli({"sweep", "run", sweepFile, "--out", out, "--limit", "300", "--jobs", jobs,
                        "--threads", "1", "--device", "cpu", "--quiet"});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            verifyAllCompleted(out);
            if (QTest::currentTestFailed())
                return;
            tables << readTrialsCsv(out);
        }
        for (int i = 0; i < kTrials; ++i)
            for (const QString column :
                 {"params", "best_epoch", "epochs", "val_loss", "val_accuracy", "test_accuracy"})
                QCOMPARE(tables[1].rows[i][column], tables[0].rows[i][column]);
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

    // Problems in the sweep file: file:line:col key.path, exit 2, no folder made.
    void badSweepFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        const QByteArray good = mlpSweep("bad", 1);
        QTest::newRow("unknown key path")
            << QByteArray(good).replace("training.optimizer.learning_rate: [",
                                        "training.optimiser.learning_rate: [")
            << "space.training.optimiser.learning_rate"
            << "no key path 'training.optimiser.learning_rate' in the base preset "
               "(training.optimiser is not in the base preset); the closest is "
               "training.optimizer.learning_rate";
        QTest::newRow("fraction 1.5")
            << QByteArray(good).replace("method: grid\n", "method: random\nfraction: 1.5\n")
            << "fraction"
            << "1.5 is out of range (0, 1]";
        QTest::newRow("empty space")
            << QByteArray(good.left(good.indexOf("space:\n"))) + "space: {}\n"
            << "space"
            << "is empty";
    }

    void badSweepFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, key);
        QFETCH(QString, message);
        const QString sweepFile = writeFile(
            m_dir.filePath("bad-" + QString(QTest::currentDataTag()).replace(' ', '-') + ".yaml"),
            text);
        // The line of the problem: where its key is written.
        const QString keyText = key.startsWith("space.") ? key.mid(6) : key;
        const int line = int(text.left(text.indexOf(keyText.toUtf8() + ":")).count('\n')) + 1;
        for (const QString command : {"run", "slurm", "plan"}) {
            const QString out = m_dir.filePath("never-" + command);
            QStringList arguments = {"sweep", command, sweepFile};
            if (command != "plan")
                arguments << "--out" << out << "--limit"
                          << "300";
            const CliResult r = runCli(arguments);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QRegularExpression(
                         QRegularExpression::escape(sweepFile) + QString(":%1:\\d+ ").arg(line) +
                         QRegularExpression::escape(key + ": " + message))),
                     qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
            QVERIFY(!QFileInfo::exists(out));
        }
    }

    void missingDataIsRefusedBeforeAnything()
    {
        const QString sweepFile = writeFile(m_dir.filePath("nodata.yaml"), mlpSweep("nodata", 1));
        const QString out = m_dir.filePath("nodata");
        const CliResult r = runCli({"sweep", "run", sweepFile, "--out", out, "--limit", "300",
                                    "--data", m_dir.filePath("no-data-here")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(m_dir.filePath("no-data-here") + ": no such folder"),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(out));
    }

    void outIsAFolderThatIsNoSweep()
    {
        const QString sweepFile = writeFile(m_dir.filePath("other.yaml"), mlpSweep("other", 1));
        const QString out = m_dir.filePath("not-a-sweep");
        QVERIFY(QDir().mkpath(out));
        writeFile(out + "/notes.txt", "mine\n");
        for (const QString command : {"run", "slurm"}) {
            const CliResult r =
                runCli({"sweep", command, sweepFile, "--out", out, "--limit", "300"});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(out + ": not a sweep folder (no sweep.yaml) and not empty"),
                     qPrintable(r.err));
            QCOMPARE(tree(out), QStringList{out + "/notes.txt"});
        }
        for (const QString command : {"status", "report"}) {
            const CliResult r = runCli({"sweep", command, out});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(out + ": not a sweep folder (no sweep.yaml)"),
                     qPrintable(r.err));
            QCOMPARE(tree(out), QStringList{out + "/notes.txt"});
        }
        const CliResult missing = runCli({"sweep", "status", m_dir.filePath("nowhere")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(m_dir.filePath("nowhere") + ": no such sweep folder"),
                 qPrintable(missing.err));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("nowhere")));
    }

    // A finished folder refuses another space, a trial it does not have, and other settings.
    void aSweepFolderKeepsItsSpace()
    {
        const QString sweepFile = writeFile(m_dir.filePath("space.yaml"), mlpSweep("space", 1));
        const QString out = m_dir.filePath("space");
        const CliResult run = runCli(
            {"sweep", "run", sweepFile, "--out", out, "--limit", "300", "--jobs", "2", "-q"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList before = tree(out);
        const QByteArray table = fileBytes(out + "/trials.csv");

        writeFile(sweepFile, mlpSweep("space", 1, "[16, 48]"));
        for (const QString command : {"run", "slurm"}) {
            const CliResult r =
                runCli({"sweep", command, sweepFile, "--out", out, "--limit", "300"});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(out + ": this sweep folder was made from a different space"),
                     qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
        writeFile(sweepFile, mlpSweep("space", 1));
        const CliResult otherLimit =
            runCli({"sweep", "run", sweepFile, "--out", out, "--limit", "200"});
        QCOMPARE(otherLimit.exitCode, 2);
        QVERIFY2(otherLimit.err.contains("made with --limit 300"), qPrintable(otherLimit.err));

        const CliResult trial = runCli({"sweep", "trial", out, "99"});
        QCOMPARE(trial.exitCode, 2);
        QVERIFY2(trial.err.contains(out + ": no trial 99; the sweep has 4 trials (0 to 3)"),
                 qPrintable(trial.err));
        QVERIFY(trial.out.isEmpty());

        QCOMPARE(tree(out), before);
        QCOMPARE(fileBytes(out + "/trials.csv"), table);

        // Asking again for a finished trial trains nothing.
        const CliResult again = runCli({"sweep", "trial", out, "2"});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(valueOf(again.out, "status"), QString("finished"));
        QCOMPARE(trainingLines(trialLog(out, 2)), 1);
    }

    void slurmWithoutSbatch()
    {
        const QString sweepFile = writeFile(m_dir.filePath("nosbatch.yaml"), mlpSweep("nosb", 1));
        const QString out = m_dir.filePath("nosbatch");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("PATH", "/nonexistent");
        const CliResult r =
            runCli({"sweep", "slurm", sweepFile, "--out", out, "--limit", "300"}, environment);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("sbatch not found on PATH"), qPrintable(r.err));
        QVERIFY(valueOf(r.out, "job").isEmpty());
        // The script stays written, as the message says (docs/sweeps.md).
        QVERIFY2(r.err.contains(out + "/slurm/sweep.sbatch"), qPrintable(r.err));
        QVERIFY(QFileInfo::exists(out + "/slurm/sweep.sbatch"));
    }

    // #SBATCH lines cannot quote: a folder with a space in its path is refused before
    // anything is made.
    void slurmRefusesAFolderWithASpace()
    {
        const QString sweepFile = writeFile(m_dir.filePath("spaced.yaml"), mlpSweep("spaced", 1));
        const QString parent = m_dir.filePath("with space");
        const QString out = parent + "/sweep";
        const CliResult r =
            runCli({"sweep", "slurm", sweepFile, "--out", out, "--limit", "300", "--dry-run"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(out + ": a sweep folder for Slurm cannot have spaces"),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(parent));
    }

    void slurmDryRunWritesTheArrayScript()
    {
        const QString sweepFile = writeFile(m_dir.filePath("dry.yaml"), mlpSweep("dry", 1));
        const QString out = m_dir.filePath("dry");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("PATH", "/nonexistent"); // not needed for a dry run
        const CliResult r =
            runCli({"sweep", "slurm", sweepFile, "--out", out, "--limit", "300", "--dry-run"},
                   environment);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(valueOf(r.out, "script"), out + "/slurm/sweep.sbatch");
        QCOMPARE(valueOf(r.out, "tasks"), QString("4 of 4 trials"));
        QVERIFY(valueOf(r.out, "job").isEmpty());
        QVERIFY2(r.err.contains("Dry run: not submitted"), qPrintable(r.err));
        QString script = QString::fromUtf8(fileBytes(out + "/slurm/sweep.sbatch"));
        QVERIFY2(script.startsWith("#!/bin/bash\n"), qPrintable(script));
        QVERIFY2(script.contains("\n#SBATCH --array=0-3\n"), qPrintable(script));
        QVERIFY2(script.contains("\n#SBATCH --cpus-per-task=2\n"), qPrintable(script));
        QVERIFY2(script.contains("\n#SBATCH --output=" + out + "/logs/slurm-%A_%a.out\n"),
                 qPrintable(script));
        // Plain paths as they are (a path with a space or a quote would be single-quoted).
        QVERIFY2(script.contains(QString("exec %1 sweep trial %2 \"$SLURM_ARRAY_TASK_ID\"")
                                     .arg(QFileInfo(ATELIER_CLI_PATH).canonicalFilePath(), out)),
                 qPrintable(script));
        // --max-parallel limits the tasks running at once.
        const CliResult limited = runCli({"sweep", "slurm", sweepFile, "--out", out, "--limit",
                                          "300", "--max-parallel", "2", "--dry-run"},
                                         environment);
        QVERIFY2(limited.exitCode == 0, qPrintable(limited.err));
        script = QString::fromUtf8(fileBytes(out + "/slurm/sweep.sbatch"));
        QVERIFY2(script.contains("\n#SBATCH --array=0-3%2\n"), qPrintable(script));
        // Nothing trained; the folder is a sweep folder with every trial pending.
        const CliResult status = runCli({"sweep", "status", out});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(statusCount(status.out, "pending"), kTrials);
    }
};

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweep_cli.moc"
