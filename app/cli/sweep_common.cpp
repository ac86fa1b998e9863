// Helpers shared by the `sweep` subcommands (see sweep_common.h).
#include "sweep_common.h"

#include "core/errors.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace atelier::cli {

std::string durationText(double seconds)
{
    char text[48];
    if (!std::isfinite(seconds) || seconds < 0)
        return "unknown";
    if (seconds < 90)
        std::snprintf(text, sizeof text, "%.0f s", seconds);
    else if (seconds < 3600)
        std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
    else
        std::snprintf(text, sizeof text, "%d h %02d min", int(seconds / 3600),
                      int(std::fmod(seconds, 3600) / 60));
    return text;
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
