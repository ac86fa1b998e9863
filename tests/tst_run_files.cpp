// Every reader of a run folder refuses damaged files with the file, the line (or the key) and
// what is wrong: one row per damage, on a small consistent run folder written here, through
// loadRun, then through `atelier-cli export`/`eval` (exit 2), and without read permission.
#include "core/errors.h"
#include "core/run_folder.h"
#include "support/cli_runner.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <sys/stat.h>
#include <unistd.h>

using namespace atelier;
using namespace atelier::test;

namespace {

// The synthetic run: 100 test images, 2 errors in each row of the confusion matrix (true t
// taken for t + 1), 10 training images in batches of 4 (3 batches per epoch), 2 epochs.
constexpr int kTestImages = 100;
constexpr int kBatchesPerEpoch = 3;

QString metricsJson(const QString& status = "completed")
{
    return QStringLiteral(R"({
  "batch_size": 4,
  "best_epoch": 2,
  "dev_accuracy": 0.75,
  "dev_loss": 0.7,
  "device": "cpu",
  "device_name": "test",
  "epochs_run": 2,
  "message": "ran the 2 epochs planned",
  "parameters": 101770,
  "pixel_scale": 0.00392156886,
  "pixel_shift": 0.0,
  "samples_per_second": 1000.5,
  "seed": 42,
  "status": "%1",
  "stopped_early": false,
  "test_accuracy": 0.8,
  "test_count": 100,
  "test_loss": 0.6,
  "test_macro_f1": 0.79,
  "train_count": 10,
  "train_seconds": 0.5
}
)")
        .arg(status);
}

QString historyCsv()
{
    return "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n"
           "1,1.15,0.6,0.74,0.74,0.01,0.1\n"
           "2,0.65,0.77,0.69,0.75,0.01,0.09\n";
}

QString confusionCsv()
{
    QString csv = "true\\predicted";
    for (const std::string& name : fashionMnistClassNames())
        csv += "," + QString::fromStdString(name);
    csv += "\n";
    for (int t = 0; t < kNumClasses; ++t) {
        csv += QString::fromStdString(fashionMnistClassNames()[std::size_t(t)]);
        for (int p = 0; p < kNumClasses; ++p)
            csv += p == t ? ",8" : p == (t + 1) % kNumClasses ? ",2" : ",0";
        csv += "\n";
    }
    return csv;
}

QString misclassifiedCsv()
{
    QString csv = "index,true,predicted,confidence\n";
    for (int t = 0; t < kNumClasses; ++t)
        for (int i = 0; i < 2; ++i)
            csv += QStringLiteral("%1,%2,%3,0.%4\n")
                       .arg(10 * t + i)
                       .arg(t)
                       .arg((t + 1) % kNumClasses)
                       .arg(5 + i);
    return csv;
}

QString batchLossesCsv(int epochs = 2)
{
    QString csv = "epoch,batch,loss\n";
    for (int e = 1; e <= epochs; ++e)
        for (int b = 1; b <= kBatchesPerEpoch; ++b)
            csv += QStringLiteral("%1,%2,%3\n").arg(e).arg(b).arg(2.0 / (e * b));
    return csv;
}

// `text` with its line `line` (1-based) replaced; an empty replacement removes the line.
QString withLine(const QString& text, int line, const QString& replacement)
{
    QStringList lines = text.split('\n');
    if (replacement.isNull())
        lines.removeAt(line - 1);
    else
        lines[line - 1] = replacement;
    return lines.join('\n');
}

QString withInserted(const QString& text, int line, const QString& inserted)
{
    QStringList lines = text.split('\n');
    lines.insert(line - 1, inserted);
    return lines.join('\n');
}

QString withKey(const QString& json, const QString& key, const QString& value)
{
    QString out = json;
    const QRegularExpression pattern("\"" + key + "\": [^,\\n]*");
    Q_ASSERT(out.contains(pattern));
    return out.replace(pattern, "\"" + key + "\": " + value);
}

QString withoutKey(const QString& json, const QString& key)
{
    QString out = json;
    return out.remove(QRegularExpression("\\n  \"" + key + "\": [^,\\n]*,"));
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

using Files = QMap<QString, QByteArray>;

Files validFiles(const QString& status = "completed")
{
    QFile preset(ATELIER_PRESETS_DIR "/mlp_small.yaml");
    preset.open(QIODevice::ReadOnly);
    return {{"preset.yaml", preset.readAll()},
            {"metrics.json", metricsJson(status).toUtf8()},
            {"history.csv", historyCsv().toUtf8()},
            {"confusion.csv", confusionCsv().toUtf8()},
            {"misclassified.csv", misclassifiedCsv().toUtf8()},
            {"batch_losses.csv", batchLossesCsv().toUtf8()},
            {"model.pt", "not read by loadRun"}};
}

bool writeRun(const QString& folder, const Files& files)
{
    if (!QDir().mkpath(folder))
        return false;
    for (auto it = files.begin(); it != files.end(); ++it)
        if (!writeFile(folder + "/" + it.key(), it.value()))
            return false;
    return true;
}

QString loadError(const QString& folder)
{
    try {
        loadRun(folder.toStdString());
    } catch (const InputError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestRunFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_runs = 0;

    QString newRun(const Files& files)
    {
        const QString folder = m_dir.filePath(QStringLiteral("run-%1").arg(++m_runs));
        if (!writeRun(folder, files))
            qFatal("cannot write the test run folder %s", qPrintable(folder));
        return folder;
    }

private Q_SLOTS:
    void validRunLoads()
    {
        const QString folder = newRun(validFiles());
        const RunRecord run = loadRun(folder.toStdString());
        QCOMPARE(run.history.size(), std::size_t(2));
        QCOMPARE(run.test.count, qint64(kTestImages));
        QCOMPARE(run.test.misclassified.size(), std::size_t(20));
        QCOMPARE(run.batchLosses.size(), std::size_t(2 * kBatchesPerEpoch));
        QCOMPARE(run.metrics.batchSize, 4);
        QCOMPARE(run.metrics.transform.scale, 0.00392156886f);
    }

    // A diverged run may hold NaN losses (history, metrics.json as null, a confidence) and
    // the batches of the epoch it stopped in; a completed run may not (rows below).
    void divergedRunLoads()
    {
        Files files = validFiles("diverged");
        files["metrics.json"] = withKey(metricsJson("diverged"), "test_loss", "null").toUtf8();
        files["history.csv"] = withLine(historyCsv(), 3, "2,nan,0.1,-nan,0.1,0.01,0.09").toUtf8();
        files["misclassified.csv"] = withLine(misclassifiedCsv(), 2, "0,0,1,nan").toUtf8();
        files["batch_losses.csv"] = (batchLossesCsv() + "3,1,inf\n").toUtf8();
        const QString folder = newRun(files);
        const RunRecord run = loadRun(folder.toStdString());
        QVERIFY(std::isnan(run.metrics.testLoss));
        QVERIFY(std::isnan(run.history[1].loss));
        QVERIFY(std::isnan(run.test.misclassified[0].confidence));
        QCOMPARE(run.batchLosses.back().epoch, 3);
    }

    void damagedFileIsRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QStringList>("expected");
        const QString m = misclassifiedCsv(), c = confusionCsv(), b = batchLossesCsv(),
                      h = historyCsv(), j = metricsJson();
        auto row = [](const char* name, const QString& file, const QString& contents,
                      const QStringList& expected) {
            QTest::newRow(name) << file << contents.toUtf8() << expected;
        };

        // misclassified.csv: the image grid's heap overflow, and every other damage.
        row("mis: index 99999999 (issue 9 repro)", "misclassified.csv",
            withInserted(m, 2, "99999999,0,1,0.999"),
            {"misclassified.csv:2: column 'index'", "0 to 99", "'99999999'"});
        row("mis: index -1", "misclassified.csv", withLine(m, 2, "-1,0,1,0.5"),
            {"misclassified.csv:2: column 'index'", "'-1'"});
        row("mis: index 2^64", "misclassified.csv", withLine(m, 2, "18446744073709551616,0,1,0.5"),
            {"misclassified.csv:2: column 'index'"});
        row("mis: index = test_count", "misclassified.csv", m + "100,3,4,0.5\n",
            {"misclassified.csv:22: column 'index'", "'100'"});
        row("mis: label 10", "misclassified.csv", withLine(m, 3, "1,10,1,0.5"),
            {"misclassified.csv:3: column 'true'", "0 to 9", "'10'"});
        row("mis: predicted -1", "misclassified.csv", withLine(m, 3, "1,0,-1,0.5"),
            {"misclassified.csv:3: column 'predicted'"});
        row("mis: true = predicted", "misclassified.csv", withLine(m, 3, "1,0,0,0.5"),
            {"misclassified.csv:3:", "not a mistake"});
        row("mis: confidence 1.5", "misclassified.csv", withLine(m, 3, "1,0,1,1.5"),
            {"misclassified.csv:3: column 'confidence'", "'1.5'"});
        row("mis: NaN confidence, not diverged", "misclassified.csv", withLine(m, 3, "1,0,1,nan"),
            {"misclassified.csv:3: column 'confidence'", "'nan'"});
        row("mis: duplicate index", "misclassified.csv", withLine(m, 3, "0,0,1,0.5"),
            {"misclassified.csv:3:", "index 0 after index 0"});
        row("mis: extra column", "misclassified.csv", withLine(m, 3, "1,0,1,0.5,7"),
            {"misclassified.csv:3: too many columns (expected 4)"});
        row("mis: truncated line", "misclassified.csv", withLine(m, 3, "1,0"),
            {"misclassified.csv:3: too few columns (expected 4, found 2)"});
        row("mis: row missing", "misclassified.csv", withLine(m, 3, QString()),
            {"misclassified.csv:", "1 rows with true 0", "confusion.csv counts 2"});
        row("mis: wrong header", "misclassified.csv", withLine(m, 1, "index,true,pred,conf"),
            {"misclassified.csv:1: expected the header", "'index,true,pred,conf'"});
        row("mis: empty", "misclassified.csv", "", {"misclassified.csv: empty file"});
        row("mis: NUL in a number", "misclassified.csv",
            withLine(m, 3, QString::fromUtf8("1\0002,0,1,0.5", 11)),
            {"misclassified.csv:3: column 'index'", "\\x00"});
        row("mis: space in a number", "misclassified.csv", withLine(m, 3, "1, 0,1,0.5"),
            {"misclassified.csv:3: column 'true'"});

        // confusion.csv: counts that overflowed a signed sum (UBSan), and shape.
        row("conf: negative count", "confusion.csv",
            withLine(c, 2, "T-shirt/top,-5,2,0,0,0,0,0,0,0,0"),
            {"confusion.csv:2: column 'T-shirt/top'", "'-5'"});
        row("conf: int64 max count", "confusion.csv",
            withLine(c, 2, "T-shirt/top,9223372036854775807,2,0,0,0,0,0,0,0,0"),
            {"confusion.csv:2: column 'T-shirt/top'", "0 to 2147483647"});
        row("conf: total is not test_count", "confusion.csv",
            withLine(c, 2, "T-shirt/top,9,2,0,0,0,0,0,0,0,0"),
            {"confusion.csv: the counts add up to 101", "test_count 100"});
        row("conf: not a number", "confusion.csv", withLine(c, 3, "Trouser,0,8,abc,0,0,0,0,0,0,0"),
            {"confusion.csv:3: column 'Pullover'", "'abc'"});
        row("conf: wrong class row", "confusion.csv", withLine(c, 3, "Shirt,0,8,2,0,0,0,0,0,0,0"),
            {"confusion.csv:3: expected the row of class 'Trouser'", "'Shirt'"});
        row("conf: truncated", "confusion.csv", c.left(c.lastIndexOf("\nBag,") + 1),
            {"confusion.csv: 8 class rows, expected 10", "cut short"});
        row("conf: extra row", "confusion.csv", c + "Ankle boot,0,0,0,0,0,0,0,0,0,0\n",
            {"confusion.csv:12: a row after the 10 class rows"});
        row("conf: wrong header", "confusion.csv", withLine(c, 1, "a,b"),
            {"confusion.csv:1: expected the header"});
        row("conf: empty", "confusion.csv", "", {"confusion.csv: empty file"});
        row("conf: extra column", "confusion.csv",
            withLine(c, 2, "T-shirt/top,8,2,0,0,0,0,0,0,0,0,0"),
            {"confusion.csv:2: too many columns (expected 11)"});

        // batch_losses.csv: the batch number that made the chart allocate 8.6 GB, and order.
        row("batch: -2147483648 (issue 9 repro)", "batch_losses.csv",
            withLine(b, 3, "1,-2147483648,1.0"),
            {"batch_losses.csv:3: column 'batch'", "1 to 3", "'-2147483648'"});
        row("batch: beyond the epoch's batches", "batch_losses.csv", withLine(b, 4, "1,4,1.0"),
            {"batch_losses.csv:4: column 'batch'", "'4'"});
        row("batch: epoch 0", "batch_losses.csv", withLine(b, 2, "0,1,1.0"),
            {"batch_losses.csv:2: column 'epoch'", "'0'"});
        row("batch: epoch after a completed run", "batch_losses.csv", b + "3,1,0.5\n",
            {"batch_losses.csv:8:", "column 'epoch'", "'3'"});
        row("batch: out of order", "batch_losses.csv",
            withLine(withLine(b, 2, "1,2,1"), 3, "1,1,1"),
            {"batch_losses.csv:2:", "epoch 1 batch 2 after epoch 0 batch 0"});
        row("batch: a batch missing", "batch_losses.csv", withLine(b, 3, QString()),
            {"batch_losses.csv:3:", "epoch 1 batch 3 after epoch 1 batch 1"});
        row("batch: cut short", "batch_losses.csv", withLine(b, 7, QString()),
            {"batch_losses.csv: ends at epoch 2 batch 2", "cut short"});
        row("batch: NaN loss, not diverged", "batch_losses.csv", withLine(b, 3, "1,2,nan"),
            {"batch_losses.csv:3: column 'loss'", "'nan'"});
        row("batch: negative loss", "batch_losses.csv", withLine(b, 3, "1,2,-1"),
            {"batch_losses.csv:3: column 'loss'"});
        row("batch: loss beyond float", "batch_losses.csv", withLine(b, 3, "1,2,1e39"),
            {"batch_losses.csv:3: column 'loss'", "'1e39'"});
        row("batch: wrong header", "batch_losses.csv", withLine(b, 1, "epoch;batch;loss"),
            {"batch_losses.csv:1: expected the header 'epoch,batch,loss'"});
        row("batch: many commas", "batch_losses.csv", withLine(b, 3, "1,2,3" + QString(10000, ',')),
            {"batch_losses.csv:3: too many columns (expected 3)"});

        // history.csv
        row("hist: epoch gap", "history.csv", withLine(h, 3, "3,0.65,0.77,0.69,0.75,0.01,0.09"),
            {"history.csv:3: epoch 3 where epoch 2 was expected"});
        row("hist: fewer epochs than epochs_run", "history.csv", withLine(h, 3, QString()),
            {"history.csv: 1 epochs, but metrics.json says epochs_run 2"});
        row("hist: accuracy 1.5", "history.csv", withLine(h, 3, "2,0.65,1.5,0.69,0.75,0.01,0.09"),
            {"history.csv:3: column 'accuracy'", "'1.5'"});
        row("hist: NaN loss, not diverged", "history.csv",
            withLine(h, 3, "2,nan,0.77,0.69,0.75,0.01,0.09"), {"history.csv:3: column 'loss'"});
        row("hist: truncated line", "history.csv", h.left(h.size() - 12),
            {"history.csv:3: too few columns (expected 7"});
        row("hist: huge epoch", "history.csv",
            withLine(h, 3, "99999999999999999999,0.65,0.77,0.69,0.75,0.01,0.09"),
            {"history.csv:3: column 'epoch'", "1 to 10000"});
        row("hist: empty", "history.csv", "", {"history.csv: empty file"});

        // metrics.json: every key named, no library codes, nothing wrapped.
        row("json: best_epoch -2^31", "metrics.json", withKey(j, "best_epoch", "-2147483648"),
            {"metrics.json: key 'best_epoch': expected a whole number from 0 to epochs_run (2), "
             "got -2147483648"});
        row("json: best_epoch 2^32+1 (would wrap to 1)", "metrics.json",
            withKey(j, "best_epoch", "4294967297"), {"key 'best_epoch'", "got 4294967297"});
        row("json: epochs_run as text", "metrics.json", withKey(j, "epochs_run", "\"2\""),
            {"metrics.json: key 'epochs_run': expected a whole number", "got \"2\""});
        row("json: test_count missing", "metrics.json", withoutKey(j, "test_count"),
            {"metrics.json: key 'test_count'", "the key is missing"});
        row("json: pixel_scale 1e300", "metrics.json", withKey(j, "pixel_scale", "1e300"),
            {"metrics.json: key 'pixel_scale': expected a number from 1e-06 to 10000"});
        row("json: pixel_shift huge", "metrics.json", withKey(j, "pixel_shift", "-1e7"),
            {"metrics.json: key 'pixel_shift'"});
        row("json: pixel_scale beyond double", "metrics.json", withKey(j, "pixel_scale", "1e999"),
            {"metrics.json: key 'pixel_scale': number overflow", "'1e999'"});
        row("json: seed negative", "metrics.json", withKey(j, "seed", "-1"),
            {"metrics.json: key 'seed'", "got -1"});
        row("json: seed fractional", "metrics.json", withKey(j, "seed", "4.5"),
            {"metrics.json: key 'seed'", "got 4.5"});
        row("json: status unknown", "metrics.json", withKey(j, "status", "\"done\""),
            {"metrics.json: key 'status': expected completed, interrupted or diverged"});
        row("json: null loss, not diverged", "metrics.json", withKey(j, "test_loss", "null"),
            {"metrics.json: key 'test_loss'", "got null"});
        row("json: accuracy as an array", "metrics.json", withKey(j, "test_accuracy", "[1]"),
            {"metrics.json: key 'test_accuracy'", "got an array"});
        row("json: stopped_early as text", "metrics.json", withKey(j, "stopped_early", "\"no\""),
            {"metrics.json: key 'stopped_early': expected true or false"});
        row("json: syntax error", "metrics.json", withLine(j, 3, "  \"best_epoch\": 2x,"),
            {"metrics.json:3:", "not valid JSON"});
        row("json: cut short", "metrics.json", j.left(40), {"metrics.json:", "not valid JSON"});
        row("json: empty", "metrics.json", "", {"metrics.json: empty file"});
        row("json: an array", "metrics.json", "[1, 2]",
            {"metrics.json: expected a JSON object, got an array"});
        row("json: duplicate key", "metrics.json", withInserted(j, 2, "  \"best_epoch\": 1,"),
            {"metrics.json: key 'best_epoch' appears twice"});
        row("json: deep nesting", "metrics.json",
            "{\"a\": " + QString(100000, '[') + QString(100000, ']') + "}",
            {"metrics.json: nested more than"});
    }

    void damagedFileIsRefused()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, contents);
        QFETCH(QStringList, expected);
        Files files = validFiles();
        files[file] = contents;
        const QString error = loadError(newRun(files));
        QVERIFY2(!error.isEmpty(), "the damaged file was accepted");
        QVERIFY2(error.contains(m_dir.path()), qPrintable(error)); // names the folder
        for (const QString& part : expected)
            QVERIFY2(error.contains(part), qPrintable(error + "\n  lacks: " + part));
        // The library's own codes mean nothing to a user.
        QVERIFY2(!error.contains("json.exception"), qPrintable(error));
        QVERIFY2(error.size() < 400, qPrintable(error)); // values are cut, not copied whole
    }

    // A FIFO would block a plain read forever; a folder is not a file either.
    void specialFilesAreRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("fifo");
        QTest::newRow("metrics.json, a FIFO") << "metrics.json" << true;
        QTest::newRow("history.csv, a FIFO") << "history.csv" << true;
        QTest::newRow("batch_losses.csv, a folder") << "batch_losses.csv" << false;
    }

    void specialFilesAreRefused()
    {
        QFETCH(QString, file);
        QFETCH(bool, fifo);
        Files files = validFiles();
        files.remove(file);
        const QString folder = newRun(files);
        const QString path = folder + "/" + file;
        if (fifo)
            QVERIFY(::mkfifo(path.toLocal8Bit().constData(), 0644) == 0);
        else
            QVERIFY(QDir().mkdir(path));
        const QString error = loadError(folder);
        QVERIFY2(error.contains(path + ": not a regular file"), qPrintable(error));
    }

    // The CLI refuses the damaged folder with exit 2 and the message instead of crashing
    // (export drew the image grid out of bounds: SIGSEGV) or printing test_loss -nan (eval).
    void cliRefusesDamagedRun_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("expected");
        QTest::newRow("export, misclassified index")
            << "export"
            << "misclassified.csv"
            << withInserted(misclassifiedCsv(), 2, "99999999,0,1,0.999").toUtf8()
            << "misclassified.csv:2: column 'index'";
        QTest::newRow("export, batch -2^31")
            << "export"
            << "batch_losses.csv" << withLine(batchLossesCsv(), 3, "1,-2147483648,1.0").toUtf8()
            << "batch_losses.csv:3: column 'batch'";
        QTest::newRow("export, negative count")
            << "export"
            << "confusion.csv"
            << withLine(confusionCsv(), 2, "T-shirt/top,-9223372036854775807,2,0,0,0,0,0,0,0,0")
                   .toUtf8()
            << "confusion.csv:2: column 'T-shirt/top'";
        QTest::newRow("eval, pixel_scale 1e300")
            << "eval"
            << "metrics.json" << withKey(metricsJson(), "pixel_scale", "1e300").toUtf8()
            << "metrics.json: key 'pixel_scale'";
        QTest::newRow("eval, best_epoch -2^31")
            << "eval"
            << "metrics.json" << withKey(metricsJson(), "best_epoch", "-2147483648").toUtf8()
            << "metrics.json: key 'best_epoch': expected a whole number from 0 to epochs_run";
    }

    void cliRefusesDamagedRun()
    {
        QFETCH(QString, command);
        QFETCH(QString, file);
        QFETCH(QByteArray, contents);
        QFETCH(QString, expected);
        Files files = validFiles();
        files[file] = contents;
        const QString folder = newRun(files);
        QStringList arguments{command, folder};
        if (command == "export")
            arguments << "--out" << m_dir.filePath("figures");
        const CliResult r = runCli(arguments);
        QVERIFY2(r.exitCode == 2, qPrintable(QString("exit %1: %2").arg(r.exitCode).arg(r.err)));
        QVERIFY2(r.err.contains(folder + "/" + expected), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }

    // The undamaged folder exports: the refusals above are the damage's, not the fixture's.
    void cliExportsTheValidRun()
    {
        const QString folder = newRun(validFiles());
        const CliResult r = runCli({"export", folder, "--out", m_dir.filePath("valid-figures")});
        QVERIFY2(r.exitCode == 0, qPrintable(QString("exit %1: %2").arg(r.exitCode).arg(r.err)));
        QVERIFY(QFileInfo::exists(m_dir.filePath("valid-figures/batch_loss.png")));
    }

    // A file the user may not read is reported as such ("Permission denied"), not as an
    // incomplete run or a broken file. Root reads everything, so as root the CLI runs as
    // nobody, on a copy in a folder that nobody can reach.
    void unreadableFileSaysPermissionDenied_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("file"); // made unreadable; "." is the folder itself
        QTest::newRow("metrics.json") << "eval"
                                      << "metrics.json";
        QTest::newRow("history.csv") << "export"
                                     << "history.csv";
        QTest::newRow("confusion.csv") << "export"
                                       << "confusion.csv";
        QTest::newRow("misclassified.csv") << "export"
                                           << "misclassified.csv";
        QTest::newRow("batch_losses.csv") << "export"
                                          << "batch_losses.csv";
        QTest::newRow("preset.yaml") << "eval"
                                     << "preset.yaml";
        QTest::newRow("model.pt") << "eval"
                                  << "model.pt";
        QTest::newRow("the run folder") << "eval"
                                        << ".";
    }

    void unreadableFileSaysPermissionDenied()
    {
        QFETCH(QString, command);
        QFETCH(QString, file);
        QStringList prefix;
        if (::geteuid() == 0) {
            const QString setpriv = QStandardPaths::findExecutable("setpriv");
            if (setpriv.isEmpty())
                QSKIP("running as root without setpriv (util-linux): cannot drop privileges "
                      "to check permissions");
            prefix = {setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
            QProcess probe;
            probe.start(prefix[0], prefix.mid(1) + QStringList{ATELIER_CLI_PATH, "--version"});
            if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
                QSKIP(qPrintable("running as root, and `atelier-cli --version` fails as nobody "
                                 "(is the build folder readable by others?): " +
                                 QString::fromUtf8(probe.readAllStandardError())));
        }
        // A folder of its own that others may enter; the files in it are readable by all.
        const QString parent = m_dir.filePath(QStringLiteral("perm-%1").arg(++m_runs));
        const QString folder = parent + "/run";
        QVERIFY(writeRun(folder, validFiles()));
        const auto open = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                          QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup;
        for (const QString& path : {m_dir.path(), parent, folder})
            QVERIFY(QFile::setPermissions(path, open));
        for (const QString& name : QDir(folder).entryList(QDir::Files))
            QVERIFY(QFile::setPermissions(folder + "/" + name,
                                          QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther |
                                              QFile::ReadGroup));
        const QString target = file == "." ? folder : folder + "/" + file;
        QVERIFY(QFile::setPermissions(target, file == "." ? QFile::ReadOwner | QFile::WriteOwner |
                                                                QFile::ExeOwner
                                                          : QFile::ReadOwner | QFile::WriteOwner));

        QProcess process;
        QStringList arguments = prefix;
        arguments << ATELIER_CLI_PATH << command << folder;
        if (command == "export")
            arguments << "--out"
                      << "/nonexistent/figures";
        process.start(arguments.takeFirst(), arguments);
        QVERIFY(process.waitForFinished(120000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 2,
                 qPrintable(QString("exit %1: %2").arg(process.exitCode()).arg(err)));
        QVERIFY2(err.contains("Permission denied"), qPrintable(err));
        QVERIFY2(err.contains(file == "." ? folder : target), qPrintable(err));
        QVERIFY2(!err.contains("incomplete") && !err.contains("not a weights file"),
                 qPrintable(err));
        QFile::setPermissions(target, open);
    }
};

QTEST_GUILESS_MAIN(TestRunFiles)
#include "tst_run_files.moc"
