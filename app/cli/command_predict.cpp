// `atelier-cli predict RUN_DIR IMAGE...`: a run's model on the user's own pictures (PNG, JPEG,
// BMP, any size and colour), prepared as core/image_input.h documents; prints the three most
// likely classes of each. Every image is read before anything is printed, so a bad file gets
// its error and no partial answer.
#include "commands.h"
#include "common.h"
#include "core/dataset.h"
#include "core/evaluation.h"
#include "core/image_input.h"
#include "core/network.h"
#include "core/run_folder.h"
#include "core/text_format.h"
#include "core/weights.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <numeric>

namespace atelier::cli {
namespace {

struct PredictOptions
{
    std::string folder;
    std::vector<std::string> images;
    std::string device = "auto";
    int top = 3;
};

std::string preparationNote(const PreparedImage& image)
{
    std::string note =
        std::to_string(image.sourceWidth) + "×" + std::to_string(image.sourceHeight);
    if (image.unchanged)
        return note + ", used as it is";
    return note + (image.inverted ? ", light background negated" : ", dark background");
}

int runPredict(const PredictOptions& options)
{
    const RunRecord run = loadRun(options.folder);
    std::vector<PreparedImage> prepared;
    for (const std::string& path : options.images)
        prepared.push_back(prepareImageFile(path));

    const DeviceInfo device = resolveDevice(options.device == "cpu"    ? DeviceChoice::Cpu
                                            : options.device == "cuda" ? DeviceChoice::Cuda
                                                                       : DeviceChoice::Auto);
    Network network(run.preset.model, run.preset.training.seed);
    loadWeights(network, weightsPath(options.folder));
    ImageSet set;
    set.count = int(prepared.size());
    set.rows = set.cols = kModelImageSide;
    for (const PreparedImage& image : prepared)
        set.pixels.insert(set.pixels.end(), image.pixels.begin(), image.pixels.end());
    set.labels.assign(prepared.size(), 0);
    const std::vector<float> probabilities = classProbabilities(
        network, set, allIndices(prepared.size()), run.metrics.transform, device);

    const auto& names = fashionMnistClassNames();
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        const float* p = probabilities.data() + i * kNumClasses;
        std::vector<int> order(kNumClasses);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[a] > p[b]; });
        std::printf("%s (%s)\n", options.images[i].c_str(), preparationNote(prepared[i]).c_str());
        for (int rank = 0; rank < options.top; ++rank)
            std::printf("  %d. %s %6.2f%%\n", rank + 1,
                        padded(names[std::size_t(order[std::size_t(rank)])], 12, false).c_str(),
                        100.0 * p[order[std::size_t(rank)]]);
    }
    return kExitOk;
}

} // namespace

Command addPredictCommand(CLI::App& app)
{
    auto options = std::make_shared<PredictOptions>();
    CLI::App* command = app.add_subcommand(
        "predict", "Classify your own images (PNG, JPEG, BMP) with a run's trained model");
    command->footer(imagePreparationSummary());
    command->add_option("run", options->folder, "Run folder (written by atelier-cli train)")
        ->required();
    command->add_option("images", options->images, "Image files")->required();
    command->add_option("--top", options->top, "Classes to show per image (default 3)")
        ->check(integerIn(1, 10));
    command->add_option("--device", options->device, "auto, cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    return {command, [options] { return runPredict(*options); }};
}

} // namespace atelier::cli
