// Every figure of a search, written into one folder: the parallel-coordinates chart and the
// per-parameter effects, each with the CSV behind it, and trials.csv. The Search view's
// Export and `atelier-cli export SWEEP_DIR` both call this; it needs a QApplication (the CLI
// runs one on the offscreen platform) but no window.
#pragma once

#include "ui/export/run_figures.h"

#include <QStringList>

namespace atelier::ui {

class ParallelCoordinatesChart;
class ParameterEffectsChart;
class SweepMonitor;

// The figures as `parallel` and `effects` show them now (the chart's brushes included);
// returns the files written. Throws InputError when a file cannot be written.
QStringList exportSearchFigures(const SweepMonitor& search, ParallelCoordinatesChart& parallel,
                                ParameterEffectsChart& effects, const QString& directory,
                                const FigureOptions& options);

// The same for a sweep folder on disk, with fresh charts (no brushes). Throws InputError
// when `sweepFolder` is not a sweep folder.
QStringList exportSearchFigures(const QString& sweepFolder, const QString& directory,
                                const FigureOptions& options);

} // namespace atelier::ui
