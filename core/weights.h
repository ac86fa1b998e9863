// Saving and loading network weights with an architecture fingerprint. LibTorch would load
// weights into a module of another shape without complaint in some cases; the fingerprint
// check refuses that with a message instead.
#pragma once

#include "model_spec.h"
#include "network.h"

#include <string>

namespace atelier {

// A hash of what determines the parameter set and its meaning: input shape and, per layer,
// type, sizes, strides, padding, dilation, bias use and activation. Names, initializers,
// dropout rates and BatchNorm momentum do not change it.
std::string architectureFingerprint(const ModelSpec& spec);

// Writes atomically; the file holds the fingerprint next to the tensors.
void saveWeights(const Network& network, const std::string& path);

// Throws ModelError when the file was saved for another architecture, InputError when it
// cannot be read.
void loadWeights(Network& network, const std::string& path);

} // namespace atelier
