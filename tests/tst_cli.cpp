// atelier-cli end to end: output on real and generated data, exit codes and one-line
// messages for bad input.
#include "core/version_info.h"
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
    // Both programs print the same four lines; the studio answers without a display.
    void versionNamesTorchAndDevices_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("path");
        QTest::newRow("atelier-cli") << "atelier-cli" << ATELIER_CLI_PATH;
#ifdef ATELIER_STUDIO_PATH
        QTest::newRow("atelier") << "atelier" << ATELIER_STUDIO_PATH;
#endif
    }

    void versionNamesTorchAndDevices()
    {
        QFETCH(QString, program);
        QFETCH(QString, path);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* variable : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(variable);
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(path, {"--version"});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.isEmpty(), qPrintable(err));

        const QStringList lines =
            QString::fromUtf8(process.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0), program + " " ATELIER_VERSION);
        // What the library reports in this process is what the program must have printed.
        const atelier::VersionInfo info = atelier::versionInfo();
        QVERIFY2(QRegularExpression("^\\d+\\.\\d+\\.\\d+$")
                     .match(QString::fromStdString(info.torch))
                     .hasMatch(),
                 info.torch.c_str());
        QCOMPARE(lines.at(1), "LibTorch: " + QString::fromStdString(info.torch));
        QCOMPARE(lines.at(2), QStringLiteral("CPU: yes"));
        const QString runtime = QString::fromStdString(info.cudaRuntime);
        if (!info.cudaCompiled)
            QCOMPARE(lines.at(3),
                     QStringLiteral("CUDA: no (this LibTorch was built without CUDA)"));
        else if (info.cudaDevices == 0)
            QCOMPARE(lines.at(3),
                     "CUDA: compiled in (CUDA " + runtime + "), but no device is available");
        else
            QVERIFY2(lines.at(3).startsWith("CUDA: yes (CUDA " + runtime + ", " +
                                            QString::number(info.cudaDevices) + " device"),
                     qPrintable(lines.at(3)));
    }

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

    // Finding 9 of issue 9: `--seed -1` printed a 300-digit limit and a seed too large for
    // any integer was clamped without a word. Every numeric option states its range.
    void numericOptionsStateTheirRange_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString seedRange = "is not a whole number from 0 to 9,223,372,036,854,775,807";
        const QStringList train = {"train", "p.yaml"};
        QTest::newRow("seed negative")
            << train + QStringList{"--seed", "-1"} << "--seed: '-1' " + seedRange;
        QTest::newRow("seed beyond int64") << train + QStringList{"--seed", "99999999999999999999"}
                                           << "--seed: '99999999999999999999' " + seedRange;
        QTest::newRow("seed fraction")
            << train + QStringList{"--seed", "1.5"} << "--seed: '1.5' " + seedRange;
        QTest::newRow("epochs zero") << train + QStringList{"--epochs", "0"}
                                     << "--epochs: '0' is not a whole number from 1 to 10,000";
        QTest::newRow("epochs beyond int")
            << train + QStringList{"--epochs", "4294967297"}
            << "--epochs: '4294967297' is not a whole number from 1 to 10,000";
        QTest::newRow("batch size word")
            << train + QStringList{"--batch-size", "many"}
            << "--batch-size: 'many' is not a whole number from 1 to 60,000";
        QTest::newRow("batch size exponent")
            << train + QStringList{"--batch-size", "1e3"}
            << "--batch-size: '1e3' is not a whole number from 1 to 60,000";
        QTest::newRow("limit") << train + QStringList{"--limit", "60001"}
                               << "--limit: '60001' is not a whole number from 1 to 60,000";
        QTest::newRow("train threads") << train + QStringList{"--threads", "0"}
                                       << "--threads: '0' is not a whole number from 1 to 1,024";
        QTest::newRow("eval threads") << QStringList{"eval", "RUN", "--threads", "-3"}
                                      << "--threads: '-3' is not a whole number from 1 to 1,024";
        QTest::newRow("export width") << QStringList{"export", "RUN", "--width", "199"}
                                      << "--width: '199' is not a whole number from 200 to 8,000";
        QTest::newRow("export height") << QStringList{"export", "RUN", "--height", "1e9"}
                                       << "--height: '1e9' is not a whole number from 200 to 8,000";
        QTest::newRow("dev fraction zero")
            << QStringList{"data", "--dev-fraction", "0"}
            << "--dev-fraction: '0' is not a number above 0 up to 0.9";
        QTest::newRow("dev fraction nan")
            << QStringList{"data", "--dev-fraction", "nan"}
            << "--dev-fraction: 'nan' is not a number above 0 up to 0.9";
        QTest::newRow("dev fraction huge")
            << QStringList{"data", "--dev-fraction", "1e300"}
            << "--dev-fraction: '1e300' is not a number above 0 up to 0.9";
        QTest::newRow("split seed negative")
            << QStringList{"data", "--split-seed", "-1"} << "--split-seed: '-1' " + seedRange;
        QTest::newRow("split seed beyond int64")
            << QStringList{"data", "--split-seed", "9223372036854775808"}
            << "--split-seed: '9223372036854775808' " + seedRange;
    }

    void numericOptionsStateTheirRange()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(!r.err.contains("e+"), qPrintable(r.err)); // no 1.79769e+308 limits
        QVERIFY(r.out.isEmpty());
    }

    void inRangeNumbersAreAccepted()
    {
        QTemporaryDir dir;
        writeFashionMnist(dir.path().toStdString(), 100, 30, false);
        const CliResult r = runCli({"data", "--data", dir.path(), "--dev-fraction", "0.9",
                                    "--split-seed", "9223372036854775807"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("split seed 9223372036854775807"), qPrintable(r.out));
    }

    // Finding 6: `--out ""` wrote run folders into "/".
    void emptyOutputFoldersAreRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("train") << QStringList{"train", ATELIER_PRESETS_DIR "/mlp_small.yaml",
                                              "--out", ""};
        QTest::newRow("export") << QStringList{"export", "RUN", "--out", ""};
    }

    void emptyOutputFoldersAreRefused()
    {
        QFETCH(QStringList, arguments);
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--out: must not be empty"), qPrintable(r.err));
    }

    // Finding 6: the preset name became part of the run folder's path unchecked.
    void presetNamesThatWouldLeaveTheOutputFolderAreRefused_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("parent folders") << QByteArray("\"../../escaped\"");
        QTest::newRow("nested") << QByteArray("a/b");
        QTest::newRow("NUL") << QByteArray("\"a\\0b\"");
        QTest::newRow("newline") << QByteArray("\"a\\nrun: /etc\"");
    }

    void presetNamesThatWouldLeaveTheOutputFolderAreRefused()
    {
        QFETCH(QByteArray, name);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("data"));
        writeFashionMnist(dir.filePath("data").toStdString(), 100, 30, false);
        const QString preset = writeText(dir, "p.yaml", "name: " + name + R"(
model:
  input: [784]
  layers:
    - {type: dense, units: 10}
)");
        const QString out = dir.filePath("deep/er/runs");
        const CliResult r = runCli({"train", preset, "--data", dir.filePath("data"), "--out", out,
                                    "--epochs", "1", "--limit", "50", "--quiet"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(preset + ":1:7 name: "), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(dir.filePath("deep")));
        QVERIFY(!QFileInfo::exists(dir.filePath("deep/escaped")));
    }

    // Finding 5: a 3.28-trillion-parameter model was called valid, and train failed deep
    // inside LibTorch.
    void modelsThatCannotFitAreRefusedInWords()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("data"));
        writeFashionMnist(dir.filePath("data").toStdString(), 100, 30, false);
        const QString preset = writeText(dir, "huge.yaml", R"(name: huge
model:
  input: [784]
  layers:
    - {type: dense, units: 1000000}
    - {type: dense, units: 1000000}
    - {type: dense, units: 1000000}
    - {type: dense, units: 1000000}
    - {type: dense, units: 280000}
    - {type: dense, units: 10}
)");
        const QString refusal = preset + ": model: needs about 39.4 TB to train at batch 32 "
                                         "(3.28 trillion parameters: ";
        CliResult r = runCli({"summary", preset});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(refusal), qPrintable(r.err));
        QVERIFY2(r.err.contains(QRegularExpression("; this machine has [0-9.]+ [kMGT]B\n$")),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());

        const QString out = dir.filePath("runs");
        r = runCli({"train", preset, "--data", dir.filePath("data"), "--out", out, "--quiet"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(refusal), qPrintable(r.err));
        QVERIFY2(!r.err.contains("internal error"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    void summaryShowsTheTrainingMemory()
    {
        const CliResult r = runCli({"summary", ATELIER_PRESETS_DIR "/mlp_small.yaml"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression(
                     "Training memory: about [0-9.]+ MB at batch [0-9]+ \\(.*; this machine "
                     "has [0-9.]+ [MGT]B\n")),
                 qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
