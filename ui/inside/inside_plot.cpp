// Time positions, colours, axes and numbers shared by the Inside figures (see inside_plot.h).
#include "ui/inside/inside_plot.h"

#include "ui/runs/run_data.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>
#include <algorithm>
#include <cmath>
#include <map>

namespace atelier::ui {
namespace {

// Inferno at ten even stops: black through red to pale yellow. Ordered in lightness (a
// vanished gradient is dark in colour and in grey print), and unlike the layers' viridis, so
// that "which layer" and "how strong" never share a colour scale in one view.
constexpr QRgb kHeat[] = {0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60,
                          0xcf4446, 0xed6925, 0xfb9b06, 0xf7d13d, 0xfcffa4};
constexpr int kHeatStops = int(sizeof(kHeat) / sizeof(kHeat[0]));
// On a dark background inferno's black end would melt into it: start a little higher there.
constexpr double kDarkHeatStart = 0.08;
// log10 of an exact power of ten can miss its integer by a rounding error.
constexpr double kDecadeTolerance = 1e-9;

QColor interpolate(const QRgb* stops, int count, double unit)
{
    const double t = std::clamp(unit, 0.0, 1.0) * (count - 1);
    const int i = std::min(int(t), count - 2);
    const double f = t - i;
    const QColor a(stops[i]), b(stops[i + 1]);
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())),
                            float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

std::vector<double> sampleEpochPositions(const LayerStatsLog& log, int batchesPerEpoch)
{
    std::map<int, int> lastBatch; // per epoch, for runs that do not know batchesPerEpoch
    if (batchesPerEpoch <= 0)
        for (const LayerStatsSample& s : log.samples)
            lastBatch[s.epoch] = std::max(lastBatch[s.epoch], s.batch);
    std::vector<double> x;
    x.reserve(log.samples.size());
    for (const LayerStatsSample& s : log.samples) {
        const int batches = batchesPerEpoch > 0 ? batchesPerEpoch : std::max(1, lastBatch[s.epoch]);
        x.push_back(s.epoch - 1 + double(s.batch) / batches);
    }
    return x;
}

QColor layerColor(int position, int count, const QPalette& palette)
{
    return rampColor(count > 1 ? double(position) / (count - 1) : 0.0, palette);
}

QColor heatColor(double unit, const QPalette& palette)
{
    const double start = isDark(palette) ? kDarkHeatStart : 0.0;
    return interpolate(kHeat, kHeatStops, start + std::clamp(unit, 0.0, 1.0) * (1 - start));
}

DecadeRange DecadeRange::covering(double low, double high)
{
    DecadeRange range;
    if (!(low > 0) || !(high > 0) || !std::isfinite(low) || !std::isfinite(high))
        return range;
    range.low = int(std::floor(std::log10(low) + kDecadeTolerance));
    range.high = int(std::ceil(std::log10(high) - kDecadeTolerance));
    if (range.high <= range.low)
        range.high = range.low + 1;
    return range;
}

double DecadeRange::unit(double value) const
{
    return (std::log10(value) - low) / double(high - low);
}

QString decadeLabel(int exponent)
{
    return exponent == 0 ? QStringLiteral("1") : QStringLiteral("1e%1").arg(exponent);
}

QString compactNumber(double value)
{
    if (!std::isfinite(value))
        return {};
    if (value == 0)
        return QStringLiteral("0");
    const double magnitude = std::abs(value);
    if (magnitude >= 1e-3 && magnitude < 1e5) // three significant digits, whole numbers whole
        return QString::number(value, 'g', std::max(3, int(std::floor(std::log10(magnitude))) + 1));
    // Scientific without the padding Qt adds ("2e-05" → "2e-5").
    const int exponent = int(std::floor(std::log10(magnitude)));
    const double mantissa = value / std::pow(10.0, exponent);
    return QStringLiteral("%1e%2").arg(QString::number(mantissa, 'g', 2)).arg(exponent);
}

std::vector<double> epochTicks(double first, double last, double lengthPx, double labelPx)
{
    std::vector<double> ticks;
    if (!(last > first) || lengthPx <= 0)
        return ticks;
    const double fit = std::max(1.0, lengthPx / std::max(1.0, labelPx * 2.2));
    double step = 1;
    for (double magnitude = 1;; magnitude *= 10) {
        bool found = false;
        for (const double factor : {1.0, 2.0, 5.0})
            if ((last - first) / (factor * magnitude) <= fit) {
                step = factor * magnitude;
                found = true;
                break;
            }
        if (found)
            break;
    }
    for (double e = std::ceil(first / step) * step; e <= last + 1e-9; e += step)
        ticks.push_back(e);
    return ticks;
}

std::vector<Tick> valueTicks(const ValueScale& scale, double lengthPx, double textPx)
{
    const int maxCount = std::clamp(int(lengthPx / (textPx * 2.0)), 2, 10);
    std::vector<Tick> ticks;
    for (const double v : scale.ticks(maxCount)) {
        const double exponent = std::log10(std::abs(v));
        const bool decade = scale.log && std::abs(exponent - std::round(exponent)) < 1e-9;
        ticks.push_back({v, decade ? decadeLabel(int(std::round(exponent))) : compactNumber(v)});
    }
    return ticks;
}

void paintEpochAxis(QPainter* painter, const QRectF& plot, double first, double last,
                    const QPalette& palette, AxisName name)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = metrics.height();
    const QColor ink = palette.color(QPalette::Text);
    painter->setPen(QPen(ink, 1.0));
    painter->drawLine(plot.bottomLeft(), plot.bottomRight());
    const double labelWidth = metrics.horizontalAdvance(QStringLiteral("000"));
    for (const double e : epochTicks(first, last, plot.width(), labelWidth)) {
        const double x = plot.left() + (e - first) / (last - first) * plot.width();
        painter->drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
        painter->drawText(QRectF(x - labelWidth, plot.bottom() + 3, 2 * labelWidth, text),
                          Qt::AlignHCenter | Qt::AlignTop, QString::number(e, 'g', 6));
    }
    if (name == AxisName::Hidden)
        return;
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(QRectF(plot.left(), plot.bottom() + 3 + text, plot.width(), text),
                      Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("epoch"));
}

void paintValueAxis(QPainter* painter, const QRectF& plot, const ValueScale& scale,
                    const std::vector<Tick>& ticks, double labelWidth, const QPalette& palette)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = metrics.height();
    const QColor ink = palette.color(QPalette::Text);
    QColor grid = ink;
    grid.setAlphaF(0.12f);
    for (const Tick& tick : ticks) {
        const double y = plot.bottom() - scale.unit(tick.value) * plot.height();
        if (y < plot.top() - 0.5 || y > plot.bottom() + 0.5)
            continue;
        painter->setPen(grid);
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter->setPen(ink);
        painter->drawText(QRectF(plot.left() - labelWidth - 6, y - text / 2, labelWidth, text),
                          Qt::AlignRight | Qt::AlignVCenter, tick.label);
    }
    painter->setPen(QPen(ink, 1.0));
    painter->drawLine(plot.bottomLeft(), plot.topLeft());
}

void paintHeading(QPainter* painter, const QRectF& box, const QString& text,
                  const QPalette& palette, HeadingWeight weight, Qt::Alignment alignment)
{
    painter->save();
    QFont font = painter->font();
    font.setBold(weight == HeadingWeight::Bold);
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::Text));
    const QFontMetricsF metrics(font, painter->device());
    painter->drawText(box, alignment | Qt::AlignVCenter,
                      metrics.elidedText(text, Qt::ElideRight, box.width()));
    painter->restore();
}

void paintPlaceholder(QPainter* painter, const QRectF& area, const QString& text,
                      const QPalette& palette)
{
    painter->save();
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(area, Qt::AlignCenter | Qt::TextWordWrap, text);
    painter->restore();
}

QString csvNumber(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', 9) : QString();
}

QString runLabel(const RunData& run)
{
    if (!run.name.isEmpty())
        return run.name;
    const QString folder = QFileInfo(run.folder).fileName();
    return folder.isEmpty() ? QStringLiteral("run") : folder;
}

} // namespace atelier::ui
