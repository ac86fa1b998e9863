// Measures what the BLAS behind Debian's LibTorch delivers: a 2048² float matmul (GFLOP/s)
// and a plain training loop of mlp_medium (samples/s, SGD + Nesterov, batch 32).
// Run it through bench/blas.sh, which compares OpenBLAS with the reference netlib BLAS.
#include "core/internal/network_impl.h"
#include "core/preset.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double matmulGflops()
{
    constexpr std::int64_t kN = 2048;
    const torch::Tensor a = torch::randn({kN, kN});
    const torch::Tensor b = torch::randn({kN, kN});
    torch::mm(a, b); // warm-up
    int runs = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < 3.0 || runs < 2) {
        torch::mm(a, b);
        ++runs;
    }
    return 2.0 * double(kN) * kN * kN * runs / secondsSince(start) / 1e9;
}

// The machine's ceiling for convolutions: a large 3×3 convolution through oneDNN, in both
// memory formats, the better one counted; in float32, or in bfloat16 (what mixed precision's
// convolutions run in).
double convolutionGflops(torch::ScalarType type)
{
    const torch::Tensor weight = torch::randn({64, 64, 3, 3}).to(type);
    const torch::Tensor input = torch::randn({128, 64, 28, 28}).to(type);
    const double flops = 2.0 * 64 * 9 * 64 * 28 * 28 * 128;
    double best = 0;
    for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
        const torch::Tensor x = input.contiguous(format);
        const torch::Tensor w = weight.contiguous(format);
        torch::NoGradGuard noGrad;
        torch::conv2d(x, w, {}, 1, 1); // warm-up
        int runs = 0;
        const auto start = Clock::now();
        while (secondsSince(start) < 3.0 || runs < 2) {
            torch::conv2d(x, w, {}, 1, 1);
            ++runs;
        }
        best = std::max(best, flops * runs / secondsSince(start) / 1e9);
    }
    return best;
}

double mlpSamplesPerSecond(const std::string& presetPath)
{
    const atelier::Preset preset = atelier::loadPreset(presetPath);
    atelier::Network network(preset.model, 1);
    auto& module = network.impl().module;
    torch::optim::SGD optimizer(module->parameters(),
                                torch::optim::SGDOptions(0.01).momentum(0.9).nesterov(true));
    constexpr std::int64_t kBatch = 32;
    const torch::Tensor inputs = torch::rand({60000, 784});
    const torch::Tensor labels = torch::randint(0, 10, {60000}, torch::kLong);
    module->train();
    std::int64_t samples = 0;
    auto step = [&](std::int64_t offset) {
        const torch::Tensor x = inputs.narrow(0, offset, kBatch);
        const torch::Tensor y = labels.narrow(0, offset, kBatch);
        optimizer.zero_grad();
        torch::Tensor loss = torch::nn::functional::cross_entropy(module->forward(x), y);
        loss.backward();
        optimizer.step();
    };
    for (std::int64_t offset = 0; offset < 200 * kBatch; offset += kBatch) // warm-up
        step(offset);
    const auto start = Clock::now();
    std::int64_t offset = 0;
    while (secondsSince(start) < 5.0) {
        step(offset);
        samples += kBatch;
        offset = (offset + kBatch) % (60000 - kBatch);
    }
    return double(samples) / secondsSince(start);
}

} // namespace

int main(int argc, char** argv)
{
    const std::string preset = argc > 1 ? argv[1] : "presets/mlp_medium.yaml";
    const int threads = int(std::thread::hardware_concurrency());
    torch::set_num_threads(threads); // Debian's LibTorch was seen defaulting to 1 thread
    std::printf("threads %d\n", torch::get_num_threads());
    std::printf("matmul_2048_gflops %.1f\n", matmulGflops());
    std::printf("conv3x3_64_gflops %.1f\n", convolutionGflops(torch::kFloat32));
    std::printf("conv3x3_64_bf16_gflops %.1f\n", convolutionGflops(torch::kBFloat16));
    std::printf("mlp_medium_b32_samples_per_s %.0f\n", mlpSamplesPerSecond(preset));
    return 0;
}
