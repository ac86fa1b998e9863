// The study's matrix experiment: products of random matrices, depth by depth.
#include "matrix_lab.h"

#include "errors.h"

#include <cmath>
#include <random>
#include <torch/torch.h>

namespace atelier {
namespace {

// One factor, drawn with our own generator: the experiment never touches LibTorch's global
// one, which a training in the same process may be using.
torch::Tensor randomFactor(const MatrixLabOptions& options, std::mt19937_64& random)
{
    const int n = options.size;
    std::vector<float> values(std::size_t(n) * std::size_t(n));
    const MatrixInit& init = options.init;
    if (init.kind == MatrixInitKind::Uniform) {
        std::uniform_real_distribution<double> draw(init.low, init.high);
        for (float& v : values)
            v = float(draw(random));
    } else {
        const double variance = (init.kind == MatrixInitKind::He ? 2.0 : 1.0) / n;
        std::normal_distribution<double> draw(0.0, std::sqrt(variance));
        for (float& v : values)
            v = float(draw(random));
    }
    return torch::from_blob(values.data(), {n, n}, torch::kFloat32).clone();
}

torch::Tensor activate(const torch::Tensor& x, MatrixActivation activation)
{
    switch (activation) {
    case MatrixActivation::Sigmoid:
        return torch::sigmoid(x);
    case MatrixActivation::Relu:
        return torch::relu(x);
    case MatrixActivation::None:
        break;
    }
    return x;
}

double parseNumber(const std::string& text, const std::string& whole)
{
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || !std::isfinite(value))
        throw InputError("--init '" + whole + "': '" + text + "' is not a finite number");
    return value;
}

} // namespace

MatrixLabResult runMatrixLab(const MatrixLabOptions& options)
{
    if (options.depth < 1 || options.depth > kMaxMatrixDepth)
        throw InputError("--depth " + std::to_string(options.depth) + " is not from 1 to " +
                         std::to_string(kMaxMatrixDepth));
    if (options.size < 1 || options.size > kMaxMatrixSize)
        throw InputError("--size " + std::to_string(options.size) + " is not from 1 to " +
                         std::to_string(kMaxMatrixSize));
    const MatrixInit& init = options.init;
    if (init.kind == MatrixInitKind::Uniform &&
        !(std::isfinite(init.low) && std::isfinite(init.high) && init.low <= init.high))
        throw InputError("--init uniform: the low end must be finite and not above the high end");

    torch::NoGradGuard noGrad;
    std::mt19937_64 random(options.seed);
    MatrixLabResult result;
    torch::Tensor product = torch::eye(options.size, torch::kFloat32);
    for (int depth = 1; depth <= options.depth; ++depth) {
        if (options.keepGoing && !options.keepGoing())
            break;
        product = activate(torch::mm(randomFactor(options, random), product), options.activation);
        // Statistics in double, from the float32 entries: an entry that overflowed float32
        // shows as inf here too, and inf - inf in the spread as NaN, as in the study.
        const torch::Tensor entries = product.to(torch::kFloat64);
        MatrixDepthStats stats;
        stats.depth = depth;
        stats.mean = entries.mean().item<double>();
        stats.stddev = entries.numel() > 1 ? entries.std().item<double>() : 0.0;
        stats.norm = entries.norm().item<double>();
        result.depths.push_back(stats);
        if (result.firstAllZero == 0 && product.eq(0).all().item<bool>())
            result.firstAllZero = depth;
        if (result.firstInf == 0 && product.isinf().any().item<bool>())
            result.firstInf = depth;
        if (result.firstNan == 0 && product.isnan().any().item<bool>())
            result.firstNan = depth;
    }
    return result;
}

MatrixInit parseMatrixInit(const std::string& text)
{
    if (text == "he")
        return {MatrixInitKind::He, 0, 0};
    if (text == "glorot")
        return {MatrixInitKind::Glorot, 0, 0};
    const std::string prefix = "uniform:";
    if (text.rfind(prefix, 0) == 0) {
        const std::string range = text.substr(prefix.size());
        const std::size_t colon = range.find(':');
        if (colon != std::string::npos) {
            MatrixInit init{MatrixInitKind::Uniform, parseNumber(range.substr(0, colon), text),
                            parseNumber(range.substr(colon + 1), text)};
            if (init.low > init.high)
                throw InputError("--init '" + text + "': the low end is above the high end");
            return init;
        }
    }
    throw InputError("--init '" + text + "': expected uniform:LOW:HIGH, he or glorot");
}

MatrixActivation parseMatrixActivation(const std::string& text)
{
    if (text == "none")
        return MatrixActivation::None;
    if (text == "sigmoid")
        return MatrixActivation::Sigmoid;
    if (text == "relu")
        return MatrixActivation::Relu;
    throw InputError("--activation '" + text + "': expected none, sigmoid or relu");
}

} // namespace atelier
