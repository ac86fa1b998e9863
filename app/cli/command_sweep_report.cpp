// `atelier-cli sweep status DIR` (while it runs, locally or on Slurm) and `sweep report DIR`
// (ranked trials, each parameter's effect, best.yaml). Both read the trial folders
// themselves, never only trials.csv: a table rebuilt a moment ago may already be behind.
#include "core/preset.h"
#include "core/sweep_report.h"
#include "core/text_format.h"
#include "sweep_commands.h"
#include "sweep_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace atelier::cli {
namespace {

struct Counts
{
    std::map<TrialStatus, int> byStatus;
    double finishedSeconds = 0;
    int finishedWithTime = 0;
};

Counts countTrials(const std::vector<TrialRecord>& records)
{
    Counts counts;
    for (const TrialRecord& record : records) {
        ++counts.byStatus[record.status];
        if (trialFinished(record.status) && record.epochSeconds > 0) {
            counts.finishedSeconds += record.epochSeconds;
            ++counts.finishedWithTime;
        }
    }
    return counts;
}

} // namespace

int runSweepStatus(const SweepOptions& options)
{
    const SweepFolder folder = openSweepFolder(options.directory);
    const SweepPlan plan = planSweep(folder.spec);
    const std::vector<TrialRecord> records = readTrials(folder, plan);
    const Counts counts = countTrials(records);
    const auto count = [&](TrialStatus status) {
        const auto it = counts.byStatus.find(status);
        return it == counts.byStatus.end() ? 0 : it->second;
    };
    std::printf("sweep: %s (%s), %zu trials\n", folder.spec.name.c_str(), options.directory.c_str(),
                plan.trials.size());
    std::printf("completed %d · diverged %d · running %d · interrupted %d · pending %d\n",
                count(TrialStatus::Completed), count(TrialStatus::Diverged),
                count(TrialStatus::Running), count(TrialStatus::Interrupted),
                count(TrialStatus::Pending));
    for (const TrialRecord& record : records)
        if (record.status == TrialStatus::Running)
            std::printf("  running: trial %d, epoch %d of %d done (%s)\n", record.index,
                        record.epochsDone,
                        plan.trials[std::size_t(record.index)].preset.training.epochs,
                        describeTrial(folder.spec, plan.trials[std::size_t(record.index)]).c_str());
    const int best = bestTrial(folder.spec, records);
    if (best >= 0)
        std::printf("best so far: trial %d, %s (%s)\n", best,
                    objectiveText(folder.spec, records[std::size_t(best)]).c_str(),
                    describeTrial(folder.spec, plan.trials[std::size_t(best)]).c_str());
    const int left =
        int(plan.trials.size()) - count(TrialStatus::Completed) - count(TrialStatus::Diverged);
    if (left > 0 && counts.finishedWithTime > 0) {
        const double perTrial = counts.finishedSeconds / counts.finishedWithTime;
        const int parallel = std::max(1, count(TrialStatus::Running));
        std::printf("ETA: about %s (%d trials left, %s of epochs each, %d at a time)\n",
                    durationText(perTrial * left / parallel).c_str(), left,
                    durationText(perTrial).c_str(), parallel);
    } else if (left == 0) {
        std::printf("all trials finished: atelier-cli sweep report %s\n",
                    options.directory.c_str());
    }
    return 0;
}

int runSweepReport(const SweepOptions& options)
{
    const SweepFolder folder = openSweepFolder(options.directory);
    const SweepSpec& spec = folder.spec;
    const SweepPlan plan = planSweep(spec);
    const std::vector<TrialRecord> records = readTrials(folder, plan);
    const std::vector<int> ranked = rankTrials(spec, records);
    const bool lowerIsBetter = spec.objective == SweepObjective::ValLoss;
    std::printf("sweep: %s, %zu of %zu trials completed, ranked by %s (dev set, %s is better)\n",
                spec.name.c_str(), ranked.size(), plan.trials.size(),
                sweepObjectiveName(spec.objective).c_str(), lowerIsBetter ? "lower" : "higher");
    if (ranked.empty()) {
        std::printf("no trial has completed yet\n");
        return 0;
    }

    std::printf("\n%4s %5s %12s %8s %6s %10s  %s\n", "rank", "trial", "val_accuracy", "val_loss",
                "epochs", "params", "configuration");
    const std::size_t shown = std::min<std::size_t>(std::size_t(options.top), ranked.size());
    for (std::size_t r = 0; r < shown; ++r) {
        const TrialRecord& record = records[std::size_t(ranked[r])];
        const TrialConfig& trial = plan.trials[std::size_t(ranked[r])];
        std::printf("%4zu %5d %12.4f %8.4f %6d %10s  %s\n", r + 1, record.index,
                    record.metrics.devAccuracy, record.metrics.devLoss, record.metrics.epochsRun,
                    withThousands(trial.parameters).c_str(), describeTrial(spec, trial).c_str());
    }

    std::printf("\nparameter effects (%s per value: mean ± sd over completed trials; "
                "Spearman rho for numbers)\n",
                sweepObjectiveName(spec.objective).c_str());
    for (const ParameterEffect& effect : parameterEffects(spec, plan, records)) {
        std::printf("  %s", effect.name.c_str());
        if (effect.spearman)
            std::printf("  (rho %+.2f)", *effect.spearman);
        std::printf("\n");
        for (const ValueEffect& value : effect.values)
            if (value.trials > 0)
                std::printf("    %-24s %.4f ± %.4f  (%d trial%s)\n", value.label.c_str(),
                            value.mean, value.stddev, value.trials, value.trials == 1 ? "" : "s");
    }

    const int bestIndex = ranked.front();
    const TrialRecord& best = records[std::size_t(bestIndex)];
    Preset preset = plan.trials[std::size_t(bestIndex)].preset;
    preset.name = spec.name.size() + 5 <= kMaxPresetNameBytes ? spec.name + "_best" : "sweep_best";
    preset.description = "best of sweep " + spec.name + ": trial " + std::to_string(bestIndex) +
                         ", " + objectiveText(spec, best) + " (" +
                         describeTrial(spec, plan.trials[std::size_t(bestIndex)]) + ")";
    if (preset.description.size() > kMaxPresetDescriptionBytes)
        preset.description.resize(kMaxPresetDescriptionBytes);
    const std::string bestFile = options.directory + "/best.yaml";
    savePreset(preset, bestFile);
    std::printf("\nbest: trial %d, %s; test_accuracy %.4f (the held-out test set, measured once "
                "per trial and not used to rank)\n",
                bestIndex, objectiveText(spec, best).c_str(), best.metrics.testAccuracy);
    std::printf("best preset: %s (train it: atelier-cli train %s)\n", bestFile.c_str(),
                bestFile.c_str());
    return 0;
}

} // namespace atelier::cli
