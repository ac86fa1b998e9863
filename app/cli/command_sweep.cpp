// `atelier-cli sweep plan|run|slurm|status|report|trial`: hyperparameter searches over a
// preset (docs/sweeps.md). Each trial is an ordinary run folder inside the sweep folder,
// trained by its own `atelier-cli sweep trial` process, locally or as a Slurm array task.
#include "commands.h"
#include "common.h"
#include "sweep_commands.h"

#include <memory>

namespace atelier::cli {
namespace {

void addSettings(CLI::App* command, SweepOptions& options)
{
    command
        ->add_option("--limit", options.limit,
                     "Train every trial on a class-balanced subset of N training images")
        ->check(integerIn(1, 60000));
    command->add_option("--device", options.device, "auto, cpu or cuda for every trial")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    command->add_option("--data", options.dataDirectory, "Folder with the Fashion-MNIST IDX files");
}

} // namespace

Command addSweepCommand(CLI::App& app)
{
    auto options = std::make_shared<SweepOptions>();
    CLI::App* sweep = app.add_subcommand(
        "sweep", "Hyperparameter search over a preset: plan, run locally or on Slurm, follow, "
                 "report (docs/sweeps.md)");
    sweep->require_subcommand(1, 1);

    CLI::App* plan = sweep->add_subcommand(
        "plan", "Space size, trials, invalid points and the estimated duration, before anything "
                "runs");
    plan->add_option("sweep", options->sweepFile, "Sweep file (YAML)")->required();
    plan->add_option("--jobs", options->jobs, "Trials at once for the estimate")
        ->check(integerIn(1, 256));
    plan->add_option("--limit", options->limit, "Estimate for N training images per trial")
        ->check(integerIn(1, 60000));
    plan->add_option("--show", options->show, "Trials listed (default 5)")
        ->check(integerIn(0, 100000));

    CLI::App* run = sweep->add_subcommand(
        "run", "Run the trials on this machine; run it again on the same folder to resume");
    run->add_option("sweep", options->sweepFile, "Sweep file (YAML)")->required();
    run->add_option("--out", options->directory, "Sweep folder")->required()->check(nonEmpty());
    run->add_option("--jobs", options->jobs, "Trials at once, each its own process (default 1)")
        ->check(integerIn(1, 256));
    run->add_option("--threads", options->threads,
                    "CPU threads per trial (default: the cores split between the jobs)")
        ->check(integerIn(1, 1024));
    addSettings(run, *options);
    run->add_flag("--quiet,-q", options->quiet, "Print only the results");

    CLI::App* slurm = sweep->add_subcommand(
        "slurm", "Write a Slurm job-array script for the trials still missing and submit it");
    slurm->add_option("sweep", options->sweepFile, "Sweep file (YAML)")->required();
    slurm->add_option("--out", options->directory, "Sweep folder (on a shared filesystem)")
        ->required()
        ->check(nonEmpty());
    slurm->add_option("--max-parallel", options->maxParallel, "Array tasks running at once")
        ->check(integerIn(1, 100000));
    slurm->add_option("--threads", options->threads, "CPUs per task (default 2)")
        ->check(integerIn(1, 1024));
    slurm->add_option("--sbatch-arg", options->sbatchArgs,
                      "An extra #SBATCH line, e.g. --sbatch-arg=--time=02:00:00 (repeatable)");
    addSettings(slurm, *options);
    slurm->add_flag("--dry-run", options->dryRun, "Write the script without submitting it");

    CLI::App* status = sweep->add_subcommand(
        "status", "Trials by status, those running, the best so far and the time left");
    status->add_option("folder", options->directory, "Sweep folder")->required();

    CLI::App* report = sweep->add_subcommand(
        "report", "Trials ranked by the objective, each parameter's effect; writes best.yaml");
    report->add_option("folder", options->directory, "Sweep folder")->required();
    report->add_option("--top", options->top, "Trials listed (default 10)")
        ->check(integerIn(1, 100000));

    CLI::App* trial = sweep->add_subcommand(
        "trial", "Train one trial of a sweep folder (what each local job and Slurm task runs)");
    trial->add_option("folder", options->directory, "Sweep folder")->required();
    trial->add_option("index", options->trialIndex, "Trial number, from 0")
        ->required()
        ->check(integerIn(0, 100000));
    trial->add_option("--threads", options->threads, "CPU threads (default: all cores)")
        ->check(integerIn(1, 1024));
    trial->add_option("--data", options->dataDirectory, "Folder with the Fashion-MNIST IDX files");

    return {sweep, [=] {
                if (plan->parsed())
                    return runSweepPlan(*options);
                if (run->parsed())
                    return runSweepLocal(*options);
                if (slurm->parsed())
                    return runSweepSlurm(*options);
                if (status->parsed())
                    return runSweepStatus(*options);
                if (report->parsed())
                    return runSweepReport(*options);
                return runSweepTrial(*options);
            }};
}

} // namespace atelier::cli
