// `atelier-cli summary PRESET`: a Keras-style model summary with the memory training needs,
// or every reason the stack is invalid or cannot fit this machine (exit code 2).
#include "commands.h"
#include "core/dataset.h"
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
                const std::int64_t machineBytes = physicalMemoryBytes();
                // The same check as train: the preset's batch size and optimizer.
                const ModelReport report = analyzeModel(
                    preset.model, kNumClasses, trainingLoadOf(preset.training), machineBytes);
                const auto errors = report.errors();
                if (!errors.empty()) {
                    for (const std::string& error : errors)
                        std::cerr << *presetPath << ": " << error << "\n";
                    return int(kExitBadInput);
                }
                if (!preset.name.empty())
                    std::cout << "Model: " << preset.name << "\n";
                std::cout << formatSummary(report);
                const MemoryEstimate& memory = report.memory;
                std::cout << "Training memory: about " << formatBytes(memory.totalBytes())
                          << " at batch " << memory.batchSize << " ("
                          << formatBytes(memory.parameterBytes)
                          << " for weights, gradients, optimizer state and the best weights; "
                          << formatBytes(memory.activationBytes) << " of activations)";
                if (machineBytes > 0)
                    std::cout << "; this machine has " << formatBytes(machineBytes);
                std::cout << "\n";
                return int(kExitOk);
            }};
}

} // namespace atelier::cli
