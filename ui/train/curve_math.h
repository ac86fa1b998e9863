// Arithmetic behind the training charts, free of Qt Charts: smoothing of the batch loss and
// the min/max decimation that keeps every spike visible while drawing a bounded number of
// points (all points stay in memory; only the drawing is reduced).
#pragma once

#include <QPointF>
#include <vector>

namespace atelier::ui {

// Exponential moving average with TensorBoard's bias correction (the first values are not
// pulled towards zero). smoothing in [0, 1): 0 returns the values unchanged.
std::vector<double> smoothed(const std::vector<double>& values, double smoothing);

// For points sorted by x: at most 2 × columns points, the minimum and the maximum of each of
// `columns` equal-width x buckets, in x order. Fewer points than that come back unchanged.
std::vector<QPointF> decimateMinMax(const std::vector<QPointF>& points, int columns);

} // namespace atelier::ui
