// Shared by the atelier-cli sweep suites (run locally and on Slurm): the sweep files they
// run, and reading back what a sweep folder holds.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace atelier::test {

// Every sweep below is a 2 × 2 grid: four trials.
inline constexpr int kTrials = 4;

// Whether the real Fashion-MNIST is there to train on (installed, or ATELIER_DATA set).
bool hasFashionMnist();

// A grid of 2 × 2 small MLPs: a trial (one epoch) takes about 2 s on 300 images.
QByteArray mlpSweep(const QString& name, int epochs = 1, const QString& units = "[16, 32]");

// A grid of 2 × 2 small CNNs, three epochs: slow enough (a few seconds a trial, most of it
// evaluating the 12,000 dev images after each epoch) to be stopped in its second epoch, by a
// signal or by scancel.
QByteArray cnnSweep(const QString& name);

// Writes `text` to `path` (a failure ends the suite); returns `path`.
QString writeFile(const QString& path, const QByteArray& text);
// The bytes of `path`, or none if it cannot be read.
QByteArray fileBytes(const QString& path);

// The run folder of trial `index` in the sweep folder `sweep`: trials/NNNN.
QString trialFolder(const QString& sweep, int index);
// The status in a run folder's metrics.json, or an empty string.
QString metricsStatus(const QString& folder);
// The epochs written to a run folder's history.csv.
int historyRows(const QString& folder);
// Whether the trial in `folder` is in its second epoch: running (its folder locked), with its
// first epoch written.
bool inItsSecondEpoch(const QString& folder);

// The log of trial `index` in the sweep folder `sweep`: logs/trial-NNNN.log.
QString trialLog(const QString& sweep, int index);
// Lines of a trial's log that start its training ("Training 12,730 parameters on cpu...").
int trainingLines(const QString& log);
// Every path under `directory`, for checking that a refused command wrote nothing.
QStringList tree(const QString& directory);

// The count after `name` on sweep status's line "completed 4 · diverged 0 · running 0 ...".
int statusCount(const QString& statusOutput, const QString& name);

// trials.csv as rows of column → value (no quoted fields in these sweeps).
struct TrialsTable
{
    QStringList header;
    QList<QMap<QString, QString>> rows;
};

TrialsTable readTrialsCsv(const QString& sweep);
// The status column of trials.csv, one entry per row.
QStringList tableStatuses(const QString& sweep);

// Checks the table of a finished sweep: a header and one completed row per trial, in order,
// each with a dev accuracy in (0, 1] and its run folder trials/NNNN holding metrics.json.
void verifyAllCompleted(const QString& sweep);

} // namespace atelier::test
