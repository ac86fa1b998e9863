// Private to core: preset key paths ("model.layers[2].units") on yaml-cpp documents, shared
// by the sweep reader (which checks each value where it is written) and the planner (which
// builds each trial's preset from the base).
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace atelier::detail {

struct KeyPathStep
{
    std::string key; // a mapping key, or empty for an index
    long index = 0;  // 1-based list position (as model.layers[1] in preset problems)
};

// Splits "a.b[2].c"; nullopt with `why` set when the text is not a key path.
std::optional<std::vector<KeyPathStep>> parseKeyPath(const std::string& path, std::string& why);

// One spelling per path: "model.layers[02]" and "model.layers[2]" are the same key.
std::string canonicalKeyPath(const std::vector<KeyPathStep>& steps);

// Where `text` first uses a YAML alias (*name), if it does. yaml-cpp makes an alias share
// its anchor's node, so a value searched at one path would change every place sharing it.
std::optional<YAML::Mark> firstAlias(const std::string& text);

// The node at `steps` in `root`, ready to be assigned. The last key may be missing from its
// mapping (it is then added: the preset schema decides whether it may be there); anything
// else missing gives nullopt with `why` saying which part of the path does not exist.
std::optional<YAML::Node> slotAt(YAML::Node root, const std::vector<KeyPathStep>& steps,
                                 std::string& why);

// Every key path in `root` (mappings and list items, to any depth), for "closest" hints.
std::vector<std::string> keyPathsIn(const YAML::Node& root);

// One-line flow YAML of a node: "0.01", "{type: adam, learning_rate: 0.001}".
std::string flowYaml(const YAML::Node& node);

} // namespace atelier::detail
