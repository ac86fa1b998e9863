// A widget that draws itself through renderFigure(), the same call exports make: what is on
// screen is what a figure file holds. Subclasses paint by hand (not Qt Charts) and read their
// colours from the palette at paint time, so a theme or font change only needs a repaint.
#pragma once

#include <QWidget>

class QPainter;
class QRectF;

namespace atelier::ui {

class PaintedFigure : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    // The whole figure (titles, legend, axes) in `target`.
    virtual void renderFigure(QPainter* painter, const QRectF& target) = 0;

protected:
    // Fills with the palette's base colour, then renderFigure() over the whole widget.
    void paintEvent(QPaintEvent* event) override;
    // Repaints on a palette or font change.
    void changeEvent(QEvent* event) override;
};

} // namespace atelier::ui
