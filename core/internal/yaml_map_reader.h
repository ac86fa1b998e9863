// Private to core: reads YAML mappings against a schema while collecting located problems.
// yaml-cpp 0.7 alone accepts duplicate keys and says "bad conversion" without a line; this
// reader reports duplicates, unknown keys, missing keys, wrong types and ranges with
// file:line:col and the key path.
#pragma once

#include "../preset.h"
#include "../preset_limits.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace atelier::detail {

// Collects problems; keeps the first `maxKept` and only counts the rest, so that a file with
// a million bad values costs a million increments, not a million messages.
class ProblemList
{
public:
    explicit ProblemList(std::string file, std::size_t maxKept = kMaxPresetProblems)
        : m_file(std::move(file)), m_maxKept(maxKept)
    {}
    void add(const YAML::Mark& mark, const std::string& keyPath, const std::string& message);
    bool empty() const { return m_items.empty(); }
    std::size_t count() const { return m_items.size() + m_omitted; }
    // The kept problems, then "… and N more problems" when some were only counted.
    std::vector<PresetProblem> release();

private:
    std::string m_file;
    std::size_t m_maxKept;
    std::vector<PresetProblem> m_items;
    std::size_t m_omitted = 0;
};

// Counts the values under `root` the way a reader walks them (each use of an alias again) and
// records one problem when there are more than `maxNodes`. Readers call it before walking:
// yaml-cpp shares aliased nodes, so a few kilobytes can expand to billions of values.
bool withinNodeBudget(const YAML::Node& root, std::size_t maxNodes, ProblemList& problems);

// Parses a whole YAML document of at most `maxBytes` and `maxNodes` values (`what` names the
// kind of file in the size message); nullopt after recording the problem.
std::optional<YAML::Node> loadBoundedDocument(const std::string& text, std::size_t maxBytes,
                                              std::size_t maxNodes, const std::string& what,
                                              ProblemList& problems);

// Levenshtein distance, for "did you mean" suggestions.
std::size_t editDistance(const std::string& a, const std::string& b);

// Reads one value node; each returns nullopt after recording a problem.
std::optional<long long> readInteger(const YAML::Node& node, const std::string& path,
                                     ProblemList& problems, long long min, long long max);
std::optional<double> readNumber(const YAML::Node& node, const std::string& path,
                                 ProblemList& problems, double min, double max, bool minInclusive,
                                 bool maxInclusive);
inline std::optional<long long> readInteger(const YAML::Node& node, const std::string& path,
                                            ProblemList& problems, const IntLimits& limits)
{
    return readInteger(node, path, problems, limits.min, limits.max);
}
inline std::optional<double> readNumber(const YAML::Node& node, const std::string& path,
                                        ProblemList& problems, const RealLimits& limits)
{
    return readNumber(node, path, problems, limits.min, limits.max, limits.minInclusive,
                      limits.maxInclusive);
}
std::optional<bool> readBool(const YAML::Node& node, const std::string& path,
                             ProblemList& problems);
std::optional<std::string> readString(const YAML::Node& node, const std::string& path,
                                      ProblemList& problems);
// A name from `allowed`; the problem lists the allowed names.
std::optional<std::string> readChoice(const YAML::Node& node, const std::string& path,
                                      ProblemList& problems,
                                      const std::vector<std::string>& allowed);

class MapReader
{
public:
    // Records a problem (and reads nothing) when `node` is not a mapping.
    MapReader(const YAML::Node& node, std::string path, ProblemList& problems);

    bool ok() const { return m_ok; }
    bool has(const std::string& key) const;
    // The value of `key`, marking it as read; nullopt when absent (a problem if `required`).
    std::optional<YAML::Node> take(const std::string& key, bool required = false);
    std::string pathOf(const std::string& key) const;
    const YAML::Mark& mark() const { return m_mark; }
    ProblemList& problems() { return m_problems; }

    // Reports every key that was not taken as unknown, suggesting the closest allowed key.
    void finish(const std::vector<std::string>& allowedKeys);

    // Typed helpers: leave `target` untouched when the key is absent or its value is bad.
    void integer(const std::string& key, int& target, long long min, long long max,
                 bool required = false);
    void seed(const std::string& key, std::uint64_t& target);
    void number(const std::string& key, double& target, double min, double max,
                bool minInclusive = true, bool maxInclusive = true, bool required = false);
    // The same against a key's limits (preset_limits.h).
    void integer(const std::string& key, int& target, const IntLimits& limits,
                 bool required = false)
    {
        integer(key, target, limits.min, limits.max, required);
    }
    void number(const std::string& key, double& target, const RealLimits& limits,
                bool required = false)
    {
        number(key, target, limits.min, limits.max, limits.minInclusive, limits.maxInclusive,
               required);
    }
    void boolean(const std::string& key, bool& target);
    void string(const std::string& key, std::string& target);

    template <typename Enum>
    void choice(const std::string& key, Enum& target, const std::vector<std::string>& names,
                const std::function<std::optional<Enum>(const std::string&)>& parse,
                bool required = false)
    {
        if (auto node = take(key, required))
            if (auto name = readChoice(*node, pathOf(key), m_problems, names))
                if (auto value = parse(*name))
                    target = *value;
    }

private:
    YAML::Node m_node;
    std::string m_path;
    ProblemList& m_problems;
    YAML::Mark m_mark;
    bool m_ok = false;
    std::set<std::string> m_taken;
};

// The preset schema on a parsed document (parsePreset after YAML syntax and the node budget);
// the sweep reader checks each searched value in place with it, so that a problem keeps the
// line of the sweep file that holds the value.
void readPresetNode(const YAML::Node& root, ProblemList& problems, Preset& preset);

} // namespace atelier::detail
