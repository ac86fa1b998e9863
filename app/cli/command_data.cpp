// `atelier-cli data`: loads Fashion-MNIST, splits it, and prints shapes and class counts.
#include "commands.h"
#include "common.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/split.h"
#include "core/text_format.h"

#include <iostream>
#include <limits>
#include <memory>

namespace atelier::cli {
namespace {

struct DataOptions
{
    std::string dataDirectory;
    double devFraction = 0.2;
    std::uint64_t splitSeed = 42;
};

std::string shapeText(std::size_t count, int pixels)
{
    return std::to_string(count) + "×" + std::to_string(pixels);
}

int runData(const DataOptions& options)
{
    const std::string directory = resolveDataDirectory(options.dataDirectory);
    std::cerr << "Loading Fashion-MNIST from " << directory << " ...\n";
    const FashionMnist data = loadFashionMnist(directory);
    const TrainDevSplit split =
        stratifiedSplit(data.train.labels, options.devFraction, options.splitSeed);
    const int pixels = data.train.pixelsPerImage();

    std::cout << "Fashion-MNIST in " << data.directory << "\n\n";
    std::cout << "Raw sets (images " << data.train.rows << "×" << data.train.cols << ")\n"
              << "  train  " << shapeText(std::size_t(data.train.count), pixels) << "\n"
              << "  test   " << shapeText(std::size_t(data.test.count), pixels) << "\n\n";
    std::cout << "After the split (dev fraction " << options.devFraction << ", split seed "
              << options.splitSeed << ", stratified)\n"
              << "  train  " << shapeText(split.train.size(), pixels) << "\n"
              << "  dev    " << shapeText(split.dev.size(), pixels) << "\n"
              << "  test   " << shapeText(std::size_t(data.test.count), pixels) << "\n\n";

    const ClassCounts train = classCounts(data.train.labels, split.train);
    const ClassCounts dev = classCounts(data.train.labels, split.dev);
    const ClassCounts test = classCounts(data.test.labels);
    const auto& names = fashionMnistClassNames();
    std::cout << "Class distribution\n";
    std::cout << "  " << padded("#", 2, true) << "  " << padded("class", 11, false) << "  "
              << padded("train", 7, true) << "  " << padded("dev", 7, true) << "  "
              << padded("test", 7, true) << "\n";
    std::int64_t totals[3] = {0, 0, 0};
    for (int c = 0; c < kNumClasses; ++c) {
        std::cout << "  " << padded(std::to_string(c), 2, true) << "  "
                  << padded(names[c], 11, false) << "  " << padded(withThousands(train[c]), 7, true)
                  << "  " << padded(withThousands(dev[c]), 7, true) << "  "
                  << padded(withThousands(test[c]), 7, true) << "\n";
        totals[0] += train[c];
        totals[1] += dev[c];
        totals[2] += test[c];
    }
    std::cout << "  " << padded("", 2, true) << "  " << padded("total", 11, false) << "  "
              << padded(withThousands(totals[0]), 7, true) << "  "
              << padded(withThousands(totals[1]), 7, true) << "  "
              << padded(withThousands(totals[2]), 7, true) << "\n";
    return kExitOk;
}

} // namespace

Command addDataCommand(CLI::App& app)
{
    auto options = std::make_shared<DataOptions>();
    CLI::App* command = app.add_subcommand(
        "data", "Load Fashion-MNIST and print set shapes, class names and class distribution");
    command->add_option("--data", options->dataDirectory,
                        "Folder with the four IDX files (.gz or raw); default $ATELIER_DATA, "
                        "else /usr/share/datasets/fashion-mnist");
    command
        ->add_option("--dev-fraction", options->devFraction,
                     "Share of each class held out as the dev set")
        ->check(numberIn(0.0, 0.9, Bound::Exclusive, Bound::Inclusive)); // as data.dev_fraction
    command->add_option("--split-seed", options->splitSeed, "Seed of the stratified split")
        ->check(integerIn(0, std::numeric_limits<long long>::max())); // as data.split_seed
    return {command, [options] { return runData(*options); }};
}

} // namespace atelier::cli
