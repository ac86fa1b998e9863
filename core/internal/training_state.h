// Private to core: what the training loop carries from one epoch to the next. It is exactly
// what a checkpoint holds (with the model and optimizer), so that a run resumed from the
// checkpoint of epoch N continues as if it had never stopped.
#pragma once

#include "../best_epoch.h"
#include "../preset.h"
#include "../split.h"
#include "../training.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace atelier {

// One cycle's rate for batch `step` (0-based, counted over the whole run) of `steps`: a cosine
// from peak / 25 up to `peak` until batch warmupFraction × steps − 1, then a cosine down to
// peak / 250,000 at the last batch. PyTorch's OneCycleLR with its defaults, step for step
// (where it would divide by zero, warming up over no batch, this starts at peak / 25).
inline double oneCycleRate(double peak, double warmupFraction, std::int64_t step,
                           std::int64_t steps)
{
    const double start = peak / 25.0, end = start / 1e4;
    const double warmupEnd = warmupFraction * double(steps) - 1.0;
    const double lastStep = double(steps) - 1.0;
    auto cosine = [](double from, double to, double progress) {
        return to + (from - to) / 2.0 * (std::cos(M_PI * progress) + 1.0);
    };
    const auto at = double(step);
    if (at <= warmupEnd)
        return warmupEnd > 0 ? cosine(start, peak, at / warmupEnd) : start;
    return lastStep > warmupEnd ? cosine(peak, end, (at - warmupEnd) / (lastStep - warmupEnd))
                                : end;
}

// The learning-rate schedule: step decay or Keras's ReduceLROnPlateau on val_loss between
// epochs; one cycle per batch (oneCycleRate, set by the loop).
struct LearningRateSchedule
{
    LrSchedule config;
    double rate = 0;
    double bestValLoss = 0;
    int epochsWithoutImprovement = 0;
    bool seen = false;

    // Called after each epoch; returns the rate for the next one.
    double next(const EpochRecord& record)
    {
        bool reduce = false;
        if (config.kind == LrScheduleKind::Step) {
            reduce = record.epoch % config.every == 0;
        } else if (config.kind == LrScheduleKind::Plateau) {
            if (!seen || record.valLoss < bestValLoss) {
                seen = true;
                bestValLoss = record.valLoss;
                epochsWithoutImprovement = 0;
            } else if (++epochsWithoutImprovement >= config.patience) {
                reduce = true;
                epochsWithoutImprovement = 0;
            }
        }
        if (reduce)
            rate = std::max(rate * config.factor, config.minLearningRate);
        return rate;
    }
};

struct LoopState
{
    int epochsDone = 0; // complete epochs; the next one to train is epochsDone + 1
    BestTracker tracker;
    LearningRateSchedule schedule;
    std::mt19937_64 shuffleRng; // draws the epoch permutations and the augmentation shifts
    IndexList order;            // each epoch shuffles the previous epoch's order
    std::vector<torch::Tensor> bestWeights; // parameters, then buffers; empty before epoch 1
    std::vector<EpochRecord> history;
    std::vector<BatchLoss> batchLosses;
    double trainSeconds = 0;
    std::int64_t samplesTrained = 0;
    bool stoppedEarly = false; // by the early-stopping rule: nothing is left to train
    std::string message;       // why it stopped early
};

} // namespace atelier
