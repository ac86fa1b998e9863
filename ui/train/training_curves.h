// Turns runs into the curves of the training charts: one run with its best epoch and
// patience window marked, or several overlaid (colour per run, dashed validation curves).
// Shared by the Train view and the figure export.
#pragma once

#include "ui/charts/curve_chart.h"
#include "ui/runs/run_data.h"

namespace atelier::ui {

struct TrainingCurves
{
    std::vector<CurveSeries> loss;
    std::vector<CurveSeries> accuracy;
    std::vector<CurveSeries> batchLoss;
    CurveMarkers markers; // for loss and accuracy (one run only)
};

// `smoothing` in [0, 1) for the batch loss's moving average.
TrainingCurves trainingCurves(const std::vector<const RunData*>& runs, double smoothing);

// Titles the three charts the same way everywhere.
void titleLossChart(CurveChart* chart);
void titleAccuracyChart(CurveChart* chart);
void titleBatchChart(CurveChart* chart);

} // namespace atelier::ui
