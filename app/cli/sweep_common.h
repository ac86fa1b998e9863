// Helpers shared by the `sweep` subcommands: durations in words, the program's own path (a
// local job and a Slurm task run the same `atelier-cli sweep trial`), the best trial.
#pragma once

#include "core/sweep_folder.h"
#include "core/text_format.h" // durationText
#include "sweep_commands.h"

#include <memory>
#include <string>
#include <vector>

namespace atelier::cli {

// A sweep ready to start trials: its file read and planned, its folder made or reopened
// under the folder's run lock (held as long as this lives).
struct PreparedSweep
{
    SweepPlan plan;
    std::string directory; // absolute
    std::unique_ptr<SweepRunLock> lock;
    SweepFolder folder;
};

// For `sweep run` and `sweep slurm`: refuses a space without a trainable trial and a --out
// that is not a sweep folder before anything is written; prints a note on stderr when the
// number of trials changed.
PreparedSweep prepareSweep(const SweepOptions& options);

// `text` as one shell word: as is when it is plain, else in single quotes.
std::string shellQuoted(const std::string& text);

// The absolute path of this atelier-cli, for the commands it starts or writes into scripts.
std::string selfExecutable();

// An absolute path for `path` (relative ones against the current folder): Slurm tasks and
// child processes may start elsewhere.
std::string absolutePath(const std::string& path);

// Index into `records` of the best finished trial by the sweep's objective, or -1.
int bestTrial(const SweepSpec& spec, const std::vector<TrialRecord>& records);

// "val_accuracy 0.8712" for a finished trial.
std::string objectiveText(const SweepSpec& spec, const TrialRecord& record);

} // namespace atelier::cli
