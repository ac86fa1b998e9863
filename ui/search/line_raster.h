// Thin translucent polylines blended straight into an image. Qt's raster engine blends a
// translucent pen span by span, and Qt 6 hands every batch of spans to its thread pool: on a
// two-core machine 2,000 lines took over a second that way, against a few tens of
// milliseconds here. Used for the parallel coordinates' lines on screen and in PNG exports;
// vector exports (SVG, PDF) draw the same lines as paths.
#pragma once

#include <QColor>
#include <QImage>
#include <QPolygonF>

namespace atelier::ui {

enum class LineBlend
{
    Over, // source-over: where lines cross, their colours add up as with QPainter
    Max,  // the most opaque wins: a thousand faint lines stay faint (one colour per image)
};

// Blends `line` (in the image's logical coordinates: device pixels divided by its device
// pixel ratio) into `image`, which must be Format_ARGB32_Premultiplied, antialiased, `widthPx`
// logical pixels wide (1 to about 3). Joints are blended once, so a translucent line has no
// darker dots at its vertices.
void blendPolyline(QImage& image, const QPolygonF& line, const QColor& colour, double widthPx,
                   LineBlend blend = LineBlend::Over);

} // namespace atelier::ui
