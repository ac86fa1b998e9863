// `atelier-cli train PRESET`: trains on Fashion-MNIST, writes a run folder, prints the test
// result. Ctrl-C stops after the current batch and still writes the folder (exit 130).
#include "commands.h"
#include "common.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/text_format.h"
#include "core/trainer.h"
#include "core/training_session.h"
#include "progress_printer.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace atelier::cli {
namespace {

struct TrainOptions
{
    std::string preset;
    std::string dataDirectory;
    std::string outDirectory = "runs";
    int epochs = 0;      // 0: as in the preset
    int batchSize = 0;   // 0: as in the preset
    long long limit = 0; // 0: all training images
    long long seed = -1; // -1: as in the preset
    std::string device;  // empty: as in the preset
    int threads = 0;     // 0: all cores
    bool quiet = false;
};

std::atomic<Trainer*> g_activeTrainer{nullptr};

extern "C" void onInterrupt(int)
{
    if (Trainer* trainer = g_activeTrainer.load())
        trainer->requestStop();
    std::signal(SIGINT, SIG_DFL); // a second Ctrl-C ends the process at once
}

int runTrain(const TrainOptions& options)
{
    Preset preset = loadTrainablePreset(options.preset);
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
    const int threads = configureThreads(options.threads);

    const std::string dataDirectory = resolveDataDirectory(options.dataDirectory);
    if (!options.quiet)
        std::cerr << "Loading Fashion-MNIST from " << dataDirectory << " ...\n";
    const FashionMnist data = loadFashionMnist(dataDirectory);
    SessionOptions sessionOptions;
    sessionOptions.outDirectory = options.outDirectory;
    sessionOptions.dataDirectory = dataDirectory;
    sessionOptions.limit = std::size_t(options.limit);
    sessionOptions.threads = threads;
    TrainingSession session(preset, data, sessionOptions);
    Trainer& trainer = session.trainer();
    const std::string& folder = session.folder();
    const std::string name = preset.name.empty() ? "run" : preset.name;
    if (!options.quiet)
        std::cerr << "Training " << name << " (" << withThousands(session.parameters())
                  << " parameters) on " << trainer.device().kind() << " (" << trainer.device().name
                  << "), " << threads << " threads: " << trainer.trainCount() << " train / "
                  << trainer.devCount() << " dev images, " << preset.training.epochs
                  << (preset.training.epochs == 1 ? " epoch" : " epochs") << ", batch "
                  << preset.training.batchSize << ", seed " << preset.training.seed << "\n";

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

    g_activeTrainer = &trainer;
    std::signal(SIGINT, onInterrupt);
    TrainingResult result = session.run(callbacks);
    std::signal(SIGINT, SIG_DFL);
    g_activeTrainer = nullptr;
    printer.finish();

    if (!options.quiet)
        std::cerr << "Finished: " << result.message
                  << (result.restoredBest && result.bestEpoch > 0
                          ? "; kept the weights of epoch " + std::to_string(result.bestEpoch)
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
    command->add_option("preset", options->preset, "Preset file (YAML)")->required();
    command->add_option("--data", options->dataDirectory,
                        "Folder with the Fashion-MNIST IDX files");
    command->add_option("--out", options->outDirectory, "Folder for run folders (default: runs)");
    command->add_option("--epochs", options->epochs, "Override the preset's epochs")
        ->check(CLI::Range(1, 10000));
    command->add_option("--batch-size", options->batchSize, "Override the preset's batch size")
        ->check(CLI::Range(1, 60000));
    command
        ->add_option("--limit", options->limit,
                     "Train on a class-balanced subset of N training images")
        ->check(CLI::Range(1LL, 60000LL));
    command->add_option("--seed", options->seed, "Override the preset's training seed")
        ->check(CLI::NonNegativeNumber);
    command->add_option("--device", options->device, "auto, cpu or cuda (default: the preset's)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    command->add_option("--threads", options->threads, "CPU threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    command->add_flag("--quiet,-q", options->quiet, "Print only the results");
    return {command, [options] { return runTrain(*options); }};
}

} // namespace atelier::cli
