// Private to core: the sweep-file reader, split by part (sweep.cpp: the top level and the
// base preset; sweep_parameters.cpp: the search space, each value checked against the preset
// schema in place).
#pragma once

#include "../sweep.h"
#include "yaml_map_reader.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace atelier::detail {

inline constexpr const char* kRangeKeys[] = {"uniform", "log_uniform", "int"};

// trials.csv's own columns: a parameter by one of these names would make two columns alike.
inline constexpr const char* kTableColumns[] = {
    "index",    "status",       "params",        "best_epoch", "epochs",
    "val_loss", "val_accuracy", "test_accuracy", "seconds",    "run_folder"};

inline bool isRangeKey(const std::string& key)
{
    return std::find(std::begin(kRangeKeys), std::end(kRangeKeys), key) != std::end(kRangeKeys);
}

inline constexpr const char* kAliasProblem =
    "YAML aliases (*name) are not allowed in a sweep or its base preset: a value searched at "
    "one path would change every place that shares the anchor; write the values out";

// The base preset as a fresh document for each check (a check writes one value into it).
// Its marks do not matter: every problem a check keeps lies under the searched path, where
// the value came from the sweep file and carries that file's marks.
struct BaseSource
{
    std::string file; // where the base came from, for the problems of a check
    std::string yaml;
    YAML::Node fresh() const { return YAML::Load(yaml); }
};

class SweepReader
{
public:
    SweepReader(const std::string& text, const std::string& fileName,
                const std::string& baseDirectory)
        : m_text(text), m_fileName(fileName), m_baseDirectory(baseDirectory), m_problems(fileName)
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
    // `fallbackMark` locates problems when the value has no place in the file; `forceMark`
    // always (a value computed from the file, such as a range's middle).
    void checkValueInPreset(const SweepParameter& parameter, const YAML::Node& value,
                            const YAML::Mark& fallbackMark, const std::string& where,
                            bool forceMark = false);

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

} // namespace atelier::detail
