// Reading sweep files: the top level and the base preset here, the search space in
// sweep_parameters.cpp (see sweep.h).
#include "sweep.h"

#include "atomic_file.h"
#include "internal/sweep_reader.h"
#include "internal/sweep_yaml.h"
#include "text_format.h"

namespace atelier {
namespace detail {
namespace {

std::string joinPath(const std::string& directory, const std::string& path)
{
    if (path.empty() || path.front() == '/' || directory.empty())
        return path;
    return directory.back() == '/' ? directory + path : directory + "/" + path;
}

} // namespace

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
        if (const std::optional<YAML::Mark> alias = detail::firstAlias(text)) {
            PresetProblem problem;
            problem.file = path;
            problem.line = alias->line + 1;
            problem.column = alias->column + 1;
            problem.message = kAliasProblem;
            parsed.problems.push_back(problem);
        }
        if (!parsed.problems.empty()) {
            // The base's own problems, at their lines in the base file, then where it is named.
            m_baseProblems = std::move(parsed.problems);
            m_problems.add(node->Mark(), "base", "the base preset " + path + " is invalid");
            return;
        }
        m_spec.baseYaml = YAML::Dump(YAML::Load(text));
        m_base = BaseSource{path, m_spec.baseYaml};
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
    m_spec.baseYaml = YAML::Dump(*node);
    m_base = BaseSource{m_fileName, m_spec.baseYaml};
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

SweepParseResult SweepReader::read()
{
    SweepParseResult result;
    const std::optional<YAML::Node> root = detail::loadBoundedDocument(
        m_text, kMaxSweepBytes, kMaxPresetNodes, "a sweep file", m_problems);
    if (!root) {
        result.problems = m_problems.release();
        return result;
    }
    if (const std::optional<YAML::Mark> alias = detail::firstAlias(m_text)) {
        m_problems.add(*alias, "", kAliasProblem);
        result.problems = m_problems.release();
        return result;
    }
    MapReader top(*root, "", m_problems);
    if (top.ok()) {
        if (const std::optional<YAML::Node> name = top.take("name"))
            if (const auto text = detail::readString(*name, "name", m_problems)) {
                const std::string problem = presetNameProblem(*text);
                if (problem.empty())
                    m_spec.name = *text;
                else
                    m_problems.add(name->Mark(), "name", problem);
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

} // namespace detail

SweepParseResult parseSweep(const std::string& yamlText, const std::string& fileName,
                            const std::string& baseDirectory)
{
    detail::SweepReader reader(yamlText, fileName, baseDirectory);
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

} // namespace atelier
