// Writing presets, comparing them, and formatting preset problems.
#include "preset.h"

#include "atomic_file.h"
#include "internal/preset_layer_schema.h"
#include "text_format.h"

#include <yaml-cpp/yaml.h>

namespace atelier {

bool OptimizerConfig::operator==(const OptimizerConfig& o) const
{
    return kind == o.kind && learningRate == o.learningRate && weightDecay == o.weightDecay &&
           momentum == o.momentum && nesterov == o.nesterov && beta1 == o.beta1 &&
           beta2 == o.beta2 && epsilon == o.epsilon;
}

bool EarlyStopping::operator==(const EarlyStopping& o) const
{
    return enabled == o.enabled && monitor == o.monitor && patience == o.patience &&
           minDelta == o.minDelta && restoreBest == o.restoreBest;
}

bool LrSchedule::operator==(const LrSchedule& o) const
{
    return kind == o.kind && every == o.every && patience == o.patience && factor == o.factor &&
           minLearningRate == o.minLearningRate && warmupFraction == o.warmupFraction;
}

bool TrainConfig::operator==(const TrainConfig& o) const
{
    return optimizer == o.optimizer && batchSize == o.batchSize && epochs == o.epochs &&
           earlyStopping == o.earlyStopping && lrSchedule == o.lrSchedule &&
           augmentation == o.augmentation && seed == o.seed && device == o.device &&
           precision == o.precision && layerStats == o.layerStats;
}

bool DataConfig::operator==(const DataConfig& o) const
{
    return devFraction == o.devFraction && splitSeed == o.splitSeed &&
           normalization == o.normalization;
}

bool Preset::operator==(const Preset& o) const
{
    return name == o.name && description == o.description && model == o.model &&
           training == o.training && data == o.data;
}

std::string PresetProblem::toString() const
{
    // "file:line:col key.path: message", or "file:line:col: message" without a key.
    std::string text = file;
    if (line > 0)
        text += ":" + std::to_string(line) + ":" + std::to_string(column);
    text += keyPath.empty() ? ": " : " " + keyPath + ": ";
    return text + message;
}

namespace {

std::string describeProblems(const std::vector<PresetProblem>& problems)
{
    if (problems.empty())
        return "invalid preset";
    std::string text = problems.front().toString();
    if (problems.size() > 1)
        text += " (and " + std::to_string(problems.size() - 1) + " more)";
    return text;
}

} // namespace

PresetError::PresetError(std::vector<PresetProblem> problems)
    : InputError(describeProblems(problems)), m_problems(std::move(problems))
{}

std::string optimizerName(OptimizerKind kind)
{
    return kind == OptimizerKind::Adam ? "adam" : "sgd";
}
std::string monitorName(Monitor monitor)
{
    return monitor == Monitor::ValAccuracy ? "val_accuracy" : "val_loss";
}
std::string lrScheduleName(LrScheduleKind kind)
{
    return kind == LrScheduleKind::Step       ? "step"
           : kind == LrScheduleKind::Plateau  ? "plateau"
           : kind == LrScheduleKind::OneCycle ? "one_cycle"
                                              : "constant";
}

std::string deviceChoiceName(DeviceChoice device)
{
    return device == DeviceChoice::Cpu ? "cpu" : device == DeviceChoice::Cuda ? "cuda" : "auto";
}
std::string normalizationName(Normalization normalization)
{
    return normalization == Normalization::Standardize ? "standardize" : "scale";
}

std::string presetToYaml(const Preset& preset)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    if (!preset.name.empty())
        out << YAML::Key << "name" << YAML::Value << preset.name;
    if (!preset.description.empty())
        out << YAML::Key << "description" << YAML::Value << preset.description;

    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "input" << YAML::Value << YAML::Flow << preset.model.inputShape;
    out << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
    for (const LayerSpec& layer : preset.model.layers)
        detail::writeLayer(out, layer);
    out << YAML::EndSeq << YAML::EndMap;

    const TrainConfig& t = preset.training;
    const OptimizerConfig& o = t.optimizer;
    out << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "optimizer" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "type" << YAML::Value << optimizerName(o.kind);
    out << YAML::Key << "learning_rate" << YAML::Value << shortestDouble(o.learningRate);
    if (o.kind == OptimizerKind::Sgd) {
        out << YAML::Key << "momentum" << YAML::Value << shortestDouble(o.momentum);
        out << YAML::Key << "nesterov" << YAML::Value << o.nesterov;
    } else {
        out << YAML::Key << "beta1" << YAML::Value << shortestDouble(o.beta1);
        out << YAML::Key << "beta2" << YAML::Value << shortestDouble(o.beta2);
        out << YAML::Key << "epsilon" << YAML::Value << shortestDouble(o.epsilon);
    }
    out << YAML::Key << "weight_decay" << YAML::Value << shortestDouble(o.weightDecay);
    out << YAML::EndMap;
    out << YAML::Key << "batch_size" << YAML::Value << t.batchSize;
    out << YAML::Key << "epochs" << YAML::Value << t.epochs;
    out << YAML::Key << "early_stopping" << YAML::Value;
    if (t.earlyStopping.enabled) {
        const EarlyStopping& e = t.earlyStopping;
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "monitor" << YAML::Value
            << monitorName(e.monitor) << YAML::Key << "patience" << YAML::Value << e.patience
            << YAML::Key << "min_delta" << YAML::Value << shortestDouble(e.minDelta) << YAML::Key
            << "restore_best" << YAML::Value << e.restoreBest << YAML::EndMap;
    } else {
        out << false;
    }
    if (t.lrSchedule.kind != LrScheduleKind::Constant) {
        const LrSchedule& l = t.lrSchedule;
        out << YAML::Key << "lr_schedule" << YAML::Value << YAML::Flow << YAML::BeginMap
            << YAML::Key << "type" << YAML::Value << lrScheduleName(l.kind);
        if (l.kind == LrScheduleKind::OneCycle) {
            out << YAML::Key << "warmup" << YAML::Value << shortestDouble(l.warmupFraction)
                << YAML::EndMap;
        } else {
            if (l.kind == LrScheduleKind::Step)
                out << YAML::Key << "every" << YAML::Value << l.every;
            else
                out << YAML::Key << "patience" << YAML::Value << l.patience;
            out << YAML::Key << "factor" << YAML::Value << shortestDouble(l.factor) << YAML::Key
                << "min_lr" << YAML::Value << shortestDouble(l.minLearningRate) << YAML::EndMap;
        }
    }
    if (t.augmentation.enabled())
        out << YAML::Key << "augmentation" << YAML::Value << YAML::Flow << YAML::BeginMap
            << YAML::Key << "horizontal_flip" << YAML::Value << t.augmentation.horizontalFlip
            << YAML::Key << "shift" << YAML::Value << t.augmentation.shiftPixels << YAML::EndMap;
    out << YAML::Key << "seed" << YAML::Value << t.seed;
    out << YAML::Key << "device" << YAML::Value << deviceChoiceName(t.device);
    // Written only when not the default, as layer_stats below.
    if (t.precision != Precision::Float32)
        out << YAML::Key << "precision" << YAML::Value << precisionName(t.precision);
    // Written only when off, so that presets (and the fingerprints of sweeps built from them)
    // read before the key existed stay the same.
    if (!t.layerStats)
        out << YAML::Key << "layer_stats" << YAML::Value << false;
    out << YAML::EndMap;

    const DataConfig& d = preset.data;
    out << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "dev_fraction" << YAML::Value << shortestDouble(d.devFraction);
    out << YAML::Key << "split_seed" << YAML::Value << d.splitSeed;
    out << YAML::Key << "normalization" << YAML::Value << normalizationName(d.normalization);
    out << YAML::EndMap;

    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

void savePreset(const Preset& preset, const std::string& path)
{
    writeFileAtomically(path, presetToYaml(preset));
}

} // namespace atelier
