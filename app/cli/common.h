// Helpers shared by the subcommands: presets with their model checked, and option checks
// that say the accepted range in plain numbers and never clamp a value silently.
#pragma once

#include "core/preset.h"

#include <CLI/CLI.hpp>
#include <string>

namespace atelier::cli {

// Loads a preset and checks its model, including that training it at the preset's batch size
// fits this machine's memory; throws InputError "PATH: layer N type: reason" or
// "PATH: model: needs about ...".
Preset loadTrainablePreset(const std::string& path);

// The same checks for a preset already loaded (after command-line overrides of the batch
// size or the optimizer).
void checkTrainable(const Preset& preset, const std::string& path);

enum class Bound
{
    Inclusive,
    Exclusive,
};

// A whole number in [min, max]. Anything else (a fraction, a word, a number too large for
// any integer type) fails with "--name: 'text' is not a whole number from 1 to 10,000".
CLI::Validator integerIn(long long min, long long max);

// A finite number between min and max: "... is not a number above 0 up to 0.9".
CLI::Validator numberIn(double min, double max, Bound minBound = Bound::Inclusive,
                        Bound maxBound = Bound::Inclusive);

// Refuses an explicitly empty value: `--out ""` would otherwise mean "/" or the default.
CLI::Validator nonEmpty();

} // namespace atelier::cli
