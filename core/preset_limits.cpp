// Looking up a numeric preset key's limits by its key path (see preset_limits.h).
#include "preset_limits.h"

#include <map>

namespace atelier {
namespace {

KeyLimits integer(const IntLimits& l)
{
    return {true, {double(l.min), double(l.max), true, true}};
}

KeyLimits real(const RealLimits& l)
{
    return {false, l};
}

// "model.layers[12].kernel_init.min" → "model.layers[].kernel_init.min": the limits of a
// layer key do not depend on the layer's position.
std::string withoutPositions(const std::string& path)
{
    std::string out;
    bool inBrackets = false;
    for (const char c : path) {
        if (c == '[')
            inBrackets = true;
        else if (c == ']')
            inBrackets = false;
        else if (inBrackets)
            continue;
        out += c;
    }
    return out;
}

} // namespace

std::optional<KeyLimits> presetKeyLimits(const std::string& keyPath)
{
    using namespace limits;
    static const std::map<std::string, KeyLimits> table = {
        {"training.optimizer.learning_rate", real(kLearningRate)},
        {"training.optimizer.weight_decay", real(kWeightDecay)},
        {"training.optimizer.momentum", real(kMomentum)},
        {"training.optimizer.beta1", real(kBeta)},
        {"training.optimizer.beta2", real(kBeta)},
        {"training.optimizer.epsilon", real(kAdamEpsilon)},
        {"training.batch_size", integer(kBatchSize)},
        {"training.epochs", integer(kEpochs)},
        {"training.seed", integer(kSeed)},
        {"training.early_stopping.patience", integer(kPatience)},
        {"training.early_stopping.min_delta", real(kMinDelta)},
        {"training.lr_schedule.factor", real(kLrFactor)},
        {"training.lr_schedule.min_lr", real(kMinLearningRate)},
        {"training.lr_schedule.every", integer(kLrEvery)},
        {"training.lr_schedule.patience", integer(kLrPatience)},
        {"training.lr_schedule.warmup", real(kLrWarmup)},
        {"training.augmentation.shift", integer(kShift)},
        {"data.dev_fraction", real(kDevFraction)},
        {"data.split_seed", integer(kSeed)},
        {"model.input", integer(kInputSide)},
        {"model.layers[].units", integer(kUnits)},
        {"model.layers[].filters", integer(kFilters)},
        {"model.layers[].kernel", integer(kWindow)},
        {"model.layers[].stride", integer(kWindow)},
        {"model.layers[].pool", integer(kWindow)},
        {"model.layers[].dilation", integer(kWindow)},
        {"model.layers[].rate", real(kDropoutRate)},
        {"model.layers[].momentum", real(kBatchNormMomentum)},
        {"model.layers[].epsilon", real(kBatchNormEpsilon)},
        {"model.layers[].kernel_init.min", real(kInitValue)},
        {"model.layers[].kernel_init.max", real(kInitValue)},
        {"model.layers[].kernel_init.mean", real(kInitValue)},
        {"model.layers[].kernel_init.std", real(kInitStd)},
        {"model.layers[].bias_init.min", real(kInitValue)},
        {"model.layers[].bias_init.max", real(kInitValue)},
        {"model.layers[].bias_init.mean", real(kInitValue)},
        {"model.layers[].bias_init.std", real(kInitStd)},
    };
    const auto it = table.find(withoutPositions(keyPath));
    if (it == table.end())
        return std::nullopt;
    return it->second;
}

} // namespace atelier
