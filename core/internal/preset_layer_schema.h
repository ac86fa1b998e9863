// Private to core: the preset schema of one layer, read and written in one place so that
// the two cannot drift apart.
#pragma once

#include "../model_spec.h"
#include "yaml_map_reader.h"

namespace atelier::detail {

LayerSpec readLayer(const YAML::Node& node, const std::string& path, ProblemList& problems);
void writeLayer(YAML::Emitter& out, const LayerSpec& layer);

// Shortest decimal text that reads back as the same double ("0.01", not "0.0100000000000000002").
std::string shortestDouble(double value);

} // namespace atelier::detail
