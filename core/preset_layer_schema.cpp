// Layer entries of a preset: `- {type: conv2d, filters: 32, kernel: 3, ...}`.
#include "internal/preset_layer_schema.h"

#include "preset_limits.h"
#include "text_format.h"

#include <algorithm>

namespace atelier::detail {
namespace {

// Reads `key` as an integer n (n×n) or a list [h, w].
void readSize(MapReader& map, const std::string& key, Size2& target, bool required = false)
{
    auto node = map.take(key, required);
    if (!node)
        return;
    const std::string path = map.pathOf(key);
    if (node->IsSequence()) {
        if (node->size() != 2) {
            map.problems().add(node->Mark(), path, "expected n or [height, width]");
            return;
        }
        auto h = readInteger((*node)[0], path + "[1]", map.problems(), limits::kWindow);
        auto w = readInteger((*node)[1], path + "[2]", map.problems(), limits::kWindow);
        if (h && w)
            target = {int(*h), int(*w)};
        return;
    }
    if (auto n = readInteger(*node, path, map.problems(), limits::kWindow))
        target = Size2::square(int(*n));
}

void readInitializer(MapReader& map, const std::string& key, Initializer& target)
{
    auto node = map.take(key);
    if (!node)
        return;
    const std::string path = map.pathOf(key);
    std::optional<InitKind> kind;
    if (node->IsScalar()) {
        if (auto name = readChoice(*node, path, map.problems(), initKindNames()))
            kind = initKindFromName(*name);
        if (!kind)
            return;
        // Keras's defaults for RandomUniform and RandomNormal.
        target = *kind == InitKind::Uniform  ? Initializer::uniform(-0.05, 0.05)
                 : *kind == InitKind::Normal ? Initializer::normal(0.0, 0.05)
                                             : Initializer::of(*kind);
        return;
    }
    MapReader init(*node, path, map.problems());
    if (!init.ok())
        return;
    InitKind parsed = InitKind::GlorotUniform;
    init.choice<InitKind>("type", parsed, initKindNames(), initKindFromName, true);
    Initializer result = Initializer::of(parsed);
    if (parsed == InitKind::Uniform) {
        result = Initializer::uniform(-0.05, 0.05);
        init.number("min", result.a, limits::kInitValue);
        init.number("max", result.b, limits::kInitValue);
        if (!(result.a < result.b))
            map.problems().add(node->Mark(), path, "min must be less than max");
        init.finish({"type", "min", "max"});
    } else if (parsed == InitKind::Normal) {
        result = Initializer::normal(0.0, 0.05);
        init.number("mean", result.a, limits::kInitValue);
        init.number("std", result.b, limits::kInitStd);
        init.finish({"type", "mean", "std"});
    } else {
        init.finish({"type"});
    }
    target = result;
}

void readActivation(MapReader& map, const std::string& key, LayerSpec& layer, bool required)
{
    map.choice<ActivationKind>(key, layer.activation, activationNames(), activationFromName,
                               required);
}

void readLayerName(MapReader& map, std::string& target)
{
    auto node = map.take("name");
    if (!node)
        return;
    auto name = readString(*node, map.pathOf("name"), map.problems());
    if (!name)
        return;
    const bool control = std::any_of(name->begin(), name->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
    });
    if (name->size() > kMaxLayerNameBytes)
        map.problems().add(node->Mark(), map.pathOf("name"),
                           "is too long (" + std::to_string(name->size()) + " bytes; at most " +
                               std::to_string(kMaxLayerNameBytes) + ")");
    else if (control)
        map.problems().add(node->Mark(), map.pathOf("name"),
                           quotedForMessage(*name) + " holds a control character");
    else
        target = *name;
}

template <typename T>
void emitIfChanged(YAML::Emitter& out, const char* key, const T& value, const T& reference)
{
    if (value != reference)
        out << YAML::Key << key << YAML::Value << value;
}

void emitSize(YAML::Emitter& out, const char* key, Size2 value)
{
    out << YAML::Key << key << YAML::Value;
    if (value.h == value.w)
        out << value.h;
    else
        out << YAML::Flow << YAML::BeginSeq << value.h << value.w << YAML::EndSeq;
}

void emitInitializer(YAML::Emitter& out, const char* key, const Initializer& init)
{
    out << YAML::Key << key << YAML::Value;
    if (init.kind == InitKind::Uniform)
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "uniform"
            << YAML::Key << "min" << YAML::Value << shortestDouble(init.a) << YAML::Key << "max"
            << YAML::Value << shortestDouble(init.b) << YAML::EndMap;
    else if (init.kind == InitKind::Normal)
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "normal"
            << YAML::Key << "mean" << YAML::Value << shortestDouble(init.a) << YAML::Key << "std"
            << YAML::Value << shortestDouble(init.b) << YAML::EndMap;
    else
        out << initKindName(init.kind);
}

} // namespace

LayerSpec readLayer(const YAML::Node& node, const std::string& path, ProblemList& problems)
{
    MapReader map(node, path, problems);
    LayerSpec layer;
    if (!map.ok())
        return layer;
    LayerType type = LayerType::Invalid;
    std::vector<std::string> typeNames;
    for (LayerType t : allLayerTypes())
        typeNames.push_back(layerTypeName(t));
    map.choice<LayerType>("type", type, typeNames, layerTypeFromName, true);
    if (type == LayerType::Invalid)
        return layer; // unknown or missing type: its other keys cannot be judged
    layer = layerDefaults(type);
    readLayerName(map, layer.name);

    std::vector<std::string> allowed = {"type", "name"};
    auto allow = [&](std::initializer_list<const char*> keys) {
        allowed.insert(allowed.end(), keys.begin(), keys.end());
    };
    auto weights = [&] {
        readActivation(map, "activation", layer, false);
        readInitializer(map, "kernel_init", layer.kernelInit);
        readInitializer(map, "bias_init", layer.biasInit);
        map.boolean("use_bias", layer.useBias);
        allow({"activation", "kernel_init", "bias_init", "use_bias"});
    };
    switch (type) {
    case LayerType::Dense:
        map.integer("units", layer.units, limits::kUnits, true);
        allow({"units"});
        weights();
        break;
    case LayerType::Conv2D:
        map.integer("filters", layer.filters, limits::kFilters, true);
        readSize(map, "kernel", layer.kernel, true);
        readSize(map, "stride", layer.stride);
        readSize(map, "dilation", layer.dilation);
        map.choice<Padding>("padding", layer.padding, {"valid", "same"}, paddingFromName);
        allow({"filters", "kernel", "stride", "dilation", "padding"});
        weights();
        break;
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        readSize(map, "pool", layer.pool);
        layer.stride = layer.pool; // Keras: the stride defaults to the pool size
        readSize(map, "stride", layer.stride);
        map.choice<Padding>("padding", layer.padding, {"valid", "same"}, paddingFromName);
        allow({"pool", "stride", "padding"});
        break;
    case LayerType::Dropout:
        map.number("rate", layer.rate, limits::kDropoutRate, true);
        allow({"rate"});
        break;
    case LayerType::BatchNorm:
        map.number("momentum", layer.momentum, limits::kBatchNormMomentum);
        map.number("epsilon", layer.epsilon, limits::kBatchNormEpsilon);
        allow({"momentum", "epsilon"});
        break;
    case LayerType::Activation:
        readActivation(map, "function", layer, true);
        allow({"function"});
        break;
    case LayerType::Residual: // its convolutions pad "same" and leave the bias to batch norm
        map.integer("filters", layer.filters, limits::kFilters, true);
        readSize(map, "kernel", layer.kernel);
        readSize(map, "stride", layer.stride);
        readActivation(map, "activation", layer, false);
        readInitializer(map, "kernel_init", layer.kernelInit);
        map.number("momentum", layer.momentum, limits::kBatchNormMomentum);
        map.number("epsilon", layer.epsilon, limits::kBatchNormEpsilon);
        allow({"filters", "kernel", "stride", "activation", "kernel_init", "momentum", "epsilon"});
        break;
    case LayerType::Flatten:
    case LayerType::Invalid:
        break;
    }
    map.finish(allowed);
    return layer;
}

void writeLayer(YAML::Emitter& out, const LayerSpec& layer)
{
    const LayerSpec defaults = layerDefaults(layer.type);
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "type" << YAML::Value << layerTypeName(layer.type);
    if (!layer.name.empty())
        out << YAML::Key << "name" << YAML::Value << layer.name;
    auto weights = [&] {
        if (layer.activation != defaults.activation)
            out << YAML::Key << "activation" << YAML::Value << activationName(layer.activation);
        if (layer.kernelInit != defaults.kernelInit)
            emitInitializer(out, "kernel_init", layer.kernelInit);
        if (layer.biasInit != defaults.biasInit)
            emitInitializer(out, "bias_init", layer.biasInit);
        emitIfChanged(out, "use_bias", layer.useBias, defaults.useBias);
    };
    switch (layer.type) {
    case LayerType::Dense:
        out << YAML::Key << "units" << YAML::Value << layer.units;
        weights();
        break;
    case LayerType::Conv2D:
        out << YAML::Key << "filters" << YAML::Value << layer.filters;
        emitSize(out, "kernel", layer.kernel);
        if (layer.stride != defaults.stride)
            emitSize(out, "stride", layer.stride);
        if (layer.dilation != defaults.dilation)
            emitSize(out, "dilation", layer.dilation);
        if (layer.padding != defaults.padding)
            out << YAML::Key << "padding" << YAML::Value << paddingName(layer.padding);
        weights();
        break;
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        emitSize(out, "pool", layer.pool);
        if (layer.stride != layer.pool)
            emitSize(out, "stride", layer.stride);
        if (layer.padding != defaults.padding)
            out << YAML::Key << "padding" << YAML::Value << paddingName(layer.padding);
        break;
    case LayerType::Dropout:
        out << YAML::Key << "rate" << YAML::Value << shortestDouble(layer.rate);
        break;
    case LayerType::BatchNorm:
        if (layer.momentum != defaults.momentum)
            out << YAML::Key << "momentum" << YAML::Value << shortestDouble(layer.momentum);
        if (layer.epsilon != defaults.epsilon)
            out << YAML::Key << "epsilon" << YAML::Value << shortestDouble(layer.epsilon);
        break;
    case LayerType::Activation:
        out << YAML::Key << "function" << YAML::Value << activationName(layer.activation);
        break;
    case LayerType::Residual:
        out << YAML::Key << "filters" << YAML::Value << layer.filters;
        if (layer.kernel != defaults.kernel)
            emitSize(out, "kernel", layer.kernel);
        if (layer.stride != defaults.stride)
            emitSize(out, "stride", layer.stride);
        if (layer.activation != defaults.activation)
            out << YAML::Key << "activation" << YAML::Value << activationName(layer.activation);
        if (layer.kernelInit != defaults.kernelInit)
            emitInitializer(out, "kernel_init", layer.kernelInit);
        if (layer.momentum != defaults.momentum)
            out << YAML::Key << "momentum" << YAML::Value << shortestDouble(layer.momentum);
        if (layer.epsilon != defaults.epsilon)
            out << YAML::Key << "epsilon" << YAML::Value << shortestDouble(layer.epsilon);
        break;
    case LayerType::Flatten:
    case LayerType::Invalid:
        break;
    }
    out << YAML::EndMap;
}

} // namespace atelier::detail
