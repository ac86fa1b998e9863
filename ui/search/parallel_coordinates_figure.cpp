// Painting the parallel coordinates: layout, cached lines, axes, brushes and legend (see
// parallel_coordinates_chart.h).
#include "ui/search/line_raster.h"
#include "ui/search/parallel_coordinates_layout.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

// A tick mark's length, in pixels.
constexpr double kTickPx = 4.0;
// Lines outside the brushes: visible as context, never competing with the ones inside. They
// do not add up where they overlap (LineBlend::Max on screen, one path in vector exports).
constexpr double kFaintOpacity = 0.15;
// Distinct colours of the lines: finer steps than the eye tells apart on a thin line.
constexpr std::size_t kColourSteps = 32;
// Above this many lines they are drawn thinner.
constexpr std::size_t kThinLinesAbove = 200;
// The colour legend's bar, in pixels.
constexpr double kLegendBarPx = 140.0;

// Opaque enough to read a line that crosses many others, faint enough that thousands of
// lines still show where they bunch up.
double lineOpacity(int lines)
{
    return lines <= 100 ? 0.9 : std::max(0.15, 0.9 * std::sqrt(100.0 / lines));
}

// Text on a box of the background, so that tick labels stay readable over the lines.
void haloText(QPainter* painter, const QRectF& box, int flags, const QString& text,
              const QColor& background)
{
    const QRectF used = painter->boundingRect(box, flags, text);
    painter->fillRect(used.adjusted(-2, 0, 2, 0), background);
    painter->drawText(box, flags, text);
}

} // namespace

ParallelCoordinatesChart::Layout
ParallelCoordinatesChart::layoutFor(const QRectF& area, const QFont& font,
                                    const QPaintDevice* device) const
{
    const QFontMetricsF metrics(font, device);
    Layout layout;
    layout.area = area;
    layout.text = metrics.height();
    const double pad = layout.text * 0.6;
    const int n = axisCount();
    for (int c = 0; c + 1 < n; ++c) {
        layout.axes.push_back(ColumnAxis::forColumn(m_table, c));
        layout.titles.push_back(shortColumnName(m_table.columns[std::size_t(c)].name));
    }
    layout.axes.push_back(ColumnAxis::forObjective(m_table));
    layout.titles.push_back(m_table.objectiveName);
    // Left: the first axis's tick labels (capped: a long category label is elided instead).
    double firstLabels = 0;
    const double bottom = area.bottom() - pad - layout.text * 1.8;
    layout.footer =
        QRectF(area.left() + pad, bottom + pad, area.width() - 2 * pad, layout.text * 1.4);
    const double left0 = area.left() + pad;
    // Right: room for half the objective's title, which is centred on the last axis.
    const double lastTitle = metrics.horizontalAdvance(layout.titles.back());
    const double right = area.right() - pad - std::max(layout.text, lastTitle / 2);
    // Ticks need the axis length and the titles need the spacing: estimate, then settle.
    const double lengthGuess = bottom - (area.top() + pad + 3 * layout.text);
    for (int a = 0; a < n; ++a) {
        const SearchColumn* column = a + 1 < n ? &m_table.columns[std::size_t(a)] : nullptr;
        layout.ticks.push_back(layout.axes[std::size_t(a)].ticks(column, lengthGuess, layout.text));
    }
    for (const Tick& tick : layout.ticks.front())
        firstLabels = std::max(firstLabels, metrics.horizontalAdvance(tick.label));
    const double left = left0 + std::min(firstLabels, area.width() * 0.15) + kTickPx + 4;
    const double spacing = n > 1 ? (right - left) / (n - 1) : 0;
    for (int a = 0; a < n; ++a)
        layout.x.push_back(n > 1 ? left + a * spacing : (left + right) / 2);
    double widest = 0;
    for (const QString& title : layout.titles)
        widest = std::max(widest, metrics.horizontalAdvance(title));
    layout.staggered = n > 1 && widest > spacing - layout.text;
    layout.titleWidth = n > 1 ? (layout.staggered ? 2 : 1) * spacing - layout.text : right - left;
    const double top =
        area.top() + pad + (layout.staggered ? 2 : 1) * layout.text + layout.text * 0.8;
    layout.plot = QRectF(QPointF(left, top), QPointF(right, bottom - layout.text * 0.5));
    return layout;
}

ParallelCoordinatesChart::Cache& ParallelCoordinatesChart::cacheFor(const Layout& layout)
{
    Cache& cache = *m_cache;
    if (cache.generation == m_generation && cache.plot == layout.plot && cache.x == layout.x)
        return cache;
    cache.generation = m_generation;
    cache.plot = layout.plot;
    cache.x = layout.x;
    cache.lines.assign(m_table.rows.size(), QPolygonF());
    cache.layer = QImage();
    const int n = axisCount();
    for (const int r : m_drawOrder) {
        QPolygonF line;
        line.reserve(n);
        for (int a = 0; a < n; ++a) {
            const double v = rowValue(r, a);
            if (std::isnan(v))
                break;
            line.append(QPointF(layout.x[std::size_t(a)], layout.y(a, v)));
        }
        if (line.size() == n)
            cache.lines[std::size_t(r)] = std::move(line);
    }
    return cache;
}

void ParallelCoordinatesChart::paintLines(QPainter* painter, const Layout& layout)
{
    Cache& cache = cacheFor(layout);
    const QPalette& colours = palette();
    const ColumnAxis& objective = layout.axes.back();
    const double opacity = lineOpacity(int(m_drawOrder.size()));
    const double width = m_drawOrder.size() > kThinLinesAbove ? 1.0 : 1.5;
    // Rows by colour step, worst first, so that the best trials end up on top; filtered-out
    // rows first of all, in one faint grey, behind the rest.
    std::vector<std::vector<int>> steps(kColourSteps + 1);
    for (const int r : m_drawOrder) {
        if (cache.lines[std::size_t(r)].isEmpty())
            continue;
        if (!m_passes[std::size_t(r)]) {
            steps[0].push_back(r);
            continue;
        }
        const double unit = objective.unit(m_table.rows[std::size_t(r)].objective);
        const double goodness = std::clamp(m_table.higherIsBetter ? unit : 1 - unit, 0.0, 1.0);
        steps[1 + std::min(kColourSteps - 1, std::size_t(goodness * kColourSteps))].push_back(r);
    }
    const auto colourOf = [&](std::size_t step) {
        if (step == 0) {
            QColor grey = colours.color(QPalette::Text);
            grey.setAlphaF(float(kFaintOpacity));
            return grey;
        }
        QColor colour = rampColor((double(step - 1) + 0.5) / kColourSteps, colours);
        colour.setAlphaF(float(opacity));
        return colour;
    };
    const QPaintEngine* engine = painter->paintEngine();
    if (engine && engine->type() == QPaintEngine::Raster) {
        // On screen and in PNGs: one image of the lines, redrawn when the filter changes.
        const double ratio = painter->device()->devicePixelRatioF();
        // Whole pixels, so that the image lands on the device's grid without resampling.
        const QRectF area = QRectF(layout.plot.adjusted(-2, -2, 2, 2).toAlignedRect());
        if (cache.layer.isNull() || cache.layer.devicePixelRatio() != ratio) {
            cache.layer =
                QImage((area.size() * ratio).toSize(), QImage::Format_ARGB32_Premultiplied);
            cache.layer.setDevicePixelRatio(ratio);
            cache.layer.fill(Qt::transparent);
            for (std::size_t step = 0; step < steps.size(); ++step)
                for (const int r : steps[step])
                    blendPolyline(cache.layer,
                                  cache.lines[std::size_t(r)].translated(-area.topLeft()),
                                  colourOf(step), step == 0 ? 1.0 : width,
                                  step == 0 ? LineBlend::Max : LineBlend::Over);
        }
        painter->drawImage(area.topLeft(), cache.layer);
        return;
    }
    // Vector exports: one path per colour step instead of a call per line (a few dozen
    // elements in the file however many trials). Cosmetic pens keep lines thin at any zoom.
    QPen pen(Qt::NoBrush, width);
    pen.setCosmetic(true);
    for (std::size_t step = 0; step < steps.size(); ++step) {
        QPainterPath path;
        for (const int r : steps[step])
            path.addPolygon(cache.lines[std::size_t(r)]);
        if (path.isEmpty())
            continue;
        pen.setColor(colourOf(step));
        pen.setWidthF(step == 0 ? 1.0 : width);
        painter->strokePath(path, pen);
    }
}

void ParallelCoordinatesChart::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    painter->setRenderHint(QPainter::Antialiasing);
    const Layout layout = layoutFor(target, font(), painter->device());
    const QPalette& colours = palette();
    const QColor text = colours.color(QPalette::Text);
    QColor halo = colours.color(QPalette::Base);
    halo.setAlphaF(0.8f);
    paintLines(painter, layout);
    const QFontMetricsF metrics(font(), painter->device());
    const int n = axisCount();
    const double spacing = n > 1 ? layout.x[1] - layout.x[0] : layout.plot.width();
    QFont bold = font();
    bold.setBold(true);
    for (int a = 0; a < n; ++a) {
        const double x = layout.x[std::size_t(a)];
        if (const auto& range = m_brushes[std::size_t(a)]) {
            // The brush box: translucent, over the lines, under the axis.
            const double y1 =
                std::clamp(layout.y(a, range->second), layout.plot.top(), layout.plot.bottom());
            const double y0 =
                std::clamp(layout.y(a, range->first), layout.plot.top(), layout.plot.bottom());
            QColor fill = colours.color(QPalette::Highlight);
            fill.setAlphaF(0.25f);
            painter->setPen(QPen(colours.color(QPalette::Highlight), 1.0));
            painter->setBrush(fill);
            painter->drawRect(
                QRectF(x - kBrushHalfWidthPx, y1, 2 * kBrushHalfWidthPx, std::max(2.0, y0 - y1)));
            painter->setBrush(Qt::NoBrush);
        }
        painter->setPen(QPen(text, 1.2));
        painter->drawLine(QPointF(x, layout.plot.top()), QPointF(x, layout.plot.bottom()));
        const double labelWidth = std::max(layout.text * 2.5, spacing * 0.7);
        for (const Tick& tick : layout.ticks[std::size_t(a)]) {
            const double y = layout.y(a, tick.value);
            if (y < layout.plot.top() - 0.5 || y > layout.plot.bottom() + 0.5)
                continue;
            painter->drawLine(QPointF(x - kTickPx, y), QPointF(x, y));
            const QString label = metrics.elidedText(tick.label, Qt::ElideRight, labelWidth);
            haloText(
                painter,
                QRectF(x - kTickPx - 3 - labelWidth, y - layout.text / 2, labelWidth, layout.text),
                Qt::AlignRight | Qt::AlignVCenter, label, halo);
        }
        // Titles above their axis, alternating between two rows when they would touch.
        painter->setFont(bold);
        const QFontMetricsF boldMetrics(bold, painter->device());
        const QString title =
            boldMetrics.elidedText(layout.titles[std::size_t(a)], Qt::ElideLeft, layout.titleWidth);
        const double row = layout.staggered && a % 2 == 1 ? 1 : 0;
        const double width = boldMetrics.horizontalAdvance(title) + 2;
        const double left =
            std::clamp(x - width / 2, layout.area.left() + 2, layout.area.right() - 2 - width);
        painter->drawText(
            QRectF(left, layout.area.top() + layout.text * (0.6 + row), width, layout.text),
            Qt::AlignCenter, title);
        painter->setFont(font());
    }
    // Footer: what is not drawn or filtered out on the left, the colour legend on the right.
    const int unfinished = int(m_table.rows.size() - m_drawOrder.size());
    QStringList notes;
    if (unfinished > 0)
        notes << (unfinished == 1 ? tr("1 unfinished trial not drawn")
                                  : tr("%1 unfinished trials not drawn").arg(unfinished));
    if (std::any_of(m_brushes.begin(), m_brushes.end(),
                    [](const auto& b) { return b.has_value(); }))
        notes << tr("%1 of %2 trials pass the brushes")
                     .arg(passingRows().size())
                     .arg(m_table.rows.size());
    if (m_drawOrder.empty())
        notes << tr("no finished trial yet");
    const QRectF& f = layout.footer;
    double notesRight = f.right();
    if (const auto range = m_table.objectiveRange()) {
        const QString high = formatValue(range->second), low = formatValue(range->first);
        const double highWidth = metrics.horizontalAdvance(high) + 4;
        const QRectF bar(f.right() - highWidth - kLegendBarPx, f.center().y() - layout.text / 3,
                         kLegendBarPx, layout.text * 2 / 3);
        QLinearGradient gradient(bar.topLeft(), bar.topRight());
        const bool higher = m_table.higherIsBetter;
        for (int i = 0; i <= 8; ++i)
            gradient.setColorAt(i / 8.0, rampColor(higher ? i / 8.0 : 1 - i / 8.0, colours));
        painter->fillRect(bar, gradient);
        painter->setPen(text);
        painter->drawText(QRectF(bar.right() + 4, f.top(), highWidth, f.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, high);
        const QString name = m_table.objectiveName +
                             (higher ? tr(" (higher is better)") : tr(" (lower is better)")) +
                             QStringLiteral("   ") + low;
        notesRight = bar.left() - 4 - metrics.horizontalAdvance(name) - layout.text;
        painter->drawText(QRectF(f.left(), f.top(), bar.left() - 4 - f.left(), f.height()),
                          Qt::AlignRight | Qt::AlignVCenter, name);
    }
    painter->setPen(colours.color(QPalette::PlaceholderText));
    painter->drawText(QRectF(f.left(), f.top(), std::max(0.0, notesRight - f.left()), f.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(notes.join(QStringLiteral(" · ")), Qt::ElideRight,
                                         std::max(0.0, notesRight - f.left())));
    painter->restore();
}

} // namespace atelier::ui
