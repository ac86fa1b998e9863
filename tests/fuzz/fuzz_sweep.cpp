// libFuzzer target for the sweep reader (parseSweep) and the planner: YAML text in, a sweep or
// a list of problems out, never a crash, an exception, a hang or unbounded memory. A sweep it
// accepts must read back with the same fingerprint and the same trials from what
// sweepToYaml writes (a sweep folder's sweep.yaml, which every trial process reads).
#include "core/sweep.h"
#include "core/sweep_plan.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace {

// Planning parses one preset per point: keep each input's work small.
constexpr std::uint64_t kMaxPlannedPoints = 200;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace atelier;
    const std::string text(reinterpret_cast<const char*>(data), size);
    // A base given as a path finds no file here: the fuzzer must not read the machine's files.
    const SweepParseResult result = parseSweep(text, "fuzz.yaml", "/nonexistent-fuzz-base");
    for (const PresetProblem& problem : result.problems)
        (void)problem.toString();
    if (!result.problems.empty())
        return 0;
    const std::string saved = sweepToYaml(result.spec);
    const SweepParseResult again = parseSweep(saved, "saved.yaml", "/nonexistent-fuzz-base");
    if (!again.problems.empty() || sweepFingerprint(again.spec) != sweepFingerprint(result.spec)) {
        std::fprintf(stderr, "round trip changed the sweep; saved as:\n%s\n", saved.c_str());
        for (const PresetProblem& problem : again.problems)
            std::fprintf(stderr, "  %s\n", problem.toString().c_str());
        __builtin_trap();
    }
    std::uint64_t points = 1;
    for (const SweepParameter& parameter : result.spec.parameters)
        points *= parameter.range ? 1 : parameter.values.size();
    const bool small = points <= kMaxPlannedPoints &&
                       (result.spec.method == SweepMethod::Grid || result.spec.fraction > 0 ||
                        std::uint64_t(result.spec.trials) <= kMaxPlannedPoints);
    if (!small)
        return 0;
    const SweepPlan first = planSweep(result.spec), second = planSweep(again.spec);
    if (first.trials.size() != second.trials.size())
        __builtin_trap();
    for (std::size_t i = 0; i < first.trials.size(); ++i)
        if (first.trials[i].valueYamls != second.trials[i].valueYamls)
            __builtin_trap();
    return 0;
}
