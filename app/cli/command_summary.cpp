// `atelier-cli summary PRESET`: a Keras-style model summary, or the first reason the
// stack is invalid (exit code 2).
#include "commands.h"
#include "core/model_analysis.h"
#include "core/preset.h"

#include <iostream>
#include <memory>

namespace atelier::cli {

Command addSummaryCommand(CLI::App& app)
{
    auto presetPath = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand(
        "summary", "Print the model of a preset layer by layer: output shapes and parameters");
    command->add_option("preset", *presetPath, "Preset file (YAML)")->required();
    return {command, [presetPath] {
                const Preset preset = loadPreset(*presetPath);
                const ModelReport report = analyzeModel(preset.model, 10);
                const auto errors = report.errors();
                if (!errors.empty()) {
                    for (const std::string& error : errors)
                        std::cerr << *presetPath << ": " << error << "\n";
                    return int(kExitBadInput);
                }
                if (!preset.name.empty())
                    std::cout << "Model: " << preset.name << "\n";
                std::cout << formatSummary(report);
                return int(kExitOk);
            }};
}

} // namespace atelier::cli
