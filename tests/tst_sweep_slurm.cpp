// atelier-cli sweep slurm on a real single-node Slurm (the ctest fixture `slurm`, from
// scripts/slurm/start-local.sh, sets SLURM_CONF): a job array trains every trial, submitting
// again finds nothing to do, and a task stopped by scancel (SIGTERM to the exec'd trial)
// leaves its trial interrupted and resumable by the next submission. The studio's Search
// view writes, submits and follows such an array too.
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"
#ifdef ATELIER_WITH_STUDIO
#include "ui/data/dataset_controller.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_catalog.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/search_setup_panel.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_launcher.h"
#include "ui/search/sweep_monitor.h"
#include "ui/search/trials_model.h"
#include "ui/train/training_controller.h"
#endif

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using namespace atelier::test;

namespace {

constexpr int kJobTimeoutMs = 5 * 60 * 1000;

// The log Slurm writes for task `index` of the array job `job`.
QString slurmLog(const QString& sweep, const QString& job, int index)
{
    return sweep + QString("/logs/slurm-%1_%2.out").arg(job).arg(index);
}

struct ToolResult
{
    int exitCode = -1;
    QString out, err;
};

// A Slurm client command (squeue, scancel, sinfo) with SLURM_CONF from the environment.
ToolResult runTool(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(program, arguments);
    ToolResult result;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// True once Slurm lists none of the job's tasks as pending, running or completing. A job
// that finished long ago is unknown to squeue (an error, and nothing on stdout).
bool jobGone(const QString& job)
{
    return runTool("squeue", {"-h", "-j", job, "-o", "%i %T"}).out.trimmed().isEmpty();
}

bool waitForJob(const QString& job, int timeoutMs = kJobTimeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!jobGone(job)) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QTest::qWait(500);
    }
    return true;
}

// What to print when a job did not do what it should have.
QByteArray diagnosis(const QString& sweep)
{
    QByteArray text = "squeue:\n" + runTool("squeue", {}).out.toUtf8();
    text += "sweep status:\n" + runCli({"sweep", "status", sweep}).out.toUtf8();
    const QStringList logs = QDir(sweep + "/logs").entryList({"slurm-*.out"}, QDir::Files);
    for (const QString& log : logs)
        text += "----- " + log.toUtf8() + "\n" + fileBytes(sweep + "/logs/" + log).right(2000);
    return text;
}

} // namespace

class TestSweepSlurm : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir{QDir::tempPath() + "/atelier-sweep-slurm-XXXXXX"};
    QStringList m_jobs;      // submitted by this suite, cancelled if a test leaves them
    QString m_finishedSweep; // the sweep folder that arrayTrainsEveryTrial completed

    // sweep slurm; returns the job id, or an empty string after a failed check.
    QString submit(const QString& sweepFile, const QString& out, const QStringList& extra = {})
    {
        const CliResult r = runCli(
            QStringList{"sweep", "slurm", sweepFile, "--out", out, "--limit", "300"} + extra);
        if (r.exitCode != 0) {
            qWarning("sweep slurm exited %d: %s%s", r.exitCode, qPrintable(r.out),
                     qPrintable(r.err));
            return {};
        }
        const QString job = valueOf(r.out, "job");
        if (!QRegularExpression("^\\d+$").match(job).hasMatch()) {
            qWarning("sweep slurm printed no job id: %s%s", qPrintable(r.out), qPrintable(r.err));
            return {};
        }
        m_jobs << job;
        return job;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("SLURM_CONF"))
            QSKIP("needs a Slurm: run it through ctest (fixture slurm) or set SLURM_CONF");
        if (!hasFashionMnist())
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        QVERIFY(m_dir.isValid());
        const ToolResult sinfo = runTool("sinfo", {"-h", "-o", "%T"});
        QVERIFY2(sinfo.exitCode == 0, qPrintable("sinfo failed: " + sinfo.err));
    }

    // A test that failed half-way leaves no task writing into the next one's time.
    void cleanup()
    {
        for (const QString& job : std::as_const(m_jobs))
            if (!jobGone(job)) {
                runTool("scancel", {job});
                waitForJob(job, 60000);
            }
    }

    void arrayTrainsEveryTrial()
    {
        const QString sweepFile = writeFile(m_dir.filePath("array.yaml"), mlpSweep("array"));
        const QString out = m_dir.filePath("array");
        const QString job = submit(sweepFile, out);
        QVERIFY(!job.isEmpty());

        // Followed the way a user would: sweep status until every trial is completed.
        QElapsedTimer timer;
        timer.start();
        CliResult status;
        do {
            QTest::qWait(1000);
            status = runCli({"sweep", "status", out});
            QCOMPARE(status.exitCode, 0);
        } while (statusCount(status.out, "completed") < kTrials && timer.elapsed() < kJobTimeoutMs);
        QVERIFY2(statusCount(status.out, "completed") == kTrials, diagnosis(out).constData());
        QVERIFY2(status.out.contains("all trials finished"), qPrintable(status.out));
        // The last task rebuilds trials.csv after its trial is written: wait for it to end.
        QVERIFY2(waitForJob(job), diagnosis(out).constData());

        QCOMPARE(tableStatuses(out), QStringList(kTrials, "completed"));
        for (int i = 0; i < kTrials; ++i) {
            QCOMPARE(metricsStatus(trialFolder(out, i)), QString("completed"));
            const QString log = slurmLog(out, job, i);
            QVERIFY2(QFileInfo::exists(log), qPrintable(log));
            QVERIFY2(fileBytes(log).contains("status: completed"), fileBytes(log).constData());
        }
        m_finishedSweep = out;
    }

    void submittingAFinishedSweepAgainSubmitsNothing()
    {
        if (m_finishedSweep.isEmpty())
            QSKIP("needs the sweep folder of arrayTrainsEveryTrial");
        const QString sweepFile = m_dir.filePath("array.yaml");
        const QString script = m_finishedSweep + "/slurm/sweep.sbatch";
        const QByteArray scriptBefore = fileBytes(script);
        const CliResult r =
            runCli({"sweep", "slurm", sweepFile, "--out", m_finishedSweep, "--limit", "300"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("nothing to submit: 4 trials finished"), qPrintable(r.out));
        QVERIFY(valueOf(r.out, "job").isEmpty());
        QCOMPARE(fileBytes(script), scriptBefore);
    }

    // scancel sends SIGTERM to the batch step, which exec'd `sweep trial`: the trainer stops
    // after its batch and writes the trial as interrupted; the next submission resumes it.
#ifdef ATELIER_WITH_STUDIO
    // The studio's Search view: Write Slurm Script makes the folder and the script without a
    // job; Submit to Slurm submits the array, and the view, reading the folder as tasks
    // finish, shows every trial completed.
    void searchViewWritesSubmitsAndFollowsTheArray()
    {
        ui::PresetDocument document;
        ui::DatasetController data;
        ui::TrainingController training;
        ui::RunCatalog catalog(&training);
        ui::SearchView view(&document, &data, &catalog);
        QString error;
        const QString sweepFile = writeFile(m_dir.filePath("view.yaml"), mlpSweep("viewarray"));
        QVERIFY2(ui::SweepDraft::fromFile(sweepFile, *view.draft(), &error), qPrintable(error));
        QTRY_VERIFY(view.setupPanel()->validSweep().has_value());
        view.setImageLimit(300);
        QSignalSpy finished(view.launcher(), &ui::SweepLauncher::finished);

        const QString scriptOnly = m_dir.filePath("view-script");
        view.setSweepFolder(scriptOnly);
        QVERIFY2(view.submitToSlurm(true, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().first().toInt(), 0);
        QVERIFY(QFileInfo::exists(scriptOnly + "/slurm/sweep.sbatch"));
        QVERIFY(!QFileInfo::exists(scriptOnly + "/logs") ||
                QDir(scriptOnly + "/logs").entryList({"slurm-*.out"}, QDir::Files).isEmpty());

        const QString out = m_dir.filePath("view-array");
        view.setSweepFolder(out);
        QVERIFY2(view.submitToSlurm(false, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().first().toInt(), 0);
        const QString job = valueOf(view.launcher()->output(), "job");
        QVERIFY2(!job.isEmpty(), qPrintable(view.launcher()->output()));
        m_jobs << job;
        QTRY_VERIFY_WITH_TIMEOUT(view.monitor()->isOpen() &&
                                     view.monitor()->progress().finished == kTrials,
                                 kJobTimeoutMs);
        QVERIFY2(waitForJob(job), diagnosis(out).constData());
        QCOMPARE(view.trials()->rowCount(), kTrials);
        QCOMPARE(view.parallelChart()->table().finishedCount(), kTrials);
    }
#endif

    void cancelledTaskLeavesItsTrialResumable()
    {
        const QString sweepFile = writeFile(m_dir.filePath("cancel.yaml"), cnnSweep("cancel"));
        const QString out = m_dir.filePath("cancel");
        // One task at a time, whatever this machine's CPUs: exactly one trial is running.
        const QString job = submit(sweepFile, out, {"--max-parallel", "1"});
        QVERIFY(!job.isEmpty());

        // Cancel once a trial is in its second epoch (its first checkpointed).
        int target = -1;
        QElapsedTimer timer;
        timer.start();
        while (target < 0 && timer.elapsed() < kJobTimeoutMs) {
            for (int i = 0; i < kTrials && target < 0; ++i)
                if (inItsSecondEpoch(trialFolder(out, i)))
                    target = i;
            if (target < 0) {
                QVERIFY2(!jobGone(job), ("the job ended before a trial was seen in its second "
                                         "epoch\n" +
                                         diagnosis(out))
                                            .constData());
                QTest::qWait(5);
            }
        }
        QVERIFY2(target >= 0, diagnosis(out).constData());
        const ToolResult cancel = runTool("scancel", {job});
        QVERIFY2(cancel.exitCode == 0, qPrintable(cancel.err));
        QVERIFY2(waitForJob(job, 120000), diagnosis(out).constData());

        const CliResult status = runCli({"sweep", "status", out});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(statusCount(status.out, "running"), 0);
        QVERIFY2(statusCount(status.out, "interrupted") == 1, qPrintable(status.out));
        const int completedBefore = statusCount(status.out, "completed");
        QVERIFY2(completedBefore < kTrials, qPrintable(status.out));
        const QString targetFolder = trialFolder(out, target);
        // Stopped by SIGTERM, not killed: written as interrupted with its checkpoint.
        QCOMPARE(metricsStatus(targetFolder), QString("interrupted"));
        QVERIFY(QFileInfo::exists(targetFolder + "/checkpoint.pt"));
        const QString firstLog = slurmLog(out, job, target);
        QVERIFY2(fileBytes(firstLog).contains("status: interrupted"),
                 fileBytes(firstLog).constData());
        QCOMPARE(tableStatuses(out).value(target), QString("interrupted"));

        // Submitting again runs what is missing: the interrupted trial and those never run.
        const QString again = submit(sweepFile, out);
        QVERIFY(!again.isEmpty());
        QVERIFY2(waitForJob(again), diagnosis(out).constData());
        const CliResult done = runCli({"sweep", "status", out});
        QVERIFY2(statusCount(done.out, "completed") == kTrials, diagnosis(out).constData());
        QCOMPARE(tableStatuses(out), QStringList(kTrials, "completed"));
        int tasks = 0;
        for (int i = 0; i < kTrials; ++i)
            tasks += QFileInfo::exists(slurmLog(out, again, i));
        QCOMPARE(tasks, kTrials - completedBefore);
        const QString resumedLog = slurmLog(out, again, target);
        QVERIFY2(fileBytes(resumedLog).contains("\nResuming after epoch "),
                 fileBytes(resumedLog).constData());
        QCOMPARE(historyRows(targetFolder), 3);
    }
};

#ifdef ATELIER_WITH_STUDIO
QTEST_MAIN(TestSweepSlurm) // a QApplication, for the Search view's widgets
#else
QTEST_GUILESS_MAIN(TestSweepSlurm)
#endif
#include "tst_sweep_slurm.moc"
