// Reading presets: YAML syntax, then the schema of each section, collecting every problem.
#include "atomic_file.h"
#include "internal/preset_layer_schema.h"
#include "internal/yaml_map_reader.h"
#include "preset.h"
#include "preset_limits.h"
#include "text_format.h"

namespace atelier {
namespace {

using detail::MapReader;
using detail::ProblemList;

void readModel(MapReader& top, ModelSpec& model)
{
    auto node = top.take("model", true);
    if (!node)
        return;
    MapReader map(*node, "model", top.problems());
    if (!map.ok())
        return;
    if (auto input = map.take("input")) {
        std::vector<int> shape;
        bool good = true;
        if (input->IsScalar()) {
            if (auto n =
                    detail::readInteger(*input, "model.input", map.problems(), limits::kInputSide))
                shape = {int(*n)};
            else
                good = false;
        } else if (input->IsSequence() && input->size() >= 1 && input->size() <= 3) {
            for (std::size_t i = 0; i < input->size() && good; ++i) {
                auto n =
                    detail::readInteger((*input)[i], "model.input[" + std::to_string(i + 1) + "]",
                                        map.problems(), limits::kInputSide);
                good = n.has_value();
                if (good)
                    shape.push_back(int(*n));
            }
        } else {
            map.problems().add(input->Mark(), "model.input", "expected [1, 28, 28] or 784");
            good = false;
        }
        if (good)
            model.inputShape = shape;
    }
    if (auto layers = map.take("layers", true)) {
        if (!layers->IsSequence()) {
            map.problems().add(layers->Mark(), "model.layers",
                               "expected a list of layers (- {type: ...})");
        } else if (layers->size() > std::size_t(kMaxLayers)) {
            map.problems().add(layers->Mark(), "model.layers",
                               withThousands(std::int64_t(layers->size())) + " layers; at most " +
                                   withThousands(kMaxLayers) + " are allowed");
        } else {
            for (std::size_t i = 0; i < layers->size(); ++i)
                model.layers.push_back(detail::readLayer(
                    (*layers)[i], "model.layers[" + std::to_string(i + 1) + "]", map.problems()));
        }
    }
    map.finish({"input", "layers"});
}

void readOptimizer(MapReader& training, OptimizerConfig& optimizer)
{
    auto node = training.take("optimizer");
    if (!node)
        return;
    MapReader map(*node, "training.optimizer", training.problems());
    if (!map.ok())
        return;
    map.choice<OptimizerKind>(
        "type", optimizer.kind, {"sgd", "adam"},
        [](const std::string& n) -> std::optional<OptimizerKind> {
            return n == "adam" ? OptimizerKind::Adam : OptimizerKind::Sgd;
        },
        true);
    if (optimizer.kind == OptimizerKind::Adam)
        optimizer.learningRate = 0.001; // Adam's customary default
    map.number("learning_rate", optimizer.learningRate, limits::kLearningRate);
    map.number("weight_decay", optimizer.weightDecay, limits::kWeightDecay);
    if (optimizer.kind == OptimizerKind::Sgd) {
        map.number("momentum", optimizer.momentum, limits::kMomentum);
        if (auto nesterov = map.take("nesterov")) {
            if (auto value =
                    detail::readBool(*nesterov, "training.optimizer.nesterov", map.problems())) {
                optimizer.nesterov = *value;
                if (*value && optimizer.momentum <= 0.0)
                    map.problems().add(nesterov->Mark(), "training.optimizer.nesterov",
                                       "Nesterov momentum needs momentum > 0");
            }
        }
        map.finish({"type", "learning_rate", "weight_decay", "momentum", "nesterov"});
    } else {
        map.number("beta1", optimizer.beta1, limits::kBeta);
        map.number("beta2", optimizer.beta2, limits::kBeta);
        map.number("epsilon", optimizer.epsilon, limits::kAdamEpsilon);
        map.finish({"type", "learning_rate", "weight_decay", "beta1", "beta2", "epsilon"});
    }
}

void readEarlyStopping(MapReader& training, EarlyStopping& stopping)
{
    auto node = training.take("early_stopping");
    if (!node || node->IsNull())
        return;
    if (node->IsScalar()) { // `early_stopping: false` switches it off explicitly
        if (auto enabled = detail::readBool(*node, "training.early_stopping", training.problems()))
            stopping.enabled = *enabled;
        return;
    }
    MapReader map(*node, "training.early_stopping", training.problems());
    if (!map.ok())
        return;
    stopping.enabled = true;
    map.choice<Monitor>("monitor", stopping.monitor, {"val_loss", "val_accuracy"},
                        [](const std::string& n) -> std::optional<Monitor> {
                            return n == "val_accuracy" ? Monitor::ValAccuracy : Monitor::ValLoss;
                        });
    map.integer("patience", stopping.patience, limits::kPatience);
    map.number("min_delta", stopping.minDelta, limits::kMinDelta);
    map.boolean("restore_best", stopping.restoreBest);
    map.finish({"monitor", "patience", "min_delta", "restore_best"});
}

void readLrSchedule(MapReader& training, LrSchedule& schedule)
{
    auto node = training.take("lr_schedule");
    if (!node || node->IsNull())
        return;
    MapReader map(*node, "training.lr_schedule", training.problems());
    if (!map.ok())
        return;
    map.choice<LrScheduleKind>(
        "type", schedule.kind, {"constant", "step", "plateau", "one_cycle"},
        [](const std::string& n) -> std::optional<LrScheduleKind> {
            return n == "step"        ? LrScheduleKind::Step
                   : n == "plateau"   ? LrScheduleKind::Plateau
                   : n == "one_cycle" ? LrScheduleKind::OneCycle
                                      : LrScheduleKind::Constant;
        },
        true);
    std::vector<std::string> allowed = {"type"};
    if (schedule.kind == LrScheduleKind::OneCycle) {
        map.number("warmup", schedule.warmupFraction, limits::kLrWarmup);
        allowed.push_back("warmup");
    } else if (schedule.kind != LrScheduleKind::Constant) {
        map.number("factor", schedule.factor, limits::kLrFactor);
        map.number("min_lr", schedule.minLearningRate, limits::kMinLearningRate);
        allowed.insert(allowed.end(), {"factor", "min_lr"});
    }
    if (schedule.kind == LrScheduleKind::Step) {
        map.integer("every", schedule.every, limits::kLrEvery);
        allowed.push_back("every");
    } else if (schedule.kind == LrScheduleKind::Plateau) {
        map.integer("patience", schedule.patience, limits::kLrPatience);
        allowed.push_back("patience");
    }
    map.finish(allowed);
}

void readAugmentation(MapReader& training, Augmentation& augmentation)
{
    auto node = training.take("augmentation");
    if (!node || node->IsNull())
        return;
    MapReader map(*node, "training.augmentation", training.problems());
    map.boolean("horizontal_flip", augmentation.horizontalFlip);
    map.integer("shift", augmentation.shiftPixels, limits::kShift);
    map.finish({"horizontal_flip", "shift"});
}

void readTraining(MapReader& top, TrainConfig& training)
{
    auto node = top.take("training");
    if (!node)
        return;
    MapReader map(*node, "training", top.problems());
    if (!map.ok())
        return;
    readOptimizer(map, training.optimizer);
    map.integer("batch_size", training.batchSize, limits::kBatchSize);
    map.integer("epochs", training.epochs, limits::kEpochs);
    readEarlyStopping(map, training.earlyStopping);
    readLrSchedule(map, training.lrSchedule);
    readAugmentation(map, training.augmentation);
    map.seed("seed", training.seed);
    map.choice<DeviceChoice>("device", training.device, {"auto", "cpu", "cuda"},
                             [](const std::string& n) -> std::optional<DeviceChoice> {
                                 return n == "cpu"    ? DeviceChoice::Cpu
                                        : n == "cuda" ? DeviceChoice::Cuda
                                                      : DeviceChoice::Auto;
                             });
    map.choice<Precision>("precision", training.precision, {"fp32", "bf16"}, precisionFromName);
    map.boolean("layer_stats", training.layerStats);
    map.finish({"optimizer", "batch_size", "epochs", "early_stopping", "lr_schedule",
                "augmentation", "seed", "device", "precision", "layer_stats"});
}

void readData(MapReader& top, DataConfig& data)
{
    auto node = top.take("data");
    if (!node)
        return;
    MapReader map(*node, "data", top.problems());
    if (!map.ok())
        return;
    map.number("dev_fraction", data.devFraction, limits::kDevFraction);
    map.seed("split_seed", data.splitSeed);
    map.choice<Normalization>("normalization", data.normalization, {"scale", "standardize"},
                              [](const std::string& n) -> std::optional<Normalization> {
                                  return n == "standardize" ? Normalization::Standardize
                                                            : Normalization::Scale;
                              });
    map.finish({"dev_fraction", "split_seed", "normalization"});
}

void readName(MapReader& top, std::string& name)
{
    auto node = top.take("name");
    if (!node)
        return;
    auto value = detail::readString(*node, "name", top.problems());
    if (!value)
        return;
    if (std::string problem = presetNameProblem(*value); !problem.empty())
        top.problems().add(node->Mark(), "name", problem);
    else
        name = *value;
}

void readDescription(MapReader& top, std::string& description)
{
    auto node = top.take("description");
    if (!node)
        return;
    auto value = detail::readString(*node, "description", top.problems());
    if (value && value->size() > kMaxPresetDescriptionBytes)
        top.problems().add(node->Mark(), "description",
                           "is too long (" + withThousands(std::int64_t(value->size())) +
                               " bytes; at most " +
                               withThousands(std::int64_t(kMaxPresetDescriptionBytes)) + ")");
    else if (value)
        description = *value;
}

} // namespace

namespace detail {

void readPresetNode(const YAML::Node& root, ProblemList& problems, Preset& preset)
{
    MapReader top(root, "", problems);
    if (!top.ok())
        return;
    readName(top, preset.name);
    readDescription(top, preset.description);
    readModel(top, preset.model);
    readTraining(top, preset.training);
    readData(top, preset.data);
    top.finish({"name", "description", "model", "training", "data"});
}

} // namespace detail

std::string presetNameProblem(const std::string& name)
{
    if (name.size() > kMaxPresetNameBytes)
        return "is too long (" + std::to_string(name.size()) + " bytes; at most " +
               std::to_string(kMaxPresetNameBytes) + ")";
    if (!name.empty() && name.front() == '.')
        return quotedForMessage(name) + " starts with '.'; it names the run folders";
    if (!name.empty() && (name.front() == ' ' || name.back() == ' '))
        return quotedForMessage(name) + " starts or ends with a space";
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ' ';
        if (!allowed)
            return quotedForMessage(name) +
                   " may hold only letters a–z and A–Z, digits, '-', '_', '.' and spaces (it "
                   "names the run folders)";
    }
    return {};
}

PresetParseResult parsePreset(const std::string& yamlText, const std::string& fileName)
{
    PresetParseResult result;
    ProblemList problems(fileName);
    // The studio reads files itself: the size bound holds for it too.
    const std::optional<YAML::Node> root = detail::loadBoundedDocument(
        yamlText, kMaxPresetBytes, kMaxPresetNodes, "a preset", problems);
    if (!root) {
        result.problems = problems.release();
        return result;
    }
    detail::readPresetNode(*root, problems, result.preset);
    result.problems = problems.release();
    return result;
}

Preset loadPreset(const std::string& path)
{
    PresetParseResult result = parsePreset(readFileBounded(path, kMaxPresetBytes), path);
    if (!result.problems.empty())
        throw PresetError(std::move(result.problems));
    return result.preset;
}

} // namespace atelier
