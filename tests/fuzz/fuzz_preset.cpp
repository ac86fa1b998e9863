// libFuzzer target for the preset reader (parsePreset): YAML text in, a preset or a list of
// problems out, never a crash, an exception, a hang or unbounded memory. A preset it accepts
// must load again, equal, from what presetToYaml writes (the studio saves presets that way).
#include "core/preset.h"

#include <cstdint>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace atelier;
    const std::string text(reinterpret_cast<const char*>(data), size);
    const PresetParseResult result = parsePreset(text, "fuzz.yaml");
    for (const PresetProblem& problem : result.problems)
        (void)problem.toString();
    if (!result.problems.empty())
        return 0;
    const std::string saved = presetToYaml(result.preset);
    const PresetParseResult again = parsePreset(saved, "saved.yaml");
    if (!again.problems.empty() || again.preset != result.preset) {
        std::fprintf(stderr, "round trip changed the preset; saved as:\n%s\n", saved.c_str());
        for (const PresetProblem& problem : again.problems)
            std::fprintf(stderr, "  %s\n", problem.toString().c_str());
        __builtin_trap();
    }
    return 0;
}
