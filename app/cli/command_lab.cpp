// `atelier-cli lab matrices`: the study's matrix experiment. Prints, per depth, the mean,
// standard deviation and norm of a product of random matrices (inf and NaN as such), then
// where it vanished or exploded, or that it stayed finite.
#include "commands.h"
#include "common.h"
#include "core/matrix_lab.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace atelier::cli {
namespace {

struct LabOptions
{
    int depth = 100;
    int size = MatrixLabOptions{}.size;
    std::string init = "uniform:0:0.1";
    std::string activation = "none";
    std::uint64_t seed = 1;
};

// A statistic as the study shows it: NaN as "nan" whatever its sign bit (glibc prints "-nan").
std::string number(double value)
{
    if (std::isnan(value))
        return "nan";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

int runMatrices(const LabOptions& options)
{
    MatrixLabOptions lab;
    lab.depth = options.depth;
    lab.size = options.size;
    lab.init = parseMatrixInit(options.init);
    lab.activation = parseMatrixActivation(options.activation);
    lab.seed = options.seed;
    const MatrixLabResult result = runMatrixLab(lab);

    std::printf("product of %d random %d×%d matrices, init %s, activation %s, seed %llu "
                "(float32)\n",
                lab.depth, lab.size, lab.size, options.init.c_str(), options.activation.c_str(),
                static_cast<unsigned long long>(lab.seed));
    std::printf("%6s %14s %14s %14s\n", "depth", "mean", "std", "norm");
    for (const MatrixDepthStats& d : result.depths)
        std::printf("%6d %14s %14s %14s\n", d.depth, number(d.mean).c_str(),
                    number(d.stddev).c_str(), number(d.norm).c_str());
    if (result.firstAllZero > 0)
        std::printf("vanished: every entry is 0 from depth %d on\n", result.firstAllZero);
    if (result.firstInf > 0)
        std::printf("exploded: the first inf at depth %d\n", result.firstInf);
    if (result.firstNan > 0)
        std::printf("exploded: the first NaN at depth %d\n", result.firstNan);
    if (result.firstAllZero == 0 && result.firstInf == 0 && result.firstNan == 0)
        std::printf("stayed finite and non-zero: norm %.6g at depth %d\n",
                    result.depths.back().norm, lab.depth);
    return kExitOk;
}

} // namespace

Command addLabCommand(CLI::App& app)
{
    auto options = std::make_shared<LabOptions>();
    CLI::App* lab =
        app.add_subcommand("lab", "Experiments on why networks train: products of random matrices");
    lab->require_subcommand(1);
    CLI::App* matrices = lab->add_subcommand(
        "matrices", "Multiply random matrices and show where the product vanishes or explodes");
    matrices->add_option("--depth", options->depth, "Matrices multiplied (default 100)")
        ->check(integerIn(1, kMaxMatrixDepth));
    matrices->add_option("--size", options->size, "Rows and columns of each matrix (default 4)")
        ->check(integerIn(1, kMaxMatrixSize));
    matrices->add_option("--init", options->init,
                         "uniform:LOW:HIGH, he or glorot (default uniform:0:0.1)");
    matrices->add_option("--activation", options->activation,
                         "none, sigmoid or relu after each factor (default none)");
    matrices->add_option("--seed", options->seed, "Seed of the random matrices (default 1)");
    return {lab, [options] { return runMatrices(*options); }};
}

} // namespace atelier::cli
