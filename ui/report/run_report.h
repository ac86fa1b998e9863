// The report of one run in full, or of several runs side by side, from their run folders
// (core's RunRecord): model, settings, environment, curves, test results, the confusion
// matrix, the classes mixed up most with example images, the most confident mistakes.
#pragma once

#include "core/dataset.h"
#include "core/run_folder.h"
#include "ui/report/report_document.h"

#include <memory>
#include <vector>

namespace atelier::ui {

enum class RunDetail
{
    Full,  // every section
    Brief, // summary, model, settings, confusion matrix and per-class table
};

// `data` (may be null) gives the example images; without it those sections say so.
ReportDocument runReport(const RunRecord& run, std::shared_ptr<const FashionMnist> data);

// A comparison table, per-class F1 side by side and the overlaid curves, then each run in
// brief.
ReportDocument comparisonReport(const std::vector<RunRecord>& runs,
                                std::shared_ptr<const FashionMnist> data);

// The run's sections under a level-1 heading `heading`; `searched` (a search's best trial:
// its value of each searched parameter) is listed first when given.
void addRunSections(ReportDocument& report, const RunRecord& run,
                    std::shared_ptr<const FashionMnist> data, RunDetail detail,
                    const QString& heading, const ReportFacts& searched = {});

} // namespace atelier::ui
