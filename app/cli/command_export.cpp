// `atelier-cli export RUN_DIR`: writes the run's figures (curves, confusion matrix, mistakes,
// model diagram, class distribution) and the CSV behind each, without a display: the
// studio's own rendering on Qt's offscreen platform. `export SWEEP_DIR` writes a search's
// figures (parallel coordinates, parameter effects) and trials.csv the same way.
#include "commands.h"
#include "common.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/run_folder.h"
#include "core/sweep_folder.h"
#include "offscreen_rendering.h"
#include "ui/export/run_figures.h"
#include "ui/export/search_figures.h"

#include <QDir>
#include <QFileInfo>
#include <iostream>
#include <memory>

namespace atelier::cli {
namespace {

struct ExportOptions
{
    std::string run;
    std::string format = "png";
    std::string out; // empty: RUN_DIR/figures
    std::string dataDirectory;
    int width = 1200;
    int height = 800;
};

int runExport(const ExportOptions& options)
{
    const auto app = startOffscreenApplication();

    const auto format = ui::figureFormatFromName(QString::fromStdString(options.format));
    const QString folder = QString::fromStdString(options.run);
    const QString out = options.out.empty() ? QDir(folder).filePath("figures")
                                            : QString::fromStdString(options.out);
    ui::FigureOptions figureOptions;
    figureOptions.format = *format;
    figureOptions.size = QSize(options.width, options.height);
    if (isSweepFolder(options.run)) {
        for (const QString& path : ui::exportSearchFigures(folder, out, figureOptions))
            std::cout << path.toStdString() << "\n";
        return kExitOk;
    }
    const RunRecord record = loadRun(options.run);
    // The images and class counts come from the dataset; without it those figures are skipped.
    const std::shared_ptr<const FashionMnist> data = datasetForFigures(
        options.dataDirectory, "the misclassified-images and class-distribution figures");
    const QStringList written =
        ui::exportRunFigures(ui::RunData::fromRecord(record), data, out, figureOptions);
    for (const QString& path : written)
        std::cout << path.toStdString() << "\n";
    return kExitOk;
}

} // namespace

Command addExportCommand(CLI::App& app)
{
    auto options = std::make_shared<ExportOptions>();
    CLI::App* command =
        app.add_subcommand("export", "Write a run's or a search's figures (PNG, SVG or PDF) and "
                                     "their CSV data, no display needed");
    command
        ->add_option("run", options->run,
                     "Run folder (from train) or sweep folder (from sweep run)")
        ->required();
    command->add_option("--format", options->format, "png, svg or pdf (default: png)")
        ->check(CLI::IsMember({"png", "svg", "pdf"}));
    command->add_option("--out", options->out, "Folder for the files (default: RUN/figures)")
        ->check(nonEmpty());
    command->add_option("--width", options->width, "Figure width in pixels (default: 1200)")
        ->check(integerIn(200, 8000));
    command->add_option("--height", options->height, "Figure height in pixels (default: 800)")
        ->check(integerIn(200, 8000));
    command->add_option("--data", options->dataDirectory,
                        "Folder with the Fashion-MNIST IDX files");
    return {command, [options] { return runExport(*options); }};
}

} // namespace atelier::cli
