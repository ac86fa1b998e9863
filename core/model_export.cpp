// Exporting a run's model: loads the run, describes the network once, hands it to a writer.
#include "model_export.h"

#include "atomic_file.h"
#include "errors.h"
#include "internal/exported_model.h"
#include "network.h"
#include "run_folder.h"
#include "version_info.h"
#include "weights.h"

#include <cstdio>
#include <sys/stat.h>

namespace atelier {

std::optional<ModelFormat> modelFormatFromName(const std::string& name)
{
    if (name == "onnx")
        return ModelFormat::Onnx;
    if (name == "torchscript")
        return ModelFormat::TorchScript;
    return std::nullopt;
}

std::string modelFormatName(ModelFormat format)
{
    return format == ModelFormat::Onnx ? "onnx" : "torchscript";
}

std::string defaultModelFileName(ModelFormat format)
{
    return format == ModelFormat::Onnx ? "model.onnx" : "model.torchscript.pt";
}

bool modelFormatAvailable(ModelFormat format)
{
#ifdef ATELIER_HAVE_ONNX
    return true;
#else
    return format != ModelFormat::Onnx;
#endif
}

std::string exportedModelBytes(const Network& network, const PixelTransform& transform,
                               ModelFormat format, const ExportMetadata& metadata)
{
    if (!modelFormatAvailable(format))
        throw InputError("this build of Atelier has no ONNX export (it was built without "
                         "libonnx-dev); TorchScript export is available");
    ExportedModel model = describeForExport(network, transform);
    char accuracy[32];
    std::snprintf(accuracy, sizeof accuracy, "%.4f", metadata.testAccuracy);
    model.metadata.insert(model.metadata.end(), {{"preset_name", metadata.presetName},
                                                 {"preset", metadata.presetYaml},
                                                 {"run_folder", metadata.runFolder},
                                                 {"test_accuracy", accuracy},
                                                 {"producer", "Atelier " + atelierVersion()}});
#ifdef ATELIER_HAVE_ONNX
    if (format == ModelFormat::Onnx)
        return onnxModelBytes(model);
#endif
    return torchScriptModelBytes(model);
}

std::string exportRunModel(const std::string& runFolder, ModelFormat format,
                           const std::string& outPath)
{
    const RunRecord run = loadRun(runFolder);
    const std::string path =
        outPath.empty() ? runFolder + "/" + defaultModelFileName(format) : outPath;
    struct stat info{};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
        throw InputError(path + ": is a folder; name the model file to write");
    Network network(run.preset.model, run.preset.training.seed);
    loadWeights(network, weightsPath(runFolder));
    const ExportMetadata metadata{run.preset.name, readTextFile(runFolder + "/preset.yaml"),
                                  runFolder, run.metrics.testAccuracy};
    writeFileAtomically(path,
                        exportedModelBytes(network, run.metrics.transform, format, metadata));
    return path;
}

} // namespace atelier
