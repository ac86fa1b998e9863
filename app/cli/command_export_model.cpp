// `atelier-cli export-model RUN_DIR --format onnx|torchscript [--out FILE]`: the trained model
// as a file other programs load (OpenCV, ONNX Runtime, PyTorch). docs/model-export.md says
// what goes in and what comes out.
#include "commands.h"
#include "common.h"
#include "core/model_export.h"

#include <cstdio>
#include <memory>

namespace atelier::cli {
namespace {

struct ExportModelOptions
{
    std::string folder;
    std::string format;
    std::string out;
};

int runExportModel(const ExportModelOptions& options)
{
    const ModelFormat format = *modelFormatFromName(options.format);
    const std::string path = exportRunModel(options.folder, format, options.out);
    std::printf("Wrote %s (%s%s)\n", path.c_str(), modelFormatName(format).c_str(),
                format == ModelFormat::Onnx ? (", opset " + std::to_string(kOnnxOpset)).c_str()
                                            : "");
    std::printf("Input: N×1×28×28 pixels in 0..1, white garment on black; output: N×10 class "
                "probabilities.\n");
    return kExitOk;
}

} // namespace

Command addExportModelCommand(CLI::App& app)
{
    auto options = std::make_shared<ExportModelOptions>();
    CLI::App* command = app.add_subcommand(
        "export-model", "Write a run's trained model as ONNX or TorchScript for other programs");
    command->add_option("run", options->folder, "Run folder (written by atelier-cli train)")
        ->required();
    command
        ->add_option("--format", options->format,
                     "onnx (opset " + std::to_string(kOnnxOpset) +
                         ", for OpenCV, ONNX Runtime, ...) or torchscript (torch.jit.load)")
        ->required()
        ->check(CLI::IsMember({"onnx", "torchscript"}));
    command
        ->add_option("--out", options->out,
                     "File to write (default: model.onnx or model.torchscript.pt in the run "
                     "folder)")
        ->check(nonEmpty());
    return {command, [options] { return runExportModel(*options); }};
}

} // namespace atelier::cli
