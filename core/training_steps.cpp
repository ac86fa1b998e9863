// Training-step pieces shared by the loop: optimizer, augmentation, weight copies, data
// fingerprint, and the names of how a run ended.
#include "internal/training_steps.h"

#include "random.h"

#include <cstdio>

namespace atelier {
namespace F = torch::nn::functional;

std::string runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Completed:
        return "completed";
    case RunStatus::Interrupted:
        return "interrupted";
    case RunStatus::Diverged:
        return "diverged";
    }
    return "unknown";
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerConfig& config,
                                                       LayerStack& module)
{
    if (config.kind == OptimizerKind::Adam)
        return std::make_unique<torch::optim::Adam>(module->parameters(),
                                                    torch::optim::AdamOptions(config.learningRate)
                                                        .betas({config.beta1, config.beta2})
                                                        .eps(config.epsilon)
                                                        .weight_decay(config.weightDecay));
    return std::make_unique<torch::optim::SGD>(module->parameters(),
                                               torch::optim::SGDOptions(config.learningRate)
                                                   .momentum(config.momentum)
                                                   .nesterov(config.nesterov)
                                                   .weight_decay(config.weightDecay));
}

void setLearningRate(torch::optim::Optimizer& optimizer, OptimizerKind kind, double rate)
{
    // The options' concrete type is known from the preset; OptimizerOptions::set_lr exists
    // only from LibTorch 2.0 on.
    for (auto& group : optimizer.param_groups()) {
        if (kind == OptimizerKind::Adam)
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
        else
            static_cast<torch::optim::SGDOptions&>(group.options()).lr(rate);
    }
}

void setBatchLearningRate(torch::optim::Optimizer& optimizer, const TrainConfig& config,
                          std::int64_t step, std::int64_t steps, LearningRateSchedule& schedule)
{
    if (config.lrSchedule.kind != LrScheduleKind::OneCycle)
        return;
    schedule.rate =
        oneCycleRate(config.optimizer.learningRate, config.lrSchedule.warmupFraction, step, steps);
    setLearningRate(optimizer, config.optimizer.kind, schedule.rate);
}

void tuneKernelsFor(const DeviceInfo& device)
{
    // cuDNN times its algorithms once for each new shape and keeps the fastest; a training run
    // has two or three shapes (full batches, the last one, evaluation). Some winners use
    // atomics, so a CUDA run does not repeat bit for bit; a CPU run still does.
    if (device.cuda)
        at::globalContext().setBenchmarkCuDNN(true);
}

// Random flips and shifts of one training batch (N×784, on the device). Shifts pad with the
// background value and crop each image at its own random offset: the offsets are drawn on the
// host (the run's seeded generator, which checkpoints keep), the crops are one gather on the
// device.
torch::Tensor augmentBatch(const torch::Tensor& flat, const Augmentation& augmentation,
                           float background, std::mt19937_64& rng)
{
    torch::NoGradGuard noGrad;
    const std::int64_t n = flat.size(0);
    torch::Tensor images = flat.view({n, 1, 28, 28});
    if (augmentation.horizontalFlip) {
        const torch::Tensor flip = torch::rand({n, 1, 1, 1}, images.options()).lt(0.5);
        images = torch::where(flip, images.flip({3}), images);
    }
    if (augmentation.shiftPixels > 0) {
        const std::int64_t s = augmentation.shiftPixels;
        const std::int64_t side = 28 + 2 * s;
        const torch::Tensor padded =
            F::pad(images, F::PadFuncOptions({s, s, s, s}).mode(torch::kConstant).value(background))
                .reshape({n, side * side});
        std::vector<std::int64_t> offsets(std::size_t(2 * n)); // per image: rows, then columns
        for (auto& offset : offsets)
            offset = std::int64_t(uniformIndex(rng, std::uint64_t(2 * s + 1)));
        torch::Tensor shifts = torch::from_blob(offsets.data(), {n, 2}, torch::kInt64);
        // From pinned memory the copy to a GPU is queued like a kernel; from ordinary memory
        // it would wait for every step queued before it.
        if (flat.is_cuda())
            shifts = shifts.pin_memory().to(flat.device(), torch::kInt64, /*non_blocking=*/true);
        const torch::Tensor line = torch::arange(28, shifts.options());
        const torch::Tensor rows = shifts.select(1, 0).unsqueeze(1) + line; // n × 28
        const torch::Tensor columns = shifts.select(1, 1).unsqueeze(1) + line;
        const torch::Tensor cells =
            (rows.unsqueeze(2) * side + columns.unsqueeze(1)).reshape({n, 784});
        return padded.gather(1, cells);
    }
    return images.reshape({n, 784});
}

// Parameters and buffers (BatchNorm statistics) of the best epoch, kept on the device.
std::vector<torch::Tensor> snapshot(LayerStack& module)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> copy;
    for (const auto& p : module->parameters())
        copy.push_back(p.detach().clone());
    for (const auto& b : module->buffers())
        copy.push_back(b.detach().clone());
    return copy;
}

void restore(LayerStack& module, const std::vector<torch::Tensor>& copy)
{
    torch::NoGradGuard noGrad;
    std::size_t i = 0;
    for (auto& p : module->parameters())
        p.copy_(copy[i++]);
    for (auto& b : module->buffers())
        b.copy_(copy[i++]);
}

// Which images and labels a run trained on, so that a resume with another data set (the same
// counts, other images: MNIST digits) is refused. Labels in full, pixels sampled: a second,
// not a pass over 47 MB.
std::string dataFingerprint(const FashionMnist& data)
{
    std::uint64_t hash = 14695981039346656037ULL;
    auto mix = [&hash](std::uint8_t byte) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    };
    constexpr std::size_t kPixelStride = 997; // prime: samples every row and column position
    for (const ImageSet* set : {&data.train, &data.test}) {
        for (std::uint8_t label : set->labels)
            mix(label);
        for (std::size_t i = 0; i < set->pixels.size(); i += kPixelStride)
            mix(set->pixels[i]);
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

} // namespace atelier
