// Which report folders ask for, as `atelier-cli report` and the studio's Export Report take
// them: one sweep folder gives the search's report, one run folder the run's, several run
// folders a comparison.
#pragma once

#include "core/dataset.h"
#include "ui/report/report_document.h"

#include <QStringList>
#include <memory>

namespace atelier::ui {

// Throws InputError naming the folder when one is not a complete run (or sweep) folder, is
// named twice, or when a sweep folder comes with other folders.
ReportDocument reportForFolders(const QStringList& folders,
                                std::shared_ptr<const FashionMnist> data);

// Where the report goes when no file is named: FOLDER/report.html for one folder, report.html
// in the current folder for several.
QString defaultReportPath(const QStringList& folders);

} // namespace atelier::ui
