// A network built from a ModelSpec with LibTorch. The public face is torch-free (pimpl);
// the trainer reaches the module through internal/network_impl.h.
#pragma once

#include "model_spec.h"
#include "precision.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace atelier {

struct TensorStatistics
{
    std::int64_t count = 0; // 0 when the layer has no such tensor
    double min = 0, max = 0, mean = 0, stddev = 0;
};

class Network
{
public:
    // Builds and initialises the layers with `seed`; throws ModelError when the spec is invalid.
    Network(const ModelSpec& spec, std::uint64_t seed);
    ~Network();
    Network(Network&&) noexcept;
    Network& operator=(Network&&) noexcept;

    // How every forward pass computes (training, evaluation, predictions); float32 until set.
    // The weights stay float32 either way.
    void setPrecision(Precision precision);
    Precision precision() const;

    // Counted on the built module, independently of shape inference.
    std::int64_t trainableParameterCount() const;
    std::int64_t nonTrainableParameterCount() const; // BatchNorm running statistics

    // Runs a small zero batch through the module (eval mode, CPU) and returns each layer's
    // output shape without the batch dimension: a check of the builder against inference.
    std::vector<std::vector<std::int64_t>> probeLayerShapes() const;

    // Runs one image (784 floats, already normalized) through the layers in eval mode and
    // returns layer `layerIndex`'s output, flattened (feature maps, hidden activations).
    std::vector<float> layerActivations(const std::vector<float>& image,
                                        std::size_t layerIndex) const;

    // Statistics of a layer's kernel (weight) and bias, for initialisation checks and for
    // showing how weights evolve. `layerIndex` is 0-based.
    TensorStatistics kernelStatistics(std::size_t layerIndex) const;
    TensorStatistics biasStatistics(std::size_t layerIndex) const;
    // The values themselves, row-major as stored (dense: units × inputs; conv2d: filters ×
    // channels × kernel height × kernel width); empty when the layer has no such tensor.
    std::vector<float> kernelValues(std::size_t layerIndex) const;
    std::vector<float> biasValues(std::size_t layerIndex) const;

    struct Impl;
    Impl& impl() { return *m_impl; }
    const Impl& impl() const { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace atelier
