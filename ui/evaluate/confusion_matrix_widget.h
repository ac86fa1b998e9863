// A confusion-matrix heatmap, painted by hand: counts or row-normalised percentages in every
// cell, class names on both axes, a colour scale legend, text that stays readable on every
// cell in light and dark palettes. A click on a cell reports (true, predicted). Painting
// works on any QPainter, so exports draw exactly this.
#pragma once

#include "core/metrics.h"

#include <QWidget>
#include <optional>

namespace atelier::ui {

class ConfusionMatrixWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);

    void setMatrix(const ConfusionMatrix& matrix, const QString& title);
    void clear(const QString& message);
    bool hasMatrix() const { return m_matrix.has_value(); }
    void setRowNormalized(bool normalized);
    bool rowNormalized() const { return m_normalized; }
    void setSelectedCell(std::optional<std::pair<int, int>> cell);

    // The text a cell shows: "123" or "12.3%" (row-normalised).
    QString cellText(int trueClass, int predicted) const;
    // Share of the true class's images predicted as `predicted`, 0..1.
    double rowShare(int trueClass, int predicted) const;
    // The cell under a point of the widget, if any.
    std::optional<std::pair<int, int>> cellAt(const QPoint& position) const;
    QRectF cellRect(int trueClass, int predicted) const;

    void paintMatrix(QPainter& painter, const QRectF& area) const;
    QString toCsv() const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void cellClicked(int trueClass, int predicted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    struct Geometry
    {
        QRectF grid;
        double cell = 0;
        QRectF legend;
    };
    Geometry geometryFor(const QRectF& area) const;
    double cellValue(int t, int p) const; // the value coloured: count or share
    double maximumValue() const;

    std::optional<ConfusionMatrix> m_matrix;
    QString m_title;
    QString m_message;
    bool m_normalized = false;
    std::optional<std::pair<int, int>> m_selected;
};

// The colour of a value in [0, 1] on the heatmap's scale (light to dark blue).
QColor heatColor(double fraction);

} // namespace atelier::ui
