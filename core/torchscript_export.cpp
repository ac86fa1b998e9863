// The TorchScript writer: a scripted module whose forward() is generated TorchScript source
// over registered weight buffers, so `torch.jit.load` needs nothing of Atelier. The same
// normalisation as the ONNX graph is inside, and the output is softmax probabilities.
#include "internal/exported_model.h"

#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <torch/script.h>

namespace atelier {
namespace {

// A float literal that TorchScript parses back to the same float.
std::string literal(double value)
{
    if (value == -std::numeric_limits<double>::infinity())
        return "float(\"-inf\")";
    char text[40];
    std::snprintf(text, sizeof text, "%.9g", value);
    std::string result = text;
    if (result.find_first_of(".eE") == std::string::npos)
        result += ".0";
    return result;
}

std::string integerList(std::initializer_list<std::int64_t> values)
{
    std::string text = "[";
    for (std::int64_t v : values)
        text += (text.size() > 1 ? ", " : "") + std::to_string(v);
    return text + "]";
}

torch::Tensor tensorFrom(const ExportTensor& tensor)
{
    return torch::tensor(tensor.values, torch::kFloat32).reshape(tensor.shape);
}

class ScriptWriter
{
public:
    explicit ScriptWriter(torch::jit::Module& module) : m_module(module) {}

    void layer(const ExportedLayer& layer, std::size_t index)
    {
        this->layer(layer, "layer" + std::to_string(index + 1) + "_");
    }

    // `prefix` starts the name of every buffer and variable of the layer.
    void layer(const ExportedLayer& layer, const std::string& prefix)
    {
        const LayerSpec& spec = layer.spec;
        const PadAmounts& pad = layer.pad;
        const bool asymmetric = !pad.symmetric();
        const std::int64_t padH = asymmetric ? 0 : pad.top, padW = asymmetric ? 0 : pad.left;
        switch (spec.type) {
        case LayerType::Dense: {
            const std::string w = buffer(prefix + "weight", tensorFrom(layer.weight));
            if (layer.bias.defined())
                line("x = torch.addmm(" + buffer(prefix + "bias", tensorFrom(layer.bias)) +
                     ", x, " + w + ".t())");
            else
                line("x = torch.mm(x, " + w + ".t())");
            break;
        }
        case LayerType::Conv2D: {
            if (asymmetric)
                padLine(pad, 0.0);
            const std::string w = buffer(prefix + "weight", tensorFrom(layer.weight));
            const std::string b =
                layer.bias.defined() ? buffer(prefix + "bias", tensorFrom(layer.bias)) : "None";
            line("x = torch.conv2d(x, " + w + ", " + b + ", " +
                 integerList({spec.stride.h, spec.stride.w}) + ", " + integerList({padH, padW}) +
                 ", " + integerList({spec.dilation.h, spec.dilation.w}) + ", 1)");
            break;
        }
        case LayerType::MaxPool2D:
            if (asymmetric)
                padLine(pad, -std::numeric_limits<double>::infinity());
            line("x = torch.max_pool2d(x, " + integerList({spec.pool.h, spec.pool.w}) + ", " +
                 integerList({spec.stride.h, spec.stride.w}) + ", " + integerList({padH, padW}) +
                 ", [1, 1], False)");
            break;
        case LayerType::AvgPool2D:
            if (asymmetric)
                padLine(pad, 0.0);
            // ceil_mode False, count_include_pad False (Keras's average over real cells)
            line("x = torch.avg_pool2d(x, " + integerList({spec.pool.h, spec.pool.w}) + ", " +
                 integerList({spec.stride.h, spec.stride.w}) + ", " + integerList({padH, padW}) +
                 ", False, False)");
            if (asymmetric) {
                const auto& out = layer.output.dims;
                const torch::Tensor factors = torch::tensor(realCellFactors(layer), torch::kFloat32)
                                                  .reshape({1, 1, out[1], out[2]});
                line("x = x * " + buffer(prefix + "real_cells", factors));
            }
            break;
        case LayerType::BatchNorm:
            line("x = torch.batch_norm(x, " + buffer(prefix + "gamma", tensorFrom(layer.weight)) +
                 ", " + buffer(prefix + "beta", tensorFrom(layer.bias)) + ", " +
                 buffer(prefix + "mean", tensorFrom(layer.runningMean)) + ", " +
                 buffer(prefix + "variance", tensorFrom(layer.runningVariance)) + ", False, 0.0, " +
                 literal(layer.spec.epsilon) + ", False)");
            break;
        case LayerType::Flatten:
            line("x = torch.flatten(x, 1)");
            break;
        case LayerType::Residual: // x is the block's input along both paths; then their sum
            line(prefix + "input = x");
            for (std::size_t i = 0; i < layer.residualMain.size(); ++i)
                this->layer(layer.residualMain[i], prefix + "main" + std::to_string(i + 1) + "_");
            line(prefix + "main = x");
            line("x = " + prefix + "input");
            for (std::size_t i = 0; i < layer.residualShortcut.size(); ++i)
                this->layer(layer.residualShortcut[i],
                            prefix + "shortcut" + std::to_string(i + 1) + "_");
            line("x = " + prefix + "main + x");
            break;
        case LayerType::Dropout: // identity at inference
        case LayerType::Activation:
        case LayerType::Invalid:
            break;
        }
        if (hasActivation(spec.type))
            activation(spec.activation);
    }

    void line(const std::string& code) { m_source << "    " << code << "\n"; }
    std::string source() const { return m_source.str(); }

private:
    std::string buffer(const std::string& name, const torch::Tensor& value)
    {
        m_module.register_buffer(name, value);
        return "self." + name;
    }

    void padLine(const PadAmounts& pad, double fill)
    {
        line("x = torch.constant_pad_nd(x, " +
             integerList({pad.left, pad.right, pad.top, pad.bottom}) + ", " + literal(fill) + ")");
    }

    void activation(ActivationKind kind)
    {
        switch (kind) {
        case ActivationKind::Relu:
            line("x = torch.relu(x)");
            break;
        case ActivationKind::Sigmoid:
            line("x = torch.sigmoid(x)");
            break;
        case ActivationKind::Tanh:
            line("x = torch.tanh(x)");
            break;
        case ActivationKind::Elu:
            line("x = torch.elu(x, 1.0)");
            break;
        case ActivationKind::LeakyRelu:
            line("x = torch.leaky_relu(x, 0.01)");
            break;
        case ActivationKind::Linear:
        case ActivationKind::Softmax: // the final softmax below
            break;
        }
    }

    torch::jit::Module& m_module;
    std::ostringstream m_source;
};

} // namespace

std::string torchScriptModelBytes(const ExportedModel& model)
{
    torch::jit::Module module("__torch__.atelier.Classifier");
    ScriptWriter writer(module);
    writer.line("x = pixels * " + literal(model.inputScale) + " + " + literal(model.inputShift));
    if (model.networkInput.size() == 1) // an MLP reads the image as one row of 784 values
        writer.line("x = torch.flatten(x, 1)");
    for (std::size_t i = 0; i < model.layers.size(); ++i)
        writer.layer(model.layers[i], i);
    writer.line(model.probabilities ? "return torch.softmax(x, 1)" : "return x");
    module.define("def forward(self, pixels):\n" + writer.source());
    module.eval();

    // Metadata travels as an extra file in the archive (torch.jit.load(_extra_files=...)).
    nlohmann::json metadata = nlohmann::json::object();
    for (const auto& [key, value] : model.metadata)
        metadata[key] = value;
    torch::jit::ExtraFilesMap extra = {
        {"atelier.json", metadata.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)}};
    std::ostringstream bytes;
    module.save(bytes, extra);
    return bytes.str();
}

} // namespace atelier
