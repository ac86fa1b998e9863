// Private to core: what the training loop carries from one epoch to the next. It is exactly
// what a checkpoint holds (with the model and optimizer), so that a run resumed from the
// checkpoint of epoch N continues as if it had never stopped.
#pragma once

#include "../best_epoch.h"
#include "../preset.h"
#include "../split.h"
#include "../training.h"

#include <algorithm>
#include <random>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace atelier {

// The learning-rate schedule: step decay or Keras's ReduceLROnPlateau on val_loss.
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
