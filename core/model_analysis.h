// Shape inference and validation of a ModelSpec without building it: each layer's output
// shape and parameter count, and a plain-words reason for every layer that cannot work.
// The studio runs this after every edit; the CLI prints it as a Keras-style summary.
#pragma once

#include "model_spec.h"
#include "training_memory.h"

#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

struct TensorShape
{
    std::vector<std::int64_t> dims; // C×H×W or N; empty when unknown

    bool known() const { return !dims.empty(); }
    bool isFlat() const { return dims.size() == 1; }
    std::int64_t elements() const;
    std::string toString() const; // "32×28×28", "784", "?"
};

struct LayerReport
{
    int number = 0;   // 1-based position in the stack
    std::string name; // the spec's name or an automatic one ("conv2d_1")
    LayerType type = LayerType::Invalid;
    TensorShape output; // unknown after an invalid layer
    // Counts saturate at the largest int64 instead of wrapping.
    std::int64_t trainableParams = 0;
    std::int64_t nonTrainableParams = 0; // BatchNorm running mean and variance
    std::int64_t forwardFlops = 0;       // per image: 2 × multiply-adds of Dense and Conv2D
    // Per image, kept for the backward pass: the output, and for a Dense or Conv2D with an
    // activation also the value before it.
    std::int64_t activationElements = 0;
    std::string error; // empty when the layer is fine
};

struct ModelReport
{
    TensorShape input;
    std::vector<LayerReport> layers;
    std::vector<std::string> modelErrors; // problems of the whole stack (input, output, memory)
    // Training memory for the load the analysis was asked about; zero when the stack is
    // invalid (its size is not known then).
    MemoryEstimate memory;

    bool valid() const;
    // Sums saturate at the largest int64 instead of wrapping.
    std::int64_t trainableParams() const;
    std::int64_t nonTrainableParams() const;
    std::int64_t totalParams() const;
    // Per image: the input plus every layer's activationElements.
    std::int64_t activationElements() const;
    // Per image, forward pass only; a training step costs about three times as much.
    std::int64_t forwardFlops() const;
    // Every problem as one line: "layer 4 conv2d: ..." or "model: ...".
    std::vector<std::string> errors() const;
};

// Checks the stack and that training it fits this machine's memory at all: at batch 1 with
// plain SGD, the least any training needs. This is what the studio shows while editing.
ModelReport analyzeModel(const ModelSpec& spec, int numClasses);

// The same for a given training load against `availableBytes` (0: memory not checked). A
// model that does not fit gets a modelErrors entry "needs about ... this machine has ...".
ModelReport analyzeModel(const ModelSpec& spec, int numClasses, const TrainingLoad& load,
                         std::int64_t availableBytes);

// Throws ModelError with the first problem when the spec is invalid.
void requireValidModel(const ModelReport& report);

// A Keras-style table: layer, type, output shape, parameters, and the totals.
std::string formatSummary(const ModelReport& report);

// The reports of layers applied one after the other to `input`, such as a Residual block's
// parts (residualParts); stops after the first layer with an error.
std::vector<LayerReport> analyzeLayerParts(const std::vector<LayerSpec>& parts,
                                           const TensorShape& input);

// Output size of a convolution or pooling along one axis, or -1 when the window does not fit.
std::int64_t windowOutputSize(std::int64_t input, int kernel, int stride, int dilation,
                              Padding padding);

} // namespace atelier
