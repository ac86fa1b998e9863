// A sweep's duration on this machine from a few timed training steps (see sweep_estimate.h).
#include "sweep_estimate.h"

#include "calibration.h"
#include "dataset.h"
#include "runtime.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <thread>

namespace atelier {
namespace {

// The Fashion-MNIST training and test sets.
constexpr double kTrainingImages = 60000;
constexpr double kTestImages = 10000;

// Images one trial pushes through the network, in training-step equivalents: every epoch
// trains on the training split and evaluates the dev split (a forward pass costs about a
// third of a training step), then the test set once.
double stepImages(const TrialConfig& trial, long long limit)
{
    const double dev = kTrainingImages * trial.preset.data.devFraction;
    const double train = limit > 0 ? double(limit) : kTrainingImages - dev;
    return trial.preset.training.epochs * (train + dev / 3) + kTestImages / 3;
}

// Sets LibTorch's thread count for the timing and puts the process's own back afterwards:
// in the studio a training may be running beside the estimate.
class ThreadCountScope
{
public:
    explicit ThreadCountScope(int threads) : m_previous(at::get_num_threads())
    {
        configureThreads(threads);
    }
    ~ThreadCountScope() { configureThreads(m_previous); }
    ThreadCountScope(const ThreadCountScope&) = delete;
    ThreadCountScope& operator=(const ThreadCountScope&) = delete;

private:
    int m_previous;
};

double loadingSeconds(const std::optional<std::string>& dataDirectory)
{
    if (!dataDirectory)
        return 0;
    try {
        const auto start = std::chrono::steady_clock::now();
        (void)loadFashionMnist(resolveDataDirectory(*dataDirectory));
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } catch (const InputError&) {
        return 0; // no data here (planning for a cluster): the estimate leaves the loading out
    }
}

} // namespace

SweepEstimate estimateSweepDuration(const SweepPlan& plan, const SweepEstimateOptions& options)
{
    SweepEstimate estimate;
    const int jobs = std::max(1, options.jobs);
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    estimate.threads = options.threads > 0 ? options.threads : std::max(1, cores / jobs);
    estimate.startSeconds = options.processStartSeconds;
    if (plan.trials.empty())
        return estimate;

    const auto byFlops = [](const TrialConfig& a, const TrialConfig& b) {
        return a.forwardFlops < b.forwardFlops;
    };
    const TrialConfig& smallest =
        *std::min_element(plan.trials.begin(), plan.trials.end(), byFlops);
    const TrialConfig& largest = *std::max_element(plan.trials.begin(), plan.trials.end(), byFlops);
    StepTiming small, large;
    {
        const ThreadCountScope threads(estimate.threads);
        small = timeTrainingSteps(smallest.preset, kEstimateCalibrationSteps);
        large = timeTrainingSteps(largest.preset, kEstimateCalibrationSteps);
    }
    estimate.smallestTrial = smallest.index;
    estimate.smallestMicrosecondsPerImage = small.secondsPerImage * 1e6;
    estimate.largestTrial = largest.index;
    estimate.largestMicrosecondsPerImage = large.secondsPerImage * 1e6;

    // Per-trial overhead: starting a process (the dynamic loader maps LibTorch) and loading
    // the data set; for small models they cost more than the training.
    estimate.loadSeconds = loadingSeconds(options.dataDirectory);
    const double overhead = estimate.startSeconds + estimate.loadSeconds;

    // Seconds per image, linear in the forward FLOPs between the two timed trials.
    const double flopsSpan = double(largest.forwardFlops - smallest.forwardFlops);
    auto secondsPerImage = [&](const TrialConfig& trial) {
        if (flopsSpan <= 0)
            return (small.secondsPerImage + large.secondsPerImage) / 2;
        const double t = double(trial.forwardFlops - smallest.forwardFlops) / flopsSpan;
        return small.secondsPerImage + t * (large.secondsPerImage - small.secondsPerImage);
    };
    double total = 0;
    for (const TrialConfig& trial : plan.trials)
        total += stepImages(trial, options.imageLimit) * secondsPerImage(trial) + overhead;
    estimate.wallSeconds = total / std::min<double>(jobs, double(plan.trials.size()));
    return estimate;
}

} // namespace atelier
