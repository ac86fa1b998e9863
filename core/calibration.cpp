// Timing a few training steps on random data (see calibration.h).
#include "calibration.h"

#include "internal/network_impl.h"
#include "internal/training_steps.h"

#include <chrono>

namespace atelier {

StepTiming timeTrainingSteps(const Preset& preset, int steps)
{
    Network network(preset.model, preset.training.seed);
    network.setPrecision(preset.training.precision);
    LayerStack& module = network.impl().module;
    module->train();
    const std::unique_ptr<torch::optim::Optimizer> optimizer =
        makeOptimizer(preset.training.optimizer, module);
    const std::int64_t batch = preset.training.batchSize;
    torch::manual_seed(1);
    const torch::Tensor images = torch::rand({batch, 784});
    const torch::Tensor labels = torch::randint(0, 10, {batch}, torch::kLong);
    auto step = [&] {
        optimizer->zero_grad();
        const torch::Tensor loss =
            torch::nn::functional::cross_entropy(module->forward(images), labels);
        loss.backward();
        optimizer->step();
    };
    // Warm-up: the first steps pay for thread-pool start-up and first allocations, which
    // made a small model look ten times slower than a large one timed after it.
    for (int i = 0; i < 3; ++i)
        step();
    // At least `steps` steps and a fifth of a second, so that a tiny model is not timed
    // from a few microsecond-long steps.
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    int timed = 0;
    double seconds = 0;
    do {
        step();
        ++timed;
        seconds = std::chrono::duration<double>(Clock::now() - start).count();
    } while ((timed < steps || seconds < 0.2) && timed < 50 * std::max(1, steps));
    StepTiming timing;
    timing.secondsPerBatch = seconds / timed;
    timing.secondsPerImage = timing.secondsPerBatch / double(batch);
    return timing;
}

} // namespace atelier
