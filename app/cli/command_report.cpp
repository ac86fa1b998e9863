// `atelier-cli report RUN_DIR [RUN_DIR...] | SWEEP_DIR [--out report.html|report.pdf]`: one
// self-contained file about a run, a comparison of runs or a search, drawn by the studio's
// code on Qt's offscreen platform (no display needed). The studio's File ▸ Export Report runs
// this command, so both write the same file.
#include "commands.h"
#include "common.h"
#include "core/errors.h"
#include "offscreen_rendering.h"
#include "ui/report/report_builder.h"
#include "ui/report/report_writer.h"

#include <iostream>
#include <memory>

namespace atelier::cli {
namespace {

struct ReportOptions
{
    std::vector<std::string> folders;
    std::string out; // empty: defaultReportPath
    std::string dataDirectory;
};

int runReport(const ReportOptions& options)
{
    QStringList folders;
    for (const std::string& folder : options.folders)
        folders << QString::fromStdString(folder);
    const QString out =
        options.out.empty() ? ui::defaultReportPath(folders) : QString::fromStdString(options.out);
    // Refused before anything is read or drawn.
    if (!ui::reportFormatForPath(out))
        throw InputError("--out " + out.toStdString() +
                         ": a report is written as .html or .pdf; name the file with one of "
                         "those suffixes");
    const ui::ReportSources sources = ui::readReportSources(folders); // refused before drawing
    const auto app = startOffscreenApplication();
    const std::shared_ptr<const FashionMnist> data =
        datasetForFigures(options.dataDirectory, "the example images of mistakes");
    ui::writeReport(ui::buildReport(sources, data), out);
    std::cout << out.toStdString() << "\n";
    return kExitOk;
}

} // namespace

Command addReportCommand(CLI::App& app)
{
    auto options = std::make_shared<ReportOptions>();
    CLI::App* command = app.add_subcommand(
        "report", "Write one self-contained HTML or PDF report of a run, a comparison of runs "
                  "or a search, no display needed");
    command
        ->add_option("folders", options->folders,
                     "One run folder (the run in full), several (a comparison), or one sweep "
                     "folder (the search)")
        ->required();
    command
        ->add_option("--out", options->out,
                     "The report file, .html or .pdf (default: FOLDER/report.html for one "
                     "folder, report.html here for several)")
        ->check(nonEmpty());
    command->add_option("--data", options->dataDirectory,
                        "Folder with the Fashion-MNIST IDX files (for the example images)");
    return {command, [options] { return runReport(*options); }};
}

} // namespace atelier::cli
