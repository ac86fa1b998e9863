// Shared look of Atelier's charts.
#include "ui/charts/chart_style.h"

#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QPalette>

namespace atelier::ui {

void styleChart(QChart* chart, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    // The window's own background, so that the chart sits in the view instead of on a card.
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    QFont title = chart->titleFont();
    title.setBold(true);
    title.setPointSizeF(QFont().pointSizeF() * 1.1);
    chart->setTitleFont(title);
    chart->setTitleBrush(palette.color(QPalette::WindowText));
    chart->legend()->setLabelColor(palette.color(QPalette::WindowText));
}

void renderChart(QChart* chart, QPainter* painter, const QRectF& target,
                 const std::function<void()>& afterLayout)
{
    const QSizeF shown = chart->size();
    chart->resize(target.size());
    chart->layout()->activate();
    if (afterLayout)
        afterLayout();
    chart->scene()->render(painter, target, QRectF(chart->pos(), target.size()));
    chart->resize(shown);
    chart->layout()->activate();
    if (afterLayout)
        afterLayout();
}

QColor splitColor(int splitIndex)
{
    static const QColor colours[] = {QColor(0x4c, 0x78, 0xa8), QColor(0xf5, 0x85, 0x18),
                                     QColor(0x54, 0xa2, 0x4b)};
    return colours[std::clamp(splitIndex, 0, 2)];
}

} // namespace atelier::ui
