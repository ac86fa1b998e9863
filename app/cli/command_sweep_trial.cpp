// `atelier-cli sweep trial DIR INDEX`: trains one trial of a sweep folder: fresh, continued
// from its checkpoint, or nothing when it is finished or trained elsewhere. Local jobs and
// Slurm array tasks both run this; SIGTERM (Slurm's time limit) stops it after the batch and
// leaves the trial resumable. Then trials.csv is rebuilt.
#include "commands.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/runtime.h"
#include "core/text_format.h"
#include "progress_printer.h"
#include "sweep_commands.h"
#include "sweep_common.h"
#include "training_signals.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace atelier::cli {

int runSweepTrial(const SweepOptions& options)
{
    const SweepFolder folder = openSweepFolder(options.directory);
    const SweepPlan plan = planSweep(folder.spec);
    if (options.trialIndex < 0 || std::size_t(options.trialIndex) >= plan.trials.size())
        throw InputError(options.directory + ": no trial " + std::to_string(options.trialIndex) +
                         "; the sweep has " + std::to_string(plan.trials.size()) +
                         " trials (0 to " + std::to_string(int(plan.trials.size()) - 1) + ")");
    const TrialConfig& trial = plan.trials[std::size_t(options.trialIndex)];
    // Before the data is loaded: a duplicate Slurm task of a finished trial ends at once.
    if (const TrialRecord record = readTrial(folder, trial.index); trialFinished(record.status)) {
        std::cerr << "Trial " << trial.index << ": already finished; nothing to do\n";
        std::printf("trial: %d\nstatus: finished\n", trial.index);
        return kExitOk;
    }
    const int threads = configureThreads(options.threads);
    const std::string dataDirectory = resolveDataDirectory(options.dataDirectory);
    std::cerr << "Trial " << trial.index << " of sweep " << folder.spec.name << ": "
              << describeTrial(folder.spec, trial) << "\n";
    const FashionMnist data = loadFashionMnist(dataDirectory);

    SessionOptions sessionOptions;
    sessionOptions.dataDirectory = dataDirectory;
    sessionOptions.threads = threads;
    TrialSession opened = openTrial(folder, trial, data, sessionOptions);
    if (!opened.session) {
        const bool finished = opened.start == TrialStart::AlreadyFinished;
        std::cerr << "Trial " << trial.index
                  << (finished ? ": already finished; nothing to do\n"
                               : ": another process trains it now; leaving it to that one\n");
        std::printf("trial: %d\nstatus: %s\n", trial.index, finished ? "finished" : "running");
        return 0;
    }
    TrainingSession& session = *opened.session;
    if (opened.start == TrialStart::Resumed)
        std::cerr << "Resuming after epoch " << session.resumedEpochs() << "\n";
    else if (opened.start == TrialStart::Restarted)
        std::cerr << "Starting again (" << opened.detail << ")\n";
    Trainer& trainer = session.trainer();
    std::cerr << "Training " << withThousands(session.parameters()) << " parameters on "
              << trainer.device().kind() << ", " << threads << " threads: " << trainer.trainCount()
              << " train / " << trainer.devCount() << " dev images\n";

    ProgressPrinter printer(false, ::isatty(STDERR_FILENO) == 1);
    TrainingCallbacks callbacks;
    callbacks.onBatch = [&](const BatchProgress& progress) {
        printer.batch(progress);
        return true;
    };
    callbacks.onEpoch = [&](const EpochReport& report) {
        printer.epoch(report, session.preset().training.epochs);
        return true;
    };
    TrainingResult result;
    {
        const StopSignalsStopTraining signals(trainer);
        result = session.run(callbacks);
    }
    printer.finish();
    opened.session.reset(); // releases the trial's lock before the table is read
    rebuildTrialsCsv(folder, plan);

    std::printf("trial: %d\nstatus: %s\nval_loss: %.4f\nval_accuracy: %.4f\ntest_accuracy: %.4f\n",
                trial.index, runStatusName(result.status).c_str(), result.dev.loss,
                result.dev.accuracy, result.test.accuracy);
    return result.status == RunStatus::Interrupted ? kExitInterrupted : kExitOk;
}

} // namespace atelier::cli
