// The ONNX writer: the ONNX project's own protobuf classes and checker (Debian's libonnx-dev),
// no hand-written encoding. Opset 13, every layer type Atelier offers, the normalisation as
// the graph's first two nodes, a dynamic batch size and softmax probabilities as the output.
#include "errors.h"
#include "internal/exported_model.h"
#include "model_export.h"
#include "version_info.h"

#include <limits>
#include <utility>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

namespace atelier {
namespace {

// What the graph is built against: the same numbers in the file and in docs/model-export.md.
constexpr std::int64_t kIrVersion = 7; // ONNX 1.8+; opset 13 needs at least 7

class GraphBuilder
{
public:
    explicit GraphBuilder(onnx::GraphProto& graph) : m_graph(graph) {}

    std::string constant(const std::string& name, const std::vector<std::int64_t>& shape,
                         const std::vector<float>& values)
    {
        onnx::TensorProto* tensor = m_graph.add_initializer();
        tensor->set_name(name);
        tensor->set_data_type(onnx::TensorProto::FLOAT);
        for (std::int64_t d : shape)
            tensor->add_dims(d);
        tensor->mutable_float_data()->Add(values.begin(), values.end());
        return name;
    }

    std::string constant(const std::string& name, const ExportTensor& tensor)
    {
        return constant(name, tensor.shape, tensor.values);
    }

    std::string integers(const std::string& name, const std::vector<std::int64_t>& values)
    {
        onnx::TensorProto* tensor = m_graph.add_initializer();
        tensor->set_name(name);
        tensor->set_data_type(onnx::TensorProto::INT64);
        tensor->add_dims(std::int64_t(values.size()));
        tensor->mutable_int64_data()->Add(values.begin(), values.end());
        return name;
    }

    // Adds a node with one output named `output` and returns that name.
    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                          const std::string& output)
    {
        onnx::NodeProto* node = m_graph.add_node();
        node->set_op_type(op);
        node->set_name(output);
        for (const std::string& input : inputs)
            node->add_input(input);
        node->add_output(output);
        return *node;
    }

    static void attribute(onnx::NodeProto& node, const std::string& name,
                          const std::vector<std::int64_t>& values)
    {
        onnx::AttributeProto* a = node.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INTS);
        a->mutable_ints()->Add(values.begin(), values.end());
    }
    static void attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value)
    {
        onnx::AttributeProto* a = node.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(value);
    }
    static void attribute(onnx::NodeProto& node, const std::string& name, float value)
    {
        onnx::AttributeProto* a = node.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(value);
    }

private:
    onnx::GraphProto& m_graph;
};

void describeValue(onnx::ValueInfoProto& value, const std::string& name,
                   const std::vector<std::int64_t>& dimsAfterBatch)
{
    value.set_name(name);
    auto* tensor = value.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tensor->mutable_shape();
    shape->add_dim()->set_dim_param("N"); // any batch size
    for (std::int64_t d : dimsAfterBatch)
        shape->add_dim()->set_dim_value(d);
}

// ONNX pads list: all starts, then all ends, over N, C, H, W.
std::vector<std::int64_t> padList(const PadAmounts& pad)
{
    return {0, 0, pad.top, pad.left, 0, 0, pad.bottom, pad.right};
}

class LayerWriter
{
public:
    LayerWriter(GraphBuilder& graph, const ExportedLayer& layer, std::size_t index)
        : LayerWriter(graph, layer, "layer" + std::to_string(index + 1) + "_")
    {}
    // `prefix` starts the name of every node and constant of the layer.
    LayerWriter(GraphBuilder& graph, const ExportedLayer& layer, std::string prefix)
        : g(graph), m_layer(layer), m_prefix(std::move(prefix))
    {}

    std::string write(std::string x)
    {
        const LayerSpec& spec = m_layer.spec;
        switch (spec.type) {
        case LayerType::Dense:
            x = dense(x);
            break;
        case LayerType::Conv2D:
            x = convolution(x);
            break;
        case LayerType::MaxPool2D:
            x = maxPool(x);
            break;
        case LayerType::AvgPool2D:
            x = averagePool(x);
            break;
        case LayerType::BatchNorm:
            x = batchNorm(x);
            break;
        case LayerType::Residual:
            x = residual(x);
            break;
        case LayerType::Flatten:
            GraphBuilder::attribute(g.node("Flatten", {x}, name("flatten")), "axis",
                                    std::int64_t(1));
            x = name("flatten");
            break;
        case LayerType::Dropout: // identity at inference
        case LayerType::Activation:
        case LayerType::Invalid:
            break;
        }
        if (hasActivation(spec.type))
            x = activation(x, spec.activation);
        return x;
    }

private:
    std::string name(const std::string& what) const { return m_prefix + what; }

    // The layer's bias, or zeros where it has none: Gemm and Conv then take the same inputs.
    std::string biasOrZeros(std::int64_t count)
    {
        if (m_layer.bias.defined())
            return g.constant(name("bias"), m_layer.bias);
        return g.constant(name("bias"), {count}, std::vector<float>(std::size_t(count), 0.0f));
    }

    std::string dense(const std::string& x)
    {
        auto& node =
            g.node("Gemm",
                   {x, g.constant(name("weight"), m_layer.weight), biasOrZeros(m_layer.spec.units)},
                   name("dense"));
        GraphBuilder::attribute(node, "transB", std::int64_t(1));
        return name("dense");
    }

    // Asymmetric padding ("same" with the extra cell at the end) as its own node; symmetric
    // padding stays the layer's attribute, which every runtime supports.
    std::string explicitPad(const std::string& x, float fill)
    {
        g.node("Pad",
               {x, g.integers(name("pads"), padList(m_layer.pad)),
                g.constant(name("pad_value"), {}, {fill})},
               name("pad"));
        return name("pad");
    }

    std::vector<std::int64_t> symmetricPads() const
    {
        if (!m_layer.pad.symmetric())
            return {0, 0, 0, 0};
        return {m_layer.pad.top, m_layer.pad.left, m_layer.pad.bottom, m_layer.pad.right};
    }

    std::string convolution(std::string x)
    {
        const LayerSpec& spec = m_layer.spec;
        if (!m_layer.pad.symmetric())
            x = explicitPad(x, 0.0f);
        auto& node = g.node(
            "Conv", {x, g.constant(name("weight"), m_layer.weight), biasOrZeros(spec.filters)},
            name("conv"));
        GraphBuilder::attribute(node, "kernel_shape", {spec.kernel.h, spec.kernel.w});
        GraphBuilder::attribute(node, "strides", {spec.stride.h, spec.stride.w});
        GraphBuilder::attribute(node, "dilations", {spec.dilation.h, spec.dilation.w});
        GraphBuilder::attribute(node, "pads", symmetricPads());
        GraphBuilder::attribute(node, "group", std::int64_t(1));
        return name("conv");
    }

    std::string maxPool(std::string x)
    {
        const LayerSpec& spec = m_layer.spec;
        if (!m_layer.pad.symmetric())
            x = explicitPad(x, -std::numeric_limits<float>::infinity());
        auto& node = g.node("MaxPool", {x}, name("max_pool"));
        GraphBuilder::attribute(node, "kernel_shape", {spec.pool.h, spec.pool.w});
        GraphBuilder::attribute(node, "strides", {spec.stride.h, spec.stride.w});
        GraphBuilder::attribute(node, "pads", symmetricPads());
        return name("max_pool");
    }

    // ONNX's AveragePool leaves padded cells out of the mean (count_include_pad 0) at either
    // end, which is Keras's rule, so asymmetric "same" padding needs no extra node here.
    std::string averagePool(const std::string& x)
    {
        const LayerSpec& spec = m_layer.spec;
        const PadAmounts& pad = m_layer.pad;
        auto& node = g.node("AveragePool", {x}, name("avg_pool"));
        GraphBuilder::attribute(node, "kernel_shape", {spec.pool.h, spec.pool.w});
        GraphBuilder::attribute(node, "strides", {spec.stride.h, spec.stride.w});
        GraphBuilder::attribute(node, "pads", {pad.top, pad.left, pad.bottom, pad.right});
        GraphBuilder::attribute(node, "count_include_pad", std::int64_t(0));
        return name("avg_pool");
    }

    std::string batchNorm(const std::string& x)
    {
        auto& node = g.node("BatchNormalization",
                            {x, g.constant(name("gamma"), m_layer.weight),
                             g.constant(name("beta"), m_layer.bias),
                             g.constant(name("mean"), m_layer.runningMean),
                             g.constant(name("variance"), m_layer.runningVariance)},
                            name("batch_norm"));
        GraphBuilder::attribute(node, "epsilon", float(m_layer.spec.epsilon));
        return name("batch_norm");
    }

    // Both paths from x, then their sum; the block's activation follows, as any layer's.
    std::string residual(const std::string& x)
    {
        const auto along = [&](const std::vector<ExportedLayer>& path, const std::string& what) {
            std::string y = x;
            for (std::size_t i = 0; i < path.size(); ++i)
                y = LayerWriter(g, path[i], name(what + std::to_string(i + 1) + "_")).write(y);
            return y;
        };
        g.node("Add",
               {along(m_layer.residualMain, "main"), along(m_layer.residualShortcut, "shortcut")},
               name("add"));
        return name("add");
    }

    std::string activation(const std::string& x, ActivationKind kind)
    {
        switch (kind) {
        case ActivationKind::Relu:
            g.node("Relu", {x}, name("relu"));
            return name("relu");
        case ActivationKind::Sigmoid:
            g.node("Sigmoid", {x}, name("sigmoid"));
            return name("sigmoid");
        case ActivationKind::Tanh:
            g.node("Tanh", {x}, name("tanh"));
            return name("tanh");
        case ActivationKind::Elu:
            GraphBuilder::attribute(g.node("Elu", {x}, name("elu")), "alpha", 1.0f);
            return name("elu");
        case ActivationKind::LeakyRelu:
            GraphBuilder::attribute(g.node("LeakyRelu", {x}, name("leaky_relu")), "alpha", 0.01f);
            return name("leaky_relu");
        case ActivationKind::Linear:
        case ActivationKind::Softmax: // the graph's final softmax
            return x;
        }
        return x;
    }

    GraphBuilder& g;
    const ExportedLayer& m_layer;
    std::string m_prefix;
};

} // namespace

std::string onnxModelBytes(const ExportedModel& model)
{
    onnx::ModelProto proto;
    proto.set_ir_version(kIrVersion);
    proto.set_producer_name("Atelier");
    proto.set_producer_version(atelierVersion());
    proto.set_doc_string("An image classifier trained in Atelier on Fashion-MNIST. Input: "
                         "N×1×28×28 pixels in 0..1, white garment on black. Output: class "
                         "probabilities; class names in the metadata.");
    onnx::OperatorSetIdProto* opset = proto.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    for (const auto& [key, value] : model.metadata) {
        onnx::StringStringEntryProto* entry = proto.add_metadata_props();
        entry->set_key(key);
        entry->set_value(value);
    }

    onnx::GraphProto& graph = *proto.mutable_graph();
    graph.set_name("atelier_classifier");
    describeValue(*graph.add_input(), "pixels", exportedImageShape());
    GraphBuilder g(graph);
    g.node("Mul", {"pixels", g.constant("input_scale", {}, {model.inputScale})}, "input_scaled");
    std::string x =
        g.node("Add", {"input_scaled", g.constant("input_shift", {}, {model.inputShift})},
               "input_normalized")
            .output(0);
    if (model.networkInput.size() == 1) { // an MLP reads the image as one row of 784 values
        GraphBuilder::attribute(g.node("Flatten", {x}, "input_flat"), "axis", std::int64_t(1));
        x = "input_flat";
    }
    for (std::size_t i = 0; i < model.layers.size(); ++i)
        x = LayerWriter(g, model.layers[i], i).write(x);
    std::vector<std::int64_t> outputDims = model.layers.back().output.dims;
    if (model.probabilities) {
        GraphBuilder::attribute(g.node("Softmax", {x}, "probabilities"), "axis", std::int64_t(1));
    } else {
        g.node("Identity", {x}, "probabilities");
    }
    describeValue(*graph.add_output(), "probabilities", outputDims);

    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception& e) {
        // A graph this writer built wrong is our bug, not the user's input.
        throw std::runtime_error(std::string("the ONNX checker refused the exported graph: ") +
                                 e.what());
    }
    std::string bytes;
    if (!proto.SerializeToString(&bytes))
        throw std::runtime_error("the ONNX model could not be serialized (over 2 GB?)");
    return bytes;
}

} // namespace atelier
