// Everything the studio knows about one run: read from a run folder, or growing while it
// trains. The Train view's charts and run list and the Evaluate view all draw from it.
#pragma once

#include "core/preset.h"
#include "core/run_folder.h"

#include <QString>
#include <optional>
#include <vector>

namespace atelier::ui {

// "0:41", "12:05", "1:02:13": elapsed times and ETAs in the run list and status bar.
QString clockText(double seconds);

struct RunData
{
    QString folder;
    QString name;
    // "training", "paused", "completed", "interrupted", "diverged", "failed", and for folders
    // that hold no complete run: "incomplete" (stopped before writing its results: killed,
    // crashed, full disk), "training elsewhere" (another process holds it), "damaged"
    QString status;
    // A checkpoint can continue it (train --resume, the Train view's Resume).
    bool resumable = false;
    int epochsPlanned = 0; // of an incomplete run, for "3 of 10 epochs"
    QString problem;       // why an incomplete or damaged folder is what it is
    Preset preset;
    qint64 parameters = 0;
    QString deviceName;
    std::vector<EpochRecord> history;
    std::vector<BatchLoss> batchLosses; // every batch, in order
    int batchesPerEpoch = 0;
    // Per-layer gradients, weights and activations (the Inside view); grows while training.
    LayerStatsLog layerStats;
    // Known once the run has finished (or was read from a folder).
    bool hasResult = false;
    double devLoss = 0, devAccuracy = 0, testLoss = 0, testAccuracy = 0;
    double seconds = 0;
    int finalBestEpoch = 0; // as the trainer decided it (min_delta included)
    Evaluation test;
    // The latest dev confusion matrix while training (the matrix forming).
    std::optional<ConfusionMatrix> devConfusion;
    int devConfusionEpoch = 0;

    // The epoch with the best monitored metric so far (0: none yet), by core's rule
    // (min_delta included), so the live marker is the epoch the trainer keeps.
    int bestEpoch() const;
    // The epochs early stopping waits after the best one, [best, best + patience]; nullopt
    // without early stopping.
    std::optional<std::pair<int, int>> patienceWindow() const;
    double trainingSeconds() const; // finished: as measured; live: the epochs so far

    static RunData fromRecord(const RunRecord& record);
    // A folder without results: incomplete (with a checkpoint, resumable), training
    // elsewhere, or damaged; never throws.
    static RunData fromUnfinishedFolder(const QString& folder);
    // Whatever the folder holds now: a finished run, an unfinished one, or a damaged one
    // (with the reason in `problem`); never throws.
    static RunData fromFolder(const QString& folder);
};

} // namespace atelier::ui
