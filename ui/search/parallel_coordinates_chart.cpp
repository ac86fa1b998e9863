// Parallel coordinates of a search: the table, the brushes and the filter, the mouse, the
// data as CSV (painting: parallel_coordinates_figure.cpp).
#include "ui/search/parallel_coordinates_chart.h"

#include "ui/export/figure_export.h"
#include "ui/search/parallel_coordinates_layout.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

// How far from an axis (in text heights) a press still grabs it.
constexpr double kGrabTextHeights = 0.7;
// A press that moves less than this is a click: it clears the axis's brush.
constexpr double kDragThresholdPx = 3.0;

} // namespace

ParallelCoordinatesChart::ParallelCoordinatesChart(QWidget* parent)
    : QWidget(parent), m_brushes(1), m_cache(std::make_unique<Cache>())
{
    setMinimumSize(360, 240);
    setToolTip(tr("Drag along an axis to keep the trials in that range; click an axis to "
                  "clear its range."));
    addExportActions(
        this, QStringLiteral("parallel_coordinates"), QSize(1400, 700),
        [this](QPainter& painter, const QRectF& area) { renderFigure(&painter, area); },
        [this] { return toCsv(); });
}

ParallelCoordinatesChart::~ParallelCoordinatesChart() = default;

int ParallelCoordinatesChart::axisCount() const
{
    return int(m_table.columns.size()) + 1;
}

void ParallelCoordinatesChart::setTable(const SearchTable& table)
{
    // Brushes survive new results of the same search, not a different search.
    bool sameAxes = table.columns.size() == m_table.columns.size() &&
                    table.objectiveName == m_table.objectiveName;
    for (std::size_t c = 0; sameAxes && c < table.columns.size(); ++c)
        sameAxes = table.columns[c].name == m_table.columns[c].name;
    m_table = table;
    if (!sameAxes || m_brushes.size() != std::size_t(axisCount()))
        m_brushes.assign(std::size_t(axisCount()), std::nullopt);
    m_drawOrder.clear();
    for (std::size_t r = 0; r < m_table.rows.size(); ++r)
        if (m_table.rows[r].finished())
            m_drawOrder.push_back(int(r));
    const bool higher = m_table.higherIsBetter;
    std::stable_sort(m_drawOrder.begin(), m_drawOrder.end(), [&](int a, int b) {
        const double ya = m_table.rows[std::size_t(a)].objective;
        const double yb = m_table.rows[std::size_t(b)].objective;
        return higher ? ya < yb : ya > yb;
    });
    ++m_generation;
    refilter();
}

double ParallelCoordinatesChart::rowValue(int row, int axis) const
{
    const SearchRow& r = m_table.rows[std::size_t(row)];
    return axis == objectiveAxis() ? r.objective : r.values[std::size_t(axis)];
}

void ParallelCoordinatesChart::setBrush(int axis, double low, double high)
{
    if (axis < 0 || axis >= axisCount())
        return;
    m_brushes[std::size_t(axis)] = std::pair{std::min(low, high), std::max(low, high)};
    refilter();
}

void ParallelCoordinatesChart::clearBrush(int axis)
{
    if (axis < 0 || axis >= axisCount() || !m_brushes[std::size_t(axis)])
        return;
    m_brushes[std::size_t(axis)].reset();
    refilter();
}

void ParallelCoordinatesChart::clearBrushes()
{
    m_brushes.assign(std::size_t(axisCount()), std::nullopt);
    refilter();
}

std::optional<std::pair<double, double>> ParallelCoordinatesChart::brush(int axis) const
{
    return axis >= 0 && axis < axisCount() ? m_brushes[std::size_t(axis)] : std::nullopt;
}

void ParallelCoordinatesChart::refilter()
{
    // Only a flag per row: the lines' pixel positions stay, and painting regroups them.
    m_cache->layer = QImage();
    m_passes.assign(m_table.rows.size(), 1);
    for (int axis = 0; axis < axisCount(); ++axis) {
        const auto& range = m_brushes[std::size_t(axis)];
        if (!range)
            continue;
        for (std::size_t r = 0; r < m_passes.size(); ++r) {
            const double v = rowValue(int(r), axis);
            if (!(v >= range->first && v <= range->second)) // NaN fails
                m_passes[r] = 0;
        }
    }
    update();
    Q_EMIT filterChanged();
}

std::vector<int> ParallelCoordinatesChart::passingRows() const
{
    std::vector<int> rows;
    for (std::size_t r = 0; r < m_passes.size(); ++r)
        if (m_passes[r])
            rows.push_back(int(r));
    return rows;
}

QPointF ParallelCoordinatesChart::axisPosition(int axis, double value) const
{
    const Layout layout = layoutFor(QRectF(rect()), font(), this);
    return QPointF(layout.x[std::size_t(axis)], layout.y(axis, value));
}

int ParallelCoordinatesChart::axisAt(const QPointF& position) const
{
    const Layout layout = layoutFor(QRectF(rect()), font(), this);
    const double grab = std::max(kBrushHalfWidthPx + 1, layout.text * kGrabTextHeights);
    if (position.y() < layout.plot.top() - grab || position.y() > layout.plot.bottom() + grab)
        return -1;
    for (int a = 0; a < axisCount(); ++a)
        if (std::abs(position.x() - layout.x[std::size_t(a)]) <= grab)
            return a;
    return -1;
}

void ParallelCoordinatesChart::brushFromDrag(const QPointF& current)
{
    const Layout layout = layoutFor(QRectF(rect()), font(), this);
    const auto valueAt = [&](double y) {
        const double clamped = std::clamp(y, layout.plot.top(), layout.plot.bottom());
        const double unit = (layout.plot.bottom() - clamped) / layout.plot.height();
        return layout.axes[std::size_t(m_dragAxis)].value(unit);
    };
    setBrush(m_dragAxis, valueAt(m_dragStart.y()), valueAt(current.y()));
}

void ParallelCoordinatesChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    renderFigure(&painter, QRectF(rect()));
}

void ParallelCoordinatesChart::mousePressEvent(QMouseEvent* event)
{
    m_dragAxis = event->button() == Qt::LeftButton ? axisAt(event->position()) : -1;
    m_dragStart = event->position();
    m_dragMoved = false;
    if (m_dragAxis < 0)
        QWidget::mousePressEvent(event);
}

void ParallelCoordinatesChart::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragAxis < 0)
        return QWidget::mouseMoveEvent(event);
    if (std::abs(event->position().y() - m_dragStart.y()) >= kDragThresholdPx)
        m_dragMoved = true;
    if (m_dragMoved)
        brushFromDrag(event->position());
}

void ParallelCoordinatesChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragAxis < 0 || event->button() != Qt::LeftButton)
        return QWidget::mouseReleaseEvent(event);
    if (m_dragMoved || std::abs(event->position().y() - m_dragStart.y()) >= kDragThresholdPx)
        brushFromDrag(event->position());
    else
        clearBrush(m_dragAxis);
    m_dragAxis = -1;
}

void ParallelCoordinatesChart::changeEvent(QEvent* event)
{
    // Colours are read from the palette at paint time; a new font moves everything.
    if (event->type() == QEvent::FontChange)
        ++m_generation;
    if (event->type() == QEvent::PaletteChange)
        m_cache->layer = QImage();
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        update();
    QWidget::changeEvent(event);
}

QString ParallelCoordinatesChart::toCsv() const
{
    QStringList header{QStringLiteral("trial"), QStringLiteral("status")};
    for (const SearchColumn& column : m_table.columns)
        header << csvField(column.name);
    header << m_table.objectiveName << QStringLiteral("in_filter");
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (std::size_t r = 0; r < m_table.rows.size(); ++r) {
        const SearchRow& row = m_table.rows[r];
        QStringList fields{QString::number(row.index), row.status};
        for (std::size_t c = 0; c < m_table.columns.size(); ++c)
            fields << csvField(m_table.valueText(int(r), int(c)));
        fields << (row.finished() ? QString::number(row.objective, 'g', 8) : QString())
               << (m_passes[r] ? QStringLiteral("1") : QStringLiteral("0"));
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

} // namespace atelier::ui
