// Private to core: the pieces of a training step that the loop (trainer.cpp) calls: the
// optimizer, augmentation, best-weights copies and the data fingerprint of a checkpoint.
#pragma once

#include "../dataset.h"
#include "../preset.h"
#include "../runtime.h"
#include "../training.h"
#include "network_impl.h"
#include "training_state.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace atelier {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerConfig& config,
                                                       LayerStack& module);

void setLearningRate(torch::optim::Optimizer& optimizer, OptimizerKind kind, double rate);

// A one_cycle schedule's rate for batch `step` of `steps` (over the whole run), set in the
// optimizer and kept in `schedule`; other schedules change the rate between epochs only.
void setBatchLearningRate(torch::optim::Optimizer& optimizer, const TrainConfig& config,
                          std::int64_t step, std::int64_t steps, LearningRateSchedule& schedule);

// cuDNN's autotuning on a CUDA device (process-wide); nothing on the CPU.
void tuneKernelsFor(const DeviceInfo& device);

// Random flips and shifts of one training batch (N×784, on the device). Shifts pad with the
// background value and crop each image at its own random offset.
torch::Tensor augmentBatch(const torch::Tensor& flat, const Augmentation& augmentation,
                           float background, std::mt19937_64& rng);

// Parameters and buffers (BatchNorm statistics), kept on the device.
std::vector<torch::Tensor> snapshot(LayerStack& module);
void restore(LayerStack& module, const std::vector<torch::Tensor>& copy);

// Which images and labels a run trained on, so that a resume with another data set (the same
// counts, other images: MNIST digits) is refused.
std::string dataFingerprint(const FashionMnist& data);

} // namespace atelier
