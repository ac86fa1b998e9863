// `atelier-cli sweep plan SWEEP.yaml`: what a sweep will do before anything runs: the space,
// the trials, the points that are not trainable models and why, and an estimated duration
// from timing a few batches of its smallest and largest trial on this machine
// (core/sweep_estimate.h).
#include "core/sweep_estimate.h"
#include "core/sweep_plan.h"
#include "core/text_format.h"
#include "sweep_commands.h"
#include "sweep_common.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace atelier::cli {
namespace {

constexpr std::size_t kMaxValuesShown = 8;

std::string methodText(const SweepSpec& spec, const SweepPlan& plan)
{
    if (spec.method == SweepMethod::Grid)
        return "grid: every point";
    if (spec.fraction > 0) {
        char text[96];
        std::snprintf(text, sizeof text, "random: %g%% of the grid, drawn without replacement",
                      spec.fraction * 100);
        return text;
    }
    return "random: " + std::to_string(spec.trials) + " trials" +
           (plan.continuous ? "" : ", drawn without replacement");
}

std::string valuesText(const SweepParameter& parameter)
{
    if (parameter.range) {
        const char* kind = parameter.range->kind == RangeKind::Uniform      ? "uniform"
                           : parameter.range->kind == RangeKind::LogUniform ? "log-uniform"
                                                                            : "integers";
        return std::string(kind) + " " + shortestDouble(parameter.range->low) + " to " +
               shortestDouble(parameter.range->high);
    }
    std::string text;
    for (std::size_t i = 0; i < parameter.values.size() && i < kMaxValuesShown; ++i)
        text += (i ? ", " : "") + parameter.values[i].label;
    if (parameter.values.size() > kMaxValuesShown)
        text += ", … (" + std::to_string(parameter.values.size()) + " values)";
    return text;
}

std::string pathsText(const SweepParameter& parameter)
{
    std::string text;
    for (std::size_t i = 0; i < parameter.paths.size(); ++i)
        text += (i ? ", " : "") + parameter.paths[i];
    return text;
}

// Seconds for this program to start and exit (`--version`): what every trial process pays
// before it trains. 0 when it cannot be measured.
double processStartSeconds()
{
    const std::string program = selfExecutable();
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0)
            ::dup2(null, STDOUT_FILENO);
        ::execl(program.c_str(), program.c_str(), "--version", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 0;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void printEstimate(const SweepPlan& plan, const SweepOptions& options)
{
    if (plan.trials.empty())
        return;
    SweepEstimateOptions estimateOptions;
    estimateOptions.jobs = options.jobs;
    estimateOptions.threads = options.threads;
    estimateOptions.imageLimit = options.limit;
    estimateOptions.processStartSeconds = processStartSeconds();
    estimateOptions.dataDirectory = options.dataDirectory;
    const SweepEstimate estimate = estimateSweepDuration(plan, estimateOptions);
    const int threads = estimate.threads;

    std::printf("estimate: at most %s with %d job%s × %d thread%s (every trial running all its "
                "epochs; early stopping ends most sooner)\n",
                durationText(estimate.wallSeconds).c_str(), options.jobs,
                options.jobs == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
    std::printf("  calibration: a training step costs %.1f µs per image in trial %d (smallest) "
                "and %.1f µs in trial %d (largest); each trial also takes %.1f s to start and "
                "%.1f s to load the data\n",
                estimate.smallestMicrosecondsPerImage, estimate.smallestTrial,
                estimate.largestMicrosecondsPerImage, estimate.largestTrial, estimate.startSeconds,
                estimate.loadSeconds);
}

} // namespace

int runSweepPlan(const SweepOptions& options)
{
    const SweepSpec spec = loadSweep(options.sweepFile);
    const SweepPlan plan = planSweep(spec, InvalidCount::WholeGrid);

    std::printf("sweep: %s (%s)\n", spec.name.c_str(), options.sweepFile.c_str());
    if (!spec.description.empty())
        std::printf("  %s\n", spec.description.c_str());
    std::printf("method: %s, seed %llu\n", methodText(spec, plan).c_str(),
                static_cast<unsigned long long>(spec.seed));
    std::printf("objective: %s (dev set, %s is better)\n",
                sweepObjectiveName(spec.objective).c_str(),
                spec.objective == SweepObjective::ValLoss ? "lower" : "higher");
    std::printf("space: %zu parameter%s, %s\n", spec.parameters.size(),
                spec.parameters.size() == 1 ? "" : "s",
                plan.continuous
                    ? "with ranges (no finite grid)"
                    : (withThousands(std::int64_t(plan.gridPoints)) + " grid points").c_str());
    for (const SweepParameter& parameter : spec.parameters)
        std::printf("  %s: %s%s\n", parameter.name.c_str(), valuesText(parameter).c_str(),
                    parameter.paths.size() == 1 && parameter.paths[0] == parameter.name
                        ? ""
                        : ("  (at " + pathsText(parameter) + ")").c_str());

    std::printf("invalid: %s of %s point%s checked %s not trainable model%s\n",
                withThousands(std::int64_t(plan.invalid)).c_str(),
                withThousands(std::int64_t(plan.examined)).c_str(), plan.examined == 1 ? "" : "s",
                plan.invalid == 1 ? "is" : "are", plan.invalid == 1 ? "" : "s");
    for (std::size_t i = 0; i < plan.invalidReasons.size() && i < 5; ++i) {
        const InvalidReason& reason = plan.invalidReasons[i];
        TrialConfig example;
        example.labels = reason.example;
        std::printf("  %s × %s\n      e.g. %s\n", withThousands(std::int64_t(reason.count)).c_str(),
                    reason.reason.c_str(), describeTrial(spec, example).c_str());
    }
    if (plan.invalidReasons.size() > 5)
        std::printf("  … and %zu more reasons\n", plan.invalidReasons.size() - 5);

    std::printf("trials: %zu\n", plan.trials.size());
    if (!plan.shortfall.empty())
        std::printf("  note: %s\n", plan.shortfall.c_str());
    const std::size_t shown = std::min<std::size_t>(std::size_t(options.show), plan.trials.size());
    for (std::size_t i = 0; i < shown; ++i)
        std::printf("  trial %zu: %s (%s parameters)\n", i,
                    describeTrial(spec, plan.trials[i]).c_str(),
                    withThousands(plan.trials[i].parameters).c_str());
    if (shown < plan.trials.size())
        std::printf("  … %zu more (--show N lists more)\n", plan.trials.size() - shown);
    std::fflush(stdout);
    printEstimate(plan, options);
    return 0;
}

} // namespace atelier::cli
