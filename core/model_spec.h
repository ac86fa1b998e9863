// The description of a layer stack: plain data that presets, the studio's builder, shape
// inference and the LibTorch builder all share. Every field has a meaningful default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atelier {

enum class LayerType
{
    Invalid,
    Dense,
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    Dropout,
    Flatten,
    BatchNorm,
    Activation,
    Residual, // a ResNet basic block: two convolutions and a skip connection around them
};

enum class ActivationKind
{
    Linear,
    Relu,
    Sigmoid,
    Tanh,
    Elu,
    LeakyRelu, // negative slope 0.01
    Softmax,   // output layer only: turns logits into probabilities for display
};

enum class Padding
{
    Valid, // no padding: the output shrinks by the kernel's extent
    Same,  // zero padding so that output = ceil(input / stride), extra padding at the end
};

enum class InitKind
{
    HeUniform,
    HeNormal,
    GlorotUniform,
    GlorotNormal,
    Uniform, // uniform in [a, b)
    Normal,  // mean a, standard deviation b
    Zeros,
};

struct Initializer
{
    InitKind kind = InitKind::GlorotUniform;
    double a = 0.0;
    double b = 0.0;

    static Initializer uniform(double min, double max) { return {InitKind::Uniform, min, max}; }
    static Initializer normal(double mean, double stddev)
    {
        return {InitKind::Normal, mean, stddev};
    }
    static Initializer of(InitKind kind) { return {kind, 0.0, 0.0}; }
    bool operator==(const Initializer& o) const { return kind == o.kind && a == o.a && b == o.b; }
    bool operator!=(const Initializer& o) const { return !(*this == o); }
};

struct Size2
{
    int h = 1;
    int w = 1;

    static Size2 square(int n) { return {n, n}; }
    bool operator==(const Size2& o) const { return h == o.h && w == o.w; }
    bool operator!=(const Size2& o) const { return !(*this == o); }
};

// Limits that presets and the studio's editors share.
constexpr int kMaxUnits = 1'000'000; // beyond this a dense layer would not fit in memory
constexpr int kMaxFilters = 4096;
constexpr int kMaxWindow = 64;   // kernel, pool, stride and dilation sides
constexpr int kMaxLayers = 1000; // a stack deeper than this is a mistake or a hostile file
constexpr std::size_t kMaxLayerNameBytes = 64; // names are shown in tables and diagrams

// One layer. Only the fields of its type matter; layerDefaults() fills them sensibly.
struct LayerSpec
{
    LayerType type = LayerType::Invalid;
    std::string name; // empty: named automatically ("dense_1", "conv2d_2", ...)

    // Dense
    int units = 0;
    // Conv2D
    int filters = 0;
    Size2 kernel = Size2::square(3);
    Size2 dilation = Size2::square(1);
    // Conv2D and pooling
    Size2 stride = Size2::square(1);
    Padding padding = Padding::Valid;
    // Pooling
    Size2 pool = Size2::square(2);
    // Dense and Conv2D: the activation applied after the layer; Activation: its function
    ActivationKind activation = ActivationKind::Linear;
    Initializer kernelInit = Initializer::of(InitKind::GlorotUniform);
    Initializer biasInit = Initializer::of(InitKind::Zeros);
    bool useBias = true;
    // Dropout
    double rate = 0.5;
    // BatchNorm (PyTorch's meaning: weight of the new batch in the running statistics)
    double momentum = 0.1;
    double epsilon = 1e-5;

    bool operator==(const LayerSpec& o) const;
    bool operator!=(const LayerSpec& o) const { return !(*this == o); }
};

// A layer of `type` with that type's defaults (e.g. pooling stride = pool size).
LayerSpec layerDefaults(LayerType type);

struct ModelSpec
{
    // 1×28×28 for convolutional stacks, or 784 (flat) for MLPs.
    std::vector<int> inputShape = {1, 28, 28};
    std::vector<LayerSpec> layers;

    bool operator==(const ModelSpec& o) const
    {
        return inputShape == o.inputShape && layers == o.layers;
    }
    bool operator!=(const ModelSpec& o) const { return !(*this == o); }
};

// The layers a Residual block is made of, in order, for an input of `inputChannels`:
//   main:     conv k×k (stride) → batch norm → activation → conv k×k → batch norm
//   shortcut: nothing (identity) when the shape is kept, else conv 1×1 (stride) → batch norm
// The block's output is activation(main(x) + shortcut(x)). Convolutions pad "same" and have
// no bias (the batch norm after each has one). Shape inference, the LibTorch builder and the
// exporters all read the block through this one description.
struct ResidualParts
{
    std::vector<LayerSpec> main;
    std::vector<LayerSpec> shortcut; // empty: identity
};
ResidualParts residualParts(const LayerSpec& block, std::int64_t inputChannels);

// Names as written in presets and shown to users ("conv2d", "max_pool2d", "he_uniform", ...).
std::string layerTypeName(LayerType type);
std::string layerTypeDisplayName(LayerType type); // "Conv2D", "MaxPool2D", ...
std::optional<LayerType> layerTypeFromName(const std::string& name);
std::string activationName(ActivationKind kind);
std::optional<ActivationKind> activationFromName(const std::string& name);
std::string paddingName(Padding padding);
std::optional<Padding> paddingFromName(const std::string& name);
std::string initKindName(InitKind kind);
std::optional<InitKind> initKindFromName(const std::string& name);

std::vector<LayerType> allLayerTypes();
std::vector<std::string> activationNames();
// Whether a layer of `type` can take `activation`: all, except softmax for a residual block,
// whose activation acts inside the network (softmax belongs on the output layer only).
bool activationAllowed(LayerType type, ActivationKind activation);
// The names of the activations a layer of `type` can take (all for LayerType::Invalid).
std::vector<std::string> activationNamesFor(LayerType type);
std::vector<std::string> initKindNames();

// True for types that carry an activation field applied after them.
bool hasActivation(LayerType type);

} // namespace atelier
