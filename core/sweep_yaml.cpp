// Preset key paths on yaml-cpp documents (see internal/sweep_yaml.h).
#include "internal/sweep_yaml.h"

#include <cctype>
#include <sstream>
#include <yaml-cpp/eventhandler.h>

namespace atelier::detail {
namespace {

bool isNameCharacter(char c, bool first)
{
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Looks a key up without yaml-cpp's non-const operator[], which would add it.
std::optional<YAML::Node> childOf(const YAML::Node& map, const std::string& key)
{
    for (auto it = map.begin(); it != map.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key)
            return it->second;
    return std::nullopt;
}

std::string describe(const std::vector<KeyPathStep>& steps, std::size_t count)
{
    std::string text;
    for (std::size_t i = 0; i < count; ++i)
        text += steps[i].key.empty() ? "[" + std::to_string(steps[i].index) + "]"
                                     : (text.empty() ? "" : ".") + steps[i].key;
    return text;
}

void collect(const YAML::Node& node, const std::string& prefix, std::vector<std::string>& out,
             int depth)
{
    if (depth > 8)
        return;
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar())
                continue;
            const std::string path =
                prefix.empty() ? it->first.Scalar() : prefix + "." + it->first.Scalar();
            out.push_back(path);
            collect(it->second, path, out, depth + 1);
        }
    } else if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            const std::string path = prefix + "[" + std::to_string(i + 1) + "]";
            out.push_back(path);
            collect(node[i], path, out, depth + 1);
        }
    }
}

// Notes the first alias of a document; everything else is ignored.
class AliasFinder : public YAML::EventHandler
{
public:
    std::optional<YAML::Mark> alias;
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override
    {
        if (!alias)
            alias = mark;
    }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override
    {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {}
    void OnMapEnd() override {}
};

} // namespace

std::string canonicalKeyPath(const std::vector<KeyPathStep>& steps)
{
    return describe(steps, steps.size());
}

std::optional<YAML::Mark> firstAlias(const std::string& text)
{
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    AliasFinder finder;
    try {
        // The first document only, as YAML::Load reads: on some malformed input yaml-cpp's
        // HandleNextDocument keeps answering true without moving on (found by fuzz_sweep).
        parser.HandleNextDocument(finder);
    } catch (const YAML::Exception&) {
        // Syntax errors are the loader's to report.
    }
    return finder.alias;
}

std::optional<std::vector<KeyPathStep>> parseKeyPath(const std::string& path, std::string& why)
{
    std::vector<KeyPathStep> steps;
    std::size_t i = 0;
    const auto fail = [&](const std::string& text) {
        why = text;
        return std::nullopt;
    };
    if (path.empty())
        return fail("is empty");
    while (i < path.size()) {
        if (path[i] == '[') {
            if (steps.empty())
                return fail("starts with an index; a key path starts with a key such as model");
            const std::size_t close = path.find(']', i);
            const std::string digits =
                close == std::string::npos ? "" : path.substr(i + 1, close - i - 1);
            if (digits.empty() || digits.size() > 6 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                return fail("has a bad list index at position " + std::to_string(i + 1) +
                            " (write model.layers[2], counting from 1)");
            KeyPathStep step;
            step.index = std::stol(digits);
            if (step.index < 1)
                return fail("list positions count from 1 (model.layers[1] is the first layer)");
            steps.push_back(step);
            i = close + 1;
            continue;
        }
        if (!steps.empty()) {
            if (path[i] != '.')
                return fail("expected '.' or '[' at position " + std::to_string(i + 1));
            ++i;
        }
        const std::size_t start = i;
        while (i < path.size() && isNameCharacter(path[i], i == start))
            ++i;
        if (i == start)
            return fail("expected a key name at position " + std::to_string(start + 1));
        KeyPathStep step;
        step.key = path.substr(start, i - start);
        steps.push_back(step);
    }
    return steps;
}

std::optional<YAML::Node> slotAt(YAML::Node root, const std::vector<KeyPathStep>& steps,
                                 std::string& why)
{
    YAML::Node node;
    node.reset(root);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const KeyPathStep& step = steps[i];
        const bool last = i + 1 == steps.size();
        if (step.key.empty()) {
            if (!node.IsSequence()) {
                why = describe(steps, i) + " is not a list";
                return std::nullopt;
            }
            if (std::size_t(step.index) > node.size()) {
                why = describe(steps, i) + " has " + std::to_string(node.size()) +
                      (node.size() == 1 ? " item" : " items") + " (positions 1 to " +
                      std::to_string(node.size()) + ")";
                return std::nullopt;
            }
            // reset(), not operator=: assigning a yaml-cpp Node overwrites the node it refers
            // to (here: the document's root) instead of re-pointing the handle.
            node.reset(node[std::size_t(step.index - 1)]);
            continue;
        }
        if (!node.IsMap()) {
            why = (i == 0 ? std::string("the preset") : describe(steps, i)) + " is not a mapping";
            return std::nullopt;
        }
        if (std::optional<YAML::Node> child = childOf(node, step.key)) {
            node.reset(*child);
            continue;
        }
        if (!last) {
            why = describe(steps, i + 1) + " is not in the base preset";
            return std::nullopt;
        }
        return node[step.key]; // added; the preset schema then says whether it may be there
    }
    return node;
}

std::vector<std::string> keyPathsIn(const YAML::Node& root)
{
    std::vector<std::string> paths;
    collect(root, "", paths, 0);
    return paths;
}

std::string flowYaml(const YAML::Node& node)
{
    YAML::Emitter emitter;
    emitter.SetMapFormat(YAML::Flow);
    emitter.SetSeqFormat(YAML::Flow);
    emitter << node;
    return emitter.c_str();
}

} // namespace atelier::detail
