// Reading a sweep's search space: each parameter's paths, values or range, every value
// checked against the preset schema where the sweep file writes it (see sweep.h).
#include "internal/sweep_reader.h"
#include "internal/sweep_yaml.h"
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace atelier::detail {

bool SweepReader::checkPath(const std::string& path, const YAML::Mark& mark,
                            const std::string& where)
{
    std::string why;
    const auto steps = detail::parseKeyPath(path, why);
    if (!steps) {
        m_problems.add(mark, where, quotedForMessage(path) + " is not a key path: " + why);
        return false;
    }
    const YAML::Node base = m_base->fresh();
    if (detail::slotAt(base, *steps, why))
        return true;
    std::string closest;
    std::size_t best = std::numeric_limits<std::size_t>::max();
    for (const std::string& candidate : detail::keyPathsIn(base)) {
        const std::size_t distance = detail::editDistance(path, candidate);
        if (distance < best) {
            best = distance;
            closest = candidate;
        }
    }
    m_problems.add(mark, where,
                   "no key path " + quotedForMessage(path) + " in the base preset (" + why + ")" +
                       (closest.empty() ? "" : "; the closest is " + closest));
    return false;
}

bool SweepReader::readPaths(const YAML::Node& node, const std::string& where,
                            SweepParameter& parameter)
{
    std::vector<YAML::Node> items;
    if (node.IsSequence())
        for (std::size_t i = 0; i < node.size(); ++i)
            items.push_back(node[i]);
    else
        items.push_back(node);
    if (items.empty()) {
        m_problems.add(node.Mark(), where, "lists no key path");
        return false;
    }
    bool ok = true;
    for (const YAML::Node& item : items) {
        const auto path = detail::readString(item, where, m_problems);
        if (!path) {
            ok = false;
            continue;
        }
        if (!checkPath(*path, item.Mark(), where)) {
            ok = false;
            continue;
        }
        std::string why;
        const std::string canonical = detail::canonicalKeyPath(*detail::parseKeyPath(*path, why));
        if (!m_searchedPaths.insert(canonical).second) {
            m_problems.add(item.Mark(), where,
                           quotedForMessage(*path) + " is searched by another parameter too");
            ok = false;
            continue;
        }
        parameter.paths.push_back(canonical);
    }
    return ok;
}

// The preset schema on the base with this one value put in: a wrong type or range is
// reported at the value, in the sweep file.
void SweepReader::checkValueInPreset(const SweepParameter& parameter, const YAML::Node& value,
                                     const YAML::Mark& fallbackMark, const std::string& where,
                                     bool forceMark)
{
    for (const std::string& path : parameter.paths) {
        YAML::Node base = m_base->fresh();
        std::string why;
        const auto steps = detail::parseKeyPath(path, why);
        std::optional<YAML::Node> slot = steps ? detail::slotAt(base, *steps, why) : std::nullopt;
        if (!slot)
            continue; // already reported by checkPath
        *slot = YAML::Load(detail::flowYaml(value));
        ProblemList problems(m_base->file);
        Preset preset;
        detail::readPresetNode(base, problems, preset);
        for (const PresetProblem& problem : problems.release()) {
            const std::string& at = problem.keyPath;
            const bool underPath =
                at == path || at.rfind(path + ".", 0) == 0 || at.rfind(path + "[", 0) == 0;
            if (!underPath)
                continue; // a problem of the combination, not of this value: the plan says
            const YAML::Mark mark =
                !forceMark && value.Mark().line >= 0 ? value.Mark() : fallbackMark;
            m_problems.add(mark, where,
                           (at == path ? "" : at + " ") + problem.message + " (the value " +
                               shortenedForMessage(detail::flowYaml(value)) + " at " + path + ")");
        }
    }
}

void SweepReader::readValues(const YAML::Node& node, const std::string& where,
                             SweepParameter& parameter)
{
    struct Choice
    {
        std::string label;
        YAML::Node value;
        YAML::Mark labelMark; // the name's key in a mapping of named values, else the value
    };
    std::vector<Choice> choices;
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            choices.push_back({node[i].IsScalar() ? node[i].Scalar() : detail::flowYaml(node[i]),
                               node[i], node[i].Mark()});
    } else if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it)
            choices.push_back(
                {it->first.IsScalar() ? it->first.Scalar() : detail::flowYaml(it->first),
                 it->second, it->first.Mark()});
    } else {
        m_problems.add(node.Mark(), where,
                       "expected a list of values, or a mapping of named values");
        return;
    }
    if (choices.empty()) {
        m_problems.add(node.Mark(), where, "has no values: give at least one");
        return;
    }
    if (choices.size() > kMaxSweepValues) {
        m_problems.add(node.Mark(), where,
                       "has " + withThousands(std::int64_t(choices.size())) + " values; at most " +
                           withThousands(std::int64_t(kMaxSweepValues)));
        return;
    }
    std::set<std::string> seen, labels;
    for (const auto& [label, value, labelMark] : choices) {
        SweepValue choice;
        choice.label = label;
        choice.yaml = detail::flowYaml(value);
        if (value.IsScalar()) {
            char* end = nullptr;
            const double number = std::strtod(value.Scalar().c_str(), &end);
            if (!value.Scalar().empty() && *end == '\0' && std::isfinite(number))
                choice.number = number;
        }
        // A number by its value: 0.2 and 0.20 are one configuration.
        const std::string identity =
            choice.number ? "number " + shortestDouble(*choice.number) : choice.yaml;
        if (!seen.insert(identity).second) {
            m_problems.add(value.Mark(), where,
                           "the value " + shortenedForMessage(choice.yaml) +
                               " is listed twice: a sweep never runs a configuration twice");
            continue;
        }
        // yaml-cpp keeps both of two equal keys: two names alike would make trials.csv
        // show two configurations as one.
        if (!labels.insert(label).second) {
            m_problems.add(labelMark, where,
                           "the name " + quotedForMessage(label) + " is listed twice");
            continue;
        }
        checkValueInPreset(parameter, value, node.Mark(), where);
        parameter.values.push_back(std::move(choice));
    }
}

bool SweepReader::readRange(MapReader& reader, const YAML::Node& map, const std::string& where,
                            SweepParameter& parameter)
{
    std::optional<YAML::Node> bounds;
    std::string kind;
    for (const char* key : kRangeKeys)
        if (reader.has(key)) {
            if (!kind.empty()) {
                m_problems.add(map.Mark(), where, "give one range: " + kind + " or " + key);
                reader.take(key); // reported here; not also an unknown key
                return false;
            }
            kind = key;
            bounds = reader.take(key);
        }
    if (!bounds)
        return false;
    const std::string at = where + "." + kind;
    if (!bounds->IsSequence() || bounds->size() != 2) {
        m_problems.add(bounds->Mark(), at, "expected [low, high]");
        return false;
    }
    SweepRange range;
    range.kind = kind == "uniform"       ? RangeKind::Uniform
                 : kind == "log_uniform" ? RangeKind::LogUniform
                                         : RangeKind::Int;
    const double lowest = range.kind == RangeKind::LogUniform ? 0 : -1e300;
    std::optional<double> low, high;
    if (range.kind == RangeKind::Int) {
        if (auto value =
                detail::readInteger((*bounds)[0], at, m_problems, -1'000'000'000, 1'000'000'000))
            low = double(*value);
        if (auto value =
                detail::readInteger((*bounds)[1], at, m_problems, -1'000'000'000, 1'000'000'000))
            high = double(*value);
    } else {
        low = detail::readNumber((*bounds)[0], at, m_problems, lowest, 1e300,
                                 range.kind != RangeKind::LogUniform, true);
        high = detail::readNumber((*bounds)[1], at, m_problems, lowest, 1e300,
                                  range.kind != RangeKind::LogUniform, true);
    }
    if (!low || !high)
        return false;
    if (*low > *high || (*low == *high && range.kind != RangeKind::Int)) {
        m_problems.add(bounds->Mark(), at, "low must be below high");
        return false;
    }
    range.low = *low;
    range.high = *high;
    parameter.range = range;
    // Both ends must be values the preset accepts; a problem points at the end in the file
    // (a node loaded from text would carry the mark 1:1 of its own one-line document).
    for (std::size_t end = 0; end < 2; ++end)
        checkValueInPreset(parameter, (*bounds)[end], bounds->Mark(), where);
    // A real-valued range draws fractions: a key that takes whole numbers refuses them here,
    // at the range, instead of leaving a sweep whose every trial is invalid.
    if (range.kind != RangeKind::Int) {
        // An inner point unlikely to be whole (the middle of [16, 128] is 72).
        constexpr double kInner = 0.3183;
        const double middle = range.kind == RangeKind::Uniform
                                  ? range.low + kInner * (range.high - range.low)
                                  : std::exp(std::log(range.low) +
                                             kInner * (std::log(range.high) - std::log(range.low)));
        const std::size_t known = m_problems.count();
        char text[32];
        std::snprintf(text, sizeof text, "%.4g", middle);
        checkValueInPreset(parameter, YAML::Load(text), bounds->Mark(), where, true);
        if (m_problems.count() > known)
            return false;
    }
    return true;
}

void SweepReader::readParameter(const std::string& key, const YAML::Node& keyNode,
                                const YAML::Node& value)
{
    const std::string where = "space." + key;
    SweepParameter parameter;
    parameter.name = key;
    if (std::find(std::begin(kTableColumns), std::end(kTableColumns), key) !=
        std::end(kTableColumns)) {
        m_problems.add(keyNode.Mark(), where,
                       "'" + key +
                           "' names a column of trials.csv already; call the parameter "
                           "something else (or write it as its key path)");
        return;
    }
    const bool longForm = value.IsMap() && (value["path"] || value["paths"]);
    if (!longForm) {
        if (!readPaths(keyNode, where, parameter))
            return;
        if (value.IsSequence()) {
            readValues(value, where, parameter);
        } else if (value.IsMap() && value.size() > 0 && value.begin()->first.IsScalar() &&
                   isRangeKey(value.begin()->first.Scalar())) {
            MapReader reader(value, where, m_problems);
            readRange(reader, value, where, parameter);
            reader.finish({"uniform", "log_uniform", "int", "paths"});
        } else {
            m_problems.add(value.Mark(), where,
                           "expected a list of values, a range ({uniform: [low, high]}, "
                           "{log_uniform: [low, high]} or {int: [low, high]}), or a mapping "
                           "with paths and values");
            return;
        }
    } else {
        MapReader reader(value, where, m_problems);
        const bool hasPath = reader.has("path"), hasPaths = reader.has("paths");
        if (hasPath && hasPaths) {
            m_problems.add(value.Mark(), where, "give path or paths, not both");
            return;
        }
        const YAML::Node paths = *reader.take(hasPath ? "path" : "paths");
        if (!readPaths(paths, where + (hasPath ? ".path" : ".paths"), parameter))
            return;
        if (reader.has("values")) {
            readValues(*reader.take("values"), where + ".values", parameter);
            reader.finish({"path", "paths", "values"});
        } else {
            bool anyRange = false;
            for (const char* rangeKey : kRangeKeys)
                anyRange = anyRange || reader.has(rangeKey);
            if (!anyRange) {
                m_problems.add(value.Mark(), where,
                               "needs values (a list) or a range (uniform, log_uniform or int)");
                return;
            }
            readRange(reader, value, where, parameter);
            reader.finish({"path", "paths", "uniform", "log_uniform", "int"});
        }
    }
    if (parameter.values.empty() && !parameter.range)
        return;
    m_parameterMarks.emplace_back(keyNode.Mark(), where);
    m_spec.parameters.push_back(std::move(parameter));
}

void SweepReader::readSpace(MapReader& top)
{
    const std::optional<YAML::Node> space = top.take("space", true);
    if (!space || !m_base)
        return;
    if (!space->IsMap() || space->size() == 0) {
        m_problems.add(space->Mark(), "space",
                       space->IsMap() ? "is empty: name at least one key path to search"
                                      : "expected a mapping of key paths to values");
        return;
    }
    std::set<std::string> names;
    for (auto it = space->begin(); it != space->end(); ++it) {
        if (!it->first.IsScalar()) {
            m_problems.add(it->first.Mark(), "space", "keys must be key paths or names");
            continue;
        }
        if (!names.insert(it->first.Scalar()).second) {
            m_problems.add(it->first.Mark(), "space." + it->first.Scalar(), "duplicate key");
            continue;
        }
        readParameter(it->first.Scalar(), it->first, it->second);
    }
    if (m_spec.method == SweepMethod::Grid || m_spec.fraction > 0)
        for (std::size_t i = 0; i < m_spec.parameters.size(); ++i)
            if (m_spec.parameters[i].range)
                m_problems.add(m_parameterMarks[i].first, m_parameterMarks[i].second,
                               "a range has no grid: use method: random with trials: N (a "
                               "fraction is a share of a grid)");
    double points = 1;
    for (const SweepParameter& parameter : m_spec.parameters)
        if (!parameter.range)
            points *= double(parameter.values.size());
    if (points > double(kMaxGridPoints)) {
        m_problems.add(space->Mark(), "space",
                       "has " + withThousands(std::int64_t(std::min(points, 9e18))) +
                           " grid points; at most " + withThousands(std::int64_t(kMaxGridPoints)));
        return;
    }
    // Every trial is a run folder and a row: a sweep of more than kMaxSweepTrials is a
    // mistake (or a hostile file), refused before the plan builds a million presets.
    const double trials = m_spec.method == SweepMethod::Grid ? points
                          : m_spec.fraction > 0              ? std::floor(m_spec.fraction * points)
                                                             : 0;
    if (trials > double(kMaxSweepTrials))
        m_problems.add(space->Mark(), "space",
                       "gives " + withThousands(std::int64_t(trials)) + " trials (" +
                           (m_spec.method == SweepMethod::Grid ? "every grid point"
                                                               : "the fraction of the grid") +
                           "); at most " + withThousands(std::int64_t(kMaxSweepTrials)) +
                           ": use method: random with a smaller fraction or trials");
}

} // namespace atelier::detail
