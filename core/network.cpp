// Builds LibTorch modules from a validated ModelSpec: layers, "same" padding with Keras's
// semantics (extra padding at the end, any stride), and the weight initializers.
#include "errors.h"
#include "internal/autocast_scope.h"
#include "internal/layer_modules.h"
#include "internal/network_impl.h"
#include "model_analysis.h"

#include <array>
#include <limits>
#include <utility>

namespace atelier {
namespace {

namespace F = torch::nn::functional;

using namespace modules;

void initialize(torch::Tensor weight, const Initializer& init)
{
    torch::NoGradGuard noGrad;
    namespace I = torch::nn::init;
    switch (init.kind) {
    case InitKind::HeUniform:
        I::kaiming_uniform_(weight, 0.0, torch::kFanIn, torch::kReLU);
        break;
    case InitKind::HeNormal:
        I::kaiming_normal_(weight, 0.0, torch::kFanIn, torch::kReLU);
        break;
    case InitKind::GlorotUniform:
        I::xavier_uniform_(weight);
        break;
    case InitKind::GlorotNormal:
        I::xavier_normal_(weight);
        break;
    case InitKind::Uniform:
        I::uniform_(weight, init.a, init.b);
        break;
    case InitKind::Normal:
        I::normal_(weight, init.a, init.b);
        break;
    case InitKind::Zeros:
        I::zeros_(weight);
        break;
    }
}

void appendActivation(torch::nn::Sequential& block, ActivationKind kind)
{
    switch (kind) {
    case ActivationKind::Relu:
        block->push_back(torch::nn::ReLU());
        break;
    case ActivationKind::Sigmoid:
        block->push_back(torch::nn::Sigmoid());
        break;
    case ActivationKind::Tanh:
        block->push_back(torch::nn::Tanh());
        break;
    case ActivationKind::Elu:
        block->push_back(torch::nn::ELU());
        break;
    case ActivationKind::LeakyRelu:
        block->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.01)));
        break;
    case ActivationKind::Linear:
    case ActivationKind::Softmax: // applied when predicting, never before the loss
        break;
    }
}

template <typename Layer> void initializeWeights(Layer& layer, const LayerSpec& spec)
{
    initialize(layer->weight, spec.kernelInit);
    if (spec.useBias)
        initialize(layer->bias, spec.biasInit);
}

void appendPooling(torch::nn::Sequential& block, const LayerSpec& layer, const TensorShape& in)
{
    const PadAmounts pad = padAmounts(layer, in, layer.pool, Size2::square(1));
    const auto window = torch::ExpandingArray<2>({layer.pool.h, layer.pool.w});
    const auto step = torch::ExpandingArray<2>({layer.stride.h, layer.stride.w});
    if (layer.type == LayerType::MaxPool2D) {
        block->push_back(MaxPool(std::array<std::int64_t, 2>{layer.pool.h, layer.pool.w},
                                 std::array<std::int64_t, 2>{layer.stride.h, layer.stride.w}, pad));
    } else if (pad.symmetric()) {
        block->push_back(torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(window)
                                                  .stride(step)
                                                  .padding({pad.top, pad.left})
                                                  .count_include_pad(false)));
    } else {
        block->push_back(MaskedAvgPool(pad, layer.pool, layer.stride));
    }
}

// A convolution applies its own ReLU: one pass over the output instead of three (write,
// read and write again, and the same in the backward pass).
bool fusesRelu(const LayerSpec& layer)
{
    return layer.type == LayerType::Conv2D && layer.activation == ActivationKind::Relu;
}

torch::nn::Sequential buildBlock(const LayerSpec& layer, const TensorShape& in);

// The blocks of layers applied one after the other to `in` (a residual block's path).
std::vector<torch::nn::Sequential> buildPath(const std::vector<LayerSpec>& layers,
                                             const TensorShape& in)
{
    const std::vector<LayerReport> reports = analyzeLayerParts(layers, in);
    std::vector<torch::nn::Sequential> path;
    TensorShape current = in;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        path.push_back(buildBlock(layers[i], current));
        current = reports.at(i).output;
    }
    return path;
}

torch::nn::Sequential buildBlock(const LayerSpec& layer, const TensorShape& in)
{
    torch::nn::Sequential block;
    switch (layer.type) {
    case LayerType::Dense: {
        torch::nn::Linear linear(
            torch::nn::LinearOptions(in.dims[0], layer.units).bias(layer.useBias));
        initializeWeights(linear, layer);
        block->push_back(linear);
        break;
    }
    case LayerType::Conv2D: {
        const PadAmounts pad = padAmounts(layer, in, layer.kernel, layer.dilation);
        auto options =
            torch::nn::Conv2dOptions(in.dims[0], layer.filters, {layer.kernel.h, layer.kernel.w})
                .stride({layer.stride.h, layer.stride.w})
                .dilation({layer.dilation.h, layer.dilation.w})
                .bias(layer.useBias);
        std::array<std::int64_t, 2> symmetric = {0, 0};
        if (pad.symmetric()) {
            symmetric = {pad.top, pad.left};
            options.padding(torch::ExpandingArray<2>({pad.top, pad.left}));
        } else {
            block->push_back(ConstantPad(pad, 0.0));
        }
        Convolution conv(options, symmetric, fusesRelu(layer));
        initializeWeights(conv->conv, layer);
        block->push_back(conv);
        break;
    }
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        appendPooling(block, layer, in);
        break;
    case LayerType::Dropout:
        block->push_back(Dropout(layer.rate));
        break;
    case LayerType::Flatten:
        block->push_back(torch::nn::Flatten());
        break;
    case LayerType::BatchNorm:
        if (in.isFlat())
            block->push_back(torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(in.dims[0])
                                                        .momentum(layer.momentum)
                                                        .eps(layer.epsilon)));
        else
            block->push_back(torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(in.dims[0])
                                                        .momentum(layer.momentum)
                                                        .eps(layer.epsilon)));
        break;
    case LayerType::Residual: {
        const ResidualParts parts = residualParts(layer, in.dims[0]);
        block->push_back(ResidualBlock(buildPath(parts.main, in), buildPath(parts.shortcut, in)));
        break;
    }
    case LayerType::Activation:
    case LayerType::Invalid:
        break;
    }
    if (hasActivation(layer.type) && !fusesRelu(layer))
        appendActivation(block, layer.activation);
    return block;
}

TensorStatistics statisticsOf(const torch::Tensor& tensor)
{
    TensorStatistics stats;
    if (!tensor.defined() || tensor.numel() == 0)
        return stats;
    const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kDouble);
    stats.count = values.numel();
    stats.min = values.min().item<double>();
    stats.max = values.max().item<double>();
    stats.mean = values.mean().item<double>();
    stats.stddev = stats.count > 1 ? values.std().item<double>() : 0.0;
    return stats;
}

// The parameter named `name` ("weight", "bias") of the block's first module with a weight:
// a residual block's first convolution, whose missing bias is not its batch norm's shift.
torch::Tensor blockParameter(const torch::nn::Sequential& block, const std::string& name)
{
    const std::string weight = "weight";
    const auto parameters = block->named_parameters(/*recurse=*/true);
    for (const auto& parameter : parameters) {
        const std::string& key = parameter.key();
        if (key.size() < weight.size() ||
            key.compare(key.size() - weight.size(), weight.size(), weight) != 0)
            continue;
        const std::string module = key.substr(0, key.size() - weight.size()); // "0." or ""
        const torch::Tensor* found = parameters.find(module + name);
        return found ? *found : torch::Tensor();
    }
    return {};
}

} // namespace

torch::Tensor LayerStackImpl::forward(torch::Tensor x)
{
    if (precision == Precision::Float32)
        return forwardBlocks(std::move(x));
    const AutocastScope mixed(x.device());
    return forwardBlocks(std::move(x)).to(torch::kFloat32);
}

torch::Tensor LayerStackImpl::forwardBlocks(torch::Tensor x)
{
    std::vector<std::int64_t> shape = {x.size(0)};
    shape.insert(shape.end(), inputShape.begin(), inputShape.end());
    x = x.reshape(shape);
    // Channels-last makes CPU pooling ~10x faster (vectorised over channels) and is the
    // layout of oneDNN's fast kernels and of cuDNN's tensor-core kernels.
    if (x.dim() == 4)
        x = x.contiguous(torch::MemoryFormat::ChannelsLast);
    std::vector<torch::Tensor>* captured = std::exchange(capturedOutputs, nullptr);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        // Fusing two blocks skips the first one's output, which a capture needs.
        if (!captured && i + 1 < blocks.size()) {
            if (torch::Tensor fused = fusedWithPooling(blocks[i], blocks[i + 1], x);
                fused.defined()) {
                x = fused;
                ++i;
                continue;
            }
        }
        if (!blocks[i]->is_empty())
            x = blocks[i]->forward(x);
        if (captured)
            captured->push_back(x);
    }
    return x;
}

Network::Network(const ModelSpec& spec, std::uint64_t seed) : m_impl(std::make_unique<Impl>())
{
    const ModelReport report = analyzeModel(spec, 10);
    requireValidModel(report);
    torch::manual_seed(seed);
    m_impl->spec = spec;
    m_impl->module = LayerStack();
    m_impl->module->inputShape = report.input.dims;
    TensorShape in = report.input;
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        auto block = buildBlock(spec.layers[i], in);
        m_impl->module->blocks.push_back(
            m_impl->module->register_module("block" + std::to_string(i + 1), block));
        in = report.layers[i].output;
    }
    // Channels-last convolution kernels keep every feature map channels-last, which is what
    // oneDNN convolutions and the vectorised pooling kernels want.
    for (auto& parameter : m_impl->module->parameters())
        if (parameter.dim() == 4)
            parameter.set_data(parameter.data().contiguous(torch::MemoryFormat::ChannelsLast));
}

Network::~Network() = default;

void Network::setPrecision(Precision precision)
{
    m_impl->module->precision = precision;
}

Precision Network::precision() const
{
    return m_impl->module->precision;
}

Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

std::int64_t Network::trainableParameterCount() const
{
    std::int64_t count = 0;
    for (const auto& parameter : m_impl->module->parameters())
        count += parameter.numel();
    return count;
}

std::int64_t Network::nonTrainableParameterCount() const
{
    std::int64_t count = 0;
    for (const auto& buffer : m_impl->module->named_buffers())
        if (buffer.key().find("num_batches_tracked") ==
            std::string::npos) // a counter, not a weight
            count += buffer.value().numel();
    return count;
}

TensorStatistics Network::kernelStatistics(std::size_t layerIndex) const
{
    return statisticsOf(blockParameter(m_impl->module->blocks.at(layerIndex), "weight"));
}

TensorStatistics Network::biasStatistics(std::size_t layerIndex) const
{
    return statisticsOf(blockParameter(m_impl->module->blocks.at(layerIndex), "bias"));
}

namespace {

std::vector<float> valuesOf(const torch::Tensor& tensor)
{
    if (!tensor.defined())
        return {};
    // contiguous() in the default (NCHW) order: channels-last kernels read out row-major.
    const torch::Tensor values = tensor.detach()
                                     .to(torch::kCPU, torch::kFloat32)
                                     .contiguous(torch::MemoryFormat::Contiguous);
    return std::vector<float>(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
}

} // namespace

std::vector<float> Network::kernelValues(std::size_t layerIndex) const
{
    return valuesOf(blockParameter(m_impl->module->blocks.at(layerIndex), "weight"));
}

std::vector<float> Network::biasValues(std::size_t layerIndex) const
{
    return valuesOf(blockParameter(m_impl->module->blocks.at(layerIndex), "bias"));
}

std::vector<float> Network::layerActivations(const std::vector<float>& image,
                                             std::size_t layerIndex) const
{
    auto& module = m_impl->module;
    if (layerIndex >= module->blocks.size())
        throw InputError("layer index " + std::to_string(layerIndex) + " is out of range");
    std::int64_t inputSize = 1;
    for (std::int64_t d : module->inputShape)
        inputSize *= d;
    if (std::int64_t(image.size()) != inputSize)
        throw InputError("an image needs " + std::to_string(inputSize) + " values, got " +
                         std::to_string(image.size()));
    torch::NoGradGuard noGrad;
    const bool wasTraining = module->is_training();
    module->eval();
    std::vector<std::int64_t> shape = {1};
    shape.insert(shape.end(), module->inputShape.begin(), module->inputShape.end());
    torch::Tensor x =
        torch::from_blob(const_cast<float*>(image.data()), shape, torch::kFloat32)
            .to(module->parameters().empty() ? torch::kCPU : module->parameters().front().device());
    for (std::size_t i = 0; i <= layerIndex; ++i)
        if (!module->blocks[i]->is_empty())
            x = module->blocks[i]->forward(x);
    module->train(wasTraining);
    x = x.to(torch::kCPU).contiguous();
    return std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
}

std::vector<std::vector<std::int64_t>> Network::probeLayerShapes() const
{
    torch::NoGradGuard noGrad;
    auto& module = m_impl->module;
    const bool wasTraining = module->is_training();
    module->eval();
    std::vector<std::int64_t> shape = {2};
    shape.insert(shape.end(), module->inputShape.begin(), module->inputShape.end());
    torch::Tensor x = torch::zeros(shape);
    std::vector<std::vector<std::int64_t>> shapes;
    for (auto& block : module->blocks) {
        if (!block->is_empty())
            x = block->forward(x);
        auto sizes = x.sizes().vec();
        shapes.emplace_back(sizes.begin() + 1, sizes.end());
    }
    module->train(wasTraining);
    return shapes;
}

} // namespace atelier
