// Small multiples of the objective by parameter (see parameter_effects_chart.h).
#include "ui/search/parameter_effects_chart.h"

#include "ui/export/figure_export.h"
#include "ui/search/search_scale.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace atelier::ui {
namespace {

// Panels about this much wider than high read best (x labels need the width).
constexpr double kPanelAspect = 1.5;
// How much of a category's band the dots' jitter may spread over, and its cap in pixels.
constexpr double kJitterBandShare = 0.5;
constexpr double kJitterMaxPx = 40.0;
// Listed numbers are discrete too: a small jitter keeps equal values apart.
constexpr double kLevelJitterPx = 6.0;
// Room left at both ends of a numeric x axis and above and below the objective's extent.
constexpr double kAxisPadShare = 0.08;

// A stable value in [0, 1) per trial: the jitter does not move when the figure repaints.
double jitterOf(int trial)
{
    std::uint64_t z = std::uint64_t(trial) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return double(z >> 11) / double(1ULL << 53);
}

QString numberText(double value)
{
    return std::isnan(value) ? QString() : QString::number(value, 'g', 8);
}

} // namespace

ParameterEffectsChart::ParameterEffectsChart(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(320, 240);
    addExportActions(
        this, QStringLiteral("parameter_effects"), QSize(1400, 900),
        [this](QPainter& painter, const QRectF& area) { renderFigure(&painter, area); },
        [this] { return toCsv(); });
}

ParameterEffectsChart::~ParameterEffectsChart() = default;

void ParameterEffectsChart::setTable(const SearchTable& table)
{
    m_table = table;
    m_summaries = summarizeParameters(m_table);
    update();
}

QSize ParameterEffectsChart::gridShape(int panels, const QSizeF& area)
{
    if (panels <= 0)
        return QSize(0, 0);
    int best = 1;
    double bestMiss = 1e300;
    for (int columns = 1; columns <= panels; ++columns) {
        const int rows = (panels + columns - 1) / columns;
        const double aspect = (area.width() / columns) / (area.height() / rows);
        const double miss = std::abs(std::log(aspect / kPanelAspect));
        if (miss < bestMiss - 1e-9) {
            best = columns;
            bestMiss = miss;
        }
    }
    return QSize(best, (panels + best - 1) / best);
}

void ParameterEffectsChart::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    painter->setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF metrics(font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    const int finished = m_table.finishedCount();
    const QString trials =
        finished == 1 ? tr("1 finished trial") : tr("%1 finished trials").arg(finished);
    const QString heading = tr("%1 by parameter · %2 · bars: mean ± standard deviation per value "
                               "· ρ: Spearman rank correlation")
                                .arg(m_table.objectiveName, trials);
    painter->setPen(colours.color(QPalette::Text));
    const QRectF headingBox(target.left() + text / 2, target.top() + text / 3,
                            target.width() - text, text);
    painter->drawText(headingBox, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(heading, Qt::ElideRight, headingBox.width()));
    const QRectF grid = target.adjusted(text / 2, text * 1.6, -text / 2, -text / 3);
    const int panels = int(m_summaries.size());
    if (panels == 0 || finished == 0) {
        painter->setPen(colours.color(QPalette::PlaceholderText));
        painter->drawText(grid, Qt::AlignCenter,
                          panels == 0 ? tr("no parameters") : tr("no finished trial yet"));
        painter->restore();
        return;
    }
    // One objective scale for every panel, so that panels compare at a glance.
    ColumnAxis objective = ColumnAxis::forObjective(m_table);
    const double pad = (objective.scale.high - objective.scale.low) * kAxisPadShare;
    objective.scale.low -= pad;
    objective.scale.high += pad;
    const QSize shape = gridShape(panels, grid.size());
    const double width = grid.width() / shape.width(), height = grid.height() / shape.height();
    for (int i = 0; i < panels; ++i) {
        const QRectF panel(grid.left() + (i % shape.width()) * width,
                           grid.top() + (i / shape.width()) * height, width, height);
        paintPanel(painter, panel.adjusted(text / 2, text / 4, -text / 2, -text / 2),
                   m_summaries[std::size_t(i)], objective);
    }
    painter->restore();
}

void ParameterEffectsChart::paintPanel(QPainter* painter, const QRectF& panel,
                                       const ParameterSummary& summary, const ColumnAxis& objective)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    const QColor ink = colours.color(QPalette::Text);
    const SearchColumn& column = m_table.columns[std::size_t(summary.column)];
    // Title: the parameter, and for numbers how monotone the objective is in it.
    QFont bold = painter->font();
    bold.setBold(true);
    painter->setFont(bold);
    QString title = shortColumnName(column.name);
    if (summary.spearman)
        title += QStringLiteral("   ρ = %1").arg(*summary.spearman, 0, 'f', 2);
    painter->setPen(ink);
    const QRectF titleBox(panel.left(), panel.top(), panel.width(), text);
    painter->drawText(
        titleBox, Qt::AlignCenter,
        QFontMetricsF(bold, painter->device()).elidedText(title, Qt::ElideLeft, titleBox.width()));
    painter->setFont(font());
    // Plot area: y labels on the left, x labels below.
    std::vector<Tick> yTicks = objective.ticks(nullptr, panel.height() - 3 * text, text);
    double yLabels = 0;
    for (const Tick& tick : yTicks)
        yLabels = std::max(yLabels, metrics.horizontalAdvance(tick.label));
    const QRectF plot(QPointF(panel.left() + yLabels + 8, panel.top() + text * 1.4),
                      QPointF(panel.right() - 4, panel.bottom() - text * 1.3));
    if (plot.width() < 20 || plot.height() < 20)
        return;
    const auto yOf = [&](double v) { return plot.bottom() - objective.unit(v) * plot.height(); };
    // X: categories in bands, numbers on their scale (padded so that end dots stay inside).
    ColumnAxis x = ColumnAxis::forColumn(m_table, summary.column);
    const int categories = x.categorical ? std::max(1, x.categoryCount) : 0;
    if (!x.categorical && !x.scale.log) {
        const double span = (x.scale.high - x.scale.low) * kAxisPadShare;
        x.scale.low -= span;
        x.scale.high += span;
    } else if (x.scale.log) {
        const double ratio = std::pow(x.scale.high / x.scale.low, kAxisPadShare);
        x.scale.low /= ratio;
        x.scale.high *= ratio;
    }
    const double band = x.categorical ? plot.width() / categories : 0;
    const auto xOf = [&](double v) {
        return x.categorical ? plot.left() + (v + 0.5) * band
                             : plot.left() + x.scale.unit(v) * plot.width();
    };
    // Frame and grid.
    QColor gridColour = ink;
    gridColour.setAlphaF(0.1f);
    for (const Tick& tick : yTicks) {
        const double y = yOf(tick.value);
        if (y < plot.top() - 0.5 || y > plot.bottom() + 0.5)
            continue;
        painter->setPen(gridColour);
        painter->drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter->setPen(ink);
        painter->drawText(QRectF(panel.left(), y - text / 2, yLabels + 4, text),
                          Qt::AlignRight | Qt::AlignVCenter, tick.label);
    }
    painter->setPen(QPen(ink, 1.0));
    painter->drawLine(plot.bottomLeft(), plot.bottomRight());
    painter->drawLine(plot.bottomLeft(), plot.topLeft());
    const double labelWidth = metrics.horizontalAdvance(QStringLiteral("0.0000"));
    // ColumnAxis::ticks spaces labels by 2.5 "text sizes"; a horizontal label needs about
    // 1.5 of its widths.
    std::vector<Tick> xTicks = x.ticks(&column, plot.width(), labelWidth * 0.6);
    const double slot = x.categorical ? band : labelWidth * 1.6;
    for (const Tick& tick : xTicks) {
        const double px = xOf(tick.value);
        if (px < plot.left() - 0.5 || px > plot.right() + 0.5)
            continue;
        painter->drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() + 3));
        painter->drawText(QRectF(px - slot / 2, plot.bottom() + 3, slot, text), Qt::AlignCenter,
                          metrics.elidedText(tick.label, Qt::ElideRight, slot - 2));
    }
    // Dots: every finished trial, coloured like its line in the parallel coordinates.
    const ColumnAxis colourAxis = ColumnAxis::forObjective(m_table);
    const double radius = summary.finishedRows.size() > 300 ? 1.8 : 2.8;
    painter->setPen(Qt::NoPen);
    const bool discrete = x.categorical || !column.levels.empty();
    const double spread =
        x.categorical ? std::min(band * kJitterBandShare, kJitterMaxPx) : kLevelJitterPx;
    for (const int r : summary.finishedRows) {
        const SearchRow& row = m_table.rows[std::size_t(r)];
        double px = xOf(row.values[std::size_t(summary.column)]);
        if (discrete)
            px += (jitterOf(row.index) - 0.5) * spread;
        const double unit = colourAxis.unit(row.objective);
        QColor colour = rampColor(m_table.higherIsBetter ? unit : 1 - unit, colours);
        colour.setAlphaF(0.75f);
        painter->setBrush(colour);
        painter->drawEllipse(QPointF(px, yOf(row.objective)), radius, radius);
    }
    // Mean ± standard deviation per listed value, over the dots.
    const double half = x.categorical ? std::min(band * 0.3, 24.0) : 8.0;
    for (const EffectGroup& group : summary.groups) {
        if (group.trials == 0)
            continue;
        const double px = xOf(group.x);
        const double top = yOf(group.mean + group.stddev), bottom = yOf(group.mean - group.stddev);
        painter->setPen(QPen(ink, 1.5));
        painter->drawLine(QPointF(px, top), QPointF(px, bottom));
        painter->drawLine(QPointF(px - half / 2, top), QPointF(px + half / 2, top));
        painter->drawLine(QPointF(px - half / 2, bottom), QPointF(px + half / 2, bottom));
        painter->setPen(QPen(ink, 3.0));
        painter->drawLine(QPointF(px - half, yOf(group.mean)), QPointF(px + half, yOf(group.mean)));
    }
    painter->setBrush(Qt::NoBrush);
}

QString ParameterEffectsChart::toCsv() const
{
    QString csv = QStringLiteral("parameter,value,trials,mean,stddev,spearman\n");
    for (const ParameterSummary& summary : m_summaries) {
        const QString name = csvField(m_table.columns[std::size_t(summary.column)].name);
        const QString spearman = summary.spearman ? numberText(*summary.spearman) : QString();
        // A range has no listed values: one row over all its finished trials.
        const std::vector<EffectGroup> groups =
            summary.groups.empty() ? std::vector<EffectGroup>{summary.overall} : summary.groups;
        for (const EffectGroup& group : groups)
            csv += QStringList{name,
                               csvField(group.label),
                               QString::number(group.trials),
                               numberText(group.mean),
                               numberText(group.stddev),
                               spearman}
                       .join(QLatin1Char(',')) +
                   QLatin1Char('\n');
    }
    return csv;
}

} // namespace atelier::ui
