// Sweep folders: creation and resume checks, trial states read from the trial run folders,
// trials.csv rebuilt under a lock, and the start of one trial (see sweep_folder.h).
#include "sweep_folder.h"

#include "atomic_file.h"
#include "checkpoint.h"
#include "errors.h"
#include "run_lock.h"
#include "text_format.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace atelier {
namespace {

using nlohmann::json;

constexpr int kSweepFolderFormat = 1;

bool exists(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0;
}

std::string settingsJson(const SweepFolder& folder)
{
    json document = {{"format", kSweepFolderFormat},
                     {"name", folder.spec.name},
                     {"fingerprint", folder.fingerprint},
                     {"limit", folder.settings.limit},
                     {"device", folder.settings.device}};
    return document.dump(2) + "\n";
}

SweepSettings readSettings(const std::string& path, std::string& fingerprint)
{
    const std::string text = readFileBounded(path, 1 << 20);
    SweepSettings settings;
    try {
        const json document = json::parse(text);
        if (document.value("format", 0) != kSweepFolderFormat)
            throw InputError(path + ": written by another version of Atelier (format " +
                             std::to_string(document.value("format", 0)) + ")");
        fingerprint = document.at("fingerprint").get<std::string>();
        settings.limit = document.at("limit").get<std::size_t>();
        settings.device = document.at("device").get<std::string>();
    } catch (const json::exception& e) {
        throw InputError(path + ": damaged: " + e.what());
    }
    if (settings.limit > 60000 ||
        (settings.device != "" && settings.device != "auto" && settings.device != "cpu" &&
         settings.device != "cuda"))
        throw InputError(path + ": damaged: limit or device out of range");
    return settings;
}

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string number(double value, int digits)
{
    if (std::isnan(value))
        return "nan";
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
    return buffer;
}

int historyRows(const std::string& folder)
{
    try {
        const std::string text = readTextFile(folder + "/history.csv");
        int lines = 0;
        for (const char c : text)
            lines += c == '\n';
        return std::max(0, lines - 1);
    } catch (const InputError&) {
        return 0;
    }
}

// A file lock held while trials.csv is rebuilt; flock, so that it also serialises the
// threads and processes of one machine, and NFS emulates it for a cluster's shared folder.
class TableLock
{
public:
    explicit TableLock(const std::string& path)
        : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
    {
        if (m_fd < 0)
            throw InputError(path + ": cannot create the lock file: " + std::strerror(errno));
        while (::flock(m_fd, LOCK_EX) != 0)
            if (errno != EINTR)
                throw InputError(path + ": cannot lock: " + std::strerror(errno));
    }
    ~TableLock() { ::close(m_fd); }
    TableLock(const TableLock&) = delete;
    TableLock& operator=(const TableLock&) = delete;

private:
    int m_fd;
};

} // namespace

SweepFolder prepareSweepFolder(const std::string& directory, const SweepSpec& spec,
                               const SweepSettings& settings, std::string& note)
{
    SweepFolder folder;
    folder.directory = directory;
    folder.spec = spec;
    folder.settings = settings;
    folder.fingerprint = sweepFingerprint(spec);
    const std::string sweepFile = directory + "/sweep.yaml";
    if (exists(directory)) {
        if (!exists(sweepFile)) {
            std::error_code error;
            if (!std::filesystem::is_empty(directory, error) || error)
                throw InputError(directory +
                                 ": not a sweep folder (no sweep.yaml) and not empty; give "
                                 "another --out");
        } else {
            const SweepFolder existing = openSweepFolder(directory);
            if (existing.fingerprint != folder.fingerprint)
                throw InputError(directory + ": this sweep folder was made from a different "
                                             "space (base preset, parameters, method, seed or "
                                             "objective differ); give another --out, or run "
                                             "the sweep file it was made from");
            if (!(existing.settings == settings))
                throw InputError(directory + ": this sweep folder was made with --limit " +
                                 std::to_string(existing.settings.limit) + " and device '" +
                                 existing.settings.device +
                                 "'; resume it with the same settings (or give another --out)");
            if (sweepToYaml(existing.spec) == sweepToYaml(spec))
                return existing;
            // Same space, another fraction or trial count: the same seed draws the shorter
            // sweep first, so the trials already run stay trials of the new one.
            const SweepPlan before = planSweep(existing.spec), after = planSweep(spec);
            note = "the sweep now has " + std::to_string(after.trials.size()) +
                   " trials (it had " + std::to_string(before.trials.size()) +
                   "); trials already run are kept";
        }
    }
    std::filesystem::create_directories(directory + "/trials");
    writeFileAtomically(sweepFile, sweepToYaml(spec));
    writeFileAtomically(directory + "/sweep.json", settingsJson(folder));
    return folder;
}

SweepFolder openSweepFolder(const std::string& directory)
{
    const std::string sweepFile = directory + "/sweep.yaml";
    if (!exists(directory))
        throw InputError(directory + ": no such sweep folder");
    if (!exists(sweepFile))
        throw InputError(directory + ": not a sweep folder (no sweep.yaml)");
    SweepFolder folder;
    folder.directory = directory;
    folder.spec = loadSweep(sweepFile);
    std::string recorded;
    folder.settings = readSettings(directory + "/sweep.json", recorded);
    folder.fingerprint = sweepFingerprint(folder.spec);
    if (recorded != folder.fingerprint)
        throw InputError(directory + "/sweep.yaml: changed since the sweep folder was made "
                                     "(its fingerprint differs from sweep.json's)");
    return folder;
}

std::string trialFolderPath(const std::string& directory, int index)
{
    char name[32];
    std::snprintf(name, sizeof name, "trials/%04d", index);
    return directory + "/" + name;
}

std::string trialStatusName(TrialStatus status)
{
    switch (status) {
    case TrialStatus::Pending:
        return "pending";
    case TrialStatus::Running:
        return "running";
    case TrialStatus::Interrupted:
        return "interrupted";
    case TrialStatus::Completed:
        return "completed";
    case TrialStatus::Diverged:
        return "diverged";
    }
    return "pending";
}

bool trialFinished(TrialStatus status)
{
    return status == TrialStatus::Completed || status == TrialStatus::Diverged;
}

double trialObjective(const SweepSpec& spec, const TrialRecord& record)
{
    if (record.status != TrialStatus::Completed)
        return std::nan("");
    return spec.objective == SweepObjective::ValLoss ? record.metrics.devLoss
                                                     : record.metrics.devAccuracy;
}

std::vector<TrialRecord> readTrials(const SweepFolder& folder, const SweepPlan& plan)
{
    std::vector<TrialRecord> records;
    for (const TrialConfig& trial : plan.trials) {
        TrialRecord record;
        record.index = trial.index;
        const std::string path = trialFolderPath(folder.directory, trial.index);
        record.folder = path.substr(folder.directory.size() + 1);
        if (!exists(path)) {
            records.push_back(record);
            continue;
        }
        if (isRunFolderLocked(path)) {
            record.status = TrialStatus::Running;
            record.epochsDone = historyRows(path);
            records.push_back(record);
            continue;
        }
        const std::string metricsPath = path + "/metrics.json";
        record.status = TrialStatus::Interrupted;
        if (exists(metricsPath)) {
            try {
                record.metrics = parseRunMetricsJson(
                    readFileBounded(metricsPath, kMaxMetricsBytes), metricsPath);
                if (record.metrics.status == "completed")
                    record.status = TrialStatus::Completed;
                else if (record.metrics.status == "diverged")
                    record.status = TrialStatus::Diverged;
            } catch (const InputError& e) {
                record.problem = e.what();
            }
        }
        if (!trialFinished(record.status)) {
            record.epochsDone = historyRows(path);
        } else {
            try {
                const std::string historyPath = path + "/history.csv";
                for (const EpochRecord& epoch : parseHistoryCsv(
                         readTextFile(historyPath), historyPath, NonFinite::Allowed))
                    record.epochSeconds += epoch.seconds;
            } catch (const InputError&) {
                // The result stands without it; only the time-left estimate misses it.
            }
        }
        records.push_back(record);
    }
    return records;
}

std::string trialsCsv(const SweepSpec& spec, const SweepPlan& plan,
                      const std::vector<TrialRecord>& records)
{
    std::string text = "index,status";
    for (const SweepParameter& parameter : spec.parameters)
        text += "," + csvField(parameter.name);
    text += ",params,best_epoch,epochs,val_loss,val_accuracy,test_accuracy,seconds,run_folder\n";
    for (std::size_t i = 0; i < records.size() && i < plan.trials.size(); ++i) {
        const TrialRecord& record = records[i];
        const TrialConfig& trial = plan.trials[i];
        text += std::to_string(record.index) + "," + trialStatusName(record.status);
        for (const std::string& label : trial.labels)
            text += "," + csvField(label);
        text += "," + std::to_string(trial.parameters);
        if (trialFinished(record.status)) {
            const RunMetrics& m = record.metrics;
            text += "," + std::to_string(m.bestEpoch) + "," + std::to_string(m.epochsRun) + "," +
                    number(m.devLoss, 6) + "," + number(m.devAccuracy, 6) + "," +
                    number(m.testAccuracy, 6) + "," + number(m.trainSeconds, 2);
        } else {
            text += ",," + (record.epochsDone > 0 ? std::to_string(record.epochsDone) : "") +
                    ",,,,";
        }
        text += "," + (record.status == TrialStatus::Pending ? "" : record.folder) + "\n";
    }
    return text;
}

void rebuildTrialsCsv(const SweepFolder& folder, const SweepPlan& plan)
{
    const TableLock lock(folder.directory + "/.trials.lock");
    // Read under the lock: whoever writes last has seen every trial finished before it.
    const std::vector<TrialRecord> records = readTrials(folder, plan);
    writeFileAtomically(folder.directory + "/trials.csv", trialsCsv(folder.spec, plan, records));
}

TrialLock::~TrialLock()
{
    ::close(m_fd);
}

TrialSession openTrial(const SweepFolder& folder, const TrialConfig& trial,
                       const FashionMnist& data, SessionOptions options)
{
    TrialSession result;
    const std::string path = trialFolderPath(folder.directory, trial.index);
    const std::string lockPath = path + ".lock";
    const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw InputError(lockPath + ": cannot create the trial's lock file: " +
                         std::strerror(errno));
    result.lock = std::make_unique<TrialLock>(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        result.start = TrialStart::RunningElsewhere;
        return result;
    }
    Preset preset = trial.preset;
    if (folder.settings.device == "cpu")
        preset.training.device = DeviceChoice::Cpu;
    else if (folder.settings.device == "cuda")
        preset.training.device = DeviceChoice::Cuda;
    else if (folder.settings.device == "auto")
        preset.training.device = DeviceChoice::Auto;
    options.limit = folder.settings.limit;
    options.exactFolder = path;

    if (exists(path)) {
        if (isRunFolderLocked(path)) {
            result.start = TrialStart::RunningElsewhere;
            return result;
        }
        const std::string metricsPath = path + "/metrics.json";
        if (exists(metricsPath)) {
            try {
                const RunMetrics metrics = parseRunMetricsJson(
                    readFileBounded(metricsPath, kMaxMetricsBytes), metricsPath);
                if (metrics.status != "interrupted") {
                    result.start = TrialStart::AlreadyFinished;
                    return result;
                }
            } catch (const InputError& e) {
                result.detail = e.what(); // resumed or restarted below
            }
        }
        if (hasCheckpoint(path)) {
            try {
                result.session = TrainingSession::resume(path, data, options);
                result.start = TrialStart::Resumed;
                return result;
            } catch (const InputError& e) {
                // A trial is cheap to redo; a sweep must not stop at one damaged folder.
                result.detail = e.what();
            }
        } else if (result.detail.empty()) {
            result.detail = "stopped before its first epoch ended";
        }
        std::error_code error;
        std::filesystem::remove_all(path, error);
        if (error)
            throw InputError(path + ": cannot clear it to start the trial again: " +
                             error.message());
        result.start = TrialStart::Restarted;
    }
    result.session = std::make_unique<TrainingSession>(preset, data, options);
    return result;
}

} // namespace atelier
