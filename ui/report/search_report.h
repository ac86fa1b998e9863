// The report of a search (a sweep folder): what was searched and how, the trials ranked by
// the objective, the parallel-coordinates chart, each parameter's effect (chart and table),
// then the best trial's run in full.
#pragma once

#include "core/dataset.h"
#include "ui/report/report_document.h"

#include <memory>

namespace atelier::ui {

// Trials listed in the ranked table; the rest are counted under it (trials.csv has them all).
constexpr int kReportedTrials = 100;

// Throws InputError when `sweepFolder` is not a sweep folder, or when its best trial's run
// folder cannot be read.
ReportDocument searchReport(const QString& sweepFolder, std::shared_ptr<const FashionMnist> data);

} // namespace atelier::ui
