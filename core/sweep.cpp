// Reading sweep files: the schema of the top level and of each searched parameter, then every
// value checked against the preset schema in place (see sweep.h).
#include "sweep.h"

#include "atomic_file.h"
#include "internal/sweep_yaml.h"
#include "internal/yaml_map_reader.h"
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <set>

namespace atelier {
namespace {

using detail::MapReader;
using detail::ProblemList;

constexpr const char* kRangeKeys[] = {"uniform", "log_uniform", "int"};

bool isRangeKey(const std::string& key)
{
    return std::find(std::begin(kRangeKeys), std::end(kRangeKeys), key) != std::end(kRangeKeys);
}

// Where the base preset comes from; `fresh()` gives a new document each time, with marks in
// the file that holds it, because yaml-cpp has no deep copy that keeps marks.
struct BaseSource
{
    std::string file;       // the file whose lines the marks count
    std::string keyPrefix;  // "base." for an inline base: its problems are under that key
    std::function<YAML::Node()> fresh;
};

class SweepReader
{
public:
    SweepReader(const std::string& text, const std::string& fileName,
                const std::string& baseDirectory)
        : m_text(text), m_fileName(fileName), m_baseDirectory(baseDirectory),
          m_problems(fileName)
    {}

    SweepParseResult read();

private:
    void readBase(MapReader& top);
    void readMethod(MapReader& top);
    void readSpace(MapReader& top);
    void readParameter(const std::string& key, const YAML::Node& keyNode, const YAML::Node& value);
    bool readPaths(const YAML::Node& node, const std::string& where, SweepParameter& parameter);
    void readValues(const YAML::Node& node, const std::string& where, SweepParameter& parameter);
    bool readRange(MapReader& reader, const YAML::Node& map, const std::string& where,
                   SweepParameter& parameter);
    bool checkPath(const std::string& path, const YAML::Mark& mark, const std::string& where);
    void checkValueInPreset(const SweepParameter& parameter, const YAML::Node& value,
                            const YAML::Mark& keyMark, const std::string& where);

    const std::string& m_text;
    std::string m_fileName;
    std::string m_baseDirectory;
    ProblemList m_problems;
    SweepSpec m_spec;
    std::optional<BaseSource> m_base;
    std::set<std::string> m_searchedPaths;
    std::vector<std::pair<YAML::Mark, std::string>> m_parameterMarks;
    std::vector<PresetProblem> m_baseProblems; // located in the base preset's own file
};

std::string joinPath(const std::string& directory, const std::string& path)
{
    if (path.empty() || path.front() == '/' || directory.empty())
        return path;
    return directory.back() == '/' ? directory + path : directory + "/" + path;
}

void SweepReader::readBase(MapReader& top)
{
    const std::optional<YAML::Node> node = top.take("base", true);
    if (!node)
        return;
    if (node->IsScalar()) {
        const std::string path = joinPath(m_baseDirectory, node->Scalar());
        std::string text;
        try {
            text = readFileBounded(path, kMaxPresetBytes);
        } catch (const InputError& e) {
            m_problems.add(node->Mark(), "base", e.what());
            return;
        }
        PresetParseResult parsed = parsePreset(text, path);
        if (!parsed.problems.empty()) {
            // The base's own problems, at their lines in the base file, then where it is named.
            m_baseProblems = std::move(parsed.problems);
            m_problems.add(node->Mark(), "base", "the base preset " + path + " is invalid");
            return;
        }
        m_base = BaseSource{path, "", [text] { return YAML::Load(text); }};
        m_spec.baseYaml = YAML::Dump(YAML::Load(text));
        return;
    }
    if (!node->IsMap()) {
        m_problems.add(node->Mark(), "base",
                       "expected a preset file (a path relative to this file) or a preset "
                       "mapping");
        return;
    }
    ProblemList own(m_fileName);
    Preset preset;
    detail::readPresetNode(*node, own, preset);
    if (!own.empty()) {
        for (PresetProblem& problem : own.release()) {
            YAML::Mark mark;
            mark.line = problem.line - 1;
            mark.column = problem.column - 1;
            m_problems.add(mark, problem.keyPath.empty() ? "base" : "base." + problem.keyPath,
                           problem.message);
        }
        return;
    }
    const std::string text = m_text;
    m_base = BaseSource{m_fileName, "base.", [text] { return YAML::Load(text)["base"]; }};
    m_spec.baseYaml = YAML::Dump(*node);
}

void SweepReader::readMethod(MapReader& top)
{
    std::string method = "grid";
    YAML::Mark methodMark = top.mark();
    if (auto node = top.take("method")) {
        methodMark = node->Mark();
        if (auto name = detail::readChoice(*node, "method", m_problems, {"grid", "random"}))
            method = *name;
    }
    m_spec.method = method == "random" ? SweepMethod::Random : SweepMethod::Grid;
    const bool hasFraction = top.has("fraction"), hasTrials = top.has("trials");
    if (m_spec.method == SweepMethod::Grid) {
        // Both taken here, so that neither is reported again as an unknown key.
        const std::optional<YAML::Node> fraction = top.take("fraction");
        const std::optional<YAML::Node> trials = top.take("trials");
        if (hasFraction || hasTrials)
            m_problems.add((hasFraction ? fraction : trials)->Mark(),
                           hasFraction ? "fraction" : "trials",
                           "applies to method: random only (grid runs every point)");
    } else if (hasFraction && hasTrials) {
        const std::optional<YAML::Node> fraction = top.take("fraction");
        top.take("trials");
        m_problems.add(fraction->Mark(), "fraction", "give fraction or trials, not both");
    } else if (!hasFraction && !hasTrials) {
        m_problems.add(methodMark, "method",
                       "random needs fraction (a share of the grid, e.g. 0.2) or trials (a "
                       "number)");
    } else {
        top.number("fraction", m_spec.fraction, 0, 1, false, true);
        top.integer("trials", m_spec.trials, 1, kMaxSweepTrials);
    }
    if (auto node = top.take("seed"))
        if (auto value = detail::readInteger(*node, "seed", m_problems, 0,
                                             std::numeric_limits<long long>::max()))
            m_spec.seed = std::uint64_t(*value);
    if (auto node = top.take("objective"))
        if (auto name =
                detail::readChoice(*node, "objective", m_problems, {"val_accuracy", "val_loss"}))
            m_spec.objective =
                *name == "val_loss" ? SweepObjective::ValLoss : SweepObjective::ValAccuracy;
}

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
        if (!m_searchedPaths.insert(*path).second) {
            m_problems.add(item.Mark(), where,
                           quotedForMessage(*path) + " is searched by another parameter too");
            ok = false;
            continue;
        }
        parameter.paths.push_back(*path);
    }
    return ok;
}

// The preset schema on the base with this one value put in: a wrong type or range is
// reported at the value, in the sweep file.
void SweepReader::checkValueInPreset(const SweepParameter& parameter, const YAML::Node& value,
                                     const YAML::Mark& keyMark, const std::string& where)
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
            const bool underPath = at == path || at.rfind(path + ".", 0) == 0 ||
                                   at.rfind(path + "[", 0) == 0;
            if (!underPath)
                continue; // a problem of the combination, not of this value: the plan says
            const YAML::Mark mark = value.Mark().line >= 0 ? value.Mark() : keyMark;
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
            choices.push_back({it->first.IsScalar() ? it->first.Scalar()
                                                    : detail::flowYaml(it->first),
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
                       "has " + withThousands(std::int64_t(choices.size())) +
                           " values; at most " + withThousands(std::int64_t(kMaxSweepValues)));
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
        if (auto value = detail::readInteger((*bounds)[0], at, m_problems, -1'000'000'000,
                                             1'000'000'000))
            low = double(*value);
        if (auto value = detail::readInteger((*bounds)[1], at, m_problems, -1'000'000'000,
                                             1'000'000'000))
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
    return true;
}

void SweepReader::readParameter(const std::string& key, const YAML::Node& keyNode,
                                const YAML::Node& value)
{
    const std::string where = "space." + key;
    SweepParameter parameter;
    parameter.name = key;
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
                           " grid points; at most " +
                           withThousands(std::int64_t(kMaxGridPoints)));
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

SweepParseResult SweepReader::read()
{
    SweepParseResult result;
    const std::optional<YAML::Node> root = detail::loadBoundedDocument(
        m_text, kMaxSweepBytes, kMaxPresetNodes, "a sweep file", m_problems);
    if (!root) {
        result.problems = m_problems.release();
        return result;
    }
    MapReader top(*root, "", m_problems);
    if (top.ok()) {
        top.string("name", m_spec.name);
        if (!m_spec.name.empty()) {
            const std::string problem = presetNameProblem(m_spec.name);
            if (!problem.empty())
                m_problems.add(top.mark(), "name", problem);
        }
        top.string("description", m_spec.description);
        readMethod(top);
        readBase(top);
        readSpace(top);
        top.finish({"name", "description", "base", "method", "fraction", "trials", "seed",
                    "objective", "space"});
    }
    result.spec = m_spec;
    result.problems = std::move(m_baseProblems);
    for (PresetProblem& problem : m_problems.release())
        result.problems.push_back(std::move(problem));
    return result;
}

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
    return kind == RangeKind::Uniform ? "uniform" : kind == RangeKind::LogUniform ? "log_uniform"
                                                                                   : "int";
}

} // namespace

bool SweepSpec::hasRanges() const
{
    return std::any_of(parameters.begin(), parameters.end(),
                       [](const SweepParameter& p) { return p.range.has_value(); });
}

SweepParseResult parseSweep(const std::string& yamlText, const std::string& fileName,
                            const std::string& baseDirectory)
{
    SweepReader reader(yamlText, fileName, baseDirectory);
    SweepParseResult result = reader.read();
    if (result.spec.name.empty()) {
        // The file's stem: sweeps/mlp_talos.yaml is the sweep "mlp_talos".
        std::string stem = fileName.substr(fileName.find_last_of('/') + 1);
        stem = stem.substr(0, stem.find('.'));
        result.spec.name = presetNameProblem(stem).empty() && !stem.empty() ? stem : "sweep";
    }
    return result;
}

SweepSpec loadSweep(const std::string& path)
{
    const std::string text = readFileBounded(path, kMaxSweepBytes);
    const std::size_t slash = path.find_last_of('/');
    SweepParseResult result =
        parseSweep(text, path, slash == std::string::npos ? "." : path.substr(0, slash));
    if (!result.problems.empty())
        throw PresetError(std::move(result.problems));
    return result.spec;
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
