// Schema-checked reading of yaml-cpp nodes with located problems.
#include "internal/yaml_map_reader.h"

#include "text_format.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <string_view>

namespace atelier::detail {
namespace {

std::string kindOf(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
        return "nothing";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Scalar:
        return quotedForMessage(node.Scalar());
    default:
        return "an undefined value";
    }
}

std::string joinNames(const std::vector<std::string>& names)
{
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i ? ", " : "") + names[i];
    return text;
}

std::string formatNumber(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

} // namespace

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

void ProblemList::add(const YAML::Mark& mark, const std::string& keyPath,
                      const std::string& message)
{
    if (m_items.size() >= m_maxKept) {
        ++m_omitted;
        return;
    }
    PresetProblem problem;
    problem.file = m_file;
    problem.line = mark.line >= 0 ? mark.line + 1 : 0;
    problem.column = mark.column >= 0 ? mark.column + 1 : 0;
    problem.keyPath = keyPath;
    problem.message = message;
    m_items.push_back(std::move(problem));
}

std::vector<PresetProblem> ProblemList::release()
{
    std::vector<PresetProblem> all = std::move(m_items);
    if (m_omitted > 0) {
        PresetProblem more;
        more.file = m_file;
        more.message = "… and " + withThousands(std::int64_t(m_omitted)) + " more problem" +
                       (m_omitted == 1 ? "" : "s");
        all.push_back(std::move(more));
    }
    m_items.clear();
    m_omitted = 0;
    return all;
}

std::optional<YAML::Node> loadBoundedDocument(const std::string& text, std::size_t maxBytes,
                                              std::size_t maxNodes, const std::string& what,
                                              ProblemList& problems)
{
    if (text.size() > maxBytes) {
        problems.add(YAML::Mark::null_mark(), "",
                     "too large for " + what + " (" + withThousands(std::int64_t(text.size())) +
                         " bytes; at most " + withThousands(std::int64_t(maxBytes)) + ")");
        return std::nullopt;
    }
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        problems.add(e.mark, "", "YAML syntax error: " + e.msg);
        return std::nullopt;
    }
    if (!withinNodeBudget(root, maxNodes, problems))
        return std::nullopt;
    return root;
}

bool withinNodeBudget(const YAML::Node& root, std::size_t maxNodes, ProblemList& problems)
{
    // An explicit stack, not recursion: an alias may even point into itself.
    std::vector<YAML::Node> pending{root};
    std::size_t visited = 1;
    auto visit = [&](const YAML::Node& node) {
        pending.push_back(node);
        return ++visited <= maxNodes;
    };
    while (!pending.empty()) {
        const YAML::Node node = pending.back();
        pending.pop_back();
        bool within = true;
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end() && within; ++it)
                within = visit(it->first) && visit(it->second);
        } else if (node.IsSequence()) {
            for (auto it = node.begin(); it != node.end() && within; ++it)
                within = visit(*it);
        }
        if (!within) {
            problems.add(root.Mark(), "",
                         "more than " + withThousands(std::int64_t(maxNodes)) +
                             " values, counting each use of a YAML alias (&name, *name) as a "
                             "copy; not read further");
            return false;
        }
    }
    return true;
}

std::optional<long long> readInteger(const YAML::Node& node, const std::string& path,
                                     ProblemList& problems, long long min, long long max)
{
    if (!node.IsScalar()) {
        problems.add(node.Mark(), path, "expected an integer, got " + kindOf(node));
        return std::nullopt;
    }
    const std::string& text = node.Scalar();
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE) {
        problems.add(node.Mark(), path, "expected an integer, got " + kindOf(node));
        return std::nullopt;
    }
    if (value < min || value > max) {
        problems.add(node.Mark(), path,
                     std::to_string(value) + " is out of range [" + std::to_string(min) + ", " +
                         std::to_string(max) + "]");
        return std::nullopt;
    }
    return value;
}

std::optional<double> readNumber(const YAML::Node& node, const std::string& path,
                                 ProblemList& problems, double min, double max, bool minInclusive,
                                 bool maxInclusive)
{
    if (!node.IsScalar()) {
        problems.add(node.Mark(), path, "expected a number, got " + kindOf(node));
        return std::nullopt;
    }
    const std::string& text = node.Scalar();
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value)) {
        problems.add(node.Mark(), path, "expected a finite number, got " + kindOf(node));
        return std::nullopt;
    }
    const bool aboveMin = minInclusive ? value >= min : value > min;
    const bool belowMax = maxInclusive ? value <= max : value < max;
    if (!aboveMin || !belowMax) {
        const std::string upper =
            max == std::numeric_limits<double>::max() ? "∞" : formatNumber(max);
        problems.add(node.Mark(), path,
                     shortenedForMessage(text) + " is out of range " + (minInclusive ? "[" : "(") +
                         formatNumber(min) + ", " + upper +
                         (maxInclusive && upper != "∞" ? "]" : ")"));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> readBool(const YAML::Node& node, const std::string& path, ProblemList& problems)
{
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false"))
        return node.Scalar() == "true";
    problems.add(node.Mark(), path, "expected true or false, got " + kindOf(node));
    return std::nullopt;
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). yaml-cpp
// passes invalid bytes of a quoted scalar through, and its emitter then writes U+FFFD in
// their place: a saved preset would come back changed.
static bool isValidUtf8(const std::string& text)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    for (std::size_t i = 0; i < size;) {
        const unsigned char lead = bytes[i];
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > size)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
        }
        static const std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (codePoint < kSmallest[length] || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

std::optional<std::string> readString(const YAML::Node& node, const std::string& path,
                                      ProblemList& problems)
{
    if (node.IsScalar() && !isValidUtf8(node.Scalar())) {
        problems.add(node.Mark(), path, "is not valid UTF-8 text");
        return std::nullopt;
    }
    if (node.IsScalar())
        return node.Scalar();
    problems.add(node.Mark(), path, "expected text, got " + kindOf(node));
    return std::nullopt;
}

std::optional<std::string> readChoice(const YAML::Node& node, const std::string& path,
                                      ProblemList& problems,
                                      const std::vector<std::string>& allowed)
{
    if (node.IsScalar() &&
        std::find(allowed.begin(), allowed.end(), node.Scalar()) != allowed.end())
        return node.Scalar();
    problems.add(node.Mark(), path,
                 "expected one of " + joinNames(allowed) + ", got " + kindOf(node));
    return std::nullopt;
}

MapReader::MapReader(const YAML::Node& node, std::string path, ProblemList& problems)
    : m_node(node), m_path(std::move(path)), m_problems(problems), m_mark(node.Mark())
{
    if (!node.IsMap()) {
        m_problems.add(node.Mark(), m_path,
                       "expected a mapping (key: value lines), got " + kindOf(node));
        return;
    }
    m_ok = true;
    // Views into the node's own key strings: a long key repeated by aliases is not copied.
    std::map<std::string_view, YAML::Mark> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) {
            m_problems.add(it->first.Mark(), m_path, "keys must be plain names");
            continue;
        }
        const std::string& key = it->first.Scalar();
        auto [previous, inserted] = seen.emplace(key, it->first.Mark());
        if (!inserted)
            m_problems.add(it->first.Mark(), pathOf(shortenedForMessage(key)),
                           "duplicate key (first set at line " +
                               std::to_string(previous->second.line + 1) + ")");
    }
}

std::string MapReader::pathOf(const std::string& key) const
{
    return m_path.empty() ? key : m_path + "." + key;
}

bool MapReader::has(const std::string& key) const
{
    if (!m_ok)
        return false;
    for (auto it = m_node.begin(); it != m_node.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key)
            return true;
    return false;
}

std::optional<YAML::Node> MapReader::take(const std::string& key, bool required)
{
    if (!m_ok)
        return std::nullopt;
    m_taken.insert(key);
    for (auto it = m_node.begin(); it != m_node.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            YAML::Node value = it->second;
            if (value.IsNull() && required) {
                m_problems.add(it->first.Mark(), pathOf(key), "has no value");
                return std::nullopt;
            }
            return value;
        }
    if (required)
        m_problems.add(m_mark, pathOf(key), "missing key '" + key + "'");
    return std::nullopt;
}

void MapReader::finish(const std::vector<std::string>& allowedKeys)
{
    if (!m_ok)
        return;
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        if (!it->first.IsScalar())
            continue;
        const std::string& key = it->first.Scalar();
        if (m_taken.count(key))
            continue;
        std::string message = "unknown key " + quotedForMessage(key);
        const std::string* closest = nullptr;
        std::size_t best = 3; // suggest only near misses
        for (const std::string& allowed : allowedKeys) {
            // The distance is at least the difference in length: skip the quadratic work
            // for a long key that cannot be a near miss.
            const std::size_t longer = std::max(key.size(), allowed.size());
            const std::size_t shorter = std::min(key.size(), allowed.size());
            if (longer - shorter >= best)
                continue;
            const std::size_t distance = editDistance(key, allowed);
            if (distance < best) {
                best = distance;
                closest = &allowed;
            }
        }
        if (closest)
            message += "; did you mean '" + *closest + "'?";
        else
            message += "; allowed here: " + joinNames(allowedKeys);
        m_problems.add(it->first.Mark(), pathOf(shortenedForMessage(key)), message);
    }
}

void MapReader::integer(const std::string& key, int& target, long long min, long long max,
                        bool required)
{
    if (auto node = take(key, required))
        if (auto value = readInteger(*node, pathOf(key), m_problems, min, max))
            target = static_cast<int>(*value);
}

void MapReader::seed(const std::string& key, std::uint64_t& target)
{
    if (auto node = take(key))
        if (auto value = readInteger(*node, pathOf(key), m_problems, limits::kSeed))
            target = static_cast<std::uint64_t>(*value);
}

void MapReader::number(const std::string& key, double& target, double min, double max,
                       bool minInclusive, bool maxInclusive, bool required)
{
    if (auto node = take(key, required))
        if (auto value =
                readNumber(*node, pathOf(key), m_problems, min, max, minInclusive, maxInclusive))
            target = *value;
}

void MapReader::boolean(const std::string& key, bool& target)
{
    if (auto node = take(key))
        if (auto value = readBool(*node, pathOf(key), m_problems))
            target = *value;
}

void MapReader::string(const std::string& key, std::string& target)
{
    if (auto node = take(key))
        if (auto value = readString(*node, pathOf(key), m_problems))
            target = *value;
}

} // namespace atelier::detail
