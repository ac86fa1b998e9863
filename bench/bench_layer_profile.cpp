// Where a training step of a preset's model spends its time, layer by layer: each block (a
// layer with its activation) is timed alone, forward and backward, on the same channels-last
// tensors a real step passes it, at each batch size asked. The sum of the blocks is set
// against a whole step (forward, loss, backward, SGD with Nesterov momentum) so that what
// lies between the layers (loss, optimizer, copies) shows as the remainder.
// Usage: bench_layer_profile PRESET.yaml [BATCH...]   (default batches 32 and 128)
// Prints a Markdown table per batch size for docs/results.md. Timings on shared machines
// vary by ±10-20%: compare only within one invocation. Blocks are timed one by one, so a
// ReLU that a whole step moves into the next pooling (LayerStackImpl::forward) counts here
// with its own block.
// With BENCH_TRACE=PREFIX, also writes PREFIX<batch>.json: LibTorch's profiler trace of 10
// whole steps (chrome://tracing, or summed per operator), which is how the pooling's
// zero-fill and copies showed up. A preset with `precision: bf16` is timed in mixed precision,
// block by block as in the whole step.
#include "core/internal/autocast_scope.h"
#include "core/internal/network_impl.h"
#include "core/model_analysis.h"
#include "core/preset.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kWarmUp = 10;
constexpr int kRuns = 40;

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The input a real step gives the first block: the batch reshaped to the model's input and,
// for images, channels-last (LayerStackImpl::forward).
torch::Tensor firstInput(const atelier::LayerStackImpl& stack, std::int64_t batch)
{
    std::vector<std::int64_t> shape = {batch};
    shape.insert(shape.end(), stack.inputShape.begin(), stack.inputShape.end());
    torch::Tensor x = torch::rand(shape);
    return x.dim() == 4 ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
}

double wholeStepMilliseconds(atelier::LayerStack& stack, std::int64_t batch)
{
    torch::optim::SGD optimizer(stack->parameters(),
                                torch::optim::SGDOptions(0.01).momentum(0.9).nesterov(true));
    const torch::Tensor x = firstInput(*stack, batch);
    const torch::Tensor y = torch::randint(0, 10, {batch}, torch::kLong);
    auto step = [&] {
        optimizer.zero_grad();
        torch::nn::functional::cross_entropy(stack->forward(x), y).backward();
        optimizer.step();
    };
    for (int i = 0; i < kWarmUp; ++i)
        step();
    if (const char* trace = std::getenv("BENCH_TRACE")) {
        const torch::autograd::profiler::RecordProfile profile(std::string(trace) +
                                                               std::to_string(batch) + ".json");
        for (int i = 0; i < 10; ++i)
            step();
    }
    const auto start = Clock::now();
    for (int i = 0; i < kRuns; ++i)
        step();
    return millisecondsSince(start) / kRuns;
}

// Evaluation's forward pass over a batch of 128 (core/evaluation.cpp), in eval mode without
// gradients: what "evaluation ≥ 3× training throughput" is made of.
double evaluationMilliseconds(atelier::LayerStack& stack)
{
    const torch::Tensor x = firstInput(*stack, 128);
    const torch::NoGradGuard noGrad;
    stack->eval();
    for (int i = 0; i < kWarmUp; ++i)
        stack->forward(x);
    const auto start = Clock::now();
    for (int i = 0; i < kRuns; ++i)
        stack->forward(x);
    stack->train();
    return millisecondsSince(start) / kRuns;
}

struct BlockTime
{
    double forward = 0, backward = 0; // ms per step
};

// Each block alone: forward on its real input, backward for its parameters and (except the
// first block, whose input is the data) its input, with a gradient of its output's shape.
std::vector<BlockTime> blockTimes(atelier::LayerStack& stack, std::int64_t batch)
{
    // The whole step's forward turns autocast on itself, once per pass (which re-casts the
    // weights); a block alone gets the same here.
    const bool mixed = stack->precision == atelier::Precision::BFloat16Mixed;
    auto forward = [mixed](torch::nn::Sequential& block, const torch::Tensor& x) {
        std::optional<atelier::AutocastScope> scope;
        if (mixed)
            scope.emplace(torch::Device(torch::kCPU));
        return block->forward(x);
    };
    std::vector<torch::Tensor> inputs;
    {
        torch::NoGradGuard noGrad;
        torch::Tensor x = firstInput(*stack, batch);
        for (auto& block : stack->blocks) {
            inputs.push_back(x);
            if (!block->is_empty())
                x = forward(block, x);
        }
    }
    std::vector<BlockTime> times;
    for (std::size_t b = 0; b < stack->blocks.size(); ++b) {
        auto& block = stack->blocks[b];
        BlockTime time;
        if (block->is_empty()) { // flatten: a view, nothing to time
            times.push_back(time);
            continue;
        }
        torch::Tensor input = inputs[b].detach();
        if (b > 0)
            input.requires_grad_(true);
        std::vector<torch::Tensor> wrt = block->parameters();
        if (b > 0)
            wrt.push_back(input);
        for (int run = 0; run < kWarmUp + kRuns; ++run) {
            const bool timed = run >= kWarmUp;
            auto start = Clock::now();
            const torch::Tensor output = forward(block, input);
            if (timed)
                time.forward += millisecondsSince(start);
            if (wrt.empty())
                continue; // pooling on the data: no gradient wanted
            const torch::Tensor gradient = torch::ones_like(output);
            start = Clock::now();
            torch::autograd::grad({output}, wrt, {gradient});
            if (timed)
                time.backward += millisecondsSince(start);
        }
        time.forward /= kRuns;
        time.backward /= kRuns;
        times.push_back(time);
    }
    return times;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_layer_profile PRESET.yaml [BATCH...]\n");
        return 2;
    }
    torch::set_num_threads(int(std::thread::hardware_concurrency()));
    const atelier::Preset preset = atelier::loadPreset(argv[1]);
    std::vector<std::int64_t> batches;
    for (int i = 2; i < argc; ++i)
        batches.push_back(std::stoll(argv[i]));
    if (batches.empty())
        batches = {32, 128};
    const atelier::ModelReport report = atelier::analyzeModel(preset.model, 10);
    atelier::Network network(preset.model, 1);
    network.setPrecision(preset.training.precision);
    atelier::LayerStack& stack = network.impl().module;
    stack->train();
    std::printf("%s, %d threads, %s\n", preset.name.c_str(), torch::get_num_threads(),
                atelier::precisionName(preset.training.precision).c_str());
    for (const std::int64_t batch : batches) {
        // The whole step is timed before and after the blocks, and the faster kept: the
        // first measurement of a batch size also pays for the allocator's warming up.
        double whole = wholeStepMilliseconds(stack, batch);
        const std::vector<BlockTime> times = blockTimes(stack, batch);
        whole = std::min(whole, wholeStepMilliseconds(stack, batch));
        double sum = 0;
        for (const BlockTime& t : times)
            sum += t.forward + t.backward;
        std::printf("\nbatch %lld: whole step %.2f ms (%.0f images/s)\n\n", (long long)batch, whole,
                    1000.0 * double(batch) / whole);
        std::printf("| layer | output | forward ms | backward ms | share of step |\n");
        std::printf("|---|---|---:|---:|---:|\n");
        for (std::size_t b = 0; b < times.size(); ++b) {
            const atelier::LayerReport& layer = report.layers[b];
            std::printf("| %s | %s | %.3f | %.3f | %.0f%% |\n", layer.name.c_str(),
                        layer.output.toString().c_str(), times[b].forward, times[b].backward,
                        100.0 * (times[b].forward + times[b].backward) / whole);
        }
        std::printf("| loss, optimizer, between layers | | | | %.0f%% |\n",
                    100.0 * (whole - sum) / whole);
        const double evaluation = evaluationMilliseconds(stack);
        std::printf("\nevaluation forward pass, batch 128: %.2f ms (%.0f images/s, %.1f× this "
                    "batch size's training)\n",
                    evaluation, 128000.0 / evaluation,
                    (128000.0 / evaluation) / (1000.0 * double(batch) / whole));
    }
    return 0;
}
