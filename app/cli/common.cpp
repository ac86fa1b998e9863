// Preset loading with the model checked, and numeric option checks, for the subcommands.
#include "common.h"

#include "core/dataset.h"
#include "core/errors.h"
#include "core/model_analysis.h"
#include "core/text_format.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace atelier::cli {
namespace {

// Plain decimal text of a bound: "1", "0.9", never "1.79769e+308".
std::string boundText(double value)
{
    return shortestDouble(value);
}

} // namespace

Preset loadTrainablePreset(const std::string& path)
{
    Preset preset = loadPreset(path);
    checkTrainable(preset, path);
    return preset;
}

void checkTrainable(const Preset& preset, const std::string& path)
{
    const ModelReport report = analyzeModel(preset.model, kNumClasses,
                                            trainingLoadOf(preset.training), physicalMemoryBytes());
    const auto errors = report.errors();
    if (!errors.empty())
        throw InputError(path + ": " + errors.front());
}

CLI::Validator integerIn(long long min, long long max)
{
    const std::string bounds = "from " + withThousands(min) + " to " + withThousands(max);
    const std::string range = "a whole number " + bounds;
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            errno = 0;
            char* end = nullptr;
            const long long value = std::strtoll(text.c_str(), &end, 10);
            // strtoll saturates on overflow and sets ERANGE: never take its clamped value.
            if (text.empty() || *end != '\0' || errno == ERANGE || value < min || value > max)
                return quotedForMessage(text) + " is not " + range;
            return {};
        },
        bounds);
}

CLI::Validator numberIn(double min, double max, Bound minBound, Bound maxBound)
{
    const std::string bounds =
        std::string(minBound == Bound::Inclusive ? "from " : "above ") + boundText(min) +
        (maxBound == Bound::Inclusive ? " up to " : " and below ") + boundText(max);
    const std::string range = "a number " + bounds;
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            const bool aboveMin = minBound == Bound::Inclusive ? value >= min : value > min;
            const bool belowMax = maxBound == Bound::Inclusive ? value <= max : value < max;
            if (text.empty() || *end != '\0' || !std::isfinite(value) || !aboveMin || !belowMax)
                return quotedForMessage(text) + " is not " + range;
            return {};
        },
        bounds);
}

CLI::Validator nonEmpty()
{
    return CLI::Validator(
        [](std::string& text) -> std::string {
            return text.empty() ? std::string("must not be empty (leave the option out for "
                                              "the default)")
                                : std::string();
        },
        "not empty");
}

} // namespace atelier::cli
