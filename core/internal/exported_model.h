// Private to core: a trained network as the model exporters see it. Plain data, torch-free,
// so that the ONNX writer needs no LibTorch and both writers read the same numbers.
#pragma once

#include "../model_spec.h"
#include "same_padding.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace atelier {

class Network;
struct PixelTransform;

struct ExportTensor
{
    std::vector<std::int64_t> shape;
    std::vector<float> values; // row-major (NCHW order for convolution kernels)

    bool defined() const { return !shape.empty(); }
};

struct ExportedLayer
{
    LayerSpec spec;
    TensorShape input; // without the batch dimension
    TensorShape output;
    PadAmounts pad; // "same" padding of convolutions and pooling
    // Dense: units × inputs; Conv2D: filters × channels × kh × kw; BatchNorm: gamma.
    ExportTensor weight;
    ExportTensor bias;                         // BatchNorm: beta
    ExportTensor runningMean, runningVariance; // BatchNorm only
    // Residual: the layers of its two paths (residualParts), each described like a layer of
    // the stack; an empty shortcut is the identity. The writers add both paths, then apply
    // the block's activation.
    std::vector<ExportedLayer> residualMain, residualShortcut;
};

struct ExportedModel
{
    std::vector<std::int64_t> networkInput; // {1, 28, 28} or {784}
    // The exported graph takes pixels scaled to 0..1 and applies the run's normalisation:
    // value = pixel01 × inputScale + inputShift (= pixel255 × scale + shift).
    float inputScale = 1.0f;
    float inputShift = 0.0f;
    std::vector<ExportedLayer> layers;
    // Probabilities (softmax) as the output; false leaves the last layer's raw values, which
    // the per-layer tests compare against Atelier's forward pass.
    bool probabilities = true;
    // Stored in the exported file: class names, the preset, the run, the normalisation.
    std::vector<std::pair<std::string, std::string>> metadata;
};

// Copies the network's weights and running statistics (eval-mode numbers) out of LibTorch.
ExportedModel describeForExport(const Network& network, const PixelTransform& transform);

// An average pooling with asymmetric "same" padding averages only the real cells (Keras's
// rule, MaskedAvgPool in training). An exporter pools the zero-padded input and multiplies
// output cell (h, w) by factors[h × W + w] = window cells / real cells.
std::vector<float> realCellFactors(const ExportedLayer& layer);

// The input of the exported graphs: N×1×28×28 pixels in 0..1.
inline const std::vector<std::int64_t>& exportedImageShape()
{
    static const std::vector<std::int64_t> shape = {1, 28, 28};
    return shape;
}

// Writers: the serialized model file. A graph the ONNX checker refuses throws
// std::runtime_error (a bug here, not the user's input).
std::string onnxModelBytes(const ExportedModel& model);
std::string torchScriptModelBytes(const ExportedModel& model);

} // namespace atelier
