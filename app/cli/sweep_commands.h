// The `sweep` subcommands, one file each; command_sweep.cpp registers them.
#pragma once

#include <string>
#include <vector>

namespace atelier::cli {

struct SweepOptions
{
    std::string sweepFile;     // plan, run, slurm
    std::string directory;     // --out (run, slurm) or the folder (trial, status, report)
    std::string dataDirectory; // --data
    int jobs = 1;              // run: trials at once
    int threads = 0;           // threads per trial (0: the cores split between jobs)
    long long limit = 0;       // --limit: a subset for every trial
    std::string device;        // --device for every trial
    int trialIndex = -1;       // trial
    int show = 5;              // plan: trials listed
    int top = 10;              // report: trials listed
    int maxParallel = 0;       // slurm: array tasks at once (0: no limit)
    std::vector<std::string> sbatchArgs;
    bool dryRun = false;
    bool quiet = false;
};

int runSweepPlan(const SweepOptions& options);
int runSweepLocal(const SweepOptions& options);
int runSweepTrial(const SweepOptions& options);
int runSweepSlurm(const SweepOptions& options);
int runSweepStatus(const SweepOptions& options);
int runSweepReport(const SweepOptions& options);

} // namespace atelier::cli
