// Evaluating a trained network on a set of images (the test set for `atelier-cli eval`).
#pragma once

#include "metrics.h"
#include "network.h"
#include "normalization.h"
#include "runtime.h"

namespace atelier {

Evaluation evaluateNetwork(Network& network, const ImageSet& set, const IndexList& indices,
                           const PixelTransform& transform, const DeviceInfo& device);

// Softmax probabilities of every image, count × kNumClasses row-major, in eval mode: what
// `predict`, the studio's Try Images panel and the export cross-checks compare.
std::vector<float> classProbabilities(Network& network, const ImageSet& set,
                                      const IndexList& indices, const PixelTransform& transform,
                                      const DeviceInfo& device);

} // namespace atelier
