// The objective by each parameter, as small multiples: one panel per parameter with every
// finished trial as a dot, the mean ± standard deviation per listed value, and for numbers
// the Spearman rank correlation in the panel's title. Panels share the objective's scale and
// wrap into a grid that fits the figure's shape.
#pragma once

#include "ui/search/search_table.h"
#include "ui/widgets/painted_figure.h"

#include <QWidget>
#include <vector>

namespace atelier::ui {

struct ColumnAxis;

class ParameterEffectsChart : public PaintedFigure
{
    Q_OBJECT

public:
    explicit ParameterEffectsChart(QWidget* parent = nullptr);
    ~ParameterEffectsChart() override;

    void setTable(const SearchTable& table);
    const SearchTable& table() const { return m_table; }
    // What the panels show, one per parameter in the table's order.
    const std::vector<ParameterSummary>& summaries() const { return m_summaries; }
    // Columns × rows of panels for `panels` panels in `area`: panels about half again as wide
    // as high.
    static QSize gridShape(int panels, const QSizeF& area);

    // The whole figure in `target`: what the widget paints and what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target) override;
    // One row per listed value (a range: one row for all its trials): parameter, value,
    // trials, mean, stddev, spearman.
    QString toCsv() const;

private:
    void paintPanel(QPainter* painter, const QRectF& panel, const ParameterSummary& summary,
                    const ColumnAxis& objective);

    SearchTable m_table;
    std::vector<ParameterSummary> m_summaries;
};

} // namespace atelier::ui
