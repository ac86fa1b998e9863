// Writing and reading run folders (CSV + JSON + weights).
#include "run_folder.h"

#include "atomic_file.h"
#include "errors.h"
#include "text_format.h"
#include "weights.h"

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

bool exists(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0;
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

std::vector<EpochRecord> parseHistory(const std::string& path)
{
    std::istringstream in(readTextFile(path));
    std::string line;
    std::getline(in, line);
    if (line != "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds")
        throw InputError(path + ": unexpected header '" + line + "'");
    std::vector<EpochRecord> history;
    int lineNumber = 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        EpochRecord r;
        char extra = 0;
        if (std::sscanf(line.c_str(), "%d,%lf,%lf,%lf,%lf,%lf,%lf%c", &r.epoch, &r.loss,
                        &r.accuracy, &r.valLoss, &r.valAccuracy, &r.learningRate, &r.seconds,
                        &extra) != 7)
            throw InputError(path + ":" + std::to_string(lineNumber) + ": malformed history line");
        history.push_back(r);
    }
    return history;
}

ConfusionMatrix parseConfusion(const std::string& path)
{
    std::istringstream in(readTextFile(path));
    std::string line;
    std::getline(in, line); // header: true\predicted,<class names>
    ConfusionMatrix confusion{};
    for (int t = 0; t < kNumClasses; ++t) {
        if (!std::getline(in, line))
            throw InputError(path + ": expected " + std::to_string(kNumClasses) + " rows");
        std::istringstream row(line);
        std::string cell;
        std::getline(row, cell, ','); // the class name
        for (int p = 0; p < kNumClasses; ++p) {
            if (!std::getline(row, cell, ','))
                throw InputError(path + ":" + std::to_string(t + 2) + ": too few columns");
            try {
                confusion[t][p] = std::stoll(cell);
            } catch (const std::exception&) {
                throw InputError(path + ":" + std::to_string(t + 2) + ": '" + cell +
                                 "' is not a count");
            }
        }
    }
    return confusion;
}

std::vector<Misclassification> parseMisclassified(const std::string& path)
{
    std::istringstream in(readTextFile(path));
    std::string line;
    std::getline(in, line);
    std::vector<Misclassification> errors;
    int lineNumber = 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        Misclassification e;
        char extra = 0;
        if (std::sscanf(line.c_str(), "%d,%d,%d,%f%c", &e.index, &e.trueLabel, &e.predicted,
                        &e.confidence, &extra) != 4 ||
            e.trueLabel < 0 || e.trueLabel >= kNumClasses || e.predicted < 0 ||
            e.predicted >= kNumClasses)
            throw InputError(path + ":" + std::to_string(lineNumber) +
                             ": malformed misclassification line");
        errors.push_back(e);
    }
    return errors;
}

std::vector<BatchLoss> parseBatchLosses(const std::string& path)
{
    std::istringstream in(readTextFile(path));
    std::string line;
    std::getline(in, line);
    if (line != "epoch,batch,loss")
        throw InputError(path + ": unexpected header '" + line + "'");
    std::vector<BatchLoss> losses;
    int lineNumber = 1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        BatchLoss b;
        char extra = 0;
        if (std::sscanf(line.c_str(), "%d,%d,%f%c", &b.epoch, &b.batch, &b.loss, &extra) != 3)
            throw InputError(path + ":" + std::to_string(lineNumber) + ": malformed batch line");
        losses.push_back(b);
    }
    return losses;
}

} // namespace

std::string weightsPath(const std::string& folder)
{
    return folder + "/model.pt";
}

std::string createRunFolder(const std::string& baseDirectory, const std::string& presetName)
{
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

RunRecord loadRun(const std::string& folder)
{
    struct stat info
    {
    };
    if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
        throw InputError(folder + ": no such run folder");
    if (!exists(folder + "/metrics.json"))
        throw InputError(folder +
                         ": incomplete run (no metrics.json): it is still training, or it stopped "
                         "before it could finish writing");
    RunRecord record;
    record.folder = folder;
    record.preset = loadPreset(folder + "/preset.yaml");
    record.history = parseHistory(folder + "/history.csv");
    const std::string metricsPath = folder + "/metrics.json";
    try {
        const json m = json::parse(readTextFile(metricsPath));
        RunMetrics& r = record.metrics;
        r.status = m.at("status").get<std::string>();
        r.message = m.value("message", "");
        r.testLoss = m.at("test_loss").get<double>();
        r.testAccuracy = m.at("test_accuracy").get<double>();
        r.macroF1 = m.value("test_macro_f1", 0.0);
        r.devLoss = m.at("dev_loss").get<double>();
        r.devAccuracy = m.at("dev_accuracy").get<double>();
        r.bestEpoch = m.at("best_epoch").get<int>();
        r.epochsRun = m.at("epochs_run").get<int>();
        r.stoppedEarly = m.at("stopped_early").get<bool>();
        r.trainSeconds = m.at("train_seconds").get<double>();
        r.samplesPerSecond = m.at("samples_per_second").get<double>();
        r.device = m.at("device").get<std::string>();
        r.deviceName = m.value("device_name", "");
        r.parameters = m.at("parameters").get<std::int64_t>();
        r.seed = m.at("seed").get<std::uint64_t>();
        r.transform.scale = m.at("pixel_scale").get<float>();
        r.transform.shift = m.at("pixel_shift").get<float>();
    } catch (const json::exception& e) {
        throw InputError(metricsPath + ": " + e.what());
    }
    Evaluation& test = record.test;
    test.loss = record.metrics.testLoss;
    test.accuracy = record.metrics.testAccuracy;
    test.confusion = parseConfusion(folder + "/confusion.csv");
    test.report = classificationReport(test.confusion);
    for (const auto& row : test.confusion)
        for (std::int64_t count : row)
            test.count += count;
    test.misclassified = parseMisclassified(folder + "/misclassified.csv");
    if (exists(folder + "/batch_losses.csv"))
        record.batchLosses = parseBatchLosses(folder + "/batch_losses.csv");
    return record;
}

} // namespace atelier
