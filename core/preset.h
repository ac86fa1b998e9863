// Presets: the one file format for a model plus its training and data settings (YAML, schema
// in docs/presets.md). Loading reports every problem as file:line:col key.path: message.
#pragma once

#include "errors.h"
#include "model_spec.h"
#include "normalization.h"
#include "precision.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

enum class OptimizerKind
{
    Sgd,
    Adam,
};

struct OptimizerConfig
{
    OptimizerKind kind = OptimizerKind::Sgd;
    double learningRate = 0.01;
    double weightDecay = 0.0;
    // SGD
    double momentum = 0.0;
    bool nesterov = false;
    // Adam
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;

    bool operator==(const OptimizerConfig& o) const;
};

enum class Monitor
{
    ValLoss,
    ValAccuracy,
};

struct EarlyStopping
{
    bool enabled = false;
    Monitor monitor = Monitor::ValLoss;
    int patience = 3;      // epochs without improvement before stopping
    double minDelta = 0.0; // smallest change that counts as an improvement
    bool restoreBest = true;

    bool operator==(const EarlyStopping& o) const;
};

enum class LrScheduleKind
{
    Constant,
    Step,    // multiply by `factor` every `every` epochs
    Plateau, // multiply by `factor` after `patience` epochs without a better val_loss
    // Per batch: from the optimizer's rate / 25 up to it over the first `warmupFraction` of
    // all batches, then down to rate / 250,000 along a cosine (PyTorch's OneCycleLR).
    OneCycle,
};

struct LrSchedule
{
    LrScheduleKind kind = LrScheduleKind::Constant;
    int every = 10;
    int patience = 2;
    double factor = 0.5;
    double minLearningRate = 0.0; // the rate never drops below this
    double warmupFraction = 0.3;  // one_cycle: the share of batches that warm up

    bool operator==(const LrSchedule& o) const;
};

// Random changes to each training batch (never to dev or test images).
struct Augmentation
{
    bool horizontalFlip = false; // mirror half of the images left-right
    int shiftPixels = 0;         // move each image by up to this many pixels in x and y

    bool enabled() const { return horizontalFlip || shiftPixels > 0; }
    bool operator==(const Augmentation& o) const
    {
        return horizontalFlip == o.horizontalFlip && shiftPixels == o.shiftPixels;
    }
};

enum class DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
};

struct TrainConfig
{
    OptimizerConfig optimizer;
    int batchSize = 32;
    int epochs = 10;
    EarlyStopping earlyStopping;
    LrSchedule lrSchedule;
    Augmentation augmentation;
    std::uint64_t seed = 42;
    DeviceChoice device = DeviceChoice::Auto;
    Precision precision = Precision::Float32;
    // Per-layer gradient, weight and activation statistics (layer_stats.h). On by default:
    // sampled 10 times per epoch, they cost about 2% of mlp_medium's training time and
    // 0.4% of cnn_medium's (docs/results.md).
    bool layerStats = true;

    bool operator==(const TrainConfig& o) const;
};

struct DataConfig
{
    double devFraction = 0.2;
    std::uint64_t splitSeed = 42; // separate from the training seed: runs share one dev set
    Normalization normalization = Normalization::Scale;

    bool operator==(const DataConfig& o) const;
};

struct Preset
{
    std::string name;
    std::string description;
    ModelSpec model;
    TrainConfig training;
    DataConfig data;

    bool operator==(const Preset& o) const;
    bool operator!=(const Preset& o) const { return !(*this == o); }
};

// Bounds on the work a preset file can cause (docs/presets.md, "Limits"). Far above any real
// preset; low enough that a hostile one cannot make a reader use gigabytes or minutes.
// The largest preset file read: a stack of kMaxLayers layers with every key set, as the
// studio saves it, takes about 400 KB.
constexpr std::size_t kMaxPresetBytes = 512 * 1024;
constexpr std::size_t kMaxPresetDescriptionBytes = 16 * 1024; // a page of text
// Values (mappings, lists, scalars) a preset may hold, counting every use of a YAML alias
// as a copy: yaml-cpp shares an aliased node, so walking it again multiplies the work.
constexpr std::size_t kMaxPresetNodes = 100'000;
// Problems listed in full; the rest are counted in one last line.
constexpr std::size_t kMaxPresetProblems = 50;
// A preset name becomes part of a run folder's name: letters, digits, '-', '_', '.', space.
constexpr std::size_t kMaxPresetNameBytes = 64;

struct PresetProblem
{
    std::string file;
    int line = 0;        // 1-based; 0 when unknown
    int column = 0;      // 1-based; 0 when unknown
    std::string keyPath; // "training.optimizer.learning_rate", "model.layers[2].units"
    std::string message;

    std::string toString() const; // "file:line:col key.path: message"
};

class PresetError : public InputError
{
public:
    explicit PresetError(std::vector<PresetProblem> problems);
    const std::vector<PresetProblem>& problems() const { return m_problems; }

private:
    std::vector<PresetProblem> m_problems;
};

struct PresetParseResult
{
    Preset preset; // defaults wherever a problem was found
    std::vector<PresetProblem> problems;
};

// Parses YAML text; never throws for bad content, the problems are listed instead (at most
// kMaxPresetProblems of them, then "… and N more problems").
PresetParseResult parsePreset(const std::string& yamlText, const std::string& fileName);

// Why `name` cannot name a preset (and so a run folder), or "" when it can: at most
// kMaxPresetNameBytes of ASCII letters, digits, '-', '_', '.' and inner spaces, not
// starting with '.'. Empty is allowed (runs are then called "run").
std::string presetNameProblem(const std::string& name);

// Reads and parses a file; throws InputError when it cannot be read, PresetError on problems.
Preset loadPreset(const std::string& path);

std::string presetToYaml(const Preset& preset);

// Writes atomically (temporary file + rename): a crash never leaves half a preset.
void savePreset(const Preset& preset, const std::string& path);

std::string optimizerName(OptimizerKind kind);
std::string monitorName(Monitor monitor);
std::string lrScheduleName(LrScheduleKind kind);
std::string deviceChoiceName(DeviceChoice device);
std::string normalizationName(Normalization normalization);

} // namespace atelier
