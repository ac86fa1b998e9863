// `atelier-cli train PRESET`: trains on Fashion-MNIST, writes a run folder, prints the test
// result. Ctrl-C, SIGTERM and SIGHUP stop after the current batch and still write the folder
// (exit 130); `train --resume RUN_DIR` continues such a run, or a killed one, from its
// checkpoint.
#include "commands.h"
#include "common.h"
#include "core/checkpoint.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/text_format.h"
#include "core/trainer.h"
#include "core/training_session.h"
#include "progress_printer.h"
#include "training_signals.h"

#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <unistd.h>

namespace atelier::cli {
namespace {

struct TrainOptions
{
    std::string preset;
    std::string dataDirectory;
    std::string outDirectory = "runs";
    int epochs = 0;        // 0: as in the preset
    int batchSize = 0;     // 0: as in the preset
    long long limit = 0;   // 0: all training images
    long long seed = -1;   // -1: as in the preset
    std::string device;    // empty: as in the preset
    std::string precision; // empty: as in the preset
    int threads = 0;       // 0: all cores
    bool quiet = false;
    bool layerStatsOn = false;  // --layer-stats
    bool layerStatsOff = false; // --no-layer-stats
    std::string resume;         // a run folder to continue instead of a preset
    bool outGiven = false;
};

// The preset with the command line's overrides, checked as it will be trained (a larger
// --batch-size may not fit in memory where the preset's does).
Preset presetWithOverrides(const TrainOptions& options)
{
    Preset preset = loadPreset(options.preset);
    if (options.epochs > 0)
        preset.training.epochs = options.epochs;
    if (options.batchSize > 0)
        preset.training.batchSize = options.batchSize;
    if (options.seed >= 0)
        preset.training.seed = std::uint64_t(options.seed);
    if (!options.device.empty())
        preset.training.device = options.device == "cpu"    ? DeviceChoice::Cpu
                                 : options.device == "cuda" ? DeviceChoice::Cuda
                                                            : DeviceChoice::Auto;
    if (!options.precision.empty())
        preset.training.precision = *precisionFromName(options.precision);
    if (options.layerStatsOn || options.layerStatsOff)
        preset.training.layerStats = options.layerStatsOn;
    checkTrainable(preset, options.preset);
    return preset;
}

// What a resumed run cannot change without giving another run than the one it continues.
void refuseOverridesOnResume(const TrainOptions& options)
{
    const char* option = !options.preset.empty()      ? "a preset"
                         : options.batchSize > 0      ? "--batch-size"
                         : options.seed >= 0          ? "--seed"
                         : options.limit > 0          ? "--limit"
                         : !options.device.empty()    ? "--device"
                         : !options.precision.empty() ? "--precision"
                         : options.layerStatsOn       ? "--layer-stats"
                         : options.layerStatsOff      ? "--no-layer-stats"
                         : options.outGiven           ? "--out"
                                                      : nullptr;
    if (option)
        throw InputError(std::string("--resume continues the run in its folder with its own "
                                     "settings; ") +
                         option +
                         " cannot be given with it (only --epochs, --threads, --data, --quiet)");
}

std::unique_ptr<TrainingSession> startSession(const TrainOptions& options, const Preset& preset,
                                              const FashionMnist& data,
                                              const SessionOptions& sessionOptions)
{
    if (options.resume.empty())
        return std::make_unique<TrainingSession>(preset, data, sessionOptions);
    return TrainingSession::resume(options.resume, data, sessionOptions, options.epochs);
}

int runTrain(const TrainOptions& options)
{
    if (!options.resume.empty())
        refuseOverridesOnResume(options);
    else if (options.preset.empty())
        throw InputError("train: give a preset file, or --resume RUN_DIR");
    // Checked before the data is loaded: a bad preset is refused at once.
    const Preset requested = options.resume.empty() ? presetWithOverrides(options) : Preset{};
    const int threads = configureThreads(options.threads);

    std::string dataDirectory = options.dataDirectory;
    if (dataDirectory.empty() && !options.resume.empty() && hasCheckpoint(options.resume))
        dataDirectory = readCheckpointInfo(options.resume).dataDirectory;
    dataDirectory = resolveDataDirectory(dataDirectory);
    if (!options.quiet)
        std::cerr << "Loading Fashion-MNIST from " << dataDirectory << " ...\n";
    const FashionMnist data = loadFashionMnist(dataDirectory);
    SessionOptions sessionOptions;
    sessionOptions.outDirectory = options.outDirectory;
    sessionOptions.dataDirectory = dataDirectory;
    sessionOptions.limit = std::size_t(options.limit);
    sessionOptions.threads = threads;
    const std::unique_ptr<TrainingSession> session =
        startSession(options, requested, data, sessionOptions);
    const Preset& preset = session->preset();
    Trainer& trainer = session->trainer();
    const std::string& folder = session->folder();
    const std::string name = preset.name.empty() ? "run" : preset.name;
    if (!options.quiet) {
        if (session->resumedEpochs() > 0)
            std::cerr << "Resuming " << folder << " after epoch " << session->resumedEpochs()
                      << "\n";
        std::cerr << "Training " << name << " (" << withThousands(session->parameters())
                  << " parameters) on " << trainer.device().kind() << " (" << trainer.device().name
                  << "), " << threads << " threads: " << trainer.trainCount() << " train / "
                  << trainer.devCount() << " dev images, " << preset.training.epochs
                  << (preset.training.epochs == 1 ? " epoch" : " epochs") << ", batch "
                  << preset.training.batchSize << ", seed " << preset.training.seed
                  << (preset.training.precision == Precision::BFloat16Mixed
                          ? ", bf16 mixed precision"
                          : "")
                  << "\n";
    }
    if (preset.training.precision == Precision::BFloat16Mixed && !hasFastBfloat16(trainer.device()))
        std::cerr << "Note: " << trainer.device().name
                  << " has no bfloat16 instructions; bf16 is emulated here and slower than fp32\n";

    ProgressPrinter printer(options.quiet, ::isatty(STDERR_FILENO) == 1);
    TrainingCallbacks callbacks;
    callbacks.onBatch = [&](const BatchProgress& progress) {
        printer.batch(progress);
        return true;
    };
    callbacks.onEpoch = [&](const EpochReport& report) {
        printer.epoch(report, preset.training.epochs);
        return true;
    };

    TrainingResult result;
    {
        const StopSignalsStopTraining signals(trainer);
        result = session->run(callbacks);
    }
    printer.finish();

    if (!options.quiet)
        std::cerr << "Finished: " << result.message
                  << (result.restoredBest && result.bestEpoch > 0
                          ? "; kept the weights of epoch " + std::to_string(result.bestEpoch)
                          : "")
                  << (result.status == RunStatus::Interrupted && hasCheckpoint(folder)
                          ? "\nResume with: atelier-cli train --resume " + folder
                          : "")
                  << "\n";
    std::printf("status: %s\n", runStatusName(result.status).c_str());
    std::printf("test_loss: %.4f\n", result.test.loss);
    std::printf("test_accuracy: %.4f\n", result.test.accuracy);
    std::printf("run: %s\n", folder.c_str());
    return result.status == RunStatus::Interrupted ? kExitInterrupted : kExitOk;
}

} // namespace

Command addTrainCommand(CLI::App& app)
{
    auto options = std::make_shared<TrainOptions>();
    CLI::App* command =
        app.add_subcommand("train", "Train a preset on Fashion-MNIST and write a run folder");
    command->add_option("preset", options->preset, "Preset file (YAML)");
    command->add_option("--resume", options->resume,
                        "Continue the interrupted or killed run in this run folder from its "
                        "last completed epoch");
    command->add_option("--data", options->dataDirectory,
                        "Folder with the Fashion-MNIST IDX files");
    CLI::Option* out =
        command
            ->add_option("--out", options->outDirectory, "Folder for run folders (default: runs)")
            ->check(nonEmpty());
    // The same ranges as the preset keys they override (docs/presets.md).
    command->add_option("--epochs", options->epochs, "Override the preset's epochs")
        ->check(integerIn(1, 10000));
    command->add_option("--batch-size", options->batchSize, "Override the preset's batch size")
        ->check(integerIn(1, 60000));
    command
        ->add_option("--limit", options->limit,
                     "Train on a class-balanced subset of N training images")
        ->check(integerIn(1, 60000));
    command->add_option("--seed", options->seed, "Override the preset's training seed")
        ->check(integerIn(0, std::numeric_limits<long long>::max()));
    command->add_option("--device", options->device, "auto, cpu or cuda (default: the preset's)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    command
        ->add_option("--precision", options->precision,
                     "fp32, or bf16 for mixed precision (default: the preset's)")
        ->check(CLI::IsMember({"fp32", "bf16"}));
    command->add_option("--threads", options->threads, "CPU threads (default: all cores)")
        ->check(integerIn(1, 1024));
    CLI::Option* statsOn = command->add_flag(
        "--layer-stats", options->layerStatsOn,
        "Record per-layer gradient, weight and activation statistics (the preset's "
        "training.layer_stats, on by default)");
    command->add_flag("--no-layer-stats", options->layerStatsOff, "Do not record layer statistics")
        ->excludes(statsOn);
    command->add_flag("--quiet,-q", options->quiet, "Print only the results");
    return {command, [options, out] {
                options->outGiven = out->count() > 0;
                return runTrain(*options);
            }};
}

} // namespace atelier::cli
