// Private to core: the LibTorch module behind Network. Include only from core/*.cpp.
#pragma once

#include "../network.h"

#include <torch/torch.h>

namespace atelier {

// One block per spec layer (the layer plus its activation), so that per-layer outputs can
// be observed and named like the summary.
struct LayerStackImpl : torch::nn::Module
{
    std::vector<torch::nn::Sequential> blocks;
    std::vector<std::int64_t> inputShape; // without the batch dimension
    // When set, the next forward pass appends each block's output here (one per block, in
    // order), then clears the pointer: the layer statistics of a sampled batch.
    std::vector<torch::Tensor>* capturedOutputs = nullptr;
    Precision precision = Precision::Float32;

    // `x` is N×784 (or already shaped); returns the logits as float32 whatever the precision
    // (a softmax output layer is applied only when predicting, never before the loss).
    torch::Tensor forward(torch::Tensor x);

private:
    torch::Tensor forwardBlocks(torch::Tensor x);
};
TORCH_MODULE(LayerStack);

struct Network::Impl
{
    ModelSpec spec;
    LayerStack module{nullptr};
};

} // namespace atelier
