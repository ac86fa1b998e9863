// The grid, the seeded draw without replacement, and each trial's preset (see sweep_plan.h).
#include "sweep_plan.h"

#include "dataset.h"
#include "internal/sweep_yaml.h"
#include "internal/yaml_map_reader.h"
#include "model_analysis.h"
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace atelier {
namespace {

// SplitMix64: a fixed, documented generator. std::shuffle and the std distributions differ
// between standard libraries; a sweep must draw the same trials everywhere.
std::uint64_t splitMix64(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// A uniform integer in [0, bound) without modulo bias.
std::uint64_t below(std::uint64_t& state, std::uint64_t bound)
{
    const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % bound);
    std::uint64_t value;
    do
        value = splitMix64(state);
    while (value >= limit);
    return value % bound;
}

// A Fisher–Yates shuffle of 0..size-1 produced one position at a time, remembering only the
// swapped entries: the first k positions of a large grid cost O(k), and every longer draw
// with the same seed starts with the shorter one (10% of a grid is the start of its 20%).
class LazyPermutation
{
public:
    LazyPermutation(std::uint64_t size, std::uint64_t seed) : m_size(size), m_state(seed) {}
    bool done() const { return m_next >= m_size; }
    std::uint64_t next()
    {
        const std::uint64_t i = m_next++;
        const std::uint64_t j = i + below(m_state, m_size - i);
        const std::uint64_t atI = valueAt(i), atJ = valueAt(j);
        m_swapped[j] = atI;
        m_swapped.erase(i);
        return atJ;
    }

private:
    std::uint64_t valueAt(std::uint64_t position) const
    {
        const auto it = m_swapped.find(position);
        return it == m_swapped.end() ? position : it->second;
    }
    std::uint64_t m_size;
    std::uint64_t m_state;
    std::uint64_t m_next = 0;
    std::unordered_map<std::uint64_t, std::uint64_t> m_swapped;
};

struct Candidate
{
    std::vector<std::string> labels, yamls;
    std::vector<std::optional<double>> numbers;
};

// Grid point → one choice per listed parameter, the last parameter changing fastest (as
// nested loops in file order).
void putGridPoint(const SweepSpec& spec, std::uint64_t point, Candidate& candidate)
{
    for (std::size_t p = spec.parameters.size(); p-- > 0;) {
        const SweepParameter& parameter = spec.parameters[p];
        if (parameter.range)
            continue;
        const std::uint64_t count = parameter.values.size();
        const SweepValue& value = parameter.values[point % count];
        point /= count;
        candidate.labels[p] = value.label;
        candidate.yamls[p] = value.yaml;
        candidate.numbers[p] = value.number;
    }
}

// Range values of random candidate `number`: each from its own generator state, so that trial
// k's values do not depend on how many trials were asked for.
void putRangeValues(const SweepSpec& spec, std::uint64_t number, Candidate& candidate)
{
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
        const std::optional<SweepRange>& range = spec.parameters[p].range;
        if (!range)
            continue;
        std::uint64_t state =
            spec.seed ^ (0xA0761D6478BD642Full * (number + 1)) ^ (0xE7037ED1A0B428DBull * (p + 1));
        const double u = double(splitMix64(state) >> 11) * 0x1.0p-53; // [0, 1)
        double value = 0;
        std::string text;
        if (range->kind == RangeKind::Int) {
            const double span = range->high - range->low + 1;
            value = std::min(range->high, range->low + std::floor(u * span));
            text = std::to_string(static_cast<long long>(value));
        } else {
            value = range->kind == RangeKind::Uniform
                        ? range->low + u * (range->high - range->low)
                        : std::exp(std::log(range->low) +
                                   u * (std::log(range->high) - std::log(range->low)));
            // Four significant digits: readable in trials.csv, and the label is the value used.
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.4g", value);
            value = std::strtod(buffer, nullptr);
            text = buffer;
            if (value < range->low || value > range->high) { // rounded past an end
                value = std::clamp(value, range->low, range->high);
                text = shortestDouble(value);
            }
        }
        candidate.labels[p] = text;
        candidate.yamls[p] = text;
        candidate.numbers[p] = value;
    }
}

// The base preset with one value per parameter put at its paths, read as a preset. `base` is
// the parsed base, cloned here: parsing its text once per sweep instead of once per point,
// and reading the composed tree directly instead of writing and re-parsing it, makes planning
// a 2,000-trial sweep (as the Search view does when it opens one) several times faster.
PresetParseResult composePreset(const SweepSpec& spec, const YAML::Node& base,
                                const std::vector<std::string>& values)
{
    YAML::Node root = YAML::Clone(base);
    for (std::size_t p = 0; p < spec.parameters.size(); ++p)
        for (const std::string& path : spec.parameters[p].paths) {
            std::string why;
            const auto steps = detail::parseKeyPath(path, why);
            std::optional<YAML::Node> slot =
                steps ? detail::slotAt(root, *steps, why) : std::nullopt;
            if (!slot) {
                // An earlier parameter replaced what this path leads into (a sub-map choice).
                PresetParseResult result;
                PresetProblem problem;
                problem.keyPath = path;
                problem.message = "cannot be set here: " + why;
                result.problems.push_back(problem);
                return result;
            }
            // Loaded afresh for each path: tied paths must not share one node, or a later
            // parameter that sets a key inside it would change both.
            *slot = YAML::Load(values[p]);
        }
    PresetParseResult result;
    detail::ProblemList problems("sweep trial");
    detail::readPresetNode(root, problems, result.preset);
    result.problems = problems.release();
    return result;
}

// Why a composed preset cannot be trained, in words; empty when it can. `report` receives the
// model's analysis when the preset parsed (the trial needs it too: analysed once).
std::string invalidReason(const PresetParseResult& parsed, std::optional<ModelReport>& report)
{
    if (!parsed.problems.empty()) {
        const PresetProblem& problem = parsed.problems.front();
        return (problem.keyPath.empty() ? "" : problem.keyPath + ": ") + problem.message;
    }
    report = analyzeModel(parsed.preset.model, kNumClasses);
    const std::vector<std::string> errors = report->errors();
    return errors.empty() ? std::string() : errors.front();
}

class Planner
{
public:
    explicit Planner(const SweepSpec& spec) : m_spec(spec), m_base(YAML::Load(spec.baseYaml)) {}

    // Checks one candidate: a trial when it is valid, else counted under its reason.
    void consider(std::uint64_t number, const Candidate& candidate, bool wanted)
    {
        // Ranges can draw a configuration again (a narrow int range, rounding): never a
        // second trial of it.
        std::string key;
        for (const std::string& yaml : candidate.yamls)
            key += yaml + '\x1f';
        if (!m_configurations.insert(key).second)
            return;
        ++m_plan.examined;
        PresetParseResult parsed = composePreset(m_spec, m_base, candidate.yamls);
        std::optional<ModelReport> report;
        const std::string reason = invalidReason(parsed, report);
        if (!reason.empty()) {
            ++m_plan.invalid;
            auto [it, inserted] = m_reasons.try_emplace(reason);
            if (inserted)
                it->second.example = candidate.labels;
            ++it->second.count;
            return;
        }
        if (!wanted)
            return;
        TrialConfig trial;
        trial.index = int(m_plan.trials.size());
        trial.candidate = number;
        trial.labels = candidate.labels;
        trial.valueYamls = candidate.yamls;
        trial.numbers = candidate.numbers;
        trial.preset = std::move(parsed.preset);
        trial.preset.name = m_spec.name;
        trial.preset.description =
            "trial " + std::to_string(trial.index) + " of sweep " + m_spec.name;
        trial.parameters = report->totalParams();
        trial.forwardFlops = report->forwardFlops();
        m_plan.trials.push_back(std::move(trial));
    }

    SweepPlan finish()
    {
        for (auto& [reason, entry] : m_reasons) {
            entry.reason = reason;
            m_plan.invalidReasons.push_back(entry);
        }
        std::stable_sort(
            m_plan.invalidReasons.begin(), m_plan.invalidReasons.end(),
            [](const InvalidReason& a, const InvalidReason& b) { return a.count > b.count; });
        return std::move(m_plan);
    }

    SweepPlan& plan() { return m_plan; }

private:
    const SweepSpec& m_spec;
    YAML::Node m_base;
    SweepPlan m_plan;
    std::map<std::string, InvalidReason> m_reasons;
    std::unordered_set<std::string> m_configurations;
};

Candidate emptyCandidate(const SweepSpec& spec)
{
    Candidate candidate;
    candidate.labels.resize(spec.parameters.size());
    candidate.yamls.resize(spec.parameters.size());
    candidate.numbers.resize(spec.parameters.size());
    return candidate;
}

} // namespace

PresetParseResult presetForValues(const SweepSpec& spec, const std::vector<std::string>& values)
{
    return composePreset(spec, YAML::Load(spec.baseYaml), values);
}

SweepPlan planSweep(const SweepSpec& spec, InvalidCount count)
{
    Planner planner(spec);
    SweepPlan& plan = planner.plan();
    for (const SweepParameter& parameter : spec.parameters)
        if (!parameter.range)
            plan.gridPoints *= parameter.values.size();
    plan.continuous = spec.hasRanges();
    Candidate candidate = emptyCandidate(spec);

    if (spec.method == SweepMethod::Grid) {
        plan.requested = plan.gridPoints;
        for (std::uint64_t point = 0; point < plan.gridPoints; ++point) {
            putGridPoint(spec, point, candidate);
            planner.consider(point, candidate, true);
        }
        if (plan.invalid > 0)
            plan.shortfall = withThousands(std::int64_t(plan.invalid)) + " of the " +
                             withThousands(std::int64_t(plan.gridPoints)) +
                             " grid points are not trainable models and are left out";
        return planner.finish();
    }

    plan.requested =
        spec.trials > 0
            ? std::uint64_t(spec.trials)
            : std::max<std::uint64_t>(
                  1, std::uint64_t(std::floor(spec.fraction * double(plan.gridPoints) + 1e-9)));
    LazyPermutation permutation(plan.gridPoints, spec.seed);
    std::vector<std::uint64_t> drawn; // the permutation so far, reused when ranges repeat it
    // With ranges, the grid part repeats once every point was drawn; give up on a space
    // where almost nothing is valid rather than search forever.
    const std::uint64_t maxCandidates =
        plan.continuous ? plan.requested * 100 + 1000 : plan.gridPoints;
    std::uint64_t number = 0;
    for (; number < maxCandidates && plan.trials.size() < plan.requested; ++number) {
        if (!permutation.done())
            drawn.push_back(permutation.next());
        putGridPoint(spec, drawn[number % drawn.size()], candidate);
        putRangeValues(spec, number, candidate);
        planner.consider(number, candidate, true);
    }
    if (plan.trials.size() < plan.requested)
        plan.shortfall = "asked for " + withThousands(std::int64_t(plan.requested)) +
                         " trials; the space has only " +
                         withThousands(std::int64_t(plan.trials.size())) +
                         " valid points: all of them run";
    if (count == InvalidCount::WholeGrid && !plan.continuous &&
        plan.gridPoints <= kMaxCheckedGridPoints)
        while (!permutation.done()) {
            putGridPoint(spec, permutation.next(), candidate);
            planner.consider(number++, candidate, false);
        }
    return planner.finish();
}

std::string describeTrial(const SweepSpec& spec, const TrialConfig& trial)
{
    std::string text;
    for (std::size_t p = 0; p < spec.parameters.size(); ++p)
        text += (p ? " " : "") + spec.parameters[p].name + "=" + trial.labels[p];
    return text;
}

} // namespace atelier
