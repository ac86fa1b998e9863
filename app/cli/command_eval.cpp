// `atelier-cli eval RUN_DIR`: re-evaluates a saved model on the test set and prints loss,
// accuracy, the confusion matrix and per-class precision/recall/F1.
#include "commands.h"
#include "common.h"
#include "core/dataset.h"
#include "core/evaluation.h"
#include "core/model_analysis.h"
#include "core/network.h"
#include "core/run_folder.h"
#include "core/text_format.h"
#include "core/weights.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace atelier::cli {
namespace {

struct EvalOptions
{
    std::string folder;
    std::string dataDirectory;
    std::string device = "auto";
    int threads = 0;
};

void printConfusion(const ConfusionMatrix& confusion)
{
    const auto& names = fashionMnistClassNames();
    std::printf("\nConfusion matrix (rows: true class, columns: predicted class)\n");
    std::printf("%16s", "");
    for (int p = 0; p < kNumClasses; ++p)
        std::printf("%6d", p);
    std::printf("\n");
    for (int t = 0; t < kNumClasses; ++t) {
        std::printf("%3d %s", t, padded(names[t], 12, false).c_str());
        for (int p = 0; p < kNumClasses; ++p)
            std::printf("%6lld", static_cast<long long>(confusion[t][p]));
        std::printf("\n");
    }
}

void printReport(const ClassificationReport& report)
{
    const auto& names = fashionMnistClassNames();
    std::printf("\n%-16s%10s%10s%10s%10s\n", "class", "precision", "recall", "f1", "support");
    std::int64_t support = 0;
    for (int c = 0; c < kNumClasses; ++c) {
        const ClassMetrics& m = report.perClass[c];
        std::printf("%s%10.4f%10.4f%10.4f%10lld\n", padded(names[c], 16, false).c_str(),
                    m.precision, m.recall, m.f1, static_cast<long long>(m.support));
        support += m.support;
    }
    std::printf("%-16s%10.4f%10.4f%10.4f%10lld\n", "macro average", report.macroPrecision,
                report.macroRecall, report.macroF1, static_cast<long long>(support));
}

int runEval(const EvalOptions& options)
{
    const RunRecord run = loadRun(options.folder);
    configureThreads(options.threads);
    const DeviceInfo device = resolveDevice(options.device == "cpu"    ? DeviceChoice::Cpu
                                            : options.device == "cuda" ? DeviceChoice::Cuda
                                                                       : DeviceChoice::Auto);
    Network network(run.preset.model, run.preset.training.seed);
    network.setPrecision(run.preset.training.precision);
    loadWeights(network, weightsPath(options.folder));

    const std::string dataDirectory = resolveDataDirectory(options.dataDirectory);
    std::cerr << "Loading the Fashion-MNIST test set from " << dataDirectory << " ...\n";
    const FashionMnist data = loadFashionMnist(dataDirectory);
    // The run's own normalization, as recorded: standardization statistics came from its
    // training split.
    const Evaluation evaluation =
        evaluateNetwork(network, data.test, allIndices(std::size_t(data.test.count)),
                        run.metrics.transform, device);

    std::printf("Run: %s (%s, status %s, %d epochs, best epoch %d)\n", run.folder.c_str(),
                run.preset.name.c_str(), run.metrics.status.c_str(), run.metrics.epochsRun,
                run.metrics.bestEpoch);
    std::printf("Device: %s (%s)\n", device.kind().c_str(), device.name.c_str());
    std::printf("test_loss: %.4f\n", evaluation.loss);
    std::printf("test_accuracy: %.4f\n", evaluation.accuracy);
    printConfusion(evaluation.confusion);
    printReport(evaluation.report);
    return kExitOk;
}

} // namespace

Command addEvalCommand(CLI::App& app)
{
    auto options = std::make_shared<EvalOptions>();
    CLI::App* command =
        app.add_subcommand("eval", "Re-evaluate a run folder's saved model on the test set");
    command->add_option("run", options->folder, "Run folder (written by atelier-cli train)")
        ->required();
    command->add_option("--data", options->dataDirectory,
                        "Folder with the Fashion-MNIST IDX files");
    command->add_option("--device", options->device, "auto, cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    command->add_option("--threads", options->threads, "CPU threads (default: all cores)")
        ->check(integerIn(1, 1024));
    return {command, [options] { return runEval(*options); }};
}

} // namespace atelier::cli
