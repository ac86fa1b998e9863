// The Inside view's figures of one run, written into a folder with the CSV behind each: the
// gradient norm per layer (lines and heatmap), the weight and gradient distributions of the
// first and last layers with parameters, and the saturated/dead share per layer. Called with
// the run's other figures (run_figures.h); needs a QApplication but no window.
#pragma once

#include "ui/export/run_figures.h"

#include <QStringList>

namespace atelier::ui {

// Returns the files written, figures and CSVs: nothing when the run has no layer statistics;
// layer_saturation only when a layer can saturate or die (sigmoid, tanh, relu); the
// distributions only once an epoch's histograms exist. Throws InputError when a file cannot
// be written.
QStringList exportInsideFigures(const RunData& run, const QString& directory,
                                const FigureOptions& options);

} // namespace atelier::ui
