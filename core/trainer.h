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

struct TrainingOptions
{
    // Train on a class-balanced subset of this many training images (0: all of them).
    std::size_t limit = 0;
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
    TrainingResult run(const TrainingCallbacks& callbacks = {});

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
