// Writing and reading run folders (CSV + JSON + weights).
#include "run_folder.h"

#include "atomic_file.h"
#include "checkpoint.h"
#include "errors.h"
#include "run_lock.h"
#include "text_format.h"
#include "weights.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>

namespace atelier {
namespace {

using nlohmann::json;

std::string num(double value)
{
    return shortestDouble(value);
}

void makeDirectories(const std::string& path)
{
    std::string partial;
    std::istringstream parts(path);
    std::string part;
    if (!path.empty() && path[0] == '/')
        partial = "/";
    while (std::getline(parts, part, '/')) {
        if (part.empty())
            continue;
        partial += part + "/";
        if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
            throw InputError(partial + ": cannot create the folder: " + std::strerror(errno));
    }
}

std::string confusionCsv(const ConfusionMatrix& confusion)
{
    const auto& names = fashionMnistClassNames();
    std::string csv = "true\\predicted";
    for (const auto& name : names)
        csv += "," + name;
    csv += "\n";
    for (int t = 0; t < kNumClasses; ++t) {
        csv += names[t];
        for (int p = 0; p < kNumClasses; ++p)
            csv += "," + std::to_string(confusion[t][p]);
        csv += "\n";
    }
    return csv;
}

std::string perClassCsv(const ClassificationReport& report)
{
    const auto& names = fashionMnistClassNames();
    std::string csv = "class,precision,recall,f1,support\n";
    std::int64_t support = 0;
    for (int c = 0; c < kNumClasses; ++c) {
        const ClassMetrics& m = report.perClass[c];
        csv += names[c] + "," + num(m.precision) + "," + num(m.recall) + "," + num(m.f1) + "," +
               std::to_string(m.support) + "\n";
        support += m.support;
    }
    csv += "macro average," + num(report.macroPrecision) + "," + num(report.macroRecall) + "," +
           num(report.macroF1) + "," + std::to_string(support) + "\n";
    return csv;
}

std::string misclassifiedCsv(const std::vector<Misclassification>& errors)
{
    std::string csv = "index,true,predicted,confidence\n";
    for (const Misclassification& e : errors)
        csv += std::to_string(e.index) + "," + std::to_string(e.trueLabel) + "," +
               std::to_string(e.predicted) + "," + num(e.confidence) + "\n";
    return csv;
}

} // namespace

std::string weightsPath(const std::string& folder)
{
    return folder + "/model.pt";
}

void createExactRunFolder(const std::string& folder)
{
    const std::size_t slash = folder.find_last_of('/');
    if (slash != std::string::npos && slash > 0)
        makeDirectories(folder.substr(0, slash));
    if (::mkdir(folder.c_str(), 0755) != 0)
        throw InputError(folder + ": cannot create the run folder: " +
                         (errno == EEXIST ? std::string("it exists already")
                                          : std::string(std::strerror(errno))));
}

std::string createRunFolder(const std::string& baseDirectory, const std::string& presetName)
{
    // Presets check their names (presetNameProblem); this is the last line of defence for any
    // other caller: a '/' would leave baseDirectory, a NUL would cut the path short, a newline
    // would split the "run: PATH" line that scripts read.
    if (baseDirectory.empty())
        throw InputError("no folder given for the run folders (an empty path would mean '/')");
    for (const char c : presetName)
        if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            throw InputError("the preset name " + quotedForMessage(presetName) +
                             " cannot name a run folder ('/' and control characters are not "
                             "allowed)");
    makeDirectories(baseDirectory);
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
    const std::string base =
        baseDirectory + "/" + (presetName.empty() ? "run" : presetName) + "-" + stamp;
    for (int attempt = 1;; ++attempt) {
        const std::string candidate = attempt == 1 ? base : base + "-" + std::to_string(attempt);
        // mkdir is atomic: two runs started in the same second get different folders.
        if (::mkdir(candidate.c_str(), 0755) == 0)
            return candidate;
        if (errno != EEXIST)
            throw InputError(candidate + ": cannot create the run folder: " + std::strerror(errno));
    }
}

void writeRunPreset(const std::string& folder, const Preset& preset)
{
    writeFileAtomically(folder + "/preset.yaml", presetToYaml(preset));
}

void writeHistory(const std::string& folder, const std::vector<EpochRecord>& history)
{
    std::string csv = "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n";
    for (const EpochRecord& r : history)
        csv += std::to_string(r.epoch) + "," + num(r.loss) + "," + num(r.accuracy) + "," +
               num(r.valLoss) + "," + num(r.valAccuracy) + "," + num(r.learningRate) + "," +
               num(r.seconds) + "\n";
    writeFileAtomically(folder + "/history.csv", csv);
}

void writeBatchLosses(const std::string& folder, const std::vector<BatchLoss>& losses)
{
    std::string csv = "epoch,batch,loss\n";
    csv.reserve(losses.size() * 20 + csv.size());
    char line[64];
    for (const BatchLoss& b : losses) {
        // %.9g: a float's full precision, so the file holds exactly what training saw.
        std::snprintf(line, sizeof line, "%d,%d,%.9g\n", b.epoch, b.batch, double(b.loss));
        csv += line;
    }
    writeFileAtomically(folder + "/batch_losses.csv", csv);
}

void writeLayerStats(const std::string& folder, const LayerStatsLog& log)
{
    // With statistics on, the files are written even before the first sample (headers
    // only): files left by an abandoned attempt never outlive a resume.
    if (log.layers.empty() && log.empty())
        return;
    writeFileAtomically(folder + "/layer_stats.csv", layerStatsToCsv(log));
    writeFileAtomically(folder + "/layer_histograms.csv", layerHistogramsToCsv(log));
}

void writeRunResult(const std::string& folder, const TrainingResult& result, const RunInfo& info,
                    const Preset& preset, const Network& network)
{
    writeHistory(folder, result.history);
    writeFileAtomically(folder + "/confusion.csv", confusionCsv(result.test.confusion));
    writeFileAtomically(folder + "/per_class.csv", perClassCsv(result.test.report));
    writeFileAtomically(folder + "/misclassified.csv", misclassifiedCsv(result.test.misclassified));
    saveWeights(network, weightsPath(folder));

    json metrics = {
        {"status", runStatusName(result.status)},
        {"message", result.message},
        {"test_loss", result.test.loss},
        {"test_accuracy", result.test.accuracy},
        {"test_macro_f1", result.test.report.macroF1},
        {"dev_loss", result.dev.loss},
        {"dev_accuracy", result.dev.accuracy},
        {"best_epoch", result.bestEpoch},
        {"epochs_run", int(result.history.size())},
        {"stopped_early", result.stoppedEarly},
        {"restored_best", result.restoredBest},
        {"train_seconds", result.trainSeconds},
        {"samples_per_second", result.samplesPerSecond},
        {"eval_samples_per_second", result.evalSamplesPerSecond},
        {"batch_size", preset.training.batchSize},
        {"device", info.device.kind()},
        {"device_name", info.device.name},
        {"threads", info.threads},
        {"parameters", info.parameters},
        {"seed", preset.training.seed},
        {"split_seed", preset.data.splitSeed},
        {"limit", info.limit},
        {"train_count", info.trainCount},
        {"dev_count", info.devCount},
        {"test_count", info.testCount},
        {"data_directory", info.dataDirectory},
        {"pixel_scale", info.transform.scale},
        {"pixel_shift", info.transform.shift},
        {"architecture_fingerprint", architectureFingerprint(preset.model)},
        {"torch_version", torchVersion()},
        {"atelier_version", "0.1.0"},
    };
    writeFileAtomically(folder + "/metrics.json", metrics.dump(2) + "\n");
}

namespace {

// errno of stat(path), 0 when it is there. A folder that may not be entered gives EACCES,
// not ENOENT: such a run is reported as "Permission denied", never as incomplete.
int statError(const std::string& path, struct stat& info)
{
    return ::stat(path.c_str(), &info) == 0 ? 0 : errno;
}

// A run folder that exists, may be read and holds metrics.json (written last).
void checkCompleteRunFolder(const std::string& folder)
{
    struct stat info
    {
    };
    if (const int error = statError(folder, info); error == ENOENT)
        throw InputError(folder + ": no such run folder");
    else if (error != 0)
        throw InputError(folder + ": cannot open the run folder: " + std::strerror(error));
    if (!S_ISDIR(info.st_mode))
        throw InputError(folder + ": not a folder (expected a run folder)");
    const std::string metrics = folder + "/metrics.json";
    if (const int error = statError(metrics, info); error == ENOENT) {
        if (isRunFolderLocked(folder))
            throw InputError(folder + ": incomplete run (no metrics.json): another process is "
                                      "training it now");
        throw InputError(
            folder +
            ": incomplete run (no metrics.json): it stopped before it "
            "could finish writing" +
            std::string(hasCheckpoint(folder)
                            ? "; continue it with: atelier-cli train --resume " + folder
                            : ""));
    } else if (error != 0)
        throw InputError(metrics + ": cannot open: " + std::strerror(error));
}

NonFinite nonFiniteIn(const RunMetrics& metrics)
{
    return metrics.status == "diverged" ? NonFinite::Allowed : NonFinite::Refused;
}

// A batch_losses.csv row as written: "10000,60000,-1.23456789e-38\n" is 29 bytes.
constexpr std::uint64_t kMaxBatchLineBytes = 40;

// batch_losses.csv is optional (runs written before it existed); absent means no batches.
std::vector<BatchLoss> loadBatchLosses(const std::string& path, const RunMetrics& metrics)
{
    struct stat info
    {
    };
    if (statError(path, info) == ENOENT)
        return {};
    BatchLossBounds bounds;
    bounds.fullEpochs = metrics.epochsRun;
    bounds.batchesPerEpoch = int((metrics.trainCount + metrics.batchSize - 1) / metrics.batchSize);
    bounds.partialEpoch =
        metrics.status == "completed" ? PartialEpoch::Refused : PartialEpoch::Kept;
    bounds.nonFinite = nonFiniteIn(metrics);
    // The file grows with epochs × batches (batch size 1 writes 54,000 rows an epoch): its
    // cap follows from the run's own counts, at most kMaxBatchLineBytes a row.
    const std::uint64_t rows =
        std::uint64_t(bounds.fullEpochs + 1) * std::uint64_t(std::max(bounds.batchesPerEpoch, 1));
    const std::uint64_t cap = std::max<std::uint64_t>(kMaxTextFileBytes, rows * kMaxBatchLineBytes);
    return parseBatchLossesCsv(readFileBounded(path, cap), path, bounds);
}

// An optional file's text: empty when it is absent. Layer statistics grow with epochs ×
// layers, so their cap follows the run's length like batch_losses.csv's.
std::string readOptionalFile(const std::string& path, std::uint64_t cap)
{
    struct stat info
    {
    };
    if (statError(path, info) == ENOENT)
        return {};
    return readFileBounded(path, std::max<std::uint64_t>(kMaxTextFileBytes, cap));
}

} // namespace

LayerStatsLog readLayerStats(const std::string& folder, const ModelSpec& model, int maxEpoch)
{
    // A row of layer_stats.csv is under 300 bytes, of layer_histograms.csv under 600.
    const std::uint64_t layers = model.layers.size();
    const std::uint64_t epochs = std::uint64_t(std::max(maxEpoch, 1));
    const std::string statsPath = folder + "/layer_stats.csv";
    const std::string histogramsPath = folder + "/layer_histograms.csv";
    return parseLayerStats(
        model, readOptionalFile(statsPath, epochs * kLayerStatsSamplesPerEpoch * layers * 300),
        statsPath, readOptionalFile(histogramsPath, epochs * layers * 2 * 600), histogramsPath,
        maxEpoch);
}

RunRecord loadRun(const std::string& folder)
{
    checkCompleteRunFolder(folder);
    RunRecord record;
    record.folder = folder;
    // metrics.json first: it bounds what the other files may hold.
    const std::string metricsPath = folder + "/metrics.json";
    record.metrics =
        parseRunMetricsJson(readFileBounded(metricsPath, kMaxMetricsBytes), metricsPath);
    const RunMetrics& metrics = record.metrics;
    record.preset = loadPreset(folder + "/preset.yaml");

    const std::string historyPath = folder + "/history.csv";
    record.history = parseHistoryCsv(readTextFile(historyPath), historyPath, nonFiniteIn(metrics));
    checkHistoryMatchesMetrics(record.history, metrics, historyPath);

    Evaluation& test = record.test;
    test.loss = metrics.testLoss;
    test.accuracy = metrics.testAccuracy;
    const std::string confusionPath = folder + "/confusion.csv";
    test.confusion = parseConfusionCsv(readTextFile(confusionPath), confusionPath);
    checkConfusionMatchesMetrics(test.confusion, metrics, confusionPath);
    test.count = metrics.testCount;
    test.report = classificationReport(test.confusion);

    const std::string misclassifiedPath = folder + "/misclassified.csv";
    test.misclassified = parseMisclassifiedCsv(readTextFile(misclassifiedPath), misclassifiedPath,
                                               metrics.testCount, nonFiniteIn(metrics));
    checkMisclassifiedMatchesConfusion(test.misclassified, test.confusion, misclassifiedPath);

    record.batchLosses = loadBatchLosses(folder + "/batch_losses.csv", metrics);
    // A run stopped mid-epoch keeps that epoch's samples, as it keeps its batch losses.
    record.layerStats = readLayerStats(folder, record.preset.model,
                                       metrics.epochsRun + (metrics.status == "completed" ? 0 : 1));
    return record;
}

} // namespace atelier
