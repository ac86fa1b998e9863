// A line chart of training curves for one run or an overlay of several.
#include "ui/charts/curve_chart.h"

#include "ui/charts/chart_style.h"
#include "ui/train/curve_math.h"

#include <QEvent>
#include <QGraphicsLayout>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChartView>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

namespace atelier::ui {

struct CurveChart::Private
{
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::vector<QLineSeries*> lines;
    QLineSeries* best = nullptr;
    QLineSeries* windowUpper = nullptr;
    QLineSeries* windowLower = nullptr;
    QAreaSeries* window = nullptr;
    std::vector<CurveSeries> curves;
    CurveMarkers markers;
    std::optional<double> yLow, yHigh;

    void attach(QAbstractSeries* series)
    {
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    void showInLegend(QAbstractSeries* series, bool visible)
    {
        for (QLegendMarker* marker : chart->legend()->markers(series))
            marker->setVisible(visible);
    }
};

CurveChart::CurveChart(QWidget* parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->chart = new QChart;
    d->chart->legend()->setAlignment(Qt::AlignBottom);
    d->x = new QValueAxis;
    d->y = new QValueAxis;
    // Epochs are whole numbers: integer ticks (see redraw()) with integer labels. ("%g" would
    // do too, but Qt Charts then spends ~9 ms more on every redraw.)
    d->x->setLabelFormat(QStringLiteral("%.0f"));
    d->x->setTickType(QValueAxis::TicksDynamic);
    d->x->setTickAnchor(0);
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->y, Qt::AlignLeft);
    // The patience window first, so that curves draw over it.
    d->windowUpper = new QLineSeries(this);
    d->windowLower = new QLineSeries(this);
    d->window = new QAreaSeries(d->windowUpper, d->windowLower);
    d->attach(d->window);
    d->best = new QLineSeries;
    d->attach(d->best);
    d->view = new QChartView(d->chart);
    d->view->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->view);
    applyPalette();
    redraw();
}

CurveChart::~CurveChart() = default;

void CurveChart::setTitles(const QString& title, const QString& xTitle, const QString& yTitle)
{
    d->chart->setTitle(title);
    d->x->setTitleText(xTitle);
    d->y->setTitleText(yTitle);
}

void CurveChart::setCurves(const std::vector<CurveSeries>& curves, const CurveMarkers& markers)
{
    d->curves = curves;
    d->markers = markers;
    redraw();
}

void CurveChart::setYLimits(std::optional<double> low, std::optional<double> high)
{
    d->yLow = low;
    d->yHigh = high;
    redraw();
}

void CurveChart::redraw()
{
    while (d->lines.size() < d->curves.size()) {
        auto* line = new QLineSeries;
        d->attach(line);
        d->lines.push_back(line);
    }
    while (d->lines.size() > d->curves.size()) {
        d->chart->removeSeries(d->lines.back());
        delete d->lines.back();
        d->lines.pop_back();
    }
    // One min/max pair per two pixel columns: every spike still shows (the line joins them)
    // and the drawing cost stays flat however many points there are.
    const int columns = std::max(100, int(d->chart->plotArea().width()) / 2);
    // Many curves (an overlay) get their legend on the side, where the names fit.
    const Qt::Alignment legendSide = d->curves.size() > 3 ? Qt::AlignRight : Qt::AlignBottom;
    if (d->chart->legend()->alignment() != legendSide) // setting it relays the chart out
        d->chart->legend()->setAlignment(legendSide);
    double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
    bool any = false;
    for (std::size_t i = 0; i < d->curves.size(); ++i) {
        const CurveSeries& curve = d->curves[i];
        QLineSeries* line = d->lines[i];
        line->setName(curve.name);
        QPen pen(curve.color, curve.width, curve.style);
        pen.setCosmetic(true);
        line->setPen(pen);
        // Per-epoch curves show their points: one epoch is a dot, not an invisible line.
        const bool dots = curve.points.size() <= 60;
        if (line->pointsVisible() != dots)
            line->setPointsVisible(dots);
        const std::vector<QPointF> drawn = decimateMinMax(curve.points, columns);
        line->replace(QList<QPointF>(drawn.begin(), drawn.end()));
        for (const QPointF& p : curve.points) {
            if (!std::isfinite(p.y()))
                continue;
            if (!any) {
                xMin = xMax = p.x();
                yMin = yMax = p.y();
                any = true;
            }
            xMin = std::min(xMin, p.x());
            xMax = std::max(xMax, p.x());
            yMin = std::min(yMin, p.y());
            yMax = std::max(yMax, p.y());
        }
    }
    if (d->markers.window)
        xMax = std::max(xMax, d->markers.window->second);
    const double span = std::max(yMax - yMin, 1e-6);
    yMin -= span * 0.05;
    yMax += span * 0.05;
    if (d->yLow)
        yMin = std::max(yMin, *d->yLow);
    if (d->yHigh)
        yMax = std::min(yMax, *d->yHigh);
    if (xMax <= xMin)
        xMax = xMin + 1;
    // Whole epochs on x, at a step of 1, 2 or 5 × 10^n that leaves ~100 pixels per label.
    xMin = std::floor(xMin);
    xMax = std::ceil(xMax);
    const double labels = std::max(2.0, d->chart->plotArea().width() / 100.0);
    double step = 1;
    for (double scale = 1; step * labels < xMax - xMin; scale *= 10)
        for (double factor : {1.0, 2.0, 5.0})
            if (step * labels < xMax - xMin)
                step = factor * scale;
    // Qt lays the axis out on each of the two calls: in between, the range must not meet the
    // old interval in a way that asks for millions of ticks (a wide range after a narrow one
    // allocated gigabytes). Growing the interval first, or shrinking it last, keeps it bounded.
    if (step > d->x->tickInterval()) {
        d->x->setTickInterval(step);
        d->x->setRange(xMin, xMax);
    } else {
        d->x->setRange(xMin, xMax);
        d->x->setTickInterval(step);
    }
    d->y->setRange(yMin, yMax);
    d->y->applyNiceNumbers();
    yMin = d->y->min();
    yMax = d->y->max();

    const QColor markerColor = palette().color(QPalette::WindowText);
    if (d->markers.bestX) {
        d->best->replace({QPointF(*d->markers.bestX, yMin), QPointF(*d->markers.bestX, yMax)});
        d->best->setName(d->markers.bestLabel);
        QPen pen(markerColor, 1.5, Qt::DashLine);
        pen.setCosmetic(true);
        d->best->setPen(pen);
    }
    d->best->setVisible(d->markers.bestX.has_value());
    d->showInLegend(d->best, d->markers.bestX.has_value());
    if (d->markers.window) {
        const auto [from, to] = *d->markers.window;
        d->windowUpper->replace({QPointF(from, yMax), QPointF(to, yMax)});
        d->windowLower->replace({QPointF(from, yMin), QPointF(to, yMin)});
        d->window->setName(d->markers.windowLabel);
        QColor fill = markerColor;
        fill.setAlpha(28);
        d->window->setBrush(fill);
        d->window->setPen(Qt::NoPen);
    }
    d->window->setVisible(d->markers.window.has_value());
    d->showInLegend(d->window, d->markers.window.has_value());
}

void CurveChart::renderFigure(QPainter* painter, const QRectF& target)
{
    // The decimation follows the plot's width: redraw at the target's, then at the screen's.
    renderChart(d->chart, painter, target, [this] { redraw(); });
}

QString CurveChart::toCsv() const
{
    QString csv = QStringLiteral("series,%1,%2\n")
                      .arg(d->x->titleText().isEmpty() ? QStringLiteral("x") : d->x->titleText(),
                           d->y->titleText().isEmpty() ? QStringLiteral("y") : d->y->titleText());
    for (const CurveSeries& curve : d->curves)
        for (const QPointF& p : curve.points)
            csv += QStringLiteral("%1,%2,%3\n")
                       .arg(curve.name)
                       .arg(p.x(), 0, 'g', 10)
                       .arg(p.y(), 0, 'g', 9);
    return csv;
}

int CurveChart::drawnPointCount(const QString& seriesName) const
{
    for (QLineSeries* line : d->lines)
        if (line->name() == seriesName)
            return int(line->count());
    return -1;
}

QStringList CurveChart::legendNames() const
{
    QStringList names;
    for (QLegendMarker* marker : d->chart->legend()->markers())
        if (marker->isVisible())
            names << marker->label();
    return names;
}

QString CurveChart::title() const
{
    return d->chart->title();
}

void CurveChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void CurveChart::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    redraw(); // the decimation follows the width
}

void CurveChart::applyPalette()
{
    styleChart(d->chart, palette());
    redraw(); // the theme resets series pens
}

} // namespace atelier::ui
