// What a training run reports while it runs and when it ends. Plain structs: the CLI
// prints them, the studio turns them into queued signals, the run folder stores them.
#pragma once

#include "layer_stats.h"
#include "metrics.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace atelier {

struct EpochRecord
{
    int epoch = 0; // 1-based
    double loss = 0;
    double accuracy = 0;
    double valLoss = 0;
    double valAccuracy = 0;
    double learningRate = 0;
    double seconds = 0; // wall time of the epoch, validation included, pauses excluded
};

// Delivered at most every kProgressIntervalMs and at the end of each epoch.
struct BatchProgress
{
    int epoch = 0;
    int epochs = 0;
    int batchesPerEpoch = 0;
    int firstBatch = 0;           // 0-based batch index of losses[0] within the epoch
    std::vector<float> losses;    // every batch loss since the previous report, none skipped
    std::int64_t samplesDone = 0; // in this epoch
    double epochSeconds = 0;      // elapsed in this epoch
    double samplesPerSecond = 0;  // this epoch so far
    // Layer statistics sampled since the previous report (none when they are off).
    std::vector<LayerStatsSample> layerSamples;
};

// One training batch's loss, as kept in batch_losses.csv (every batch, none dropped).
struct BatchLoss
{
    int epoch = 0; // 1-based
    int batch = 0; // 1-based within the epoch
    float loss = 0;
};

struct EpochReport
{
    EpochRecord record;
    ConfusionMatrix devConfusion{}; // so that the studio can show the matrix forming
    bool improved = false;          // the monitored metric reached a new best
    // Weight and gradient histograms of the epoch's end, one per layer with parameters
    // (none when layer statistics are off).
    std::vector<LayerHistograms> histograms;
};

// Return false to stop the run after the current batch (status interrupted).
struct TrainingCallbacks
{
    std::function<bool(const BatchProgress&)> onBatch;
    std::function<bool(const EpochReport&)> onEpoch;
};

enum class RunStatus
{
    Completed,   // ran all epochs or stopped early by the early-stopping rule
    Interrupted, // stopped by the user (Ctrl-C, Stop, a callback)
    Diverged,    // the loss became NaN or infinite
};

std::string runStatusName(RunStatus status);

struct TrainingResult
{
    RunStatus status = RunStatus::Completed;
    std::vector<EpochRecord> history;
    int bestEpoch = 0; // 1-based; 0 when no epoch completed
    bool stoppedEarly = false;
    bool restoredBest = false; // the model holds the best epoch's weights, not the last
    double trainSeconds = 0;   // optimisation only: validation and pauses excluded
    double samplesPerSecond = 0;
    double evalSamplesPerSecond = 0; // of the final test-set evaluation (forward only)
    std::string message;             // why it ended, in words
    Evaluation dev;                  // of the model as kept
    Evaluation test;
};

// The pace of BatchProgress reports: smooth enough for a progress bar, rare enough to cost
// nothing (and on CUDA, one device→host copy per report instead of one per batch).
constexpr int kProgressIntervalMs = 50;

} // namespace atelier
