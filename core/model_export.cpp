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
#include <cstdlib>
#include <limits.h>
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
                                                 {"run", metadata.runName},
                                                 {"test_accuracy", accuracy},
                                                 {"producer", "Atelier " + atelierVersion()}});
#ifdef ATELIER_HAVE_ONNX
    if (format == ModelFormat::Onnx)
        return onnxModelBytes(model);
#endif
    return torchScriptModelBytes(model);
}

namespace {

// The folder's files as a writer may name them (docs/run-folder.md): an export must never
// replace the weights or the record of the run it comes from.
void refuseRunFolderFile(const std::string& runFolder, const std::string& path)
{
    static const char* const kRunFiles[] = {
        "preset.yaml",     "history.csv",          "batch_losses.csv",
        "layer_stats.csv", "layer_histograms.csv", "confusion.csv",
        "per_class.csv",   "misclassified.csv",    "model.pt",
        "checkpoint.pt",   "train.lock",           "metrics.json"};
    const std::size_t slash = path.find_last_of('/');
    const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    char* outFolder = ::realpath(directory.c_str(), nullptr);
    char* runPath = ::realpath(runFolder.c_str(), nullptr);
    const bool sameFolder = outFolder && runPath && std::string(outFolder) == runPath;
    std::free(outFolder);
    std::free(runPath);
    if (!sameFolder)
        return;
    for (const char* file : kRunFiles)
        if (name == file)
            throw InputError(path + ": is the run's own " + name +
                             "; name the model file otherwise (default " +
                             "model.onnx or model.torchscript.pt)");
}

} // namespace

std::string exportRunModel(const std::string& runFolder, ModelFormat format,
                           const std::string& outPath)
{
    const RunRecord run = loadRun(runFolder);
    const std::string path =
        outPath.empty() ? runFolder + "/" + defaultModelFileName(format) : outPath;
    struct stat info = {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
        throw InputError(path + ": is a folder; name the model file to write");
    refuseRunFolderFile(runFolder, path);
    Network network(run.preset.model, run.preset.training.seed);
    loadWeights(network, weightsPath(runFolder));
    // The folder's name only: a full path would carry the user's home folder into a file made
    // to be shared.
    std::string runName = runFolder;
    while (runName.size() > 1 && runName.back() == '/')
        runName.pop_back();
    runName = runName.substr(runName.find_last_of('/') + 1);
    const ExportMetadata metadata{run.preset.name, readTextFile(runFolder + "/preset.yaml"),
                                  runName, run.metrics.testAccuracy};
    writeFileAtomically(path, exportedModelBytes(network, run.metrics.transform, format, metadata));
    return path;
}

} // namespace atelier
