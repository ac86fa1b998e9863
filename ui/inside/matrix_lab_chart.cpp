// The matrix experiment's figure (see matrix_lab_chart.h).
#include "ui/inside/matrix_lab_chart.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

// Where a depth's norm is drawn.
enum class Place
{
    Scale,
    Zero,
    Inf,
    Nan,
};

Place placeOf(double norm)
{
    if (std::isnan(norm))
        return Place::Nan;
    if (std::isinf(norm))
        return Place::Inf;
    return norm > 0 ? Place::Scale : Place::Zero;
}

// Decade steps of the log scale's ticks, in powers of ten: a product can span 80 decades.
constexpr int kDecadeSteps[] = {1, 2, 5, 10, 20, 50, 100};
// A band row's height and its bars' thickness, in text heights.
constexpr double kBandRowText = 1.25;
constexpr double kBarShare = 0.32;

// Okabe–Ito colours (told apart with every common colour-vision deficiency); the dark
// palette gets lighter versions of the same hues.
constexpr QRgb kLightColours[] = {0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00};
constexpr QRgb kDarkColours[] = {0x56b4e9, 0xff8a3d, 0x3ccb9b, 0xe19ac6, 0xf0c24f};

// As the sibling Inside figures write a decade: short from 0.01 to 1000, "1e-40" beyond.
QString decadeText(int exponent)
{
    if (exponent >= -2 && exponent <= 3)
        return QString::number(std::pow(10.0, exponent), 'g', 4);
    return QStringLiteral("1e%1").arg(exponent);
}

QString csvNumberOf(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', 10);
}

QString csvText(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1String("\""), QLatin1String("\"\"")) +
           QLatin1Char('"');
}

// A 1-2-5 step giving at most `count` ticks over `span`.
int niceStep(double span, double count)
{
    const double raw = span / std::max(1.0, count);
    for (double magnitude = 1;; magnitude *= 10)
        for (const int m : {1, 2, 5})
            if (m * magnitude >= raw)
                return int(m * magnitude);
}

// Consecutive points in one pixel column collapse to their first, lowest, highest and last:
// the line keeps every spike, the figure stays small with 10,000 depths.
QPolygonF decimated(const QPolygonF& points, double width)
{
    if (points.size() <= 2 * width)
        return points;
    QPolygonF out;
    int i = 0;
    while (i < points.size()) {
        const double column = std::floor(points[i].x());
        int j = i, low = i, high = i;
        while (j < points.size() && std::floor(points[j].x()) == column) {
            if (points[j].y() < points[low].y())
                low = j;
            if (points[j].y() > points[high].y())
                high = j;
            ++j;
        }
        for (const int k : {i, std::min(low, high), std::max(low, high), j - 1})
            if (out.isEmpty() || out.back() != points[k])
                out << points[k];
        i = j;
    }
    return out;
}

// Text on a box of the background, readable over grid lines and bars.
void haloText(QPainter* painter, const QRectF& box, int flags, const QString& text,
              const QColor& background)
{
    painter->fillRect(painter->boundingRect(box, flags, text).adjusted(-3, 0, 3, 0), background);
    painter->drawText(box, flags, text);
}

} // namespace

struct MatrixLabChart::Frame
{
    QRectF scale, zeroBand, infBand;
    double text = 0, rowHeight = 0;
    double labelLeft = 0; // where the decade and band labels may start
    int depths = 1;
    int logLow = -1, logHigh = 1;     // the scale's ends, in decades
    std::vector<int> zeroRow, infRow; // per curve: its row in the band, -1 for none

    double xOf(double depth) const
    {
        return depths <= 1 ? scale.center().x()
                           : scale.left() + (depth - 1) / (depths - 1) * scale.width();
    }
    double yOf(double norm) const
    {
        const double unit = (std::log10(norm) - logLow) / (logHigh - logLow);
        return scale.bottom() - unit * scale.height();
    }
    double rowY(const QRectF& band, int row) const
    {
        return band.top() + rowHeight * 0.15 + (row + 0.5) * rowHeight;
    }
    QPointF bandPoint(Place place, int curve, int depth) const
    {
        return place == Place::Zero ? QPointF(xOf(depth), rowY(zeroBand, zeroRow[curve]))
                                    : QPointF(xOf(depth), rowY(infBand, infRow[curve]));
    }
};

MatrixLabChart::MatrixLabChart(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(420, 300);
}

MatrixLabChart::~MatrixLabChart() = default;

void MatrixLabChart::setCurves(std::vector<MatrixLabCurve> curves)
{
    m_curves = std::move(curves);
    m_message.clear();
    m_drawn.clear();
    update();
}

void MatrixLabChart::setMessage(const QString& text)
{
    m_curves.clear();
    m_drawn.clear();
    m_message = text;
    update();
}

void MatrixLabChart::setComputing(bool computing)
{
    if (computing == m_computing)
        return;
    m_computing = computing;
    update();
}

MatrixLabChart::PointCounts MatrixLabChart::pointCounts(int curve) const
{
    return curve >= 0 && curve < int(m_drawn.size()) ? m_drawn[std::size_t(curve)] : PointCounts{};
}

QColor MatrixLabChart::curveColor(int curve, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    constexpr int count = int(std::size(kLightColours));
    const int i = ((curve % count) + count) % count;
    return QColor(dark ? kDarkColours[i] : kLightColours[i]);
}

void MatrixLabChart::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    painter->setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF metrics(font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    m_drawn.assign(m_curves.size(), PointCounts{});
    m_zeroBand = m_infNanBand = m_scaleArea = QRectF();

    // Heading, and "Computing…" at its right while newer curves are on their way.
    const QRectF heading(target.left() + text / 2, target.top() + text / 3, target.width() - text,
                         text * 1.2);
    QFont bold = font();
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(colours.color(QPalette::Text));
    const QString title =
        tr("How big a signal gets after N random layers: the norm of the product of N random "
           "matrices (float32, log scale)");
    const double busyWidth = m_computing ? metrics.horizontalAdvance(tr("Computing…")) + text : 0;
    painter->drawText(heading.adjusted(0, 0, -busyWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(bold, painter->device())
                          .elidedText(title, Qt::ElideRight, heading.width() - busyWidth));
    painter->setFont(font());
    if (m_computing) {
        painter->setPen(colours.color(QPalette::PlaceholderText));
        painter->drawText(heading, Qt::AlignRight | Qt::AlignVCenter, tr("Computing…"));
    }
    const QRectF body = target.adjusted(text / 2, text * 1.7, -text / 2, -text / 3);
    if (m_curves.empty()) {
        painter->setPen(m_message.isEmpty() ? colours.color(QPalette::PlaceholderText)
                                            : colours.color(QPalette::Text));
        painter->drawText(body, Qt::AlignCenter | Qt::TextWordWrap,
                          m_message.isEmpty() ? tr("Computing…") : m_message);
        painter->restore();
        return;
    }
    paintLegend(painter, QRectF(body.left(), body.top(), body.width(), text * 1.3));

    Frame frame;
    frame.text = text;
    frame.rowHeight = text * kBandRowText;
    double low = HUGE_VAL, high = -HUGE_VAL;
    int zeroRows = 0, infRows = 0;
    for (const MatrixLabCurve& curve : m_curves) {
        bool zero = false, inf = false;
        for (const MatrixDepthStats& d : curve.result.depths) {
            const Place place = placeOf(d.norm);
            if (place == Place::Scale) {
                low = std::min(low, d.norm);
                high = std::max(high, d.norm);
            }
            zero |= place == Place::Zero;
            inf |= place == Place::Inf || place == Place::Nan;
        }
        frame.zeroRow.push_back(zero ? zeroRows++ : -1);
        frame.infRow.push_back(inf ? infRows++ : -1);
        frame.depths = std::max(frame.depths, int(curve.result.depths.size()));
    }
    if (low <= high) {
        frame.logLow = int(std::floor(std::log10(low)));
        frame.logHigh = std::max(int(std::ceil(std::log10(high))), frame.logLow + 1);
    }
    // Left: the decade labels and the bands' names (bold).
    const QFontMetricsF boldMetrics(bold, painter->device());
    const double labelWidth = std::max(boldMetrics.horizontalAdvance(tr("inf / NaN")),
                                       metrics.horizontalAdvance(QStringLiteral("1e-88")));
    frame.labelLeft = body.left();
    // Right: half the widest depth label, centred on the last depth.
    const double depthLabel = metrics.horizontalAdvance(QLocale().toString(frame.depths));
    const QRectF plot(QPointF(body.left() + labelWidth + 10, body.top() + text * 1.8),
                      QPointF(body.right() - depthLabel / 2, body.bottom() - text * 2.6));
    const double infHeight = std::max(1, infRows) * frame.rowHeight + frame.rowHeight * 0.3;
    const double zeroHeight = std::max(1, zeroRows) * frame.rowHeight + frame.rowHeight * 0.3;
    frame.infBand = QRectF(plot.left(), plot.top(), plot.width(), infHeight);
    frame.zeroBand = QRectF(plot.left(), plot.bottom() - zeroHeight, plot.width(), zeroHeight);
    frame.scale = QRectF(QPointF(plot.left(), frame.infBand.bottom() + text * 0.8),
                         QPointF(plot.right(), frame.zeroBand.top() - text * 0.8));
    if (frame.scale.height() < text * 2) {
        painter->setPen(colours.color(QPalette::PlaceholderText));
        painter->drawText(body, Qt::AlignCenter, tr("too small to draw"));
        painter->restore();
        return;
    }
    m_zeroBand = frame.zeroBand;
    m_infNanBand = frame.infBand;
    m_scaleArea = frame.scale;
    paintAxes(painter, frame);
    for (int c = 0; c < curveCount(); ++c)
        paintCurve(painter, frame, c);
    for (int c = 0; c < curveCount(); ++c)
        paintFirstMarkers(painter, frame, c);
    painter->restore();
}

void MatrixLabChart::paintLegend(QPainter* painter, const QRectF& box)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = metrics.height();
    double x = box.left();
    for (int c = 0; c < curveCount(); ++c) {
        const QString label = m_curves[std::size_t(c)].label;
        const double width = text * 1.8 + metrics.horizontalAdvance(label);
        if (x + width > box.right() && x > box.left())
            break; // the result lines under the figure name every case anyway
        painter->setPen(QPen(curveColor(c, palette()), 3.0, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(QPointF(x, box.center().y()), QPointF(x + text * 1.3, box.center().y()));
        painter->setPen(palette().color(QPalette::Text));
        painter->drawText(QRectF(x + text * 1.6, box.top(), width, box.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, label);
        x += width + text * 1.5;
    }
}

void MatrixLabChart::paintAxes(QPainter* painter, const Frame& frame)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = frame.text;
    const QColor ink = palette().color(QPalette::Text);
    const QColor background = palette().color(QPalette::Base);
    QColor grid = ink;
    grid.setAlphaF(0.12f);
    QColor bandFill = ink;
    bandFill.setAlphaF(0.06f);
    // The two bands, named on the left where the decades are.
    QFont bold = painter->font();
    bold.setBold(true);
    for (const auto& [band, name] : {std::pair{frame.infBand, tr("inf / NaN")},
                                     std::pair{frame.zeroBand, QStringLiteral("0")}}) {
        painter->fillRect(band, bandFill);
        painter->setFont(bold);
        painter->setPen(ink);
        painter->drawText(
            QRectF(QPointF(frame.labelLeft, band.top()), QPointF(band.left() - 8, band.bottom())),
            Qt::AlignRight | Qt::AlignVCenter, name);
    }
    painter->setFont(font());
    // Decades: every one when they fit, else every 2nd, 5th, 10th…
    const int span = frame.logHigh - frame.logLow;
    int step = kDecadeSteps[std::size(kDecadeSteps) - 1];
    for (const int s : kDecadeSteps)
        if (span / s <= frame.scale.height() / (text * 1.6)) {
            step = s;
            break;
        }
    const int first = int(std::ceil(double(frame.logLow) / step)) * step;
    for (int e = first; e <= frame.logHigh; e += step) {
        const double y = frame.yOf(std::pow(10.0, e));
        painter->setPen(grid);
        painter->drawLine(QPointF(frame.scale.left(), y), QPointF(frame.scale.right(), y));
        painter->setPen(ink);
        painter->drawText(QRectF(QPointF(frame.labelLeft, y - text / 2),
                                 QPointF(frame.scale.left() - 8, y + text / 2)),
                          Qt::AlignRight | Qt::AlignVCenter, decadeText(e));
    }
    // Depth ticks at a 1-2-5 step; the axis runs under the zero band.
    const double labelWidth = metrics.horizontalAdvance(QStringLiteral("10,000"));
    const int depthStep = niceStep(frame.depths - 1, frame.scale.width() / (labelWidth * 2.2));
    std::vector<int> ticks;
    for (int d = depthStep; d <= frame.depths; d += depthStep)
        ticks.push_back(d);
    if (ticks.empty() || frame.depths <= 1)
        ticks = {1};
    const double axisY = frame.zeroBand.bottom();
    for (const int d : ticks) {
        const double x = frame.xOf(d);
        painter->setPen(grid);
        painter->drawLine(QPointF(x, frame.infBand.top()), QPointF(x, axisY));
        painter->setPen(ink);
        painter->drawLine(QPointF(x, axisY), QPointF(x, axisY + 4));
        painter->drawText(QRectF(x - labelWidth, axisY + 4, 2 * labelWidth, text), Qt::AlignCenter,
                          QLocale().toString(d));
    }
    painter->setPen(QPen(ink, 1.0));
    painter->drawLine(QPointF(frame.scale.left(), axisY), QPointF(frame.scale.right(), axisY));
    painter->drawLine(QPointF(frame.scale.left(), frame.infBand.top()),
                      QPointF(frame.scale.left(), axisY));
    haloText(painter, QRectF(frame.scale.left(), axisY + 4 + text, frame.scale.width(), text * 1.2),
             Qt::AlignRight | Qt::AlignVCenter,
             tr("depth: how many random matrices are multiplied"), background);
}

void MatrixLabChart::paintCurve(QPainter* painter, const Frame& frame, int curve)
{
    const std::vector<MatrixDepthStats>& depths = m_curves[std::size_t(curve)].result.depths;
    const QColor colour = curveColor(curve, palette());
    PointCounts& drawn = m_drawn[std::size_t(curve)];
    QPolygonF line;
    const auto flushLine = [&] {
        if (line.size() == 1)
            painter->drawEllipse(line.front(), 2.0, 2.0);
        else if (line.size() > 1)
            painter->drawPolyline(decimated(line, frame.scale.width()));
        line.clear();
    };
    QColor barColour = colour;
    barColour.setAlphaF(0.55f);
    const double bar = frame.rowHeight * kBarShare;
    const QPen linePen(colour, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    const QPen bridgePen(colour, 1.2, Qt::DashLine);
    painter->setBrush(colour);
    std::size_t i = 0;
    while (i < depths.size()) {
        const Place place = placeOf(depths[i].norm);
        std::size_t j = i;
        while (j < depths.size() && placeOf(depths[j].norm) == place)
            ++j;
        const int runFirst = depths[i].depth, runLast = depths[j - 1].depth;
        if (place == Place::Scale) {
            painter->setPen(linePen);
            for (std::size_t k = i; k < j; ++k)
                line << QPointF(frame.xOf(depths[k].depth), frame.yOf(depths[k].norm));
            drawn.onScale += int(j - i);
            flushLine();
        } else {
            // A bar in the band for the run, as thick as a marker so a single depth shows.
            const QPointF from = frame.bandPoint(place, curve, runFirst);
            const QPointF to = frame.bandPoint(place, curve, runLast);
            painter->setPen(QPen(barColour, bar, place == Place::Nan ? Qt::DotLine : Qt::SolidLine,
                                 Qt::RoundCap));
            painter->drawLine(from, to);
            (place == Place::Zero ? drawn.atZero : drawn.atInfNan) += int(j - i);
        }
        // Where the line leaves the scale for a band (or comes back), a dashed bridge.
        if (j < depths.size()) {
            const Place next = placeOf(depths[j].norm);
            const MatrixDepthStats& a = depths[j - 1];
            const MatrixDepthStats& b = depths[j];
            if ((place == Place::Scale) != (next == Place::Scale)) {
                const QPointF from = place == Place::Scale
                                         ? QPointF(frame.xOf(a.depth), frame.yOf(a.norm))
                                         : frame.bandPoint(place, curve, a.depth);
                const QPointF to = next == Place::Scale
                                       ? QPointF(frame.xOf(b.depth), frame.yOf(b.norm))
                                       : frame.bandPoint(next, curve, b.depth);
                painter->setPen(bridgePen);
                painter->drawLine(from, to);
            }
        }
        i = j;
    }
    painter->setBrush(Qt::NoBrush);
}

void MatrixLabChart::paintFirstMarkers(QPainter* painter, const Frame& frame, int curve)
{
    const MatrixLabResult& result = m_curves[std::size_t(curve)].result;
    const QColor colour = curveColor(curve, palette());
    const QColor background = palette().color(QPalette::Base);
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double radius = frame.rowHeight * 0.26;
    // A filled dot with the background around it, so it stands out of its own bar.
    const auto dot = [&](const QPointF& at, bool filled) {
        painter->setPen(QPen(filled ? background : colour, filled ? 1.5 : 2.0));
        painter->setBrush(filled ? QBrush(colour) : QBrush(background));
        painter->drawEllipse(at, radius, radius);
        painter->setBrush(Qt::NoBrush);
    };
    // The label goes left of the dot, where the band is empty for this case (its depths were
    // on the scale until then), unless the dot is too close to the left edge.
    // The label goes left of the first dot, where the band is empty for this case (its depths
    // were on the scale until then), or else right of the last dot.
    const auto label = [&](const QPointF& first, const QPointF& last, const QString& text) {
        const double width = metrics.horizontalAdvance(text) + 6;
        const bool left = first.x() - radius - 4 - width >= frame.scale.left();
        const QRectF box =
            left ? QRectF(first.x() - radius - 4 - width, first.y() - frame.text / 2, width,
                          frame.text)
                 : QRectF(last.x() + radius + 4, last.y() - frame.text / 2, width, frame.text);
        painter->setPen(palette().color(QPalette::Text));
        haloText(painter, box, (left ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, text,
                 background);
    };
    if (result.firstAllZero > 0 && frame.zeroRow[std::size_t(curve)] >= 0) {
        const QPointF at = frame.bandPoint(Place::Zero, curve, result.firstAllZero);
        dot(at, true);
        label(at, at, tr("0 from depth %1").arg(result.firstAllZero));
    }
    if (frame.infRow[std::size_t(curve)] < 0)
        return;
    QStringList parts;
    if (result.firstInf > 0)
        parts << tr("inf from depth %1").arg(result.firstInf);
    if (result.firstNan > 0)
        parts << tr("NaN from depth %1").arg(result.firstNan);
    const int first =
        result.firstInf > 0 && (result.firstNan == 0 || result.firstInf <= result.firstNan)
            ? result.firstInf
            : result.firstNan;
    if (first == 0)
        return;
    const QPointF at = frame.bandPoint(Place::Inf, curve, first);
    QPointF last = at;
    if (result.firstNan > 0 && result.firstNan != first) {
        last = frame.bandPoint(Place::Nan, curve, result.firstNan);
        dot(last, false); // hollow: NaN
    }
    dot(at, first == result.firstInf);
    label(at, last, parts.join(QStringLiteral(", ")));
}

QString MatrixLabChart::toCsv() const
{
    QString csv = QStringLiteral("case,depth,mean,std,norm\n");
    for (const MatrixLabCurve& curve : m_curves) {
        const QString name = csvText(curve.label);
        for (const MatrixDepthStats& d : curve.result.depths)
            csv += QStringList{name, QString::number(d.depth), csvNumberOf(d.mean),
                               csvNumberOf(d.stddev), csvNumberOf(d.norm)}
                       .join(QLatin1Char(',')) +
                   QLatin1Char('\n');
    }
    return csv;
}

} // namespace atelier::ui
