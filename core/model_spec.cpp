// Names and defaults of the model-spec enums.
#include "model_spec.h"

#include <utility>

namespace atelier {
namespace {

template <typename Enum> using NameTable = std::vector<std::pair<Enum, const char*>>;

const NameTable<LayerType>& layerTypeNames()
{
    static const NameTable<LayerType> table = {
        {LayerType::Dense, "dense"},          {LayerType::Conv2D, "conv2d"},
        {LayerType::MaxPool2D, "max_pool2d"}, {LayerType::AvgPool2D, "avg_pool2d"},
        {LayerType::Dropout, "dropout"},      {LayerType::Flatten, "flatten"},
        {LayerType::BatchNorm, "batch_norm"}, {LayerType::Activation, "activation"},
        {LayerType::Residual, "residual"},
    };
    return table;
}

const NameTable<ActivationKind>& activationTable()
{
    static const NameTable<ActivationKind> table = {
        {ActivationKind::Linear, "linear"},   {ActivationKind::Relu, "relu"},
        {ActivationKind::Sigmoid, "sigmoid"}, {ActivationKind::Tanh, "tanh"},
        {ActivationKind::Elu, "elu"},         {ActivationKind::LeakyRelu, "leaky_relu"},
        {ActivationKind::Softmax, "softmax"},
    };
    return table;
}

const NameTable<InitKind>& initTable()
{
    static const NameTable<InitKind> table = {
        {InitKind::HeUniform, "he_uniform"},
        {InitKind::HeNormal, "he_normal"},
        {InitKind::GlorotUniform, "glorot_uniform"},
        {InitKind::GlorotNormal, "glorot_normal"},
        {InitKind::Uniform, "uniform"},
        {InitKind::Normal, "normal"},
        {InitKind::Zeros, "zeros"},
    };
    return table;
}

const NameTable<Padding>& paddingTable()
{
    static const NameTable<Padding> table = {{Padding::Valid, "valid"}, {Padding::Same, "same"}};
    return table;
}

template <typename Enum> std::string nameOf(const NameTable<Enum>& table, Enum value)
{
    for (const auto& [entry, name] : table)
        if (entry == value)
            return name;
    return "invalid";
}

template <typename Enum>
std::optional<Enum> valueOf(const NameTable<Enum>& table, const std::string& name)
{
    for (const auto& [entry, entryName] : table)
        if (name == entryName)
            return entry;
    return std::nullopt;
}

template <typename Enum> std::vector<std::string> namesOf(const NameTable<Enum>& table)
{
    std::vector<std::string> names;
    for (const auto& entry : table)
        names.emplace_back(entry.second);
    return names;
}

} // namespace

bool LayerSpec::operator==(const LayerSpec& o) const
{
    return type == o.type && name == o.name && units == o.units && filters == o.filters &&
           kernel == o.kernel && dilation == o.dilation && stride == o.stride &&
           padding == o.padding && pool == o.pool && activation == o.activation &&
           kernelInit == o.kernelInit && biasInit == o.biasInit && useBias == o.useBias &&
           rate == o.rate && momentum == o.momentum && epsilon == o.epsilon;
}

LayerSpec layerDefaults(LayerType type)
{
    LayerSpec layer;
    layer.type = type;
    switch (type) {
    case LayerType::Dense:
        layer.units = 10;
        break;
    case LayerType::Conv2D:
        layer.filters = 32;
        break;
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        layer.stride = layer.pool;
        break;
    case LayerType::Activation:
        layer.activation = ActivationKind::Relu;
        break;
    case LayerType::Residual:
        layer.filters = 64;
        layer.padding = Padding::Same;
        layer.activation = ActivationKind::Relu;
        layer.kernelInit = Initializer::of(InitKind::HeUniform);
        layer.useBias = false;
        break;
    default:
        break;
    }
    return layer;
}

std::string layerTypeName(LayerType type)
{
    return nameOf(layerTypeNames(), type);
}

std::string layerTypeDisplayName(LayerType type)
{
    switch (type) {
    case LayerType::Dense:
        return "Dense";
    case LayerType::Conv2D:
        return "Conv2D";
    case LayerType::MaxPool2D:
        return "MaxPool2D";
    case LayerType::AvgPool2D:
        return "AvgPool2D";
    case LayerType::Dropout:
        return "Dropout";
    case LayerType::Flatten:
        return "Flatten";
    case LayerType::BatchNorm:
        return "BatchNorm";
    case LayerType::Activation:
        return "Activation";
    case LayerType::Residual:
        return "Residual";
    case LayerType::Invalid:
        break;
    }
    return "Invalid";
}

std::optional<LayerType> layerTypeFromName(const std::string& name)
{
    return valueOf(layerTypeNames(), name);
}

std::string activationName(ActivationKind kind)
{
    return nameOf(activationTable(), kind);
}
std::optional<ActivationKind> activationFromName(const std::string& name)
{
    return valueOf(activationTable(), name);
}
std::string paddingName(Padding padding)
{
    return nameOf(paddingTable(), padding);
}
std::optional<Padding> paddingFromName(const std::string& name)
{
    return valueOf(paddingTable(), name);
}
std::string initKindName(InitKind kind)
{
    return nameOf(initTable(), kind);
}
std::optional<InitKind> initKindFromName(const std::string& name)
{
    return valueOf(initTable(), name);
}

std::vector<LayerType> allLayerTypes()
{
    std::vector<LayerType> types;
    for (const auto& entry : layerTypeNames())
        types.push_back(entry.first);
    return types;
}

std::vector<std::string> activationNames()
{
    return namesOf(activationTable());
}
bool activationAllowed(LayerType type, ActivationKind activation)
{
    return !(type == LayerType::Residual && activation == ActivationKind::Softmax);
}

std::vector<std::string> activationNamesFor(LayerType type)
{
    std::vector<std::string> names;
    for (const auto& [kind, name] : activationTable())
        if (activationAllowed(type, kind))
            names.push_back(name);
    return names;
}
std::vector<std::string> initKindNames()
{
    return namesOf(initTable());
}

bool hasActivation(LayerType type)
{
    return type == LayerType::Dense || type == LayerType::Conv2D ||
           type == LayerType::Activation || type == LayerType::Residual;
}

ResidualParts residualParts(const LayerSpec& block, std::int64_t inputChannels)
{
    LayerSpec conv = layerDefaults(LayerType::Conv2D);
    conv.filters = block.filters;
    conv.kernel = block.kernel;
    conv.padding = Padding::Same;
    conv.kernelInit = block.kernelInit;
    conv.useBias = false;
    LayerSpec norm = layerDefaults(LayerType::BatchNorm);
    norm.momentum = block.momentum;
    norm.epsilon = block.epsilon;
    LayerSpec activation = layerDefaults(LayerType::Activation);
    activation.activation = block.activation;

    ResidualParts parts;
    LayerSpec first = conv;
    first.stride = block.stride;
    parts.main = {first, norm, activation, conv, norm};
    if (block.stride != Size2::square(1) || inputChannels != block.filters) {
        LayerSpec projection = conv;
        projection.kernel = Size2::square(1);
        projection.stride = block.stride;
        parts.shortcut = {projection, norm};
    }
    return parts;
}

} // namespace atelier
