// From a sweep to its trials: the grid, the seeded draw, each trial's preset, and the points
// that are not a trainable model (with the reason in words). Deterministic: the same sweep
// gives the same trials in the same order on every machine, so any process (a local job, a
// Slurm array task) can rebuild trial N from the sweep folder alone.
#pragma once

#include "preset.h"
#include "sweep.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atelier {

struct TrialConfig
{
    int index = 0;                              // 0-based: folder trials/0007, Slurm array task 7
    std::uint64_t candidate = 0;                // position in the draw (grid: the grid point)
    std::vector<std::string> labels;            // per parameter, the value as shown
    std::vector<std::string> valueYamls;        // per parameter, the value put in the preset
    std::vector<std::optional<double>> numbers; // per parameter, when the value is a number
    Preset preset;
    std::int64_t parameters = 0;   // trainable + non-trainable
    std::int64_t forwardFlops = 0; // per image
};

struct InvalidReason
{
    std::string reason;               // "layer 5 max_pool2d: ..."
    std::uint64_t count = 0;          // points with this reason
    std::vector<std::string> example; // labels of the first such point
};

struct SweepPlan
{
    std::uint64_t gridPoints = 1; // combinations of the listed values (ranges not counted)
    bool continuous = false;      // some parameter is a range: the space has no finite grid
    std::uint64_t requested = 0;  // trials the sweep asks for (grid: every point)
    std::uint64_t examined = 0;   // points (or random candidates) checked
    std::uint64_t invalid = 0;    // of those, not a trainable model
    std::vector<InvalidReason> invalidReasons; // most frequent first
    std::vector<TrialConfig> trials;
    std::string shortfall; // why fewer trials than requested, in words; empty when none
};

// Grids up to this size are checked whole for invalid points (InvalidCount::WholeGrid); a
// larger one only where the draw went (a check is a preset parse and a shape inference).
constexpr std::uint64_t kMaxCheckedGridPoints = 100'000;

enum class InvalidCount
{
    DrawnPoints, // only the points the draw examined: enough for a trial process
    WholeGrid,   // also the points a random draw does not reach: what `sweep plan` shows
};

SweepPlan planSweep(const SweepSpec& spec, InvalidCount count = InvalidCount::DrawnPoints);

// The preset of one combination of values (one YAML text per parameter): problems when the
// combination is not a valid preset.
PresetParseResult presetForValues(const SweepSpec& spec, const std::vector<std::string>& values);

// "batch_size=32 optimizer=adam dropout=0.2"
std::string describeTrial(const SweepSpec& spec, const TrialConfig& trial);

} // namespace atelier
