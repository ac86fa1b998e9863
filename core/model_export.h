// Taking a trained model out of Atelier: ONNX (for OpenCV, ONNX Runtime, other languages) and
// TorchScript (for PyTorch). Both files take N×1×28×28 pixels in 0..1 and contain the run's
// normalisation, so a user feeds images as documented in docs/model-export.md, not as the
// network saw them; both return class probabilities.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace atelier {

class Network;
struct PixelTransform;

enum class ModelFormat
{
    Onnx,
    TorchScript,
};

// The ONNX operator set the graph is written against (ONNX 1.8+, OpenCV 4.5+).
constexpr int kOnnxOpset = 13;

std::optional<ModelFormat> modelFormatFromName(const std::string& name); // "onnx", "torchscript"
std::string modelFormatName(ModelFormat format);
// The file written into the run folder when no --out is given: model.onnx, model.torchscript.pt
std::string defaultModelFileName(ModelFormat format);
// ONNX needs a build with libonnx-dev; a build without it says so when asked.
bool modelFormatAvailable(ModelFormat format);

struct ExportMetadata
{
    std::string presetName;
    std::string presetYaml; // the run's preset.yaml, stored in the file
    std::string runName;    // the run folder's name, not its path
    double testAccuracy = 0;
};

// The serialized model. Throws InputError when the format is not in this build; a graph the
// ONNX checker refuses is Atelier's bug and throws std::runtime_error. (Every layer type of
// model_spec.h exports to both formats, so no spec is refused here.)
std::string exportedModelBytes(const Network& network, const PixelTransform& transform,
                               ModelFormat format, const ExportMetadata& metadata);

// Loads the complete run in `runFolder` with its weights and writes the model atomically to
// `outPath` (empty: defaultModelFileName in the run folder). Returns the path written.
// Throws InputError naming the folder or file (incomplete run, no weights, unwritable path,
// a folder, or one of the run's own files such as model.pt as `outPath`).
std::string exportRunModel(const std::string& runFolder, ModelFormat format,
                           const std::string& outPath);

} // namespace atelier
