// What training a model needs in memory, estimated before anything is allocated, and what
// this machine has: a model that cannot fit is refused in words instead of failing deep
// inside LibTorch. The formula is in docs/presets.md ("Limits").
#pragma once

#include <cstdint>
#include <string>

namespace atelier {

struct TrainConfig;

// What a training step holds besides the model itself.
struct TrainingLoad
{
    int batchSize = 1;
    int optimizerSlots = 0; // buffers kept per parameter: SGD with momentum 1, Adam 2
};

// The load of training with `training`'s batch size and optimizer.
TrainingLoad trainingLoadOf(const TrainConfig& training);

struct MemoryEstimate
{
    int batchSize = 0;
    std::int64_t parameters = 0;
    // Weights, gradients, optimizer state and the copy of the best epoch's weights.
    std::int64_t parameterBytes = 0;
    // One batch's layer outputs, kept for the backward pass, and their gradients.
    std::int64_t activationBytes = 0;

    std::int64_t totalBytes() const; // saturates instead of wrapping
};

// `activationElements`: per image, the input plus every layer's output (twice where a
// Dense or Conv2D applies an activation: before and after it).
MemoryEstimate estimateTrainingMemory(std::int64_t trainableParams, std::int64_t nonTrainableParams,
                                      std::int64_t activationElements, const TrainingLoad& load);

// "" when the estimate fits in `availableBytes` (or that is 0, unknown); else "needs about
// 52.5 TB to train at batch 32 (...); this machine has 23.4 GB".
std::string memoryProblem(const MemoryEstimate& estimate, std::int64_t availableBytes);

// Physical memory of this machine (sysconf), 0 when unknown. Not a container's or a Slurm
// job's memory limit, and not a GPU's: see the note in training_memory.cpp.
std::int64_t physicalMemoryBytes();

std::string formatBytes(std::int64_t bytes); // "12.3 GB", "512 B" (decimal units)
std::string formatCount(std::int64_t count); // "398,090", "3.28 trillion"

} // namespace atelier
