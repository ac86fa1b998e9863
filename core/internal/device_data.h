// Private to core: image sets as tensors on the training device, and batched evaluation.
#pragma once

#include "../metrics.h"
#include "../normalization.h"
#include "../runtime.h"
#include "network_impl.h"

namespace atelier {

struct DeviceSet
{
    torch::Tensor images;    // N×784 float32, normalized once
    torch::Tensor labels;    // N int64
    IndexList sourceIndices; // row i is image sourceIndices[i] of its ImageSet

    std::int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

torch::Device torchDevice(const DeviceInfo& device);

DeviceSet makeDeviceSet(const ImageSet& set, const IndexList& indices,
                        const PixelTransform& transform, const torch::Device& device);

// Forward-only pass in eval mode, in batches; the confusion matrix always, the list of
// misclassified images when asked.
Evaluation evaluateSet(LayerStack& module, const DeviceSet& set, bool collectMisclassified);

} // namespace atelier
