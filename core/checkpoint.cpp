// checkpoint.pt: a LibTorch archive with the loop state as JSON next to the tensors.
#include "checkpoint.h"

#include "atomic_file.h"
#include "errors.h"
#include "internal/checkpoint_io.h"
#include "internal/weights_archive.h"

#include <ATen/Context.h>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace atelier {
namespace {

using nlohmann::json;

// Bumped when the layout changes; an older Atelier refuses a newer checkpoint by name.
constexpr std::int64_t kCheckpointFormat = 1;
// Columns of the history tensor: epoch, loss, accuracy, val_loss, val_accuracy, lr, seconds.
constexpr std::int64_t kHistoryColumns = 7;
// More epochs than any preset allows (the schema's cap is far lower).
constexpr int kMaxEpochs = 1000000;
// The description is an object of objects.
constexpr int kMaxDescriptionDepth = 3;

[[noreturn]] void damaged(const std::string& path, const std::string& what)
{
    throw InputError(path + ": damaged checkpoint: " + what);
}

json readInfoJson(torch::serialize::InputArchive& archive, const std::string& path)
{
    c10::IValue format;
    if (!archive.try_read("atelier_checkpoint", format) || !format.isInt())
        throw InputError(path + ": not an Atelier checkpoint");
    if (format.toInt() != kCheckpointFormat)
        throw InputError(path + ": checkpoint format " + std::to_string(format.toInt()) +
                         " is not the one this Atelier reads (" +
                         std::to_string(kCheckpointFormat) + ")");
    c10::IValue text;
    if (!archive.try_read("info", text) || !text.isString())
        damaged(path, "no description");
    // The description is two levels deep; a deeper one is not ours (and nlohmann's copies
    // recurse: a hostile nesting would overflow the stack).
    const json::parser_callback_t shallow = [](int depth, json::parse_event_t event, json&) {
        if ((event == json::parse_event_t::object_start ||
             event == json::parse_event_t::array_start) &&
            depth >= kMaxDescriptionDepth)
            throw std::invalid_argument("nested too deeply");
        return true;
    };
    try {
        return json::parse(text.toStringRef(), shallow);
    } catch (const std::exception&) {
        damaged(path, "its description is not the expected JSON");
    }
}

template <typename T> T field(const json& object, const char* key, const std::string& path)
{
    const auto it = object.find(key);
    if (it == object.end())
        damaged(path, std::string("no '") + key + "'");
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        damaged(path, std::string("'") + key + "' has the wrong type");
    }
}

int boundedInt(const json& object, const char* key, int low, int high, const std::string& path)
{
    const auto value = field<std::int64_t>(object, key, path);
    if (value < low || value > high)
        damaged(path, std::string("'") + key + "' is " + std::to_string(value) + ", not in " +
                          std::to_string(low) + ".." + std::to_string(high));
    return int(value);
}

CheckpointInfo parseInfo(const json& j, const std::string& path)
{
    if (!j.is_object())
        damaged(path, "its description is not an object");
    CheckpointInfo info;
    info.epochsPlanned = boundedInt(j, "epochs_planned", 1, kMaxEpochs, path);
    info.epochsDone = boundedInt(j, "epochs_done", 1, kMaxEpochs, path);
    info.stoppedEarly = field<bool>(j, "stopped_early", path);
    const auto limit = field<std::int64_t>(j, "limit", path);
    if (limit < 0)
        damaged(path, "'limit' is negative");
    info.limit = std::size_t(limit);
    info.dataDirectory = field<std::string>(j, "data_directory", path);
    info.fingerprint = field<std::string>(j, "fingerprint", path);
    info.dataFingerprint = field<std::string>(j, "data_fingerprint", path);
    info.deviceKind = field<std::string>(j, "device", path);
    if (info.deviceKind != "cpu" && info.deviceKind != "cuda")
        damaged(path, "'device' is neither cpu nor cuda");
    return info;
}

torch::Tensor readTensor(torch::serialize::InputArchive& archive, const char* key,
                         const std::string& path)
{
    torch::Tensor tensor;
    if (!archive.try_read(key, tensor))
        damaged(path, std::string("no '") + key + "'");
    return tensor;
}

void writeHistory(torch::serialize::OutputArchive& archive, const std::vector<EpochRecord>& history)
{
    torch::Tensor table =
        torch::empty({std::int64_t(history.size()), kHistoryColumns}, torch::kFloat64);
    auto rows = table.accessor<double, 2>();
    for (std::size_t i = 0; i < history.size(); ++i) {
        const EpochRecord& r = history[i];
        const double values[kHistoryColumns] = {double(r.epoch), r.loss,        r.accuracy,
                                                r.valLoss,       r.valAccuracy, r.learningRate,
                                                r.seconds};
        for (std::int64_t c = 0; c < kHistoryColumns; ++c)
            rows[std::int64_t(i)][c] = values[c];
    }
    archive.write("history", table);
}

std::vector<EpochRecord> readHistory(torch::serialize::InputArchive& archive, int epochs,
                                     const std::string& path)
{
    const torch::Tensor table = readTensor(archive, "history", path);
    if (table.scalar_type() != torch::kFloat64 || table.dim() != 2 || table.size(0) != epochs ||
        table.size(1) != kHistoryColumns)
        damaged(path, "the history does not have one row per epoch");
    auto rows = table.accessor<double, 2>();
    std::vector<EpochRecord> history(static_cast<std::size_t>(epochs));
    for (int i = 0; i < epochs; ++i) {
        EpochRecord& r = history[std::size_t(i)];
        if (rows[i][0] != double(i + 1))
            damaged(path, "history row " + std::to_string(i + 1) + " is not epoch " +
                              std::to_string(i + 1));
        r.epoch = i + 1;
        r.loss = rows[i][1];
        r.accuracy = rows[i][2];
        r.valLoss = rows[i][3];
        r.valAccuracy = rows[i][4];
        r.learningRate = rows[i][5];
        r.seconds = rows[i][6];
        // The rules of history.csv's reader: a checkpointed epoch never diverged.
        const bool valid = std::isfinite(r.loss) && r.loss >= 0 && std::isfinite(r.valLoss) &&
                           r.valLoss >= 0 && r.accuracy >= 0 && r.accuracy <= 1 &&
                           r.valAccuracy >= 0 && r.valAccuracy <= 1 &&
                           std::isfinite(r.learningRate) && r.learningRate > 0 &&
                           std::isfinite(r.seconds) && r.seconds >= 0;
        if (!valid)
            damaged(path, "history row " + std::to_string(i + 1) + " holds impossible values");
    }
    return history;
}

void writeBatchLosses(torch::serialize::OutputArchive& archive,
                      const std::vector<BatchLoss>& losses)
{
    const auto n = std::int64_t(losses.size());
    torch::Tensor positions = torch::empty({n, 2}, torch::kInt32);
    torch::Tensor values = torch::empty({n}, torch::kFloat32);
    auto p = positions.accessor<std::int32_t, 2>();
    auto v = values.accessor<float, 1>();
    for (std::int64_t i = 0; i < n; ++i) {
        p[i][0] = losses[std::size_t(i)].epoch;
        p[i][1] = losses[std::size_t(i)].batch;
        v[i] = losses[std::size_t(i)].loss;
    }
    archive.write("batch_positions", positions);
    archive.write("batch_losses", values);
}

std::vector<BatchLoss> readBatchLosses(torch::serialize::InputArchive& archive, int epochs,
                                       const std::string& path)
{
    const torch::Tensor positions = readTensor(archive, "batch_positions", path);
    const torch::Tensor values = readTensor(archive, "batch_losses", path);
    if (positions.scalar_type() != torch::kInt32 || positions.dim() != 2 ||
        positions.size(1) != 2 || values.scalar_type() != torch::kFloat32 || values.dim() != 1 ||
        values.size(0) != positions.size(0))
        damaged(path, "the batch losses are malformed");
    auto p = positions.accessor<std::int32_t, 2>();
    auto v = values.accessor<float, 1>();
    std::vector<BatchLoss> losses(std::size_t(values.size(0)));
    // Every batch of epochs 1..epochs once and in order, as batch_losses.csv's reader wants.
    for (std::int64_t i = 0; i < values.size(0); ++i) {
        const bool next = i == 0 ? p[i][0] == 1 && p[i][1] == 1
                                 : (p[i][0] == p[i - 1][0] && p[i][1] == p[i - 1][1] + 1) ||
                                       (p[i][0] == p[i - 1][0] + 1 && p[i][1] == 1);
        if (!next || p[i][0] > epochs || !std::isfinite(v[i]) || v[i] < 0)
            damaged(path, "batch loss " + std::to_string(i + 1) +
                              " is out of order, outside the epochs or not a loss");
        losses[std::size_t(i)] = {p[i][0], p[i][1], v[i]};
    }
    if (epochs > 0 && (losses.empty() || losses.back().epoch != epochs))
        damaged(path, "the batch losses do not cover every epoch");
    return losses;
}

void readOrder(torch::serialize::InputArchive& archive, IndexList& order, const std::string& path)
{
    const torch::Tensor stored = readTensor(archive, "order", path);
    if (stored.scalar_type() != torch::kInt32 || stored.dim() != 1)
        damaged(path, "the shuffle order is malformed");
    if (stored.size(0) != std::int64_t(order.size()))
        throw InputError(path + ": the checkpoint was written for " +
                         std::to_string(stored.size(0)) + " training images, but this data gives " +
                         std::to_string(order.size()) + " (another data set or limit?)");
    std::vector<bool> seen(order.size(), false);
    auto values = stored.accessor<std::int32_t, 1>();
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::int32_t index = values[std::int64_t(i)];
        if (index < 0 || std::size_t(index) >= order.size() || seen[std::size_t(index)])
            damaged(path, "the shuffle order is not a permutation");
        seen[std::size_t(index)] = true;
        order[i] = index;
    }
}

at::Generator defaultGenerator(const torch::Device& device)
{
    return at::globalContext().defaultGenerator(device.is_cuda() ? device
                                                                 : torch::Device(torch::kCPU));
}

std::string rngText(const std::mt19937_64& rng)
{
    std::ostringstream text;
    text << rng;
    return text.str();
}

// The archive was read onto the CPU; the optimizer's state belongs with its parameters.
// Each tensor is checked against the parameters' dtype, and Adam's step count must be
// positive (its bias correction divides by 1 - beta^step).
void moveOptimizerState(torch::optim::Optimizer& optimizer, const torch::Device& device,
                        const std::string& path)
{
    auto place = [&](const torch::Tensor& tensor) {
        if (!tensor.defined())
            return tensor;
        if (tensor.scalar_type() != torch::kFloat32)
            damaged(path, "the optimizer state holds values of another type");
        return tensor.to(device);
    };
    for (auto& entry : optimizer.state()) {
        torch::optim::OptimizerParamState* state = entry.second.get();
        if (auto* sgd = dynamic_cast<torch::optim::SGDParamState*>(state)) {
            sgd->momentum_buffer(place(sgd->momentum_buffer()));
        } else if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(state)) {
            if (adam->step() < 1)
                damaged(path, "the optimizer state has no steps");
            adam->exp_avg(place(adam->exp_avg()));
            adam->exp_avg_sq(place(adam->exp_avg_sq()));
            adam->max_exp_avg_sq(place(adam->max_exp_avg_sq()));
        }
    }
}

} // namespace

std::string checkpointPath(const std::string& folder)
{
    return folder + "/checkpoint.pt";
}

bool hasCheckpoint(const std::string& folder)
{
    struct stat info
    {
    };
    return ::stat(checkpointPath(folder).c_str(), &info) == 0;
}

std::string serializeCheckpoint(const LoopState& loop, const CheckpointInfo& info,
                                LayerStack& module, const torch::optim::Optimizer& optimizer,
                                const torch::Device& device)
{
    const json description = {
        {"epochs_planned", info.epochsPlanned},
        {"epochs_done", loop.epochsDone},
        {"stopped_early", loop.stoppedEarly},
        {"message", loop.message},
        {"limit", info.limit},
        {"data_directory", info.dataDirectory},
        {"fingerprint", info.fingerprint},
        {"data_fingerprint", info.dataFingerprint},
        {"device", info.deviceKind},
        {"train_seconds", loop.trainSeconds},
        {"samples_trained", loop.samplesTrained},
        {"shuffle_rng", rngText(loop.shuffleRng)},
        {"tracker",
         {{"best", loop.tracker.best},
          {"best_epoch", loop.tracker.bestEpoch},
          {"epochs_without_improvement", loop.tracker.epochsWithoutImprovement}}},
        {"schedule",
         {{"rate", loop.schedule.rate},
          {"best_val_loss", loop.schedule.bestValLoss},
          {"epochs_without_improvement", loop.schedule.epochsWithoutImprovement},
          {"seen", loop.schedule.seen}}},
    };
    torch::serialize::OutputArchive archive;
    archive.write("atelier_checkpoint", c10::IValue(kCheckpointFormat));
    archive.write("info", c10::IValue(description.dump()));
    writeHistory(archive, loop.history);
    writeBatchLosses(archive, loop.batchLosses);
    archive.write("order", torch::from_blob(const_cast<std::int32_t*>(loop.order.data()),
                                            {std::int64_t(loop.order.size())}, torch::kInt32)
                               .clone());

    torch::serialize::OutputArchive model;
    writeModelTensors(model, module);
    archive.write("model", model);

    torch::serialize::OutputArchive best;
    best.write("count", c10::IValue(std::int64_t(loop.bestWeights.size())));
    for (std::size_t i = 0; i < loop.bestWeights.size(); ++i)
        best.write("t" + std::to_string(i), loop.bestWeights[i].to(torch::kCPU));
    archive.write("best", best);

    torch::serialize::OutputArchive optimizerArchive;
    optimizer.save(optimizerArchive);
    archive.write("optimizer", optimizerArchive);

    at::Generator generator = defaultGenerator(device);
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        archive.write("rng", generator.get_state());
    }
    return archiveBytes(archive);
}

CheckpointInfo restoreCheckpoint(const std::string& path, const CheckpointInfo& expected,
                                 LoopState& loop, LayerStack& module,
                                 torch::optim::Optimizer& optimizer, const torch::Device& device)
{
    torch::serialize::InputArchive archive;
    loadArchive(archive, path, "a checkpoint");
    const json j = readInfoJson(archive, path);
    const CheckpointInfo info = parseInfo(j, path);
    if (info.fingerprint != expected.fingerprint)
        throw ModelError(path + ": the checkpoint was written for another architecture");
    if (info.dataFingerprint != expected.dataFingerprint)
        throw InputError(path +
                         ": the run was trained on other images or labels than the data "
                         "loaded now (" +
                         info.dataDirectory + " then); give it the same data with --data");
    if (info.deviceKind != expected.deviceKind)
        throw InputError(path + ": the run trained on " + info.deviceKind +
                         ", this one would "
                         "train on " +
                         expected.deviceKind +
                         "; the random generators of the two differ, so resume it where it "
                         "trained (the preset's device decides)");

    loop.epochsDone = info.epochsDone;
    loop.stoppedEarly = info.stoppedEarly;
    loop.message = field<std::string>(j, "message", path);
    loop.trainSeconds = field<double>(j, "train_seconds", path);
    loop.samplesTrained = field<std::int64_t>(j, "samples_trained", path);
    if (!std::isfinite(loop.trainSeconds) || loop.trainSeconds < 0 || loop.samplesTrained < 0)
        damaged(path, "the training time or sample count is negative");
    std::istringstream rngState(field<std::string>(j, "shuffle_rng", path));
    rngState >> loop.shuffleRng;
    if (!rngState)
        damaged(path, "the shuffle generator's state is malformed");
    const json tracker = field<json>(j, "tracker", path);
    loop.tracker.best = field<double>(tracker, "best", path);
    loop.tracker.bestEpoch = boundedInt(tracker, "best_epoch", 1, info.epochsDone, path);
    loop.tracker.epochsWithoutImprovement =
        boundedInt(tracker, "epochs_without_improvement", 0, info.epochsDone, path);
    const json schedule = field<json>(j, "schedule", path);
    loop.schedule.rate = field<double>(schedule, "rate", path);
    loop.schedule.bestValLoss = field<double>(schedule, "best_val_loss", path);
    loop.schedule.epochsWithoutImprovement =
        boundedInt(schedule, "epochs_without_improvement", 0, info.epochsDone, path);
    loop.schedule.seen = field<bool>(schedule, "seen", path);
    if (!(loop.schedule.rate > 0) || !std::isfinite(loop.schedule.rate))
        damaged(path, "the learning rate is not a positive number");

    loop.history = readHistory(archive, info.epochsDone, path);
    loop.batchLosses = readBatchLosses(archive, info.epochsDone, path);
    readOrder(archive, loop.order, path);

    torch::serialize::InputArchive model;
    if (!archive.try_read("model", model))
        damaged(path, "no weights");
    readModelTensors(model, path, module);

    torch::serialize::InputArchive best;
    c10::IValue count;
    if (!archive.try_read("best", best) || !best.try_read("count", count) || !count.isInt())
        damaged(path, "no best weights");
    const auto current = module->parameters().size() + module->buffers().size();
    if (count.toInt() != std::int64_t(current))
        damaged(path, "the best weights do not match the model");
    loop.bestWeights.clear();
    std::size_t i = 0;
    for (const auto& tensors : {module->parameters(), module->buffers()})
        for (const auto& target : tensors) {
            torch::Tensor stored;
            if (!best.try_read("t" + std::to_string(i++), stored) ||
                stored.sizes() != target.sizes() || stored.scalar_type() != target.scalar_type())
                damaged(path, "the best weights do not match the model");
            loop.bestWeights.push_back(stored.to(target.device()));
        }

    torch::serialize::InputArchive optimizerArchive;
    if (!archive.try_read("optimizer", optimizerArchive))
        damaged(path, "no optimizer state");
    try {
        optimizer.load(optimizerArchive);
    } catch (const std::exception&) {
        damaged(path, "the optimizer state does not match the preset's optimizer");
    }
    moveOptimizerState(optimizer, device, path);

    const torch::Tensor rng = readTensor(archive, "rng", path);
    at::Generator generator = defaultGenerator(device);
    try {
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(rng);
    } catch (const c10::Error&) {
        damaged(path, "the random generator's state is malformed (or was saved on another "
                      "device type)");
    }
    return info;
}

CheckpointInfo readCheckpointInfo(const std::string& folder)
{
    const std::string path = checkpointPath(folder);
    torch::serialize::InputArchive archive;
    loadArchive(archive, path, "a checkpoint");
    return parseInfo(readInfoJson(archive, path), path);
}

ResumableRun loadResumableRun(const std::string& folder)
{
    const std::string path = checkpointPath(folder);
    torch::serialize::InputArchive archive;
    loadArchive(archive, path, "a checkpoint");
    ResumableRun run;
    run.checkpoint = parseInfo(readInfoJson(archive, path), path);
    run.history = readHistory(archive, run.checkpoint.epochsDone, path);
    run.batchLosses = readBatchLosses(archive, run.checkpoint.epochsDone, path);
    run.preset = loadPreset(folder + "/preset.yaml");
    return run;
}

} // namespace atelier
