// Key paths in a preset's YAML text, spelled as sweeps name them ("model.layers[2].units",
// list positions from 1): the studio's Search view offers the paths of its base preset and
// starts a parameter from the value found at one.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace atelier {

// Every key path in the preset (mappings and list items, to any depth), in document order;
// empty when the text is not YAML.
std::vector<std::string> presetKeyPaths(const std::string& presetYaml);

// The value at `keyPath` as one line of flow YAML ("64", "{type: adam, learning_rate:
// 0.001}"); nullopt when the preset has no such key or the text is not YAML.
std::optional<std::string> presetValueAt(const std::string& presetYaml, const std::string& keyPath);

} // namespace atelier
