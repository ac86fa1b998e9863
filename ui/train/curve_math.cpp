// Arithmetic behind the training charts.
#include "ui/train/curve_math.h"

#include <algorithm>

namespace atelier::ui {

std::vector<double> smoothed(const std::vector<double>& values, double smoothing)
{
    smoothing = std::clamp(smoothing, 0.0, 0.999);
    std::vector<double> out;
    out.reserve(values.size());
    double average = 0;
    double weight = 0;
    for (double value : values) {
        average = average * smoothing + value * (1 - smoothing);
        weight = weight * smoothing + (1 - smoothing);
        out.push_back(weight > 0 ? average / weight : value);
    }
    return out;
}

std::vector<QPointF> decimateMinMax(const std::vector<QPointF>& points, int columns)
{
    columns = std::max(columns, 1);
    if (points.size() <= std::size_t(2 * columns))
        return points;
    const double first = points.front().x();
    const double width = std::max(points.back().x() - first, 1e-12);
    std::vector<QPointF> out;
    out.reserve(std::size_t(2 * columns));
    std::size_t i = 0;
    for (int column = 0; column < columns && i < points.size(); ++column) {
        const double end = first + width * double(column + 1) / columns;
        const QPointF* low = nullptr;
        const QPointF* high = nullptr;
        for (; i < points.size() && (points[i].x() <= end || column == columns - 1); ++i) {
            if (!low || points[i].y() < low->y())
                low = &points[i];
            if (!high || points[i].y() > high->y())
                high = &points[i];
        }
        if (!low)
            continue;
        // Keep x order so that the line does not run backwards.
        if (low->x() <= high->x()) {
            out.push_back(*low);
            if (high != low)
                out.push_back(*high);
        } else {
            out.push_back(*high);
            out.push_back(*low);
        }
    }
    return out;
}

} // namespace atelier::ui
