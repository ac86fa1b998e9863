// The best epoch, by one rule everywhere: the trainer's early stopping, the studio's live
// marker and a run read back from its folder all use BestTracker, so the epoch the studio
// marks is the epoch the trainer keeps (Keras's rules for min_delta and patience).
#pragma once

#include "preset.h"
#include "training.h"

#include <vector>

namespace atelier {

struct BestTracker
{
    Monitor monitor = Monitor::ValLoss;
    double minDelta = 0;
    double best = 0;
    int bestEpoch = 0; // 0: no epoch yet
    int epochsWithoutImprovement = 0;

    // Counts `record`; true when it is a new best (by more than min_delta).
    bool update(const EpochRecord& record)
    {
        const double value = monitor == Monitor::ValLoss ? record.valLoss : record.valAccuracy;
        const bool improved =
            bestEpoch == 0 ||
            (monitor == Monitor::ValLoss ? value < best - minDelta : value > best + minDelta);
        if (improved) {
            best = value;
            bestEpoch = record.epoch;
            epochsWithoutImprovement = 0;
        } else {
            ++epochsWithoutImprovement;
        }
        return improved;
    }
};

// The epoch BestTracker settles on after `history` (0 when it is empty).
inline int bestEpochOf(const std::vector<EpochRecord>& history, const EarlyStopping& rule)
{
    BestTracker tracker{rule.monitor, rule.minDelta};
    for (const EpochRecord& record : history)
        tracker.update(record);
    return tracker.bestEpoch;
}

} // namespace atelier
