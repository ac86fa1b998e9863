// The value range of every numeric preset key, written once: the preset reader checks values
// against these bounds, and the studio's forms set their spin boxes from them, so that a form
// never offers a value a preset refuses, nor refuses one it accepts (docs/presets.md lists
// the same ranges).
#pragma once

#include "model_spec.h"

#include <limits>
#include <optional>
#include <string>

namespace atelier {

// Stands for "no upper bound" (early_stopping.min_delta); messages show it as ∞.
constexpr double kNoUpperBound = std::numeric_limits<double>::max();

struct IntLimits
{
    long long min;
    long long max;

    constexpr bool contains(long long value) const { return value >= min && value <= max; }
};

struct RealLimits
{
    double min;
    double max;
    bool minInclusive;
    bool maxInclusive;

    constexpr bool contains(double value) const
    {
        return (minInclusive ? value >= min : value > min) &&
               (maxInclusive ? value <= max : value < max);
    }
    constexpr bool bounded() const { return max != kNoUpperBound; }
};

namespace limits {

// training.optimizer
constexpr RealLimits kLearningRate{0.0, 10.0, false, true};
constexpr RealLimits kWeightDecay{0.0, 1.0, true, true};
constexpr RealLimits kMomentum{0.0, 1.0, true, false}; // sgd
constexpr RealLimits kBeta{0.0, 1.0, true, false};     // adam: beta1 and beta2
constexpr RealLimits kAdamEpsilon{0.0, 1.0, false, true};
// training
constexpr IntLimits kBatchSize{1, 60000};
constexpr IntLimits kEpochs{1, 10000};
constexpr IntLimits kSeed{0, std::numeric_limits<long long>::max()}; // also data.split_seed
// training.early_stopping
constexpr IntLimits kPatience{0, 10000};
constexpr RealLimits kMinDelta{0.0, kNoUpperBound, true, true};
// training.lr_schedule
constexpr RealLimits kLrFactor{0.0, 1.0, false, false};
constexpr RealLimits kMinLearningRate{0.0, 10.0, true, true};
constexpr IntLimits kLrEvery{1, 10000};
constexpr IntLimits kLrPatience{0, 10000};
constexpr RealLimits kLrWarmup{0.0, 1.0, false, false};
// training.augmentation
constexpr IntLimits kShift{0, 8};
// data
constexpr RealLimits kDevFraction{0.0, 0.9, false, true};
// model
constexpr IntLimits kInputSide{1, 1 << 20};
constexpr IntLimits kUnits{1, kMaxUnits};
constexpr IntLimits kFilters{1, kMaxFilters};
constexpr IntLimits kWindow{1, kMaxWindow}; // kernel, stride, pool, dilation: each side
constexpr RealLimits kDropoutRate{0.0, 1.0, true, false};
constexpr RealLimits kBatchNormMomentum{0.0, 1.0, false, true};
constexpr RealLimits kBatchNormEpsilon{0.0, 1.0, false, true};
constexpr RealLimits kInitValue{-1e6, 1e6, true, true}; // uniform min and max, normal mean
constexpr RealLimits kInitStd{0.0, 1e6, false, true};

} // namespace limits

// The bounds of a numeric key, whole numbers or not.
struct KeyLimits
{
    bool integer = false;
    RealLimits range{0.0, 0.0, true, true};
};

// The limits of the numeric key at `keyPath` ("training.batch_size",
// "model.layers[3].units", "model.layers[1].kernel"), or nullopt for a key that is not a
// number (a choice, a switch, a mapping) or not in the schema.
std::optional<KeyLimits> presetKeyLimits(const std::string& keyPath);

} // namespace atelier
