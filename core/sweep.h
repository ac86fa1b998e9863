// Sweep files: a base preset and a search space over its key paths (YAML, schema in
// docs/sweeps.md). Reading reports every problem as file:line:col key.path: message, the
// preset standard; each searched value is checked against the preset schema where it is
// written, so "training.batch_size: 0 is below 1" points at the 0 in the sweep file.
#pragma once

#include "preset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atelier {

enum class SweepMethod
{
    Grid,   // every point of the grid
    Random, // a seeded draw without replacement: a fraction of the grid, or a number of trials
};

enum class SweepObjective
{
    ValAccuracy, // higher is better
    ValLoss,     // lower is better
};

enum class RangeKind
{
    Uniform,    // a real number, evenly between low and high
    LogUniform, // a real number, evenly in log(low)..log(high)
    Int,        // a whole number from low to high, each equally likely
};

struct SweepRange
{
    RangeKind kind = RangeKind::Uniform;
    double low = 0, high = 0;
};

// One choice of a parameter: how trials.csv and reports show it, and the YAML value it puts
// at the parameter's paths (a scalar, or a whole mapping such as an optimizer).
struct SweepValue
{
    std::string label;
    std::string yaml;             // flow YAML of the value
    std::optional<double> number; // when the value is a number (for rank correlations)
};

struct SweepParameter
{
    std::string name;               // the column in trials.csv
    std::vector<std::string> paths; // preset key paths, one value put at each ("tied")
    std::vector<SweepValue> values; // the choices; empty when `range` is set
    std::optional<SweepRange> range;
};

struct SweepSpec
{
    std::string name;
    std::string description;
    std::string baseYaml;                   // the base preset as YAML text, resolved (never a path)
    std::vector<SweepParameter> parameters; // in file order: later ones apply after earlier
    SweepMethod method = SweepMethod::Grid;
    double fraction = 0; // random: share of the grid (0 when `trials` is given)
    int trials = 0;      // random: number of trials (0 when `fraction` is given)
    std::uint64_t seed = 1;
    SweepObjective objective = SweepObjective::ValAccuracy;

    bool hasRanges() const;
};

// Bounds that keep a hostile or mistaken sweep file cheap to reject.
constexpr std::size_t kMaxSweepBytes = 1024 * 1024;
constexpr std::uint64_t kMaxGridPoints = 10'000'000;
constexpr int kMaxSweepTrials = 100'000;
constexpr std::size_t kMaxSweepValues = 10'000; // choices of one parameter

struct SweepParseResult
{
    SweepSpec spec;
    std::vector<PresetProblem> problems;
};

// Parses sweep YAML. `baseDirectory` resolves a base preset given as a path. Never throws
// for bad content: problems are listed instead.
SweepParseResult parseSweep(const std::string& yamlText, const std::string& fileName,
                            const std::string& baseDirectory);

// Reads and parses a file; throws InputError when it cannot be read, PresetError on problems.
SweepSpec loadSweep(const std::string& path);

// The sweep with its base preset inlined: what a sweep folder keeps as sweep.yaml, so that
// every trial (a local job or a Slurm task) reads the same space from the folder alone.
std::string sweepToYaml(const SweepSpec& spec);

// Identifies the space a sweep folder was made from: base preset, parameters, method, seed
// and objective. The number of trials is left out, so a folder can grow from 10% to 20%
// (the same seed draws the 10% first).
std::string sweepFingerprint(const SweepSpec& spec);

std::string sweepObjectiveName(SweepObjective objective);
bool objectiveIsBetter(SweepObjective objective, double candidate, double incumbent);

} // namespace atelier
