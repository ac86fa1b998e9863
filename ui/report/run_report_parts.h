// The pieces of a run's report that are tables and facts, not figures: shared by the run,
// comparison and search reports.
#pragma once

#include "core/run_folder.h"
#include "ui/report/report_document.h"

#include <QString>

namespace atelier::ui {

// The run folder's own name ("mlp_small-20261127-213000"), what a report calls a run.
QString runFolderName(const RunRecord& run);

ReportFacts summaryFacts(const RunRecord& run);
ReportFacts settingsFacts(const RunRecord& run);
ReportFacts environmentFacts(const RunRecord& run);

// The layer stack in one line: "Dense(128) → Dense(128) → Dense(10)", "Conv2D(32, 3×3) → ...".
QString architectureText(const ModelSpec& model);

// One sentence of totals (parameters, FLOPs) and the layer table.
QString modelTotalsText(const ModelSpec& model);
ReportTable modelTable(const ModelSpec& model);

// Precision, recall, F1, support and the class each is most often taken for.
ReportTable perClassTable(const RunRecord& run);

// The off-diagonal cells of the confusion matrix, largest first: (true, predicted, count).
struct ConfusedPair
{
    int trueClass = 0;
    int predicted = 0;
    std::int64_t count = 0;
};
std::vector<ConfusedPair> mostConfusedPairs(const ConfusionMatrix& confusion, int count);

} // namespace atelier::ui
