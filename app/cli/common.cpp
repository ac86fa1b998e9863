// Preset loading with the model checked, for train and eval.
#include "common.h"

#include "core/dataset.h"
#include "core/errors.h"
#include "core/model_analysis.h"

namespace atelier::cli {

Preset loadTrainablePreset(const std::string& path)
{
    Preset preset = loadPreset(path);
    const auto errors = analyzeModel(preset.model, kNumClasses).errors();
    if (!errors.empty())
        throw InputError(path + ": " + errors.front());
    return preset;
}

} // namespace atelier::cli
