// The parallel coordinates' geometry, shared by its painting and its mouse handling: where
// each axis and its ticks are for a given figure area, and the lines' pixel positions cached
// for that area. Private to parallel_coordinates_chart*.cpp.
#pragma once

#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/search_scale.h"

#include <QImage>
#include <QPolygonF>
#include <QRectF>
#include <vector>

namespace atelier::ui {

// Half the width of a drawn brush box, in pixels: also how near an axis a press grabs it.
constexpr double kBrushHalfWidthPx = 7.0;

struct ParallelCoordinatesChart::Layout
{
    QRectF area, plot, footer;
    double text = 0;       // the text height
    double titleWidth = 0; // the room of one axis title
    std::vector<double> x; // per axis
    std::vector<ColumnAxis> axes;
    std::vector<std::vector<Tick>> ticks;
    std::vector<QString> titles;
    bool staggered = false; // titles alternate between two rows

    double y(int axis, double value) const
    {
        return plot.bottom() - axes[std::size_t(axis)].unit(value) * plot.height();
    }
};

struct ParallelCoordinatesChart::Cache
{
    QRectF plot;
    std::vector<double> x;
    quint64 generation = ~quint64(0);
    std::vector<QPolygonF> lines; // per row; empty when the row is not drawn
    QImage layer;                 // the lines as drawn on a raster device; null when stale
};

} // namespace atelier::ui
