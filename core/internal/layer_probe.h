// Private to core: measures the layer statistics of layer_stats.h on a sampled training
// batch. The trainer calls, around one optimizer step:
//   beginSample() before the forward pass (the module keeps each block's output),
//   beforeStep() after backward (gradients, weights, activations; a copy of the weights),
//   afterStep() after the step (the update ratio), which returns the sample,
//   histograms() after the epoch's last step.
// Everything is computed on the training device and copied to the host once per sample.
#pragma once

#include "../layer_stats.h"
#include "network_impl.h"

namespace atelier {

class LayerProbe
{
public:
    LayerProbe(const ModelSpec& model, LayerStack module);

    const std::vector<ObservedLayer>& layers() const { return m_layers; }

    void beginSample();
    void beforeStep();
    LayerStatsSample afterStep(int epoch, int batch);
    // The weights as they are now and the gradients of the latest sample, one entry per
    // observed layer with parameters.
    std::vector<LayerHistograms> histograms(int epoch) const;

private:
    std::vector<torch::Tensor> blockParameters(const ObservedLayer& layer) const;

    LayerStack m_module;
    std::vector<ObservedLayer> m_layers;
    std::vector<torch::Tensor> m_outputs;    // per block, of the sampled batch
    std::vector<torch::Tensor> m_statistics; // per observed layer: 7 values (LayerSample)
    std::vector<std::vector<torch::Tensor>> m_weightsBefore; // per observed layer
};

} // namespace atelier
