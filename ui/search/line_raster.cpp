// Antialiased translucent polylines blended into an image (see line_raster.h).
#include "ui/search/line_raster.h"

#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

struct Target
{
    QRgb* bits;
    int stride; // pixels per row
    int width, height;
    QRgb colour; // opaque (alpha 255)
    int alpha;   // 0..255: the pen's
    LineBlend blend;
};

// x × a / 255 on the four 8-bit channels at once, two at a time (Qt's BYTE_MUL).
inline QRgb byteMul(QRgb x, uint a)
{
    uint t = (x & 0xff00ffu) * a;
    t = ((t + ((t >> 8) & 0xff00ffu) + 0x800080u) >> 8) & 0xff00ffu;
    x = ((x >> 8) & 0xff00ffu) * a;
    x = (x + ((x >> 8) & 0xff00ffu) + 0x800080u) & 0xff00ff00u;
    return x | t;
}

// Source-over (or max) of the pen's colour at `coverage` (0..1) onto one premultiplied pixel.
inline void blendPixel(const Target& t, QRgb& pixel, double coverage)
{
    const uint a = uint(t.alpha * coverage + 0.5);
    if (a == 0)
        return;
    if (t.blend == LineBlend::Over)
        pixel = byteMul(t.colour, a) + byteMul(pixel, 255 - a);
    else if (int(a) > qAlpha(pixel))
        pixel = byteMul(t.colour, a);
}

// One segment in device pixels, Wu-style with a width: at each pixel centre along the major
// axis, every pixel across it gets the share of [centre - half, centre + half] it covers.
// Major positions in [from, to) (half-open, so that consecutive segments meet without overlap)
// or [from, to] for the last.
void blendSegment(const Target& t, QPointF a, QPointF b, double width, bool last)
{
    const bool steep = std::abs(b.y() - a.y()) > std::abs(b.x() - a.x());
    if (steep) {
        a = QPointF(a.y(), a.x());
        b = QPointF(b.y(), b.x());
    }
    const bool reversed = a.x() > b.x();
    if (reversed)
        std::swap(a, b);
    const double dx = b.x() - a.x();
    const double gradient = dx > 0 ? (b.y() - a.y()) / dx : 0;
    // The width across the minor axis grows as the line tilts.
    const double half = width * std::sqrt(1 + gradient * gradient) / 2;
    // Pixel columns [first, end) whose centres lie in the segment, its start included and its
    // end left to the next segment (the last one keeps both).
    int first = 0, end = 0;
    if (!reversed) {
        first = int(std::ceil(a.x() - 0.5));
        end = last ? int(std::floor(b.x() - 0.5)) + 1 : int(std::ceil(b.x() - 0.5));
    } else {
        first = last ? int(std::ceil(a.x() - 0.5)) : int(std::floor(a.x() - 0.5)) + 1;
        end = int(std::floor(b.x() - 0.5)) + 1;
    }
    first = std::max(first, 0);
    end = std::min(end, steep ? t.height : t.width);
    const int minorLimit = steep ? t.width : t.height;
    // From one pixel to the next along each axis, in the image's memory.
    const std::ptrdiff_t majorStep = steep ? t.stride : 1, minorStep = steep ? 1 : t.stride;
    double centre = a.y() + gradient * (first + 0.5 - a.x());
    for (int major = first; major < end; ++major, centre += gradient) {
        const double low = centre - half, high = centre + half;
        const int from = std::max(int(std::floor(low)), 0);
        const int to = std::min(int(std::floor(high)), minorLimit - 1);
        QRgb* const line = t.bits + major * majorStep;
        for (int minor = from; minor <= to; ++minor) {
            const double coverage = std::min(high, minor + 1.0) - std::max(low, double(minor));
            blendPixel(t, line[minor * minorStep], coverage);
        }
    }
}

} // namespace

void blendPolyline(QImage& image, const QPolygonF& line, const QColor& colour, double widthPx,
                   LineBlend blend)
{
    if (image.format() != QImage::Format_ARGB32_Premultiplied || line.size() < 2)
        return;
    const double ratio = image.devicePixelRatio();
    Target t{reinterpret_cast<QRgb*>(image.bits()),
             int(image.bytesPerLine() / int(sizeof(QRgb))),
             image.width(),
             image.height(),
             qRgb(colour.red(), colour.green(), colour.blue()), // qRgb: alpha 255
             colour.alpha(),
             blend};
    for (int i = 0; i + 1 < line.size(); ++i)
        blendSegment(t, line[i] * ratio, line[i + 1] * ratio, widthPx * ratio,
                     i + 2 == line.size());
}

} // namespace atelier::ui
