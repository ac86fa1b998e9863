// atelier-cli train and eval end to end on the real dataset: results on stdout, a complete
// run folder, Ctrl-C (exit 130, status interrupted), and bad option values (exit 2).
#include "support/cli_runner.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace atelier::test;

namespace {

QJsonObject readMetrics(const QString& folder)
{
    QFile file(folder + "/metrics.json");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestCliTrain : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist") &&
            qEnvironmentVariableIsEmpty("ATELIER_DATA"))
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
    }

    void trainThenEval()
    {
        const QString out = m_dir.filePath("runs");
        const CliResult train = runCli({"train", ATELIER_PRESETS_DIR "/mlp_small.yaml", "--epochs",
                                        "2", "--limit", "3000", "--out", out, "--seed", "7",
                                        "--threads", "2", "--device", "cpu", "--batch-size", "64"});
        QCOMPARE(train.exitCode, 0);
        QVERIFY2(train.err.contains(
                     QRegularExpression("Epoch 2/2 - [0-9.]+s - [0-9,]+ samples/s - loss: ")),
                 qPrintable(train.err));
        QVERIFY(train.err.contains("on cpu ("));
        QCOMPARE(valueOf(train.out, "status"), QString("completed"));
        const double accuracy = valueOf(train.out, "test_accuracy").toDouble();
        QVERIFY2(accuracy > 0.7, qPrintable(train.out));
        const QString folder = valueOf(train.out, "run");
        QVERIFY(folder.startsWith(out + "/mlp_small-"));
        const QJsonObject metrics = readMetrics(folder);
        QCOMPARE(metrics["seed"].toInt(), 7);
        QCOMPARE(metrics["train_count"].toInt(), 3000);
        QCOMPARE(metrics["threads"].toInt(), 2);
        QCOMPARE(metrics["batch_size"].toInt(), 64);
        QVERIFY(metrics["eval_samples_per_second"].toDouble() > 0);

        const CliResult eval = runCli({"eval", folder});
        QCOMPARE(eval.exitCode, 0);
        QCOMPARE(valueOf(eval.out, "test_accuracy").toDouble(), accuracy);
        QVERIFY(eval.out.contains("Confusion matrix (rows: true class, columns: predicted class)"));
        QVERIFY(eval.out.contains(QRegularExpression("9 Ankle boot\\s+(\\d+\\s+){10}")));
        QVERIFY(eval.out.contains(QRegularExpression("macro average\\s+0\\.\\d{4}")));
    }

    void ctrlCKeepsTheRun()
    {
        QProcess process;
        const QString out = m_dir.filePath("interrupted");
        process.start(ATELIER_CLI_PATH,
                      {"train", ATELIER_PRESETS_DIR "/cnn_medium.yaml", "--out", out});
        QVERIFY(process.waitForStarted());
        // Wait until training runs (the header line is printed after the data is loaded).
        QByteArray err;
        QElapsedTimer timer;
        timer.start();
        while (!err.contains("Training cnn_medium") && timer.elapsed() < 60000) {
            process.waitForReadyRead(200);
            err += process.readAllStandardError();
        }
        QVERIFY2(err.contains("Training cnn_medium"), err.constData());
        QTest::qWait(1500);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 130);
        const QString output = QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(valueOf(output, "status"), QString("interrupted"));
        const QJsonObject metrics = readMetrics(valueOf(output, "run"));
        QCOMPARE(metrics["status"].toString(), QString("interrupted"));
        QVERIFY(QFileInfo::exists(valueOf(output, "run") + "/model.pt"));
    }

    // --precision bf16 is recorded in the run's preset, and eval computes as training did.
    void mixedPrecisionRun()
    {
        const QString out = m_dir.filePath("bf16");
        const CliResult train =
            runCli({"train", ATELIER_PRESETS_DIR "/cnn_small.yaml", "--epochs", "1", "--limit",
                    "1200", "--out", out, "--precision", "bf16", "--no-layer-stats"});
        QCOMPARE(train.exitCode, 0);
        QVERIFY2(train.err.contains(", bf16 mixed precision\n"), qPrintable(train.err));
        const QString folder = valueOf(train.out, "run");
        QFile preset(folder + "/preset.yaml");
        QVERIFY(preset.open(QIODevice::ReadOnly));
        QVERIFY(preset.readAll().contains("precision: bf16"));
        const CliResult eval = runCli({"eval", folder});
        QCOMPARE(eval.exitCode, 0);
        QCOMPARE(valueOf(eval.out, "test_accuracy"), valueOf(train.out, "test_accuracy"));
    }

    void badOptionValues_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString preset = ATELIER_PRESETS_DIR "/mlp_small.yaml";
        QTest::newRow("epochs 0") << QStringList{"train", preset, "--epochs", "0"} << "--epochs";
        QTest::newRow("epochs text")
            << QStringList{"train", preset, "--epochs", "many"} << "--epochs";
        QTest::newRow("limit 0") << QStringList{"train", preset, "--limit", "0"} << "--limit";
        QTest::newRow("seed negative") << QStringList{"train", preset, "--seed", "-3"} << "--seed";
        QTest::newRow("device tpu")
            << QStringList{"train", preset, "--device", "tpu"} << "--device";
        QTest::newRow("precision fp16")
            << QStringList{"train", preset, "--precision", "fp16"} << "--precision";
        QTest::newRow("precision on resume")
            << QStringList{"train", "--resume", "/nonexistent-run", "--precision", "bf16"}
            << "--precision cannot be given with it";
        QTest::newRow("batch size 0")
            << QStringList{"train", preset, "--batch-size", "0"} << "--batch-size";
        QTest::newRow("threads 0") << QStringList{"train", preset, "--threads", "0"} << "--threads";
        QTest::newRow("missing preset")
            << QStringList{"train", "/nonexistent.yaml"} << "/nonexistent.yaml: cannot open";
        QTest::newRow("eval of a missing folder")
            << QStringList{"eval", "/nonexistent-run"} << "/nonexistent-run: no such run folder";
    }

    void badOptionValues()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void invalidModelIsRefusedBeforeTraining()
    {
        const QString path = m_dir.filePath("bad.yaml");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("model:\n  input: [784]\n  layers:\n    - {type: dense, units: 12}\n");
        file.close();
        const CliResult r = runCli({"train", path, "--out", m_dir.filePath("never")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path + ": model: the stack ends with 12 outputs"),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("never")));
    }

    void cudaWithoutAGpu()
    {
        const CliResult probe =
            runCli({"train", ATELIER_PRESETS_DIR "/mlp_small.yaml", "--device", "cuda", "--limit",
                    "100", "--epochs", "1", "--out", m_dir.filePath("cuda")});
        if (probe.exitCode == 0)
            QSKIP("this machine has a GPU");
        QCOMPARE(probe.exitCode, 2);
        QVERIFY2(probe.err.contains("device cuda: no CUDA GPU is available"),
                 qPrintable(probe.err));
    }

    void evalOfAnIncompleteRun()
    {
        QDir(m_dir.path()).mkpath("partial/run");
        const CliResult r = runCli({"eval", m_dir.filePath("partial/run")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("incomplete run (no metrics.json)"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
