// PaintedFigure's painting: the palette's base colour, then the figure (painted_figure.h).
#include "ui/widgets/painted_figure.h"

#include <QEvent>
#include <QPainter>

namespace atelier::ui {

void PaintedFigure::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    renderFigure(&painter, QRectF(rect()));
}

void PaintedFigure::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace atelier::ui
