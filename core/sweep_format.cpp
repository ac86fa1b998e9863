// Writing sweeps back (the resolved sweep.yaml of a sweep folder), their fingerprint, and
// the objective's direction (see sweep.h).
#include "sweep.h"
#include "text_format.h"

#include <cmath>
#include <cstdio>
#include <yaml-cpp/yaml.h>

namespace atelier {
namespace {

std::uint64_t fnv1a(const std::string& text, std::uint64_t hash = 1469598103934665603ull)
{
    for (const unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

std::string rangeKindName(RangeKind kind)
{
    return kind == RangeKind::Uniform      ? "uniform"
           : kind == RangeKind::LogUniform ? "log_uniform"
                                           : "int";
}

} // namespace

bool SweepSpec::hasRanges() const
{
    return std::any_of(parameters.begin(), parameters.end(),
                       [](const SweepParameter& p) { return p.range.has_value(); });
}

std::string sweepToYaml(const SweepSpec& spec)
{
    YAML::Emitter out;
    out << YAML::Comment("Atelier sweep, resolved: the base preset inline (docs/sweeps.md)");
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << spec.name;
    if (!spec.description.empty())
        out << YAML::Key << "description" << YAML::Value << spec.description;
    out << YAML::Key << "method" << YAML::Value
        << (spec.method == SweepMethod::Grid ? "grid" : "random");
    if (spec.method == SweepMethod::Random) {
        if (spec.fraction > 0)
            out << YAML::Key << "fraction" << YAML::Value << shortestDouble(spec.fraction);
        else
            out << YAML::Key << "trials" << YAML::Value << spec.trials;
    }
    out << YAML::Key << "seed" << YAML::Value << spec.seed;
    out << YAML::Key << "objective" << YAML::Value << sweepObjectiveName(spec.objective);
    out << YAML::Key << "base" << YAML::Value << YAML::Load(spec.baseYaml);
    out << YAML::Key << "space" << YAML::Value << YAML::BeginMap;
    for (const SweepParameter& parameter : spec.parameters) {
        out << YAML::Key << parameter.name << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "paths" << YAML::Value << YAML::Flow << parameter.paths;
        if (parameter.range) {
            // An int range's ends as integers: shortestDouble(40) is "4e+01", which the
            // reader refuses as an integer.
            const auto end = [&](double value) {
                return parameter.range->kind == RangeKind::Int
                           ? std::to_string(static_cast<long long>(value))
                           : shortestDouble(value);
            };
            out << YAML::Key << rangeKindName(parameter.range->kind) << YAML::Value << YAML::Flow
                << YAML::BeginSeq << end(parameter.range->low) << end(parameter.range->high)
                << YAML::EndSeq;
        } else {
            out << YAML::Key << "values" << YAML::Value << YAML::BeginMap;
            for (const SweepValue& value : parameter.values)
                out << YAML::Key << value.label << YAML::Value << YAML::Flow
                    << YAML::Load(value.yaml);
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string sweepFingerprint(const SweepSpec& spec)
{
    std::string canonical = YAML::Dump(YAML::Load(spec.baseYaml));
    canonical += "\nmethod " + std::to_string(int(spec.method));
    canonical += "\nseed " + std::to_string(spec.seed);
    canonical += "\nobjective " + sweepObjectiveName(spec.objective);
    for (const SweepParameter& parameter : spec.parameters) {
        canonical += "\nparameter " + parameter.name;
        for (const std::string& path : parameter.paths)
            canonical += "\n path " + path;
        for (const SweepValue& value : parameter.values)
            canonical += "\n value " + value.label + " = " + value.yaml;
        if (parameter.range)
            canonical += "\n range " + rangeKindName(parameter.range->kind) + " " +
                         shortestDouble(parameter.range->low) + " " +
                         shortestDouble(parameter.range->high);
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(canonical)));
    return hex;
}

std::string sweepObjectiveName(SweepObjective objective)
{
    return objective == SweepObjective::ValLoss ? "val_loss" : "val_accuracy";
}

bool objectiveIsBetter(SweepObjective objective, double candidate, double incumbent)
{
    if (std::isnan(candidate))
        return false;
    if (std::isnan(incumbent))
        return true;
    return objective == SweepObjective::ValLoss ? candidate < incumbent : candidate > incumbent;
}

} // namespace atelier
