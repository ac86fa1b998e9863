// The training engine: mini-batch SGD/Adam on Fashion-MNIST tensors kept on the device,
// early stopping, best-weights tracking, stop and pause from any thread. No Qt; the caller
// decides the thread (the CLI's main thread, the studio's worker thread).
#pragma once

#include "dataset.h"
#include "network.h"
#include "preset.h"
#include "runtime.h"
#include "split.h"
#include "training.h"

#include <memory>

namespace atelier {

enum class ResumeMode
{
    Fresh,          // start from the preset's initial weights
    FromCheckpoint, // continue from the checkpoint at checkpointPath
};

struct TrainingOptions
{
    // Train on a class-balanced subset of this many training images (0: all of them).
    std::size_t limit = 0;
    // Written atomically after every completed epoch when set (checkpoint.h).
    std::string checkpointPath;
    ResumeMode resume = ResumeMode::Fresh;
    std::string dataDirectory; // recorded in the checkpoint
};

class Trainer
{
public:
    // Splits the data, normalizes it once, moves it to the device and builds the network.
    // Throws InputError (device, model) or DataError.
    Trainer(const Preset& preset, const FashionMnist& data, const TrainingOptions& options = {});
    ~Trainer();

    // Trains until the epochs run out, early stopping, a stop request, a callback returning
    // false, or divergence; then evaluates the kept model on dev and test. Blocks. One run
    // per Trainer: a second call would start from the trained weights with a new optimizer.
    // With a checkpoint path, writes the checkpoint after every epoch (throws InputError when
    // it cannot: the previous checkpoint stays); with ResumeMode::FromCheckpoint, starts
    // where the checkpoint stood (a run that had nothing left to train is only evaluated).
    TrainingResult run(const TrainingCallbacks& callbacks = {});

    // Makes the optimizer and the loop state and, when resuming, restores and checks the
    // whole checkpoint (weights, optimizer, generators, data and device match). run() calls
    // it when nobody did; call it first to find a bad checkpoint before changing anything
    // in the run folder. Throws InputError naming the checkpoint.
    void prepare();

    // Complete epochs so far and every batch loss (a stopped epoch's too). For the
    // callbacks, which run on the training thread; after a resume they start with the
    // checkpoint's.
    const std::vector<EpochRecord>& history() const;
    // Where run() writes the checkpoint; for callers that create the folder after the
    // trainer (so that an invalid model never leaves an empty folder behind).
    void setCheckpointPath(const std::string& path);
    const std::vector<BatchLoss>& batchLosses() const;
    // Every layer-statistics sample and histogram so far (empty, without layers, when the
    // preset turns them off).
    const LayerStatsLog& layerStats() const;
    // A resumed run continues the statistics its folder holds: `log`, cut to the epochs the
    // checkpoint completed. Call after prepare(); nothing happens when statistics are off.
    void continueLayerStats(LayerStatsLog log);

    // Thread-safe; take effect at the next batch boundary. requestStop() is also
    // async-signal-safe (a lock-free atomic store), for Ctrl-C handlers.
    void requestStop();
    void pause();
    void resume();
    bool isPaused() const;

    const Preset& preset() const;
    const DeviceInfo& device() const;
    const PixelTransform& pixelTransform() const;
    std::size_t trainCount() const;
    std::size_t devCount() const;
    std::size_t testCount() const;
    Network& network();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace atelier
