// Shape inference, parameter counting and validation rules for layer stacks.
#include "model_analysis.h"

#include "errors.h"
#include "internal/saturating.h"
#include "text_format.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace atelier {
namespace {

using detail::saturatingAdd;
using detail::saturatingMul;

std::string sizeText(Size2 s)
{
    return std::to_string(s.h) + "×" + std::to_string(s.w);
}

std::string inputDescription(const TensorShape& input, const LayerReport* previous)
{
    std::string text = input.toString();
    if (previous && previous->type == LayerType::Flatten)
        text += " after flatten";
    else if (!previous && input.isFlat())
        text += " (the model input is flat; set the input to 1×28×28)";
    return text;
}

// Checks fields that must be positive or in range; returns the first problem.
std::string fieldProblem(const LayerSpec& layer)
{
    auto positive = [](Size2 s) { return s.h >= 1 && s.w >= 1; };
    switch (layer.type) {
    case LayerType::Dense:
        if (layer.units < 1)
            return "units must be at least 1";
        break;
    case LayerType::Conv2D:
        if (layer.filters < 1)
            return "filters must be at least 1";
        if (!positive(layer.kernel) || !positive(layer.stride) || !positive(layer.dilation))
            return "kernel, stride and dilation must be at least 1";
        break;
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        if (!positive(layer.pool) || !positive(layer.stride))
            return "pool and stride must be at least 1";
        break;
    case LayerType::Dropout:
        if (!(layer.rate >= 0.0 && layer.rate < 1.0))
            return "rate must be in [0, 1)";
        break;
    case LayerType::BatchNorm:
        if (!(layer.momentum > 0.0 && layer.momentum <= 1.0))
            return "momentum must be in (0, 1]";
        if (!(layer.epsilon > 0.0))
            return "epsilon must be positive";
        break;
    case LayerType::Residual:
        if (layer.filters < 1)
            return "filters must be at least 1";
        if (!positive(layer.kernel) || !positive(layer.stride))
            return "kernel and stride must be at least 1";
        if (!activationAllowed(layer.type, layer.activation))
            return "softmax belongs on the output layer only; a residual block needs relu, elu, "
                   "tanh, ...";
        break;
    case LayerType::Invalid:
        return "unknown layer type";
    default:
        break;
    }
    if (layer.type == LayerType::Dense || layer.type == LayerType::Conv2D ||
        layer.type == LayerType::Residual) {
        const Initializer& k = layer.kernelInit;
        const Initializer& b = layer.biasInit;
        if (k.kind == InitKind::Uniform && !(k.a < k.b))
            return "kernel_init uniform needs min < max";
        if (k.kind == InitKind::Normal && !(k.b > 0))
            return "kernel_init normal needs std > 0";
        if (b.kind != InitKind::Zeros && b.kind != InitKind::Uniform && b.kind != InitKind::Normal)
            return "bias_init must be zeros, uniform or normal (" + initKindName(b.kind) +
                   " needs a weight matrix's fan-in and fan-out)";
        if (b.kind == InitKind::Uniform && !(b.a < b.b))
            return "bias_init uniform needs min < max";
        if (b.kind == InitKind::Normal && !(b.b > 0))
            return "bias_init normal needs std > 0";
    }
    return {};
}

void inferLayer(const LayerSpec& layer, const TensorShape& in, const LayerReport* previous,
                LayerReport& report);

// Per image, kept for the backward pass: the output, and the value before a separate
// activation.
std::int64_t keptElements(const LayerSpec& layer, const LayerReport& report)
{
    const bool separateActivation =
        hasActivation(layer.type) && layer.activation != ActivationKind::Linear &&
        layer.activation != ActivationKind::Softmax; // softmax is for display only
    return saturatingMul(report.output.elements(), separateActivation ? 2 : 1);
}

// A residual block is the sum of its parts: their parameters, work and kept values, plus the
// sum of both paths (before the block's activation).
void inferResidual(const LayerSpec& layer, const TensorShape& in, LayerReport& report)
{
    const ResidualParts parts = residualParts(layer, in.dims[0]);
    for (const auto* path : {&parts.main, &parts.shortcut})
        for (const LayerReport& part : analyzeLayerParts(*path, in)) {
            if (!part.error.empty()) {
                report.error = part.error;
                return;
            }
            report.trainableParams = saturatingAdd(report.trainableParams, part.trainableParams);
            report.nonTrainableParams =
                saturatingAdd(report.nonTrainableParams, part.nonTrainableParams);
            report.forwardFlops = saturatingAdd(report.forwardFlops, part.forwardFlops);
            report.activationElements =
                saturatingAdd(report.activationElements, part.activationElements);
            if (path == &parts.main)
                report.output = part.output;
        }
}

// Infers the output of one layer from `in`; sets report.error when it cannot work.
void inferLayer(const LayerSpec& layer, const TensorShape& in, const LayerReport* previous,
                LayerReport& report)
{
    if (std::string problem = fieldProblem(layer); !problem.empty()) {
        report.error = problem;
        return;
    }
    const bool spatial = in.dims.size() == 3;
    switch (layer.type) {
    case LayerType::Dense:
        if (!in.isFlat()) {
            report.error =
                "needs a flat input but gets " + in.toString() + "; add a Flatten layer before it";
            return;
        }
        report.output.dims = {layer.units};
        report.trainableParams =
            saturatingAdd(saturatingMul(in.dims[0], layer.units), layer.useBias ? layer.units : 0);
        report.forwardFlops = saturatingMul(2, saturatingMul(in.dims[0], layer.units));
        return;
    case LayerType::Conv2D:
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D: {
        if (!spatial) {
            report.error = "needs a 3-D input (C×H×W) but gets " + inputDescription(in, previous);
            return;
        }
        const bool conv = layer.type == LayerType::Conv2D;
        const Size2 window = conv ? layer.kernel : layer.pool;
        const Size2 dilation = conv ? layer.dilation : Size2::square(1);
        const std::int64_t h = in.dims[1], w = in.dims[2];
        if (!conv && (window.h > h || window.w > w)) {
            report.error = "pool " + sizeText(window) + " is larger than its " + std::to_string(h) +
                           "×" + std::to_string(w) + " input";
            return;
        }
        const std::int64_t outH =
            windowOutputSize(h, window.h, layer.stride.h, dilation.h, layer.padding);
        const std::int64_t outW =
            windowOutputSize(w, window.w, layer.stride.w, dilation.w, layer.padding);
        if (outH < 1 || outW < 1) {
            report.error =
                "kernel " + sizeText(window) +
                (dilation != Size2::square(1) ? " (dilated " + sizeText(dilation) + ")" : "") +
                " is larger than its " + std::to_string(h) + "×" + std::to_string(w) +
                " input; use padding same or a smaller kernel";
            return;
        }
        const std::int64_t channels = conv ? layer.filters : in.dims[0];
        report.output.dims = {channels, outH, outW};
        if (conv) {
            const std::int64_t weights = saturatingMul(
                saturatingMul(in.dims[0], std::int64_t(window.h) * window.w), layer.filters);
            report.trainableParams = saturatingAdd(weights, layer.useBias ? layer.filters : 0);
            report.forwardFlops =
                saturatingMul(saturatingMul(2, weights), saturatingMul(outH, outW));
        }
        return;
    }
    case LayerType::Flatten:
        report.output.dims = {in.elements()};
        return;
    case LayerType::BatchNorm:
        // Scale and shift are learned; running mean and variance are not (as Keras counts).
        report.output = in;
        report.trainableParams = saturatingMul(2, in.dims[0]);
        report.nonTrainableParams = saturatingMul(2, in.dims[0]);
        return;
    case LayerType::Dropout:
    case LayerType::Activation:
        report.output = in;
        return;
    case LayerType::Residual:
        if (!spatial) {
            report.error = "needs a 3-D input (C×H×W) but gets " + inputDescription(in, previous);
            return;
        }
        inferResidual(layer, in, report);
        return;
    case LayerType::Invalid:
        break;
    }
    report.error = "unknown layer type";
}

bool appliesSoftmax(const LayerSpec& layer)
{
    return hasActivation(layer.type) && layer.activation == ActivationKind::Softmax;
}

// Presets refuse these names too; the studio's editors can type them.
std::string layerNameProblem(const std::string& name)
{
    if (name.size() > kMaxLayerNameBytes)
        return "the name is too long (" + std::to_string(name.size()) + " bytes; at most " +
               std::to_string(kMaxLayerNameBytes) + ")";
    for (const char c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return "the name " + quotedForMessage(name) + " holds a control character";
    return {};
}

std::string layerLabel(const LayerReport& layer)
{
    return "layer " + std::to_string(layer.number) + " " + layerTypeName(layer.type);
}

} // namespace

std::vector<LayerReport> analyzeLayerParts(const std::vector<LayerSpec>& parts,
                                           const TensorShape& input)
{
    std::vector<LayerReport> reports;
    TensorShape in = input;
    for (const LayerSpec& layer : parts) {
        LayerReport report;
        report.number = int(reports.size()) + 1;
        report.name = layerTypeName(layer.type) + "_" + std::to_string(report.number);
        report.type = layer.type;
        inferLayer(layer, in, nullptr, report);
        if (report.error.empty())
            report.activationElements = keptElements(layer, report);
        in = report.output;
        reports.push_back(std::move(report));
        if (!reports.back().error.empty())
            break;
    }
    return reports;
}

std::int64_t windowOutputSize(std::int64_t input, int kernel, int stride, int dilation,
                              Padding padding)
{
    if (padding == Padding::Same)
        return (input + stride - 1) / stride;
    const std::int64_t extent = std::int64_t(dilation) * (kernel - 1) + 1;
    if (input < extent)
        return -1;
    return (input - extent) / stride + 1;
}

std::int64_t TensorShape::elements() const
{
    if (dims.empty())
        return 0;
    std::int64_t product = 1;
    for (std::int64_t d : dims)
        product = saturatingMul(product, d);
    return product;
}

std::string TensorShape::toString() const
{
    if (dims.empty())
        return "?";
    std::string text;
    for (std::size_t i = 0; i < dims.size(); ++i)
        text += (i ? "×" : "") + std::to_string(dims[i]);
    return text;
}

bool ModelReport::valid() const
{
    return errors().empty();
}

std::int64_t ModelReport::trainableParams() const
{
    std::int64_t sum = 0;
    for (const LayerReport& layer : layers)
        sum = saturatingAdd(sum, layer.trainableParams);
    return sum;
}

std::int64_t ModelReport::nonTrainableParams() const
{
    std::int64_t sum = 0;
    for (const LayerReport& layer : layers)
        sum = saturatingAdd(sum, layer.nonTrainableParams);
    return sum;
}

std::int64_t ModelReport::totalParams() const
{
    return saturatingAdd(trainableParams(), nonTrainableParams());
}

std::int64_t ModelReport::activationElements() const
{
    std::int64_t sum = input.elements();
    for (const LayerReport& layer : layers)
        sum = saturatingAdd(sum, layer.activationElements);
    return sum;
}

std::int64_t ModelReport::forwardFlops() const
{
    std::int64_t sum = 0;
    for (const LayerReport& layer : layers)
        sum = saturatingAdd(sum, layer.forwardFlops);
    return sum;
}

std::vector<std::string> ModelReport::errors() const
{
    std::vector<std::string> all;
    for (const LayerReport& layer : layers)
        if (!layer.error.empty())
            all.push_back(layerLabel(layer) + ": " + layer.error);
    for (const std::string& error : modelErrors)
        all.push_back("model: " + error);
    return all;
}

ModelReport analyzeModel(const ModelSpec& spec, int numClasses)
{
    return analyzeModel(spec, numClasses, TrainingLoad{}, physicalMemoryBytes());
}

ModelReport analyzeModel(const ModelSpec& spec, int numClasses, const TrainingLoad& load,
                         std::int64_t availableBytes)
{
    ModelReport report;
    const auto& in = spec.inputShape;
    const bool imageInput = in == std::vector<int>{1, 28, 28};
    const bool flatInput = in == std::vector<int>{784};
    if (imageInput || flatInput)
        report.input.dims.assign(in.begin(), in.end());
    else
        report.modelErrors.push_back(
            "the input must be 1×28×28 (images) or 784 (flat pixels), not " +
            TensorShape{{in.begin(), in.end()}}.toString());
    if (spec.layers.empty())
        report.modelErrors.push_back("the stack is empty; add layers that end in Dense(" +
                                     std::to_string(numClasses) + ")");
    if (spec.layers.size() > std::size_t(kMaxLayers))
        report.modelErrors.push_back(withThousands(std::int64_t(spec.layers.size())) +
                                     " layers; at most " + withThousands(kMaxLayers) +
                                     " are allowed");

    std::map<std::string, int> typeCounts;
    std::map<std::string, int> namesSeen;
    TensorShape current = report.input;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const LayerSpec& layer = spec.layers[i];
        LayerReport row;
        row.number = int(i) + 1;
        row.type = layer.type;
        const std::string typeName = layerTypeName(layer.type);
        row.name = layer.name.empty() ? typeName + "_" + std::to_string(++typeCounts[typeName])
                                      : layer.name;
        if (std::string problem = layerNameProblem(layer.name); !problem.empty())
            row.error = problem;
        else if (auto seen = namesSeen.find(row.name); seen != namesSeen.end())
            row.error = "the name " + quotedForMessage(row.name) + " is already used by layer " +
                        std::to_string(seen->second);
        namesSeen.emplace(row.name, row.number);

        const LayerReport* previous = report.layers.empty() ? nullptr : &report.layers.back();
        if (row.error.empty() && current.known())
            inferLayer(layer, current, previous, row);
        if (row.error.empty() && appliesSoftmax(layer) && i + 1 != spec.layers.size())
            row.error = "softmax belongs on the output layer only (it turns the final scores "
                        "into probabilities)";
        current = row.error.empty() ? row.output : TensorShape{};
        if (row.error.empty())
            row.activationElements =
                saturatingAdd(row.activationElements, keptElements(layer, row));
        report.layers.push_back(std::move(row));
    }

    if (current.known() && !spec.layers.empty()) {
        if (!current.isFlat())
            report.modelErrors.push_back("the stack ends with " + current.toString() +
                                         " but must end with " + std::to_string(numClasses) +
                                         " class scores; add Flatten and Dense(" +
                                         std::to_string(numClasses) + ")");
        else if (current.dims[0] != numClasses)
            report.modelErrors.push_back(
                "the stack ends with " + current.toString() + " outputs but must end with " +
                std::to_string(numClasses) + " (one per class); end it with Dense(" +
                std::to_string(numClasses) + ")");
    }
    // Only a valid stack has a known size to estimate.
    if (report.errors().empty()) {
        report.memory =
            estimateTrainingMemory(report.trainableParams(), report.nonTrainableParams(),
                                   report.activationElements(), load);
        if (std::string problem = memoryProblem(report.memory, availableBytes); !problem.empty())
            report.modelErrors.push_back(problem);
    }
    return report;
}

void requireValidModel(const ModelReport& report)
{
    const auto errors = report.errors();
    if (!errors.empty())
        throw ModelError(errors.front());
}

std::string formatSummary(const ModelReport& report)
{
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"#", "Layer (type)", "Output shape", "Params"});
    for (const LayerReport& layer : report.layers)
        rows.push_back({std::to_string(layer.number),
                        layer.name + " (" + layerTypeDisplayName(layer.type) + ")",
                        layer.output.toString(),
                        withThousands(layer.trainableParams + layer.nonTrainableParams)});
    std::vector<std::size_t> widths(4, 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < 4; ++c)
            widths[c] = std::max(widths[c], displayWidth(row[c]));
    const std::size_t total = widths[0] + widths[1] + widths[2] + widths[3] + 9;
    std::ostringstream out;
    out << "Input: " << report.input.toString() << "\n" << std::string(total, '-') << "\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out << padded(rows[r][0], widths[0], true) << "   " << padded(rows[r][1], widths[1], false)
            << "   " << padded(rows[r][2], widths[2], false) << "   "
            << padded(rows[r][3], widths[3], true) << "\n";
        if (r == 0)
            out << std::string(total, '=') << "\n";
    }
    out << std::string(total, '-') << "\n";
    out << "Total params: " << withThousands(report.totalParams()) << "\n";
    out << "Trainable params: " << withThousands(report.trainableParams()) << "\n";
    out << "Non-trainable params: " << withThousands(report.nonTrainableParams()) << "\n";
    char flops[64];
    std::snprintf(flops, sizeof flops, "Forward pass: %.2f MFLOP per image\n",
                  double(report.forwardFlops()) / 1e6);
    out << flops;
    return out.str();
}

} // namespace atelier
