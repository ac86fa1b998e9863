// Parallel coordinates of a search: one vertical axis per parameter and the objective last,
// one line per finished trial coloured by its objective. Dragging along an axis brushes a
// range on it; a trial passes the filter when it lies inside every brush, and the lines that
// do not are drawn faint behind the rest. Painted by hand (not Qt Charts): thousands of lines
// and live brushing need cached pixel paths.
#pragma once

#include "ui/search/search_table.h"

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

namespace atelier::ui {

class ParallelCoordinatesChart : public QWidget
{
    Q_OBJECT

public:
    explicit ParallelCoordinatesChart(QWidget* parent = nullptr);
    ~ParallelCoordinatesChart() override;

    // Replaces the trials; brushes on axes that still exist are kept.
    void setTable(const SearchTable& table);
    const SearchTable& table() const { return m_table; }
    int axisCount() const; // parameters, then the objective
    int objectiveAxis() const { return axisCount() - 1; }

    // A brush in the axis's values (a category's index on a categorical axis), ends included.
    void setBrush(int axis, double low, double high);
    void clearBrush(int axis);
    void clearBrushes();
    std::optional<std::pair<double, double>> brush(int axis) const;

    // Whether a row lies inside every brush (every row passes when nothing is brushed; a row
    // without an objective fails a brush on the objective).
    bool rowPasses(int row) const { return m_passes[std::size_t(row)]; }
    std::vector<int> passingRows() const;

    // Where `value` sits on `axis` in the widget as laid out now (for tests and tooltips).
    QPointF axisPosition(int axis, double value) const;

    // The whole figure in `target`: what the widget paints and what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target);
    // One row per trial: index, status, each parameter's value, the objective, and whether it
    // passes the filter.
    QString toCsv() const;

Q_SIGNALS:
    void filterChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Layout;
    struct Cache;

    Layout layoutFor(const QRectF& target, const QFont& font, const QPaintDevice* device) const;
    Cache& cacheFor(const Layout& layout);
    void paintLines(QPainter* painter, const Layout& layout);
    double rowValue(int row, int axis) const;
    void refilter();
    int axisAt(const QPointF& position) const;
    void brushFromDrag(const QPointF& current);

    SearchTable m_table;
    std::vector<std::optional<std::pair<double, double>>> m_brushes; // per axis
    std::vector<char> m_passes;                                      // per row
    std::vector<int> m_drawOrder; // finished rows, worst objective first (best on top)
    std::unique_ptr<Cache> m_cache;
    quint64 m_generation = 0; // bumped by setTable: the cached lines are stale
    int m_dragAxis = -1;
    QPointF m_dragStart;
    bool m_dragMoved = false;
};

} // namespace atelier::ui
