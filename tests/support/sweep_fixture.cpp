// The sweep files and sweep-folder readers of the atelier-cli sweep suites.
#include "support/sweep_fixture.h"

#include "core/run_lock.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

namespace atelier::test {

namespace {

// A 2 × 2 grid sweep `name`: `model` (its input and layers, as written under base.model)
// trained for `epochs` with Adam, over `axis` (a key path and its two values) and two
// learning rates. `settings` are more top-level lines.
QByteArray gridSweep(const QString& name, const QString& settings, const QString& model, int epochs,
                     const QString& axis)
{
    return QString("name: %1\n"
                   "method: grid\n"
                   "seed: 1\n"
                   "%2"
                   "base:\n"
                   "  name: %1\n"
                   "  model:\n"
                   "%3"
                   "  training:\n"
                   "    optimizer: {type: adam, learning_rate: 0.001}\n"
                   "    batch_size: 32\n"
                   "    epochs: %4\n"
                   "    seed: 42\n"
                   "space:\n"
                   "  %5\n"
                   "  training.optimizer.learning_rate: [0.001, 0.003]\n")
        .arg(name, settings, model, QString::number(epochs), axis)
        .toUtf8();
}

// The lines of trials.csv, its header first.
QStringList trialsCsvLines(const QString& sweep)
{
    return QString::fromUtf8(fileBytes(sweep + "/trials.csv")).split('\n', Qt::SkipEmptyParts);
}

} // namespace

bool hasFashionMnist()
{
    return QFileInfo::exists("/usr/share/datasets/fashion-mnist") ||
           !qEnvironmentVariableIsEmpty("ATELIER_DATA");
}

QByteArray mlpSweep(const QString& name, int epochs, const QString& units)
{
    return gridSweep(name, "objective: val_accuracy\n",
                     "    input: [784]\n"
                     "    layers:\n"
                     "      - {type: dense, units: 16, activation: relu}\n"
                     "      - {type: dense, units: 10, activation: softmax}\n",
                     epochs, "model.layers[1].units: " + units);
}

QByteArray cnnSweep(const QString& name)
{
    return gridSweep(name, "",
                     "    input: [1, 28, 28]\n"
                     "    layers:\n"
                     "      - {type: conv2d, filters: 16, kernel: 3, activation: relu}\n"
                     "      - {type: conv2d, filters: 16, kernel: 3, activation: relu}\n"
                     "      - {type: max_pool2d, pool: 2}\n"
                     "      - {type: flatten}\n"
                     "      - {type: dense, units: 10, activation: softmax}\n",
                     3, "model.layers[2].filters: [16, 24]");
}

QString writeFile(const QString& path, const QByteArray& text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text);
    return path;
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString trialFolder(const QString& sweep, int index)
{
    return sweep + QString("/trials/%1").arg(index, 4, 10, QChar('0'));
}

QString metricsStatus(const QString& folder)
{
    return QJsonDocument::fromJson(fileBytes(folder + "/metrics.json"))
        .object()["status"]
        .toString();
}

int historyRows(const QString& folder)
{
    const QByteArray text = fileBytes(folder + "/history.csv");
    return text.isEmpty() ? 0 : int(text.count('\n')) - 1;
}

bool inItsSecondEpoch(const QString& folder)
{
    return QFileInfo::exists(folder) && atelier::isRunFolderLocked(folder.toStdString()) &&
           historyRows(folder) == 1;
}

int statusCount(const QString& statusOutput, const QString& name)
{
    const QRegularExpressionMatch match =
        QRegularExpression("\\b" + name + " (\\d+)\\b").match(statusOutput);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

TrialsTable readTrialsCsv(const QString& sweep)
{
    TrialsTable table;
    const QStringList lines = trialsCsvLines(sweep);
    if (lines.isEmpty())
        return table;
    table.header = lines.first().split(',');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList fields = lines[i].split(',');
        QMap<QString, QString> row;
        for (qsizetype c = 0; c < table.header.size(); ++c)
            row[table.header[c]] = c < fields.size() ? fields[c] : QString();
        table.rows << row;
    }
    return table;
}

QStringList tableStatuses(const QString& sweep)
{
    QStringList statuses;
    const QStringList lines = trialsCsvLines(sweep);
    for (qsizetype i = 1; i < lines.size(); ++i)
        statuses << lines[i].section(',', 1, 1);
    return statuses;
}

QString trialLog(const QString& sweep, int index)
{
    return sweep + QString("/logs/trial-%1.log").arg(index, 4, 10, QChar('0'));
}

int trainingLines(const QString& log)
{
    return int(QString::fromUtf8(fileBytes(log))
                   .count(QRegularExpression("^Training [0-9,]+ parameters",
                                             QRegularExpression::MultilineOption)));
}

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

} // namespace atelier::test
