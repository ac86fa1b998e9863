// Private to core: the preset schema of one layer, read and written in one place so that
// the two cannot drift apart.
#pragma once

#include "../model_spec.h"
#include "yaml_map_reader.h"

namespace atelier::detail {

LayerSpec readLayer(const YAML::Node& node, const std::string& path, ProblemList& problems);
void writeLayer(YAML::Emitter& out, const LayerSpec& layer);

} // namespace atelier::detail
