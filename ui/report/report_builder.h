// Which report folders ask for, as `atelier-cli report` and the studio's Export Report take
// them: one sweep folder gives the search's report, one run folder the run's, several run
// folders a comparison.
#pragma once

#include "core/dataset.h"
#include "core/run_folder.h"
#include "ui/report/report_document.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace atelier::ui {

// What the folders hold, read and checked before anything is drawn (and before the dataset
// is loaded): one sweep folder, or the runs.
struct ReportSources
{
    QString sweepFolder; // "" for runs
    std::vector<RunRecord> runs;
};

// Throws InputError naming the folder when one is missing, not a complete run (or sweep)
// folder or named twice, or when a sweep folder comes with other folders.
ReportSources readReportSources(const QStringList& folders);

// The search's report, the run's, or the runs' comparison. `data` (may be null) gives the
// example images.
ReportDocument buildReport(const ReportSources& sources, std::shared_ptr<const FashionMnist> data);

// Where the report goes when no file is named: FOLDER/report.html for one folder, report.html
// in the current folder for several.
QString defaultReportPath(const QStringList& folders);

} // namespace atelier::ui
