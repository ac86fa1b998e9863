// Percentile bands of a layer's weights or gradients per epoch (see distribution_chart.h).
#include "ui/inside/distribution_chart.h"

#include "ui/inside/inside_plot.h"
#include "ui/runs/run_data.h"
#include "ui/search/search_table.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::ui {
namespace {

// Panels share one y scale only while their spreads are within this factor of each other.
// Weights of two runs usually are, and one scale then shows which spreads wider. Gradients
// are not: a vanishing run's first layer spreads a thousand times narrower than a healthy
// one's, and on a shared scale it would be a flat line with no shape left to read. Separate
// scales keep both readable; the heading then says by how much they differ.
constexpr double kShareScaleRatio = 10;
// Each band is drawn this opaque over the wider ones: the middle of the values, where the
// bands overlap, comes out darkest.
constexpr float kBandAlpha = 0.24f;
// A single epoch has no width on the epochs axis: its bands are drawn this wide.
constexpr double kSingleEpochWidth = 0.6;
constexpr double kMedianWidth = 1.8;
// Room above and below the widest band.
constexpr double kValuePadShare = 0.06;

} // namespace

double DistributionChart::Panel::low() const
{
    double low = std::numeric_limits<double>::infinity();
    for (const auto& q : quantiles)
        if (std::isfinite(q.front()))
            low = std::min(low, q.front());
    return low;
}

double DistributionChart::Panel::high() const
{
    double high = -std::numeric_limits<double>::infinity();
    for (const auto& q : quantiles)
        if (std::isfinite(q.back()))
            high = std::max(high, q.back());
    return high;
}

DistributionChart::DistributionChart(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(320, 200);
}

DistributionChart::~DistributionChart() = default;

void DistributionChart::setRuns(const std::vector<const RunData*>& runs)
{
    m_sources.clear();
    for (const RunData* run : runs) {
        if (!run || int(m_sources.size()) == kInsideMaxRuns)
            continue;
        LayerStatsLog histograms;
        histograms.layers = run->layerStats.layers;
        histograms.histograms = run->layerStats.histograms;
        m_sources.push_back({runLabel(*run), std::move(histograms)});
    }
    rebuild();
}

void DistributionChart::setLayers(const QStringList& layers)
{
    m_layers = layers;
    rebuild();
}

void DistributionChart::setTensor(HistogramTensor tensor)
{
    m_tensor = tensor;
    rebuild();
}

void DistributionChart::rebuild()
{
    m_panels.clear();
    for (const QString& layer : m_layers)
        for (const Source& source : m_sources) {
            Panel panel;
            panel.run = source.name;
            panel.layer = layer;
            const std::vector<ObservedLayer>& layers = source.histograms.layers;
            const auto found = std::find_if(layers.begin(), layers.end(), [&](const auto& l) {
                return QString::fromStdString(l.name) == layer;
            });
            panel.layerFound = found != layers.end();
            const int position = int(found - layers.begin());
            for (const LayerHistograms& h : source.histograms.histograms) {
                if (!panel.layerFound || h.layer != position)
                    continue;
                const Histogram& values =
                    m_tensor == HistogramTensor::Weights ? h.weights : h.gradients;
                // An empty histogram (no values) or a diverged one has no bands to draw.
                if (values.total() <= 0 || !std::isfinite(values.min) || !std::isfinite(values.max))
                    continue;
                std::array<double, 9> q{};
                for (std::size_t i = 0; i < kFractions.size(); ++i)
                    q[i] = values.quantile(kFractions[i]);
                panel.epochs.push_back(h.epoch);
                panel.quantiles.push_back(q);
            }
            m_panels.push_back(std::move(panel));
        }
    update();
}

QString DistributionChart::panelTitle(int panel) const
{
    const Panel& p = m_panels.at(std::size_t(panel));
    // The heading names a single layer; a panel then needs only its run.
    if (m_sources.size() > 1 && m_layers.size() > 1)
        return QStringLiteral("%1 · %2").arg(p.layer, p.run);
    return m_layers.size() == 1 ? p.run : p.layer;
}

int DistributionChart::epochCount(int panel) const
{
    return int(m_panels.at(std::size_t(panel)).epochs.size());
}

double DistributionChart::spreadRatio() const
{
    double narrowest = std::numeric_limits<double>::infinity(), widest = 0;
    for (const Panel& panel : m_panels) {
        if (panel.quantiles.empty())
            continue;
        const double span = panel.high() - panel.low();
        narrowest = std::min(narrowest, span);
        widest = std::max(widest, span);
    }
    if (widest == 0)
        return 1;
    return narrowest > 0 ? widest / narrowest : std::numeric_limits<double>::infinity();
}

bool DistributionChart::sharedScale() const
{
    return spreadRatio() <= kShareScaleRatio;
}

QString DistributionChart::heading() const
{
    const QString what = m_tensor == HistogramTensor::Weights ? tr("Weights") : tr("Gradients");
    if (m_layers.size() == 1)
        return tr("%1 of %2 at the end of each epoch").arg(what, m_layers.front());
    return tr("%1 at the end of each epoch").arg(what);
}

QColor DistributionChart::bandColour() const
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    // Weights blue, gradients orange (TensorBoard's hue for distributions); lighter on dark.
    if (m_tensor == HistogramTensor::Weights)
        return dark ? QColor(0x6c, 0xa8, 0xff) : QColor(0x1f, 0x5f, 0xb4);
    return dark ? QColor(0xff, 0x9a, 0x4a) : QColor(0xd8, 0x5f, 0x0a);
}

void DistributionChart::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    painter->setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF metrics(font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    const bool shared = sharedScale();
    QString title = heading();
    if (!shared) {
        const double ratio = spreadRatio();
        title += std::isfinite(ratio)
                     ? tr(" · own y scale per panel: the spreads differ about %1×")
                           .arg(compactNumber(std::pow(10.0, std::round(std::log10(ratio)))))
                     : tr(" · own y scale per panel");
    }
    paintHeading(
        painter,
        QRectF(target.left() + text / 2, target.top() + text / 3, target.width() - text, text),
        title, colours);
    paintBandLegend(painter, QRectF(target.left() + text / 2, target.top() + text * 1.5,
                                    target.width() - text, text));
    const QRectF grid = target.adjusted(text / 2, text * 2.9, -text / 2, -text / 3);
    const bool any = std::any_of(m_panels.begin(), m_panels.end(),
                                 [](const Panel& p) { return !p.quantiles.empty(); });
    if (!any) {
        paintPlaceholder(painter, grid,
                         m_sources.empty() ? tr("no run")
                                           : tr("no histograms yet: they are taken at the end "
                                                "of each epoch"),
                         colours);
        painter->restore();
        return;
    }
    double low = std::numeric_limits<double>::infinity(), high = -low;
    int firstEpoch = std::numeric_limits<int>::max(), lastEpoch = 0;
    for (const Panel& panel : m_panels) {
        low = std::min(low, panel.low());
        high = std::max(high, panel.high());
        if (!panel.epochs.empty()) {
            firstEpoch = std::min(firstEpoch, panel.epochs.front());
            lastEpoch = std::max(lastEpoch, panel.epochs.back());
        }
    }
    // One epoch: a band of kSingleEpochWidth centred on it; several: first to last.
    const double first = firstEpoch == lastEpoch ? firstEpoch - 0.5 : firstEpoch;
    const double last = firstEpoch == lastEpoch ? lastEpoch + 0.5 : lastEpoch;
    const int count = int(m_panels.size());
    const int columns = count <= 3 ? count : int(std::ceil(std::sqrt(double(count))));
    const int rows = (count + columns - 1) / columns;
    const double width = grid.width() / columns, height = grid.height() / rows;
    for (int i = 0; i < count; ++i) {
        const Panel& panel = m_panels[std::size_t(i)];
        const QRectF area(grid.left() + (i % columns) * width, grid.top() + (i / columns) * height,
                          width, height);
        // On separate scales the numbers on the axes are easy to miss: the title says them.
        QString panelHeading = panelTitle(i);
        if (!shared && !panel.quantiles.empty())
            panelHeading +=
                tr(" · within ±%1")
                    .arg(compactNumber(std::max(std::abs(panel.low()), std::abs(panel.high()))));
        paintHeading(painter, QRectF(area.left(), area.top(), area.width(), text * 1.2),
                     panelHeading, colours, HeadingWeight::Bold, Qt::AlignHCenter);
        const QRectF plotArea = area.adjusted(0, text * 1.4, -text, -text * 0.3);
        if (!panel.layerFound || panel.quantiles.empty()) {
            paintPlaceholder(painter, plotArea,
                             panel.layerFound ? tr("no histograms yet")
                                              : tr("this run has no layer %1").arg(panel.layer),
                             colours);
            continue;
        }
        paintPanel(painter, plotArea, panel, shared ? low : panel.low(),
                   shared ? high : panel.high(), first, last);
    }
    painter->restore();
}

void DistributionChart::paintPanel(QPainter* painter, const QRectF& area, const Panel& panel,
                                   double low, double high, double firstEpoch, double lastEpoch)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const double text = metrics.height();
    const QPalette& colours = palette();
    const double pad = (high - low) * kValuePadShare;
    const ValueScale scale = ValueScale::fit(low - pad, high + pad, false);
    const std::vector<Tick> ticks = valueTicks(scale, area.height() - text * 1.5, text);
    double labels = 0;
    for (const Tick& tick : ticks)
        labels = std::max(labels, metrics.horizontalAdvance(tick.label));
    const QRectF plot(QPointF(area.left() + labels + 8, area.top() + text / 2),
                      QPointF(area.right(), area.bottom() - text * kEpochAxisLines));
    if (plot.width() < 20 || plot.height() < 20)
        return;
    paintValueAxis(painter, plot, scale, ticks, labels, colours);
    paintEpochAxis(painter, plot, firstEpoch, lastEpoch, colours);
    const auto xOf = [&](double epoch) {
        return plot.left() + (epoch - firstEpoch) / (lastEpoch - firstEpoch) * plot.width();
    };
    const auto yOf = [&](double v) { return plot.bottom() - scale.unit(v) * plot.height(); };
    // The x of each point: the epoch, or both edges of a lone epoch's band.
    std::vector<double> xs;
    std::vector<std::size_t> at;
    for (std::size_t e = 0; e < panel.epochs.size(); ++e) {
        if (panel.epochs.size() == 1) {
            xs = {panel.epochs[e] - kSingleEpochWidth / 2, panel.epochs[e] + kSingleEpochWidth / 2};
            at = {e, e};
        } else {
            xs.push_back(panel.epochs[e]);
            at.push_back(e);
        }
    }
    const QColor colour = bandColour();
    QColor fill = colour;
    fill.setAlphaF(kBandAlpha);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    const std::size_t bands = kFractions.size() / 2;
    for (std::size_t b = 0; b < bands; ++b) {
        QPolygonF band;
        for (std::size_t i = 0; i < xs.size(); ++i)
            band << QPointF(xOf(xs[i]), yOf(panel.quantiles[at[i]][kFractions.size() - 1 - b]));
        for (std::size_t i = xs.size(); i-- > 0;)
            band << QPointF(xOf(xs[i]), yOf(panel.quantiles[at[i]][b]));
        painter->drawPolygon(band);
    }
    QPolygonF median;
    for (std::size_t i = 0; i < xs.size(); ++i)
        median << QPointF(xOf(xs[i]), yOf(panel.quantiles[at[i]][bands]));
    painter->setPen(QPen(colour, kMedianWidth));
    painter->setBrush(Qt::NoBrush);
    painter->drawPolyline(median);
}

void DistributionChart::paintBandLegend(QPainter* painter, const QRectF& row)
{
    const QFontMetricsF metrics(painter->font(), painter->device());
    const QPalette& colours = palette();
    const QColor colour = bandColour();
    const QStringList labels = {tr("min–max"), tr("7–93%"), tr("16–84%"), tr("31–69%")};
    double x = row.left();
    painter->setPen(Qt::NoPen);
    for (int b = 0; b < labels.size(); ++b) {
        // Each swatch as dark as that band looks: itself over every wider band.
        QColor fill = colour;
        fill.setAlphaF(float(1 - std::pow(1 - kBandAlpha, b + 1)));
        painter->fillRect(
            QRectF(x, row.top() + row.height() * 0.2, row.height() * 1.4, row.height() * 0.6),
            fill);
        x += row.height() * 1.4 + 4;
        painter->setPen(colours.color(QPalette::Text));
        painter->drawText(QRectF(x, row.top(), 200, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          labels[b]);
        painter->setPen(Qt::NoPen);
        x += metrics.horizontalAdvance(labels[b]) + row.height();
    }
    painter->setPen(QPen(colour, kMedianWidth));
    painter->drawLine(QPointF(x, row.center().y()),
                      QPointF(x + row.height() * 1.4, row.center().y()));
    x += row.height() * 1.4 + 4;
    painter->setPen(colours.color(QPalette::Text));
    painter->drawText(QRectF(x, row.top(), 200, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      tr("median"));
}

QString DistributionChart::toCsv() const
{
    QString csv = QStringLiteral("run,layer,tensor,epoch,p0,p7,p16,p31,p50,p69,p84,p93,p100\n");
    const QString tensor = m_tensor == HistogramTensor::Weights ? QStringLiteral("weight")
                                                                : QStringLiteral("gradient");
    for (const Panel& panel : m_panels)
        for (std::size_t e = 0; e < panel.epochs.size(); ++e) {
            QStringList fields = {csvField(panel.run), csvField(panel.layer), tensor,
                                  QString::number(panel.epochs[e])};
            for (const double q : panel.quantiles[e])
                fields << csvNumber(q);
            csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
    return csv;
}

} // namespace atelier::ui
