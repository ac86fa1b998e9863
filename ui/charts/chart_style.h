// Shared look of Atelier's charts: follows the application palette (light or dark), no
// OpenGL (offscreen rendering and exports would come out empty).
#pragma once

#include <QtCharts/QChart>
#include <functional>

namespace atelier::ui {

// Sets the chart's theme from `palette` and keeps the series colours Atelier uses.
void styleChart(QChart* chart, const QPalette& palette);

// Draws `chart` laid out at `target`'s size (title, legend, axes), then gives it back its
// on-screen size: exports get the chosen size, not a scaled screenshot. `afterLayout` runs
// after each of the two layouts (charts whose drawing depends on their size redraw there).
void renderChart(QChart* chart, QPainter* painter, const QRectF& target,
                 const std::function<void()>& afterLayout = {});

// The colours of the train, dev and test splits everywhere in the studio.
QColor splitColor(int splitIndex);

} // namespace atelier::ui
