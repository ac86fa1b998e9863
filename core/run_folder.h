// The run folder: everything a training run leaves behind, for `atelier-cli eval`, the
// studio's run list and reports. Contract in docs/run-folder.md. Every file is written
// atomically and metrics.json last: a folder without it is an incomplete run.
#pragma once

#include "normalization.h"
#include "preset.h"
#include "run_files.h"
#include "runtime.h"
#include "training.h"

#include <string>
#include <vector>

namespace atelier {

class Network;

// Facts about a run that the training result does not hold.
struct RunInfo
{
    DeviceInfo device;
    int threads = 0;
    std::size_t limit = 0;
    std::string dataDirectory;
    std::int64_t parameters = 0;
    PixelTransform transform;
    std::size_t trainCount = 0;
    std::size_t devCount = 0;
    std::size_t testCount = 0;
};

struct RunRecord
{
    std::string folder;
    Preset preset;
    std::vector<EpochRecord> history;
    RunMetrics metrics;
    Evaluation test; // confusion matrix, per-class report and misclassified test images
    std::vector<BatchLoss> batchLosses; // empty for runs written before batch_losses.csv
    LayerStatsLog layerStats;           // empty when the run had layer statistics off
};

// Creates `baseDirectory`/`presetName`-YYYYmmdd-HHMMSS (with -2, -3, ... if taken).
std::string createRunFolder(const std::string& baseDirectory, const std::string& presetName);
// Creates exactly `folder` (its parents too); it must not exist yet. Sweep trials use it:
// their folder names are fixed by the trial number.
void createExactRunFolder(const std::string& folder);

void writeRunPreset(const std::string& folder, const Preset& preset);
void writeHistory(const std::string& folder, const std::vector<EpochRecord>& history);
void writeBatchLosses(const std::string& folder, const std::vector<BatchLoss>& losses);
// layer_stats.csv and layer_histograms.csv (headers only before the first sample); nothing
// when statistics are off (the log has no layers).
void writeLayerStats(const std::string& folder, const LayerStatsLog& log);
// Both files of `folder` for a run of `model` that completed `maxEpoch` epochs (+1 for a run
// stopped mid-epoch); an empty log when they are absent. Throws InputError naming the file.
LayerStatsLog readLayerStats(const std::string& folder, const ModelSpec& model, int maxEpoch);
// Confusion matrix, per-class metrics, misclassified test images, weights, then metrics.json.
void writeRunResult(const std::string& folder, const TrainingResult& result, const RunInfo& info,
                    const Preset& preset, const Network& network);

// Throws InputError naming the folder when it is not a complete run.
RunRecord loadRun(const std::string& folder);

std::string weightsPath(const std::string& folder);

} // namespace atelier
