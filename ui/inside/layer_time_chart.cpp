// A per-layer quantity over training time (see layer_time_chart.h).
#include "ui/inside/layer_time_chart.h"

#include "ui/inside/inside_plot.h"
#include "ui/runs/run_data.h"
#include "ui/search/search_table.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::ui {
namespace {

constexpr double kLineWidth = 1.8;
// The swatch drawn before a legend entry: long enough to show a dash pattern.
constexpr double kSwatchPx = 26;
// The legend never takes more of the figure's width than this.
constexpr double kLegendMaxShare = 0.3;
// How far a share's axis reaches below 0, and the largest share that still reads as none.
constexpr double kShareFloor = 0.03;
constexpr double kNoneShare = 0.001;

struct LegendEntry
{
    QString layer;
    QColor colour;
};

} // namespace

LayerTimeChart::LayerTimeChart(LayerQuantity quantity, QWidget* parent)
    : PaintedFigure(parent), m_quantity(quantity)
{
    setMinimumSize(320, 200);
    m_title = quantity == LayerQuantity::GradientNorm
                  ? tr("Gradient norm per layer (log scale: 1e-3 is ten times 1e-4)")
                  : tr("Saturated or dead units per layer (share of the layer's units)");
}

LayerTimeChart::~LayerTimeChart() = default;

void LayerTimeChart::setTitle(const QString& title)
{
    m_title = title;
    update();
}

double LayerTimeChart::valueOf(const ObservedLayer& layer, const LayerSample& sample) const
{
    if (m_quantity == LayerQuantity::GradientNorm)
        return sample.gradNorm;
    if (layer.canSaturate())
        return sample.saturated;
    return layer.canDie() ? sample.dead : std::numeric_limits<double>::quiet_NaN();
}

bool LayerTimeChart::drawable(double value) const
{
    return std::isfinite(value) && (!logScale() || value > 0);
}

void LayerTimeChart::setRuns(const std::vector<const RunData*>& runs)
{
    m_runs.clear();
    m_lines.clear();
    for (const RunData* run : runs) {
        if (!run || int(m_runs.size()) == kInsideMaxRuns)
            continue;
        const LayerStatsLog& log = run->layerStats;
        const std::vector<double> x = sampleEpochPositions(log, run->batchesPerEpoch);
        const int runIndex = int(m_runs.size());
        m_runs.push_back({runLabel(*run), x.empty() ? 0.0 : x.back()});
        const int layers = int(log.layers.size());
        for (int l = 0; l < layers; ++l) {
            const ObservedLayer& layer = log.layers[std::size_t(l)];
            const bool applies = m_quantity == LayerQuantity::GradientNorm
                                     ? layer.hasParameters
                                     : layer.canSaturate() || layer.canDie();
            if (!applies)
                continue;
            Line line;
            line.run = runIndex;
            line.layerPosition = l;
            line.layerCount = layers;
            line.layer = QString::fromStdString(layer.name);
            for (std::size_t s = 0; s < log.samples.size(); ++s) {
                const LayerStatsSample& sample = log.samples[s];
                line.x.push_back(x[s]);
                line.value.push_back(std::size_t(l) < sample.layers.size()
                                         ? valueOf(layer, sample.layers[std::size_t(l)])
                                         : std::numeric_limits<double>::quiet_NaN());
                line.epoch.push_back(sample.epoch);
                line.batch.push_back(sample.batch);
            }
            m_lines.push_back(std::move(line));
        }
    }
    update();
}

QString LayerTimeChart::lineLayer(int line) const
{
    return m_lines.at(std::size_t(line)).layer;
}

int LayerTimeChart::lineRun(int line) const
{
    return m_lines.at(std::size_t(line)).run;
}

int LayerTimeChart::pointCount(int line) const
{
    const Line& l = m_lines.at(std::size_t(line));
    return int(
        std::count_if(l.value.begin(), l.value.end(), [this](double v) { return drawable(v); }));
}

double LayerTimeChart::legendWidth(QPainter* painter, double available) const
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    double names = 0;
    for (const Line& line : m_lines)
        names = std::max(names, metrics.horizontalAdvance(line.layer));
    if (m_runs.size() > 1)
        for (const Run& run : m_runs)
            names = std::max(names, metrics.horizontalAdvance(run.name));
    QFont bold = painter->font();
    bold.setBold(true);
    const double heading =
        QFontMetricsF(bold, painter->device()).horizontalAdvance(layersHeading());
    return std::min(std::max(kSwatchPx + 8 + names, heading) + 4, available * kLegendMaxShare);
}

QString LayerTimeChart::layersHeading() const
{
    return tr("Layers, input first");
}

void LayerTimeChart::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    painter->setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF metrics(font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    paintHeading(
        painter,
        QRectF(target.left() + text / 2, target.top() + text / 3, target.width() - text, text),
        m_title, colours);
    const QRectF body = target.adjusted(text / 2, text * 1.8, -text / 2, -text / 3);
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const Line& line : m_lines)
        for (const double v : line.value)
            if (drawable(v)) {
                low = std::min(low, v);
                high = std::max(high, v);
            }
    if (!(high >= low)) {
        paintPlaceholder(painter, body, m_runs.empty() ? tr("no run") : tr("no values yet"),
                         colours);
        painter->restore();
        return;
    }
    // Shares run 0..1; a little room below 0 keeps a line at 0 off the axis, where it hides.
    ValueScale scale{-kShareFloor, 1, false};
    if (logScale()) {
        const DecadeRange decades = DecadeRange::covering(low, high);
        scale = ValueScale{std::pow(10.0, decades.low), std::pow(10.0, decades.high), true};
    }
    const double legend = legendWidth(painter, body.width());
    const QRectF plotArea = body.adjusted(0, 0, -legend - text, 0);
    const std::vector<Tick> ticks = valueTicks(scale, plotArea.height() - text * 1.5, text);
    double labels = 0;
    for (const Tick& tick : ticks)
        labels = std::max(labels, metrics.horizontalAdvance(tick.label));
    const QRectF plot(QPointF(plotArea.left() + labels + 8, plotArea.top() + text / 2),
                      QPointF(plotArea.right(), plotArea.bottom() - text * kEpochAxisLines));
    if (plot.width() < 20 || plot.height() < 20) {
        painter->restore();
        return;
    }
    double epochs = 1;
    for (const Run& run : m_runs)
        epochs = std::max(epochs, std::ceil(run.epochs - 1e-9));
    paintValueAxis(painter, plot, scale, ticks, labels, colours);
    paintEpochAxis(painter, plot, 0, epochs, colours);
    painter->setClipRect(plot.adjusted(-2, -2, 2, 2));
    paintLines(painter, plot, epochs, scale);
    painter->setClipping(false);
    if (!logScale() && high < kNoneShare)
        paintPlaceholder(painter, plot.adjusted(plot.width() / 8, 0, -plot.width() / 8, 0),
                         tr("No unit is saturated or dead: every share is about 0.\n"
                            "A gradient can vanish without them: an unsaturated sigmoid still "
                            "passes back at most 0.25 of it, and small weights shrink it "
                            "further, layer after layer."),
                         colours);
    paintLegend(painter, QRectF(plotArea.right() + text, plot.top(), legend, plot.height()));
    painter->restore();
}

void LayerTimeChart::paintLines(QPainter* painter, const QRectF& plot, double epochs,
                                const ValueScale& scale)
{
    const auto pointOf = [&](double x, double v) {
        return QPointF(plot.left() + x / epochs * plot.width(),
                       plot.bottom() - scale.unit(v) * plot.height());
    };
    // The second run first, so that the first run's solid lines stay on top.
    for (int run = int(m_runs.size()) - 1; run >= 0; --run)
        for (const Line& line : m_lines) {
            if (line.run != run)
                continue;
            const QColor colour = layerColor(line.layerPosition, line.layerCount, palette());
            QPen pen(colour, kLineWidth);
            if (run > 0)
                pen.setDashPattern({4, 2.5});
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            QPainterPath path;
            bool open = false;
            for (std::size_t i = 0; i < line.value.size(); ++i) {
                if (!drawable(line.value[i])) {
                    open = false; // a gap: the next value starts a new piece
                    continue;
                }
                const QPointF p = pointOf(line.x[i], line.value[i]);
                const bool alone = (i == 0 || !drawable(line.value[i - 1])) &&
                                   (i + 1 == line.value.size() || !drawable(line.value[i + 1]));
                if (alone) { // a single value between gaps would not show as a line
                    painter->setBrush(colour);
                    painter->setPen(Qt::NoPen);
                    painter->drawEllipse(p, kLineWidth * 1.2, kLineWidth * 1.2);
                    painter->setPen(pen);
                    painter->setBrush(Qt::NoBrush);
                }
                if (open)
                    path.lineTo(p);
                else
                    path.moveTo(p);
                open = true;
            }
            painter->drawPath(path);
        }
}

void LayerTimeChart::paintLegend(QPainter* painter, const QRectF& area)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double row = metrics.height() * 1.15;
    const QPalette& colours = palette();
    const QColor ink = colours.color(QPalette::Text);
    std::vector<LegendEntry> entries;
    for (const Line& line : m_lines)
        if (std::none_of(entries.begin(), entries.end(),
                         [&](const LegendEntry& e) { return e.layer == line.layer; }))
            entries.push_back(
                {line.layer, layerColor(line.layerPosition, line.layerCount, colours)});
    const int runRows = m_runs.size() > 1 ? int(m_runs.size()) + 2 : 0;
    const int fit = std::max(2, int(area.height() / row) - 1 - runRows);
    if (int(entries.size()) > fit) { // too many layers: the first ones, "…", the last
        const LegendEntry last = entries.back();
        entries.resize(std::size_t(fit - 2));
        entries.push_back({QStringLiteral("…"), QColor()});
        entries.push_back(last);
    }
    double y = area.top();
    const double textLeft = area.left() + kSwatchPx + 8;
    const double textWidth = area.right() - textLeft;
    const auto label = [&](const QString& text) {
        painter->setPen(ink);
        painter->drawText(QRectF(textLeft, y, textWidth, row), Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(text, Qt::ElideRight, textWidth));
    };
    paintHeading(painter, QRectF(area.left(), y, area.width(), row), layersHeading(), colours);
    y += row;
    for (const LegendEntry& entry : entries) {
        if (entry.colour.isValid()) {
            painter->setPen(QPen(entry.colour, kLineWidth * 1.6));
            painter->drawLine(QPointF(area.left(), y + row / 2),
                              QPointF(area.left() + kSwatchPx, y + row / 2));
        }
        label(entry.layer);
        y += row;
    }
    if (m_runs.size() < 2)
        return;
    y += row;
    paintHeading(painter, QRectF(area.left(), y, area.width(), row), tr("Runs"), colours);
    y += row;
    for (std::size_t r = 0; r < m_runs.size(); ++r) {
        QPen pen(ink, kLineWidth);
        if (r > 0)
            pen.setDashPattern({4, 2.5});
        painter->setPen(pen);
        painter->drawLine(QPointF(area.left(), y + row / 2),
                          QPointF(area.left() + kSwatchPx, y + row / 2));
        label(m_runs[r].name);
        y += row;
    }
}

QString LayerTimeChart::toCsv() const
{
    QString csv = QStringLiteral("run,layer,epoch,batch,x,value\n");
    for (const Line& line : m_lines) {
        const QString run = csvField(m_runs[std::size_t(line.run)].name);
        const QString layer = csvField(line.layer);
        for (std::size_t i = 0; i < line.value.size(); ++i)
            csv += QStringList{run,
                               layer,
                               QString::number(line.epoch[i]),
                               QString::number(line.batch[i]),
                               csvNumber(line.x[i]),
                               csvNumber(line.value[i])}
                       .join(QLatin1Char(',')) +
                   QLatin1Char('\n');
    }
    return csv;
}

} // namespace atelier::ui
