// Helpers shared by the subcommands that load presets and data.
#pragma once

#include "core/preset.h"

#include <string>

namespace atelier::cli {

// Loads a preset and checks its model; throws InputError "PATH: layer N type: reason".
Preset loadTrainablePreset(const std::string& path);

} // namespace atelier::cli
