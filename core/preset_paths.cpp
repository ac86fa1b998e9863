// Key paths in a preset's YAML text (see preset_paths.h), on the sweep reader's helpers.
#include "preset_paths.h"

#include "internal/sweep_yaml.h"

namespace atelier {

std::vector<std::string> presetKeyPaths(const std::string& presetYaml)
{
    try {
        return detail::keyPathsIn(YAML::Load(presetYaml));
    } catch (const YAML::Exception&) {
        return {};
    }
}

std::optional<std::string> presetValueAt(const std::string& presetYaml, const std::string& keyPath)
{
    try {
        std::string why;
        const auto steps = detail::parseKeyPath(keyPath, why);
        if (!steps)
            return std::nullopt;
        // slotAt adds a missing last key as a null node (a sweep may add it): not a value here.
        const std::optional<YAML::Node> node = detail::slotAt(YAML::Load(presetYaml), *steps, why);
        if (!node || !node->IsDefined() || node->IsNull())
            return std::nullopt;
        return detail::flowYaml(*node);
    } catch (const YAML::Exception&) {
        return std::nullopt;
    }
}

} // namespace atelier
