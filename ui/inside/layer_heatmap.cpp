// The gradient norm as a layers × time heatmap (see layer_heatmap.h).
#include "ui/inside/layer_heatmap.h"

#include "ui/inside/inside_plot.h"
#include "ui/runs/run_data.h"
#include "ui/search/search_table.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::ui {
namespace {

// The colour bar's height as a share of the figure's.
constexpr double kColourBarShare = 0.6;

bool hasColour(double norm)
{
    return std::isfinite(norm) && norm >= 0;
}

} // namespace

LayerHeatmap::LayerHeatmap(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(320, 200);
    m_title = tr("Gradient norm by layer and time");
}

LayerHeatmap::~LayerHeatmap() = default;

void LayerHeatmap::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void LayerHeatmap::setRuns(const std::vector<const RunData*>& runs)
{
    m_panels.clear();
    for (const RunData* run : runs) {
        if (!run || int(m_panels.size()) == kInsideMaxRuns)
            continue;
        const LayerStatsLog& log = run->layerStats;
        Panel panel;
        panel.run = runLabel(*run);
        panel.x = sampleEpochPositions(log, run->batchesPerEpoch);
        for (const LayerStatsSample& s : log.samples) {
            panel.epoch.push_back(s.epoch);
            panel.batch.push_back(s.batch);
        }
        for (std::size_t l = 0; l < log.layers.size(); ++l) {
            if (!log.layers[l].hasParameters)
                continue;
            panel.rows << QString::fromStdString(log.layers[l].name);
            std::vector<double> row;
            row.reserve(log.samples.size());
            for (const LayerStatsSample& s : log.samples)
                row.push_back(l < s.layers.size() ? s.layers[l].gradNorm
                                                  : std::numeric_limits<double>::quiet_NaN());
            panel.norms.push_back(std::move(row));
        }
        m_panels.push_back(std::move(panel));
    }
    update();
}

QString LayerHeatmap::panelTitle(int panel) const
{
    return m_panels.at(std::size_t(panel)).run;
}

int LayerHeatmap::rowCount(int panel) const
{
    return int(m_panels.at(std::size_t(panel)).rows.size());
}

int LayerHeatmap::columnCount(int panel) const
{
    return int(m_panels.at(std::size_t(panel)).x.size());
}

QStringList LayerHeatmap::rowNames(int panel) const
{
    return m_panels.at(std::size_t(panel)).rows;
}

DecadeRange LayerHeatmap::decades() const
{
    double low = std::numeric_limits<double>::infinity(), high = 0;
    for (const Panel& panel : m_panels)
        for (const std::vector<double>& row : panel.norms)
            for (const double v : row)
                if (std::isfinite(v) && v > 0) {
                    low = std::min(low, v);
                    high = std::max(high, v);
                }
    return DecadeRange::covering(low, high);
}

bool LayerHeatmap::anyMissing() const
{
    for (const Panel& panel : m_panels)
        for (const std::vector<double>& row : panel.norms)
            if (std::any_of(row.begin(), row.end(), [](double v) { return !hasColour(v); }))
                return true;
    return false;
}

std::pair<int, int> LayerHeatmap::colourDecades() const
{
    const DecadeRange range = decades();
    return {range.low, range.high};
}

void LayerHeatmap::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    const QFontMetricsF metrics(font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    paintHeading(
        painter,
        QRectF(target.left() + text / 2, target.top() + text / 3, target.width() - text, text),
        m_title, colours);
    const QRectF body = target.adjusted(text / 2, text * 1.8, -text / 2, -text / 3);
    const bool anyColumn = std::any_of(m_panels.begin(), m_panels.end(), [](const Panel& p) {
        return !p.x.empty() && !p.rows.isEmpty();
    });
    if (!anyColumn) {
        paintPlaceholder(painter, body, m_panels.empty() ? tr("no run") : tr("no values yet"),
                         colours);
        painter->restore();
        return;
    }
    const DecadeRange scale = decades();
    double names = 0;
    for (const Panel& panel : m_panels)
        for (const QString& row : panel.rows)
            names = std::max(names, metrics.horizontalAdvance(row));
    const double barLabels = std::max({metrics.horizontalAdvance(decadeLabel(scale.low)),
                                       metrics.horizontalAdvance(decadeLabel(scale.high)),
                                       metrics.horizontalAdvance(tr("gradient")) - text});
    const double barWidth = text * 0.9;
    const double barArea = barWidth + 6 + barLabels + text;
    double epochs = 1;
    for (const Panel& panel : m_panels)
        if (!panel.x.empty())
            epochs = std::max(epochs, std::ceil(panel.x.back() - 1e-9));
    // The axis's name once, under the last panel; every panel has its ticks.
    const double nameRoom = text * (kEpochAxisLines - kEpochTicksLines);
    const double panelHeight = (body.height() - nameRoom) / double(m_panels.size());
    const double left = body.left() + names + 8, right = body.right() - barArea;
    for (std::size_t p = 0; p < m_panels.size(); ++p) {
        const double top = body.top() + double(p) * panelHeight;
        paintHeading(painter, QRectF(left, top, right - left, text * 1.2), m_panels[p].run,
                     colours);
        const QRectF cells(QPointF(left, top + text * 1.4),
                           QPointF(right, top + panelHeight - text * (kEpochTicksLines + 0.4)));
        if (cells.height() < 4 || cells.width() < 20)
            continue;
        paintPanel(painter, m_panels[p], cells, epochs, scale,
                   p + 1 == m_panels.size() ? AxisName::Shown : AxisName::Hidden);
    }
    // Tall enough for a label per decade where the figure allows it (a real vanishing run
    // spans ten decades or more).
    const double barHeight = std::clamp(body.height() * kColourBarShare, text * 6,
                                        std::max(text * 6, body.height() - text * 5.5));
    paintColourBar(painter, QRectF(right + text, body.top() + text * 3.6, barWidth, barHeight),
                   scale, anyMissing());
    painter->restore();
}

void LayerHeatmap::paintPanel(QPainter* painter, const Panel& panel, const QRectF& cells,
                              double epochs, const DecadeRange& scale, AxisName axisName)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const QPalette& colours = palette();
    const int rows = int(panel.rows.size());
    if (rows == 0)
        return;
    const double rowHeight = cells.height() / rows;
    const auto xOf = [&](double x) {
        return std::round(cells.left() + x / epochs * cells.width());
    };
    QBrush missing(colours.color(QPalette::PlaceholderText), Qt::BDiagPattern);
    // Cells meet edge to edge: antialiasing would draw a seam between neighbours.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    painter->setClipRect(cells); // samples before the start (a bad file) stay out of the labels
    const std::size_t columns = panel.x.size();
    for (std::size_t c = 0; c < columns; ++c) {
        // A column spans from the previous sample to its own; the first one as wide as the
        // next, from no earlier than the start of training.
        const double from =
            c > 0
                ? panel.x[c - 1]
                : std::max(0.0, panel.x[0] - (columns > 1 ? panel.x[1] - panel.x[0] : panel.x[0]));
        const double x0 = xOf(from), x1 = std::max(x0 + 1, xOf(panel.x[c]));
        for (int r = 0; r < rows; ++r) {
            const double y0 = std::round(cells.top() + r * rowHeight);
            const double y1 = std::round(cells.top() + (r + 1) * rowHeight);
            const double norm = panel.norms[std::size_t(r)][c];
            const QRectF cell(QPointF(x0, y0), QPointF(x1, y1));
            if (hasColour(norm))
                painter->fillRect(cell, heatColor(norm > 0 ? scale.unit(norm) : 0.0, colours));
            else
                painter->fillRect(cell, missing);
        }
    }
    painter->setClipping(false);
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QColor ink = colours.color(QPalette::Text);
    painter->setPen(ink);
    const double text = metrics.height();
    for (int r = 0; r < rows; ++r) {
        const double y = cells.top() + (r + 0.5) * rowHeight;
        // Thin rows (a deep CNN in a small figure): label every n-th so that names stay apart.
        const int every = std::max(1, int(std::ceil(text / std::max(1.0, rowHeight))));
        if (r % every != 0 && r != rows - 1)
            continue;
        painter->drawText(QRectF(cells.left() - 8 - 400, y - text / 2, 400, text),
                          Qt::AlignRight | Qt::AlignVCenter, panel.rows[r]);
    }
    painter->setPen(QPen(colours.color(QPalette::Mid), 1.0));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(cells);
    paintEpochAxis(painter, cells, 0, epochs, colours, axisName);
}

void LayerHeatmap::paintColourBar(QPainter* painter, const QRectF& bar, const DecadeRange& scale,
                                  bool showMissing)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    const QColor ink = colours.color(QPalette::Text);
    painter->setPen(ink);
    painter->drawText(QRectF(bar.left(), bar.top() - text * 2.6, 200, text * 2.2),
                      Qt::AlignLeft | Qt::AlignBottom, tr("gradient\nnorm"));
    const int steps = std::max(2, int(bar.height()));
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (int i = 0; i < steps; ++i) { // strong at the top, vanishing at the bottom
        const double y = bar.top() + bar.height() * i / steps;
        painter->fillRect(QRectF(bar.left(), y, bar.width(), bar.height() / steps + 1),
                          heatColor(1.0 - double(i) / (steps - 1), colours));
    }
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(colours.color(QPalette::Mid), 1.0));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(bar);
    const int decades = scale.high - scale.low;
    // Every decade when they fit, otherwise every n-th (the ends always).
    const int every = std::max(1, int(std::ceil(decades * text * 1.2 / bar.height())));
    painter->setPen(ink);
    for (int d = scale.low; d <= scale.high; ++d) {
        if ((d - scale.low) % every != 0 && d != scale.high)
            continue;
        const double y = bar.bottom() - double(d - scale.low) / decades * bar.height();
        painter->drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        painter->drawText(QRectF(bar.right() + 6, y - text / 2, 200, text),
                          Qt::AlignLeft | Qt::AlignVCenter, decadeLabel(d));
    }
    if (!showMissing)
        return;
    QBrush missing(colours.color(QPalette::PlaceholderText), Qt::BDiagPattern);
    const QRectF swatch(bar.left(), bar.bottom() + text * 0.8, bar.width(), text);
    painter->fillRect(swatch, missing);
    painter->drawText(QRectF(swatch.right() + 6, swatch.top(), 200, text),
                      Qt::AlignLeft | Qt::AlignVCenter, tr("none"));
}

QString LayerHeatmap::toCsv() const
{
    QString csv = QStringLiteral("run,layer,epoch,batch,x,grad_norm\n");
    for (const Panel& panel : m_panels) {
        const QString run = csvField(panel.run);
        for (int r = 0; r < panel.rows.size(); ++r)
            for (std::size_t c = 0; c < panel.x.size(); ++c)
                csv += QStringList{run,
                                   csvField(panel.rows[r]),
                                   QString::number(panel.epoch[c]),
                                   QString::number(panel.batch[c]),
                                   csvNumber(panel.x[c]),
                                   csvNumber(panel.norms[std::size_t(r)][c])}
                           .join(QLatin1Char(',')) +
                       QLatin1Char('\n');
    }
    return csv;
}

} // namespace atelier::ui
