// Readers of a run folder's text files (contract in docs/run-folder.md): pure functions from
// text to values, shared by loadRun, the tests and the fuzzers. Each checks shape, range and
// count before anything is used or narrowed, and throws InputError "path:line: what is wrong"
// (without a line where the file has none, as in metrics.json: "path: key 'k': ...").
#pragma once

#include "metrics.h"
#include "normalization.h"
#include "training.h"

#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

struct RunMetrics
{
    std::string status; // completed, interrupted, diverged
    std::string message;
    double testLoss = 0, testAccuracy = 0, devLoss = 0, devAccuracy = 0; // losses NaN: diverged
    double macroF1 = 0;
    int bestEpoch = 0, epochsRun = 0;
    bool stoppedEarly = false;
    bool restoredBest = false; // the weights kept are the best epoch's (optional key)
    double trainSeconds = 0, samplesPerSecond = 0;
    std::string device, deviceName;
    std::int64_t parameters = 0;
    std::uint64_t seed = 0;
    int batchSize = 0;
    std::int64_t trainCount = 0, testCount = 0;
    PixelTransform transform;
    // Optional (older folders may lack them; 0 or "" then): what reports show of the run's
    // machine and data.
    int threads = 0;
    double evalSamplesPerSecond = 0;
    std::int64_t devCount = 0;
    std::uint64_t limit = 0;
    std::string dataDirectory, torchVersion, atelierVersion;
};

// Whether a loss (or a confidence) may be NaN or infinite: only in a run that diverged.
enum class NonFinite
{
    Refused,
    Allowed,
};

// The most epochs a run can hold: the preset schema's limit on training.epochs.
constexpr int kMaxRunEpochs = 10000;
// The most images a split can have: image indices are 32-bit (Misclassification::index).
constexpr std::int64_t kMaxSplitImages = 2147483647;
// pixel_scale lies in [kMinPixelScale, kMaxPixelScale] and |pixel_shift| ≤ kMaxPixelShift.
// Real data gives 1/255 (scale mode) up to a few hundred (standardizing near-constant
// images); the bounds keep every network input within ±3.6e6, far inside float range.
constexpr double kMinPixelScale = 1e-6;
constexpr double kMaxPixelScale = 1e4;
constexpr double kMaxPixelShift = 1e6;
// metrics.json is a flat summary of a few kilobytes; a larger one is not ours.
constexpr std::uint64_t kMaxMetricsBytes = 1u << 20;

// metrics.json: every key the readers use, typed and in range (best_epoch ≤ epochs_run;
// losses may be null, read as NaN, only when status is "diverged").
RunMetrics parseRunMetricsJson(const std::string& text, const std::string& path);

// history.csv: epochs 1, 2, ..., n in order (n ≤ kMaxRunEpochs), accuracies in [0, 1],
// losses finite and ≥ 0 unless `nonFinite` allows NaN/inf, rate and seconds finite ≥ 0.
std::vector<EpochRecord> parseHistoryCsv(const std::string& text, const std::string& path,
                                         NonFinite nonFinite);

// confusion.csv: the header and ten rows named after the classes, ten counts each in
// [0, kMaxSplitImages].
ConfusionMatrix parseConfusionCsv(const std::string& text, const std::string& path);

// misclassified.csv: indices strictly increasing in [0, testCount) (so at most testCount
// rows), labels in [0, 10) with true ≠ predicted, confidence in [0, 1] (NaN only if allowed).
std::vector<Misclassification> parseMisclassifiedCsv(const std::string& text,
                                                     const std::string& path,
                                                     std::int64_t testCount, NonFinite nonFinite);

// Whether batch_losses.csv may hold the batches of an epoch after the last complete one:
// a run stopped or diverged in the middle of an epoch keeps them, a completed run has none.
enum class PartialEpoch
{
    Refused,
    Kept,
};

struct BatchLossBounds
{
    int fullEpochs = 0;      // epochs_run: epochs 1..fullEpochs hold every batch
    int batchesPerEpoch = 0; // ceil(train_count / batch_size)
    PartialEpoch partialEpoch = PartialEpoch::Refused;
    NonFinite nonFinite = NonFinite::Refused;
};

// batch_losses.csv: every batch from (1, 1) on, in order and none missing: each row is the
// next batch of its epoch or batch 1 of the next epoch; batch ≤ batchesPerEpoch; epochs
// 1..fullEpochs complete, then at most part of one more if the bounds keep it. Losses finite
// and ≥ 0 unless NaN/inf is allowed. An empty file (header only) is accepted when no batch
// was recorded: fullEpochs is 0.
std::vector<BatchLoss> parseBatchLossesCsv(const std::string& text, const std::string& path,
                                           const BatchLossBounds& bounds);

// Cross-checks between the files; each throws InputError naming `path`, the file checked.
// history.csv holds exactly epochs_run epochs.
void checkHistoryMatchesMetrics(const std::vector<EpochRecord>& history, const RunMetrics& metrics,
                                const std::string& path);
// confusion.csv counts add up to test_count.
void checkConfusionMatchesMetrics(const ConfusionMatrix& confusion, const RunMetrics& metrics,
                                  const std::string& path);
// misclassified.csv holds, for every off-diagonal cell, as many rows as the matrix counts.
void checkMisclassifiedMatchesConfusion(const std::vector<Misclassification>& errors,
                                        const ConfusionMatrix& confusion, const std::string& path);

} // namespace atelier
