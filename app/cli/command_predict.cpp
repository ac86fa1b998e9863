// `atelier-cli predict RUN_DIR IMAGE...`: a run's model on the user's own pictures (PNG, JPEG,
// BMP, any size and colour), prepared as core/image_input.h documents; prints the three most
// likely classes of each. Every image is read before anything is printed, so a bad file gets
// its error and no partial answer.
#include "commands.h"
#include "common.h"
#include "core/run_classifier.h"
#include "core/text_format.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

namespace atelier::cli {
namespace {

struct PredictOptions
{
    std::string folder;
    std::vector<std::string> images;
    int top = 3;
    bool json = false;
};

// One line per image for programs (the studio's Your images tab): what the text says, and
// all ten probabilities with float precision.
void printJson(const std::string& path, const PreparedImage& image, const ClassProbabilities& p)
{
    nlohmann::json line = {{"file", path},
                           {"width", image.sourceWidth},
                           {"height", image.sourceHeight},
                           {"negated", image.inverted},
                           {"unchanged", image.unchanged},
                           {"probabilities", p}};
    std::printf("%s\n",
                line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

std::string preparationNote(const PreparedImage& image)
{
    std::string note = std::to_string(image.sourceWidth) + "×" + std::to_string(image.sourceHeight);
    if (image.unchanged)
        return note + ", used as it is";
    return note + (image.inverted ? ", light background negated" : ", dark background");
}

int runPredict(const PredictOptions& options)
{
    RunClassifier classifier(options.folder);
    std::vector<PreparedImage> prepared;
    for (const std::string& path : options.images)
        prepared.push_back(prepareImageFile(path));
    const std::vector<ClassProbabilities> probabilities = classifier.classify(prepared);

    const auto& names = fashionMnistClassNames();
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        const ClassProbabilities& p = probabilities[i];
        if (options.json) {
            printJson(options.images[i], prepared[i], p);
            continue;
        }
        std::vector<int> order(kNumClasses);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return p[std::size_t(a)] > p[std::size_t(b)]; });
        std::printf("%s (%s)\n", options.images[i].c_str(), preparationNote(prepared[i]).c_str());
        for (int rank = 0; rank < options.top; ++rank) {
            const auto c = std::size_t(order[std::size_t(rank)]);
            std::printf("  %d. %s %6.2f%%\n", rank + 1, padded(names[c], 12, false).c_str(),
                        100.0 * p[c]);
        }
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
    command->add_flag("--json", options->json,
                      "One JSON object per image: file, width, height, negated, unchanged, "
                      "and the ten probabilities");
    return {command, [options] { return runPredict(*options); }};
}

} // namespace atelier::cli
