// Helpers shared by the `sweep` subcommands (see sweep_common.h).
#include "sweep_common.h"

#include "core/errors.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace atelier::cli {

std::string shellQuoted(const std::string& text)
{
    const bool plain =
        !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                "0123456789-_./=:@%+,") == std::string::npos;
    if (plain)
        return text;
    std::string quoted = "'";
    for (const char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string selfExecutable()
{
    char path[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0)
        throw InputError("cannot find this program's own path (/proc/self/exe)");
    return std::string(path, std::size_t(length));
}

std::string absolutePath(const std::string& path)
{
    if (!path.empty() && path.front() == '/')
        return path;
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd))
        throw InputError("cannot read the current folder");
    return std::string(cwd) + "/" + (path == "." ? std::string() : path);
}

PreparedSweep prepareSweep(const SweepOptions& options)
{
    const SweepSpec spec = loadSweep(options.sweepFile);
    PreparedSweep prepared;
    prepared.plan = planSweep(spec);
    if (prepared.plan.trials.empty())
        throw InputError(options.sweepFile + ": no trial is a trainable model (see "
                                             "`atelier-cli sweep plan`)");
    prepared.directory = absolutePath(options.directory);
    checkSweepFolderTarget(prepared.directory);
    std::error_code error;
    std::filesystem::create_directories(prepared.directory, error);
    if (error)
        throw InputError(prepared.directory +
                         ": cannot create the sweep folder: " + error.message());
    prepared.lock = std::make_unique<SweepRunLock>(prepared.directory);
    SweepSettings settings;
    settings.limit = std::size_t(options.limit);
    settings.device = options.device;
    std::string note;
    prepared.folder = prepareSweepFolder(prepared.directory, spec, settings, note);
    if (!note.empty())
        std::fprintf(stderr, "Note: %s\n", note.c_str());
    std::filesystem::create_directories(prepared.directory + "/logs");
    return prepared;
}

int bestTrial(const SweepSpec& spec, const std::vector<TrialRecord>& records)
{
    int best = -1;
    double bestValue = std::nan("");
    for (std::size_t i = 0; i < records.size(); ++i) {
        const double value = trialObjective(spec, records[i]);
        if (objectiveIsBetter(spec.objective, value, bestValue)) {
            best = int(i);
            bestValue = value;
        }
    }
    return best;
}

std::string objectiveText(const SweepSpec& spec, const TrialRecord& record)
{
    char text[64];
    std::snprintf(text, sizeof text, "%s %.4f", sweepObjectiveName(spec.objective).c_str(),
                  trialObjective(spec, record));
    return text;
}

} // namespace atelier::cli
