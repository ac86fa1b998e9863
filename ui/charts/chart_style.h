// Shared look of Atelier's charts: follows the application palette (light or dark), no
// OpenGL (offscreen rendering and exports would come out empty).
#pragma once

#include <QtCharts/QChart>

namespace atelier::ui {

// Sets the chart's theme from `palette` and keeps the series colours Atelier uses.
void styleChart(QChart* chart, const QPalette& palette);

// The colours of the train, dev and test splits everywhere in the studio.
QColor splitColor(int splitIndex);

} // namespace atelier::ui
