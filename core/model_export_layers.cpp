// Reading a trained network out of LibTorch into the exporters' plain description.
#include "dataset.h"
#include "internal/exported_model.h"
#include "internal/layer_modules.h"
#include "internal/network_impl.h"
#include "model_analysis.h"
#include "normalization.h"

#include <sstream>

namespace atelier {
namespace {

ExportTensor tensorOf(const torch::Tensor& tensor)
{
    ExportTensor result;
    if (!tensor.defined())
        return result;
    // Contiguous in the default order: channels-last kernels come out OIHW, as ONNX wants.
    const torch::Tensor values = tensor.detach()
                                     .to(torch::kCPU, torch::kFloat32)
                                     .contiguous(torch::MemoryFormat::Contiguous);
    result.shape = values.sizes().vec();
    result.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    return result;
}

// The tensor of a block whose name ends in `.suffix` (or is `suffix`): parameters and buffers
// sit one or two modules deep depending on the layer's module.
torch::Tensor blockTensor(const torch::nn::Sequential& block, const std::string& suffix)
{
    const auto matches = [&](const std::string& key) {
        return key == suffix ||
               (key.size() > suffix.size() &&
                key.compare(key.size() - suffix.size() - 1, std::string::npos, "." + suffix) == 0);
    };
    for (const auto& parameter : block->named_parameters(true))
        if (matches(parameter.key()))
            return parameter.value();
    for (const auto& buffer : block->named_buffers(true))
        if (matches(buffer.key()))
            return buffer.value();
    return {};
}

std::string shapeText(const std::vector<std::int64_t>& dims)
{
    std::ostringstream text;
    for (std::size_t i = 0; i < dims.size(); ++i)
        text << (i ? "x" : "") << dims[i];
    return text.str();
}

ExportedLayer describeLayer(const LayerSpec& spec, const TensorShape& in, const TensorShape& out,
                            const torch::nn::Sequential& block);

std::vector<ExportedLayer> describePath(const std::vector<LayerSpec>& layers,
                                        const TensorShape& in,
                                        const std::vector<torch::nn::Sequential>& blocks)
{
    const std::vector<LayerReport> reports = analyzeLayerParts(layers, in);
    std::vector<ExportedLayer> path;
    TensorShape current = in;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        path.push_back(describeLayer(layers[i], current, reports.at(i).output, blocks.at(i)));
        current = reports[i].output;
    }
    return path;
}

ExportedLayer describeLayer(const LayerSpec& spec, const TensorShape& in, const TensorShape& out,
                            const torch::nn::Sequential& block)
{
    ExportedLayer layer;
    layer.spec = spec;
    layer.input = in;
    layer.output = out;
    layer.pad = layerPadding(spec, in);
    if (spec.type == LayerType::Dense || spec.type == LayerType::Conv2D ||
        spec.type == LayerType::BatchNorm) {
        layer.weight = tensorOf(blockTensor(block, "weight"));
        layer.bias = tensorOf(blockTensor(block, "bias"));
    }
    if (spec.type == LayerType::BatchNorm) {
        layer.runningMean = tensorOf(blockTensor(block, "running_mean"));
        layer.runningVariance = tensorOf(blockTensor(block, "running_var"));
    }
    if (spec.type == LayerType::Residual) {
        const auto& residual = *block->ptr(0)->as<modules::ResidualBlockImpl>();
        const ResidualParts parts = residualParts(spec, in.dims[0]);
        layer.residualMain = describePath(parts.main, in, residual.main);
        layer.residualShortcut = describePath(parts.shortcut, in, residual.shortcut);
    }
    return layer;
}

} // namespace

std::vector<float> realCellFactors(const ExportedLayer& layer)
{
    const LayerSpec& spec = layer.spec;
    const std::int64_t inH = layer.input.dims[1], inW = layer.input.dims[2];
    const std::int64_t outH = layer.output.dims[1], outW = layer.output.dims[2];
    const auto covered = [](std::int64_t start, int window, std::int64_t size) {
        return std::min(start + window, size) - std::max<std::int64_t>(start, 0);
    };
    std::vector<float> factors;
    for (std::int64_t oh = 0; oh < outH; ++oh)
        for (std::int64_t ow = 0; ow < outW; ++ow) {
            const std::int64_t rows = covered(oh * spec.stride.h - layer.pad.top, spec.pool.h, inH);
            const std::int64_t cols =
                covered(ow * spec.stride.w - layer.pad.left, spec.pool.w, inW);
            factors.push_back(float(spec.pool.h * spec.pool.w) / float(rows * cols));
        }
    return factors;
}

ExportedModel describeForExport(const Network& network, const PixelTransform& transform)
{
    const auto& module = network.impl().module;
    const ModelSpec& spec = network.impl().spec;
    const ModelReport report = analyzeModel(spec, kNumClasses);
    ExportedModel model;
    model.networkInput = report.input.dims;
    model.inputScale = transform.scale * 255.0f;
    model.inputShift = transform.shift;
    TensorShape in = report.input;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        model.layers.push_back(
            describeLayer(spec.layers[i], in, report.layers[i].output, module->blocks.at(i)));
        in = report.layers[i].output;
    }
    std::string classNames;
    for (const std::string& name : fashionMnistClassNames())
        classNames += (classNames.empty() ? "" : ",") + name;
    model.metadata = {
        {"class_names", classNames},
        {"input", "N×1×28×28 float pixels in 0..1 (0 = black background, as Fashion-MNIST)"},
        {"output", "N×" + std::to_string(kNumClasses) + " class probabilities (softmax)"},
        {"normalization", "value = pixel01 × " + std::to_string(model.inputScale) + " + " +
                              std::to_string(model.inputShift) + ", inside the model"},
        {"network_input", shapeText(model.networkInput)},
    };
    return model;
}

} // namespace atelier
