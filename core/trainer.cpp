// The training loop. Data lives on the device as normalized tensors; each epoch draws a
// seeded permutation; per-batch losses and correct counts accumulate on the device and
// reach the host only at progress reports and epoch ends.
#include "trainer.h"

#include "atomic_file.h"
#include "errors.h"
#include "internal/checkpoint_io.h"
#include "internal/device_data.h"
#include "internal/layer_probe.h"
#include "internal/training_steps.h"
#include "model_analysis.h"
#include "random.h"
#include "training_memory.h"
#include "weights.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace atelier {
namespace {

using Clock = std::chrono::steady_clock;
namespace F = torch::nn::functional;

double secondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

} // namespace

// What one pass over the training set leaves for the epoch's record.
struct EpochPass
{
    bool complete = false; // every batch ran
    Clock::time_point start;
    double pausedSeconds = 0;
    torch::Tensor weightedLossSum; // Σ batch loss × batch size, on the device
    torch::Tensor correct;         // correctly classified training images, on the device
};

enum class EpochEnd
{
    Continue,
    StopRequested, // the epoch callback returned false (the epoch itself is complete)
    Diverged,
};

struct Trainer::State
{
    Preset preset;
    DeviceInfo device;
    torch::Device torchDevice{torch::kCPU};
    PixelTransform transform;
    DeviceSet train, dev, test;
    Network network;

    TrainingOptions options;
    LoopState loop;
    std::unique_ptr<torch::optim::Optimizer> optimizer; // made by prepare()
    CheckpointInfo checkpointInfo;                      // what every checkpoint says
    std::string dataFingerprint;
    bool prepared = false;

    // Layer statistics (null when the preset turns them off); the log holds every sample
    // and histogram of this run, the histograms of the epoch in progress wait for its end.
    std::unique_ptr<LayerProbe> probe;
    LayerStatsLog layerStats;
    std::vector<LayerHistograms> epochHistograms;

    std::atomic<bool> stopRequested{false};
    std::atomic<bool> paused{false};
    mutable std::mutex pauseMutex;
    std::condition_variable pauseChanged;

    State(const Preset& p, Network&& n) : preset(p), network(std::move(n)) {}

    // Blocks while paused; returns the seconds spent waiting. Polls the stop flag so that
    // requestStop() needs no lock (it is called from signal handlers).
    double waitWhilePaused()
    {
        if (!paused.load())
            return 0.0;
        const auto start = Clock::now();
        std::unique_lock<std::mutex> lock(pauseMutex);
        while (paused.load() && !stopRequested.load())
            pauseChanged.wait_for(lock, std::chrono::milliseconds(100));
        return secondsBetween(start, Clock::now());
    }

    // One pass over the shuffled training set; stops early (complete = false) on a stop
    // request, a callback's false, or a non-finite batch loss (result says diverged).
    EpochPass trainEpoch(int epoch, const TrainingCallbacks& callbacks, TrainingResult& result);
    // The epoch's record and dev evaluation, divergence check, early stopping, schedule,
    // the epoch callback and the checkpoint.
    EpochEnd finishEpoch(int epoch, const EpochPass& pass, const TrainingCallbacks& callbacks,
                         TrainingResult& result);
    // Status and message, the weights to keep, the final dev and test evaluations.
    void finishRun(TrainingResult& result, bool stopped);
    void writeCheckpoint();
};

EpochPass Trainer::State::trainEpoch(int epoch, const TrainingCallbacks& callbacks,
                                     TrainingResult& result)
{
    const TrainConfig& config = preset.training;
    auto& module = network.impl().module;
    const std::int64_t count = train.size();
    const std::int64_t batchSize = std::min<std::int64_t>(config.batchSize, count);
    const int batchesPerEpoch = int((count + batchSize - 1) / batchSize);
    EpochPass pass;
    pass.start = Clock::now();
    seededShuffle(loop.order, loop.shuffleRng);
    const torch::Tensor permutation = torch::from_blob(loop.order.data(), {count}, torch::kInt32)
                                          .to(torch::kInt64)
                                          .to(torchDevice);
    torch::Tensor batchLosses = torch::zeros(
        {batchesPerEpoch}, torch::TensorOptions().dtype(torch::kFloat32).device(torchDevice));
    pass.correct =
        torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(torchDevice));
    pass.weightedLossSum =
        torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(torchDevice));
    module->train();

    int reported = 0; // batches already delivered through onBatch
    auto lastReport = Clock::now();
    const std::vector<int> sampled = probe ? sampledBatches(batchesPerEpoch) : std::vector<int>{};
    std::size_t nextSample = 0;                      // index into `sampled`
    std::vector<LayerStatsSample> unreportedSamples; // since the previous onBatch
    auto report = [&](int done, std::int64_t samples) -> bool {
        BatchProgress progress;
        progress.epoch = epoch;
        progress.epochs = config.epochs;
        progress.batchesPerEpoch = batchesPerEpoch;
        progress.firstBatch = reported;
        const torch::Tensor fresh =
            batchLosses.narrow(0, reported, done - reported).to(torch::kCPU);
        progress.losses.assign(fresh.data_ptr<float>(), fresh.data_ptr<float>() + fresh.numel());
        for (std::size_t i = 0; i < progress.losses.size(); ++i)
            loop.batchLosses.push_back({epoch, reported + int(i) + 1, progress.losses[i]});
        reported = done;
        progress.samplesDone = samples;
        progress.epochSeconds = secondsBetween(pass.start, Clock::now()) - pass.pausedSeconds;
        progress.samplesPerSecond =
            progress.epochSeconds > 0 ? double(samples) / progress.epochSeconds : 0;
        progress.layerSamples = std::move(unreportedSamples);
        unreportedSamples.clear();
        for (float loss : progress.losses)
            if (!std::isfinite(loss)) {
                result.status = RunStatus::Diverged;
                result.message = "the loss became " +
                                 std::string(std::isnan(loss) ? "NaN" : "infinite") + " in epoch " +
                                 std::to_string(epoch) + "; try a smaller learning rate";
                return false;
            }
        return !callbacks.onBatch || callbacks.onBatch(progress);
    };

    const auto trainStart = Clock::now();
    std::int64_t samples = 0;
    bool stop = false;
    for (int batch = 0; batch < batchesPerEpoch; ++batch) {
        pass.pausedSeconds += waitWhilePaused();
        if (stopRequested.load()) {
            stop = true;
            break;
        }
        const std::int64_t start = std::int64_t(batch) * batchSize;
        const std::int64_t size = std::min(batchSize, count - start);
        const torch::Tensor rows = permutation.narrow(0, start, size);
        torch::Tensor x = train.images.index_select(0, rows);
        if (config.augmentation.enabled())
            x = augmentBatch(x, config.augmentation, transform.apply(0), loop.shuffleRng);
        const torch::Tensor y = train.labels.index_select(0, rows);
        // Layer statistics are measured inside the timed loop: their cost shows in the
        // run's samples per second, not hidden from it.
        const bool sampleThis = nextSample < sampled.size() && sampled[nextSample] == batch + 1;
        if (sampleThis)
            probe->beginSample();
        setBatchLearningRate(*optimizer, config, std::int64_t(epoch - 1) * batchesPerEpoch + batch,
                             std::int64_t(config.epochs) * batchesPerEpoch, loop.schedule);
        optimizer->zero_grad();
        const torch::Tensor logits = module->forward(x);
        const torch::Tensor loss = F::cross_entropy(logits, y);
        loss.backward();
        if (sampleThis)
            probe->beforeStep();
        optimizer->step();
        if (sampleThis) {
            ++nextSample;
            layerStats.samples.push_back(probe->afterStep(epoch, batch + 1));
            unreportedSamples.push_back(layerStats.samples.back());
            if (batch + 1 == batchesPerEpoch)
                epochHistograms = probe->histograms(epoch);
        }
        {
            torch::NoGradGuard noGrad;
            batchLosses[batch] = loss.detach();
            pass.weightedLossSum += loss.detach().to(torch::kFloat64) * double(size);
            pass.correct += logits.argmax(1).eq(y).sum();
        }
        samples += size;
        if (std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastReport)
                .count() >= kProgressIntervalMs) {
            lastReport = Clock::now();
            if (!report(batch + 1, samples)) {
                stop = true;
                break;
            }
        }
    }
    loop.trainSeconds += secondsBetween(trainStart, Clock::now()) - pass.pausedSeconds;
    loop.samplesTrained += samples;
    const int batchesDone = int((samples + batchSize - 1) / batchSize);
    if (!stop && reported < batchesDone && !report(batchesDone, samples))
        stop = true;
    pass.complete = !stop && samples == count;
    return pass;
}

EpochEnd Trainer::State::finishEpoch(int epoch, const EpochPass& pass,
                                     const TrainingCallbacks& callbacks, TrainingResult& result)
{
    const TrainConfig& config = preset.training;
    auto& module = network.impl().module;
    const auto count = double(train.size());
    EpochReport epochReport;
    EpochRecord& record = epochReport.record;
    record.epoch = epoch;
    record.loss = pass.weightedLossSum.item<double>() / count;
    record.accuracy = double(pass.correct.item<std::int64_t>()) / count;
    const Evaluation devEvaluation = evaluateSet(module, dev, false);
    record.valLoss = devEvaluation.loss;
    record.valAccuracy = devEvaluation.accuracy;
    record.learningRate = loop.schedule.rate;
    record.seconds = secondsBetween(pass.start, Clock::now()) - pass.pausedSeconds;
    epochReport.devConfusion = devEvaluation.confusion;
    loop.history.push_back(record);

    if (!std::isfinite(record.loss) || !std::isfinite(record.valLoss)) {
        result.status = RunStatus::Diverged;
        result.message = "the loss became NaN or infinite in epoch " + std::to_string(epoch) +
                         "; try a smaller learning rate";
        return EpochEnd::Diverged; // no checkpoint: a resume starts from the last finite epoch
    }
    epochReport.histograms = std::move(epochHistograms);
    epochHistograms.clear();
    layerStats.histograms.insert(layerStats.histograms.end(), epochReport.histograms.begin(),
                                 epochReport.histograms.end());
    epochReport.improved = loop.tracker.update(record);
    if (epochReport.improved)
        loop.bestWeights = snapshot(module);
    const bool goOn = !callbacks.onEpoch || callbacks.onEpoch(epochReport);
    const double nextRate = loop.schedule.next(record);
    if (nextRate != record.learningRate)
        setLearningRate(*optimizer, config.optimizer.kind, nextRate);
    // Keras's rule: stop once `patience` epochs in a row brought no improvement.
    if (config.earlyStopping.enabled && loop.tracker.epochsWithoutImprovement > 0 &&
        loop.tracker.epochsWithoutImprovement >= config.earlyStopping.patience) {
        loop.stoppedEarly = true;
        loop.message = "early stopping: " + monitorName(config.earlyStopping.monitor) +
                       " did not improve for " +
                       std::to_string(loop.tracker.epochsWithoutImprovement) + " epochs";
    }
    loop.epochsDone = epoch;
    // The state for the next epoch is complete: from here on a crash loses nothing.
    writeCheckpoint();
    return goOn ? EpochEnd::Continue : EpochEnd::StopRequested;
}

void Trainer::State::writeCheckpoint()
{
    if (!options.checkpointPath.empty())
        writeFileAtomically(options.checkpointPath,
                            serializeCheckpoint(loop, checkpointInfo, network.impl().module,
                                                *optimizer, torchDevice));
}

void Trainer::State::finishRun(TrainingResult& result, bool stopped)
{
    const TrainConfig& config = preset.training;
    auto& module = network.impl().module;
    if (result.status != RunStatus::Diverged && stopped) {
        result.status = RunStatus::Interrupted;
        result.message = "stopped by request";
    } else if (result.status == RunStatus::Completed && loop.stoppedEarly) {
        result.stoppedEarly = true;
        result.message = loop.message;
    }
    if (result.status == RunStatus::Completed && result.message.empty())
        result.message = "ran the " + std::to_string(config.epochs) +
                         (config.epochs == 1 ? " epoch" : " epochs") + " planned";
    result.history = loop.history;
    result.bestEpoch = loop.tracker.bestEpoch;
    // Keep the best weights when asked to, and whenever the run ended abnormally.
    const bool keepBest = (config.earlyStopping.enabled && config.earlyStopping.restoreBest) ||
                          result.status != RunStatus::Completed;
    const bool lastEpochIsBest = result.status == RunStatus::Completed &&
                                 loop.tracker.bestEpoch == int(result.history.size());
    if (keepBest && !loop.bestWeights.empty() && !lastEpochIsBest)
        restore(module, loop.bestWeights); // also undoes the drift of an unfinished epoch
    result.restoredBest = !loop.bestWeights.empty() && (keepBest || lastEpochIsBest);
    result.trainSeconds = loop.trainSeconds;
    result.samplesPerSecond =
        loop.trainSeconds > 0 ? double(loop.samplesTrained) / loop.trainSeconds : 0;
    result.dev = evaluateSet(module, dev, false);
    const auto evalStart = Clock::now();
    result.test = evaluateSet(module, test, true);
    const double evalSeconds = secondsBetween(evalStart, Clock::now());
    result.evalSamplesPerSecond = evalSeconds > 0 ? double(result.test.count) / evalSeconds : 0;
}

Trainer::Trainer(const Preset& preset, const FashionMnist& data, const TrainingOptions& options)
{
    // A model that cannot be trained in this machine's memory at the preset's batch size is
    // refused in words, before LibTorch fails deep inside an allocation.
    requireValidModel(analyzeModel(preset.model, kNumClasses, trainingLoadOf(preset.training),
                                   physicalMemoryBytes()));
    // Building the network validates the model before any data is copied.
    m_state = std::make_unique<State>(preset, Network(preset.model, preset.training.seed));
    State& s = *m_state;
    s.network.setPrecision(preset.training.precision);
    s.options = options;
    s.dataFingerprint = dataFingerprint(data);
    s.device = resolveDevice(preset.training.device);
    s.torchDevice = torchDevice(s.device);
    tuneKernelsFor(s.device);

    const TrainDevSplit split =
        stratifiedSplit(data.train.labels, preset.data.devFraction, preset.data.splitSeed);
    const IndexList trainIndices =
        options.limit > 0
            ? stratifiedSubset(data.train.labels, split.train, options.limit, preset.data.splitSeed)
            : split.train;
    if (trainIndices.empty())
        throw InputError("no training images left after the split");
    s.transform = atelier::pixelTransform(preset.data.normalization, data.train, trainIndices);
    s.train = makeDeviceSet(data.train, trainIndices, s.transform, s.torchDevice);
    s.dev = makeDeviceSet(data.train, split.dev, s.transform, s.torchDevice);
    s.test = makeDeviceSet(data.test, allIndices(std::size_t(data.test.count)), s.transform,
                           s.torchDevice);
    s.network.impl().module->to(s.torchDevice);
    if (preset.training.layerStats) {
        s.probe = std::make_unique<LayerProbe>(preset.model, s.network.impl().module);
        s.layerStats.layers = s.probe->layers();
    }
}

Trainer::~Trainer() = default;

void Trainer::requestStop()
{
    m_state->stopRequested = true; // a lock-free atomic store: safe in a signal handler
}

void Trainer::pause()
{
    m_state->paused = true;
}

void Trainer::resume()
{
    m_state->paused = false;
    std::lock_guard<std::mutex> lock(m_state->pauseMutex);
    m_state->pauseChanged.notify_all();
}

bool Trainer::isPaused() const
{
    return m_state->paused.load();
}
const Preset& Trainer::preset() const
{
    return m_state->preset;
}
const DeviceInfo& Trainer::device() const
{
    return m_state->device;
}
const PixelTransform& Trainer::pixelTransform() const
{
    return m_state->transform;
}
std::size_t Trainer::trainCount() const
{
    return std::size_t(m_state->train.size());
}
std::size_t Trainer::devCount() const
{
    return std::size_t(m_state->dev.size());
}
std::size_t Trainer::testCount() const
{
    return std::size_t(m_state->test.size());
}
Network& Trainer::network()
{
    return m_state->network;
}

const std::vector<EpochRecord>& Trainer::history() const
{
    return m_state->loop.history;
}

void Trainer::setCheckpointPath(const std::string& path)
{
    m_state->options.checkpointPath = path;
}

const std::vector<BatchLoss>& Trainer::batchLosses() const
{
    return m_state->loop.batchLosses;
}

const LayerStatsLog& Trainer::layerStats() const
{
    return m_state->layerStats;
}

void Trainer::continueLayerStats(LayerStatsLog log)
{
    if (!m_state->prepared) // the epochs to keep are known once the checkpoint is restored
        throw std::logic_error("Trainer::continueLayerStats before prepare()");
    if (!m_state->probe)
        return;
    log.keepEpochs(m_state->loop.epochsDone);
    log.layers = m_state->probe->layers();
    m_state->layerStats = std::move(log);
}

void Trainer::prepare()
{
    State& s = *m_state;
    if (s.prepared)
        return;
    const TrainConfig& config = s.preset.training;
    auto& module = s.network.impl().module;
    // Dropout draws from LibTorch's generator: seed it here (a resume then puts back the
    // generator's state as the checkpoint saved it).
    torch::manual_seed(config.seed);
    s.optimizer = makeOptimizer(config.optimizer, module);
    LoopState& loop = s.loop;
    loop.shuffleRng.seed(config.seed);
    loop.order = allIndices(std::size_t(s.train.size()));
    loop.schedule = LearningRateSchedule{config.lrSchedule, config.optimizer.learningRate};
    loop.tracker = BestTracker{config.earlyStopping.monitor, config.earlyStopping.minDelta};
    CheckpointInfo& info = s.checkpointInfo;
    info.epochsPlanned = config.epochs;
    info.limit = s.options.limit;
    info.dataDirectory = s.options.dataDirectory;
    info.fingerprint = architectureFingerprint(s.preset.model);
    info.dataFingerprint = s.dataFingerprint;
    info.deviceKind = s.device.kind();
    if (s.options.resume == ResumeMode::FromCheckpoint) {
        const std::string& path = s.options.checkpointPath;
        const CheckpointInfo stored =
            restoreCheckpoint(path, info, loop, module, *s.optimizer, s.torchDevice);
        if (stored.epochsDone > config.epochs)
            throw InputError(path + ": the run already trained " +
                             std::to_string(stored.epochsDone) + " epochs, more than the " +
                             std::to_string(config.epochs) + " asked for");
        // The rate in the optimizer's saved options is the schedule's; set it anyway, so
        // that the two can never disagree.
        setLearningRate(*s.optimizer, config.optimizer.kind, loop.schedule.rate);
    }
    s.prepared = true;
}

TrainingResult Trainer::run(const TrainingCallbacks& callbacks)
{
    prepare();
    State& s = *m_state;
    TrainingResult result;
    bool stop = false;
    for (int epoch = s.loop.epochsDone + 1;
         epoch <= s.preset.training.epochs && !stop && !s.loop.stoppedEarly; ++epoch) {
        EpochPass pass = s.trainEpoch(epoch, callbacks, result);
        if (!pass.complete) {
            stop = result.status != RunStatus::Diverged;
            break; // a partial epoch is not recorded: its numbers would not compare
        }
        const EpochEnd end = s.finishEpoch(epoch, pass, callbacks, result);
        if (end == EpochEnd::Diverged)
            break;
        stop = end == EpochEnd::StopRequested;
    }
    s.finishRun(result, stop);
    return result;
}

} // namespace atelier
