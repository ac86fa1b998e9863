// atelier-cli sweep end to end on the real dataset (docs/sweeps.md): a local sweep of four
// trials run, followed and reported; the same results with one job or two; bad input, a
// folder that is no sweep, another space or settings for a sweep folder and a fraction that
// drops trials refused (exit 2) before anything is written; the Slurm array script of a dry
// run, and sbatch missing. Sweeps interrupted and resumed: tst_sweep_resume.cpp.
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace atelier::test;

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
