// Training memory estimate and this machine's memory.
//
// CUDA: the estimate is compared with the machine's RAM only. Comparing it with a GPU's
// memory (and LibTorch's caching allocator, cuDNN workspaces) is out of scope here; a model
// that fits in RAM but not on the GPU still fails when LibTorch allocates, as before.
#include "training_memory.h"

#include "internal/saturating.h"
#include "preset.h"
#include "text_format.h"

#include <cstdio>
#include <iterator>
#include <unistd.h>

namespace atelier {
namespace {

using detail::kSaturated;
using detail::saturatingAdd;
using detail::saturatingMul;

constexpr std::int64_t kBytesPerValue = 4; // float32 weights, gradients and activations
// Per trainable parameter besides the optimizer: weight, gradient, best-weights copy.
constexpr std::int64_t kTrainableCopies = 3;
// Per non-trainable value (BatchNorm running statistics): the value and its best copy.
constexpr std::int64_t kNonTrainableCopies = 2;
// Each kept activation also gets a gradient of the same size in the backward pass.
constexpr std::int64_t kActivationCopies = 2;

std::string threeDigits(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
}

} // namespace

TrainingLoad trainingLoadOf(const TrainConfig& training)
{
    TrainingLoad load;
    load.batchSize = training.batchSize;
    if (training.optimizer.kind == OptimizerKind::Adam)
        load.optimizerSlots = 2; // first and second moment
    else if (training.optimizer.momentum > 0.0)
        load.optimizerSlots = 1; // the momentum buffer
    return load;
}

std::int64_t MemoryEstimate::totalBytes() const
{
    return saturatingAdd(parameterBytes, activationBytes);
}

MemoryEstimate estimateTrainingMemory(std::int64_t trainableParams, std::int64_t nonTrainableParams,
                                      std::int64_t activationElements, const TrainingLoad& load)
{
    MemoryEstimate estimate;
    estimate.batchSize = load.batchSize;
    estimate.parameters = saturatingAdd(trainableParams, nonTrainableParams);
    const std::int64_t trainableValues =
        saturatingMul(trainableParams, kTrainableCopies + load.optimizerSlots);
    const std::int64_t fixedValues = saturatingMul(nonTrainableParams, kNonTrainableCopies);
    estimate.parameterBytes =
        saturatingMul(saturatingAdd(trainableValues, fixedValues), kBytesPerValue);
    estimate.activationBytes = saturatingMul(
        saturatingMul(saturatingMul(activationElements, load.batchSize), kActivationCopies),
        kBytesPerValue);
    return estimate;
}

std::string memoryProblem(const MemoryEstimate& estimate, std::int64_t availableBytes)
{
    const std::int64_t total = estimate.totalBytes();
    if (availableBytes <= 0 || total <= availableBytes)
        return {};
    const std::string about = total == kSaturated ? "more than " : "about ";
    return "needs " + about + formatBytes(total) + " to train at batch " +
           std::to_string(estimate.batchSize) + " (" + formatCount(estimate.parameters) +
           " parameters: " + formatBytes(estimate.parameterBytes) +
           " for weights, gradients, optimizer state and a copy of the best weights; " +
           formatBytes(estimate.activationBytes) +
           " of activations for one batch); this machine has " + formatBytes(availableBytes);
}

std::int64_t physicalMemoryBytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0)
        return 0;
    return saturatingMul(pages, pageSize);
}

std::string formatBytes(std::int64_t bytes)
{
    static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    if (bytes < 1000)
        return std::to_string(bytes) + " B";
    double value = double(bytes);
    std::size_t unit = 0;
    // 999.5 and up would print as "1e+03" with three digits.
    while (value >= 999.5 && unit + 1 < std::size(kUnits)) {
        value /= 1000.0;
        ++unit;
    }
    return threeDigits(value) + " " + kUnits[unit];
}

std::string formatCount(std::int64_t count)
{
    static const char* const kNames[] = {"million", "billion", "trillion", "quadrillion",
                                         "quintillion"};
    if (count < 1'000'000)
        return withThousands(count);
    double value = double(count) / 1e6;
    std::size_t name = 0;
    while (value >= 999.5 && name + 1 < std::size(kNames)) {
        value /= 1000.0;
        ++name;
    }
    return threeDigits(value) + " " + kNames[name];
}

} // namespace atelier
