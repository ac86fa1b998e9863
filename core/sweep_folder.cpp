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
#include <fcntl.h>
#include <filesystem>
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
    if (settings.limit > 60000 || (settings.device != "" && settings.device != "auto" &&
                                   settings.device != "cpu" && settings.device != "cuda"))
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

SweepRunLock::SweepRunLock(const std::string& directory)
    : m_fd(::open((directory + "/.run.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
{
    if (m_fd < 0)
        throw InputError(directory + "/.run.lock: cannot create: " + std::strerror(errno));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(m_fd);
        throw InputError(directory +
                         (error == EWOULDBLOCK
                              ? std::string(": another atelier-cli sweep run or "
                                            "sweep slurm works on this folder now")
                              : ": cannot lock .run.lock: " + std::string(std::strerror(error))));
    }
}

SweepRunLock::~SweepRunLock()
{
    ::close(m_fd);
}

void checkSweepFolderTarget(const std::string& directory)
{
    std::error_code error;
    if (!exists(directory))
        return;
    if (!std::filesystem::is_directory(directory, error))
        throw InputError(directory + ": not a folder");
    if (exists(directory + "/sweep.yaml"))
        return;
    // What a sweep folder holds before its sweep.yaml is written (sweep.json goes first):
    // a creation cut short may be completed; anything else is someone else's folder.
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        const std::string name = entry.path().filename().string();
        const bool emptyFolder = (name == "trials" || name == "logs") && entry.is_directory() &&
                                 std::filesystem::is_empty(entry.path(), error);
        if (name != ".run.lock" && name != "sweep.json" && !emptyFolder)
            throw InputError(directory +
                             ": not a sweep folder (no sweep.yaml) and not empty; give another "
                             "--out");
    }
}

SweepFolder prepareSweepFolder(const std::string& directory, const SweepSpec& spec,
                               const SweepSettings& settings, std::string& note)
{
    checkSweepFolderTarget(directory);
    SweepFolder folder;
    folder.directory = directory;
    folder.spec = spec;
    folder.settings = settings;
    folder.fingerprint = sweepFingerprint(spec);
    const std::string sweepFile = directory + "/sweep.yaml";
    if (exists(sweepFile)) {
        const SweepFolder existing = openSweepFolder(directory);
        if (existing.fingerprint != folder.fingerprint)
            throw InputError(directory + ": this sweep folder was made from a different space "
                                         "(base preset, parameters, method, seed or objective "
                                         "differ); give another --out, or run the sweep file "
                                         "it was made from");
        // Settings not given keep the folder's; given ones must agree with it.
        if ((settings.limit != 0 && settings.limit != existing.settings.limit) ||
            (!settings.device.empty() && settings.device != existing.settings.device))
            throw InputError(directory + ": this sweep folder was made with --limit " +
                             std::to_string(existing.settings.limit) + " and --device '" +
                             existing.settings.device +
                             "'; resume it with those (or without them), or give another --out");
        folder.settings = existing.settings;
        if (sweepToYaml(existing.spec) == sweepToYaml(spec))
            return existing;
        // Same space, another fraction or trial count: the same seed draws the shorter sweep
        // first, so the trials already run stay trials of the new one, unless it is shorter
        // than the trials already started.
        const SweepPlan before = planSweep(existing.spec), after = planSweep(spec);
        for (std::size_t index = after.trials.size(); index < before.trials.size(); ++index)
            if (exists(trialFolderPath(directory, int(index))))
                throw InputError(directory + ": the sweep now has " +
                                 std::to_string(after.trials.size()) + " trials, but trial " +
                                 std::to_string(index) + " of its " +
                                 std::to_string(before.trials.size()) +
                                 " has run already; a sweep folder never drops a trial (give "
                                 "another --out)");
        note = "the sweep now has " + std::to_string(after.trials.size()) + " trials (it had " +
               std::to_string(before.trials.size()) + "); trials already run are kept";
    }
    std::filesystem::create_directories(directory + "/trials");
    // sweep.json first: sweep.yaml marks a sweep folder, so it must come with its settings.
    writeFileAtomically(directory + "/sweep.json", settingsJson(folder));
    writeFileAtomically(sweepFile, sweepToYaml(spec));
    return folder;
}

bool isSweepFolder(const std::string& directory)
{
    return exists(directory + "/sweep.yaml");
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

TrialRecord readTrial(const SweepFolder& folder, int index)
{
    TrialRecord record;
    record.index = index;
    const std::string path = trialFolderPath(folder.directory, index);
    record.folder = path.substr(folder.directory.size() + 1);
    if (!exists(path))
        return record;
    if (isRunFolderLocked(path)) {
        record.status = TrialStatus::Running;
        record.epochsDone = historyRows(path);
        return record;
    }
    const std::string metricsPath = path + "/metrics.json";
    record.status = TrialStatus::Interrupted;
    if (exists(metricsPath)) {
        try {
            record.metrics =
                parseRunMetricsJson(readFileBounded(metricsPath, kMaxMetricsBytes), metricsPath);
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
        return record;
    }
    try {
        const std::string historyPath = path + "/history.csv";
        for (const EpochRecord& epoch :
             parseHistoryCsv(readTextFile(historyPath), historyPath, NonFinite::Allowed))
            record.epochSeconds += epoch.seconds;
    } catch (const InputError&) {
        // The result stands without it; only the time-left estimate misses it.
    }
    return record;
}

std::vector<TrialRecord> readTrials(const SweepFolder& folder, const SweepPlan& plan)
{
    std::vector<TrialRecord> records;
    records.reserve(plan.trials.size());
    for (const TrialConfig& trial : plan.trials)
        records.push_back(readTrial(folder, trial.index));
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
            text +=
                ",," + (record.epochsDone > 0 ? std::to_string(record.epochsDone) : "") + ",,,,";
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
        throw InputError(lockPath +
                         ": cannot create the trial's lock file: " + std::strerror(errno));
    result.lock = std::make_unique<TrialLock>(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            throw InputError(lockPath + ": cannot lock: " + std::strerror(errno) +
                             " (the sweep folder must be on a filesystem with flock; on Lustre, "
                             "mount it with -o flock)");
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
        // Nothing that holds a completed epoch is ever deleted: a trial that cannot be
        // resumed (trained on another device, damaged files) stops the process with the
        // reason and the folder as it is.
        const auto kept = [&](const std::string& reason) {
            return InputError(reason +
                              "; the trial folder is kept as it is: fix the cause, or "
                              "remove " +
                              path + " to train the trial from the start");
        };
        const std::string metricsPath = path + "/metrics.json";
        if (exists(metricsPath)) {
            RunMetrics metrics;
            try {
                metrics = parseRunMetricsJson(readFileBounded(metricsPath, kMaxMetricsBytes),
                                              metricsPath);
            } catch (const InputError& e) {
                throw kept(e.what());
            }
            if (metrics.status != "interrupted") {
                result.start = TrialStart::AlreadyFinished;
                return result;
            }
        }
        if (hasCheckpoint(path)) {
            try {
                result.session = TrainingSession::resume(path, data, options);
            } catch (const InputError& e) {
                throw kept(e.what());
            }
            result.start = TrialStart::Resumed;
            return result;
        }
        // No checkpoint: the trial stopped inside its first epoch and holds nothing to keep.
        result.detail = "it stopped before its first epoch ended";
        std::error_code error;
        std::filesystem::remove_all(path, error);
        if (error)
            throw InputError(path +
                             ": cannot clear it to start the trial again: " + error.message());
        result.start = TrialStart::Restarted;
    }
    result.session = std::make_unique<TrainingSession>(preset, data, options);
    return result;
}

} // namespace atelier
