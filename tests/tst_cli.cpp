// atelier-cli end to end: output on real and generated data, exit codes and one-line
// messages for bad input.
#include "support/cli_runner.h"
#include "support/idx_writer.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier::test;

namespace {

QString writeText(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return file.fileName();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dataOnTheRealDataset()
    {
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist"))
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove("ATELIER_DATA");
        const CliResult r = runCli({"data"}, environment);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression("train\\s+60000×784")), qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression("train\\s+48000×784")));
        QVERIFY(r.out.contains(QRegularExpression("dev\\s+12000×784")));
        QVERIFY(r.out.contains(QRegularExpression("test\\s+10000×784")));
        QVERIFY(r.out.contains(QRegularExpression("9\\s+Ankle boot\\s+4,800\\s+1,200\\s+1,000")));
        QVERIFY(r.out.contains(QRegularExpression("total\\s+48,000\\s+12,000\\s+10,000")));
    }

    void dataFromFlagAndEnvironment()
    {
        QTemporaryDir dir;
        writeFashionMnist(dir.path().toStdString(), 100, 30, false);
        CliResult r = runCli({"data", "--data", dir.path(), "--dev-fraction", "0.1"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression("train\\s+90×784")), qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression("dev\\s+10×784")));

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("ATELIER_DATA", dir.path());
        r = runCli({"data"}, environment);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QRegularExpression("test\\s+30×784")));
    }

    void badDataIsExitCode2WithTheFileNamed()
    {
        QTemporaryDir dir;
        writeFashionMnist(dir.path().toStdString(), 20, 10, true);
        const QString labels = dir.filePath("train-labels-idx1-ubyte.gz");
        writeBytes(labels.toStdString(), labelsFile({1, 2, 3})); // raw bytes under a .gz name
        CliResult r = runCli({"data", "--data", dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(labels + ": not gzip data"), qPrintable(r.err));

        r = runCli({"data", "--data", "/nonexistent/folder"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("/nonexistent/folder: no such folder"), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 1); // "Loading ..." then one line of error
    }

    void summaryOfAShippedPreset()
    {
        const CliResult r = runCli({"summary", ATELIER_PRESETS_DIR "/cnn_large.yaml"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Model: cnn_large"));
        QVERIFY2(r.out.contains(QRegularExpression("max_pool2d_3 \\(MaxPool2D\\)\\s+128×4×4")),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("Total params: 398,090"));
        QVERIFY(r.err.isEmpty());
    }

    void summaryOfAnInvalidStack()
    {
        QTemporaryDir dir;
        const QString path = writeText(dir, "bad.yaml", R"(model:
  input: [1, 28, 28]
  layers:
    - {type: flatten}
    - {type: dense, units: 128, activation: relu}
    - {type: flatten}
    - {type: conv2d, filters: 8, kernel: 3}
    - {type: dense, units: 10}
)");
        const CliResult r = runCli({"summary", path});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.trimmed(),
                 path + ": layer 4 conv2d: needs a 3-D input (C×H×W) but gets 128 after flatten");
        QVERIFY(r.out.isEmpty());
    }

    void summaryOfBrokenYaml_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax") << QByteArray("model: {layers: [\n") << ":2:1: YAML syntax error";
        QTest::newRow("wrong type")
            << QByteArray("model:\n  layers:\n    - {type: dense, units: x}\n")
            << ":3:28 model.layers[1].units: expected an integer, got 'x'";
        QTest::newRow("duplicate") << QByteArray("model:\n  layers: []\nmodel: {}\n")
                                   << ":3:1 model: duplicate key (first set at line 1)";
    }

    void summaryOfBrokenYaml()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = writeText(dir, "broken.yaml", yaml);
        const CliResult r = runCli({"summary", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(path + expected), qPrintable(r.err));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrFragment");
        QTest::newRow("no command") << QStringList{} << 2 << "A subcommand is required";
        QTest::newRow("unknown command") << QStringList{"trian"} << 2 << "unknown command 'trian'";
        QTest::newRow("summary without preset")
            << QStringList{"summary"} << 2 << "preset is required";
        QTest::newRow("missing preset file")
            << QStringList{"summary", "/nonexistent.yaml"} << 2 << "/nonexistent.yaml: cannot open";
        QTest::newRow("dev fraction out of range")
            << QStringList{"data", "--dev-fraction", "1.5"} << 2 << "--dev-fraction";
        QTest::newRow("dev fraction not a number")
            << QStringList{"data", "--dev-fraction", "abc"} << 2 << "--dev-fraction";
        QTest::newRow("unknown option") << QStringList{"data", "--bogus"} << 2 << "--bogus";
        QTest::newRow("help") << QStringList{"--help"} << 0 << "";
        QTest::newRow("command help") << QStringList{"summary", "--help"} << 0 << "";
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrFragment);
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(stderrFragment), qPrintable(r.err));
        if (exitCode == 0)
            QVERIFY(r.out.contains("Usage:"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
