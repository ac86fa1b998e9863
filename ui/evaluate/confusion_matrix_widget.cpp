// A confusion-matrix heatmap, painted by hand.
#include "ui/evaluate/confusion_matrix_widget.h"

#include "ui/widgets/layer_text.h"

#include <QMouseEvent>
#include <QPainter>
#include <cmath>

namespace atelier::ui {
namespace {

constexpr double kLabelWidth = 110; // room for "T-shirt/top" on the left
constexpr double kLabelHeight = 92; // rotated class names under the grid
constexpr double kTitleHeight = 28;
constexpr double kLegendWidth = 70;

QStringList classNames()
{
    QStringList names;
    for (const std::string& name : fashionMnistClassNames())
        names << qs(name);
    return names;
}

} // namespace

QColor heatColor(double fraction)
{
    // Interpolates white → #08306b (ColorBrewer "Blues"), perceptually even enough for counts.
    fraction = std::clamp(fraction, 0.0, 1.0);
    const QColor low(0xf7, 0xfb, 0xff);
    const QColor mid(0x6b, 0xae, 0xd6);
    const QColor high(0x08, 0x30, 0x6b);
    auto mix = [](const QColor& a, const QColor& b, double t) {
        return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                                float(a.greenF() + (b.greenF() - a.greenF()) * t),
                                float(a.blueF() + (b.blueF() - a.blueF()) * t));
    };
    return fraction < 0.5 ? mix(low, mid, fraction * 2) : mix(mid, high, (fraction - 0.5) * 2);
}

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(320, 280);
    setMouseTracking(false);
}

void ConfusionMatrixWidget::setMatrix(const ConfusionMatrix& matrix, const QString& title)
{
    m_matrix = matrix;
    m_title = title;
    m_message.clear();
    update();
}

void ConfusionMatrixWidget::clear(const QString& message)
{
    m_matrix.reset();
    m_message = message;
    m_selected.reset();
    update();
}

void ConfusionMatrixWidget::setRowNormalized(bool normalized)
{
    m_normalized = normalized;
    update();
}

void ConfusionMatrixWidget::setSelectedCell(std::optional<std::pair<int, int>> cell)
{
    m_selected = cell;
    update();
}

double ConfusionMatrixWidget::rowShare(int t, int p) const
{
    if (!m_matrix)
        return 0;
    std::int64_t total = 0;
    for (std::int64_t count : (*m_matrix)[std::size_t(t)])
        total += count;
    return total > 0 ? double((*m_matrix)[std::size_t(t)][std::size_t(p)]) / double(total) : 0.0;
}

QString ConfusionMatrixWidget::cellText(int t, int p) const
{
    if (!m_matrix)
        return {};
    if (m_normalized)
        return QStringLiteral("%1%").arg(rowShare(t, p) * 100, 0, 'f', 1);
    return QString::number((*m_matrix)[std::size_t(t)][std::size_t(p)]);
}

double ConfusionMatrixWidget::cellValue(int t, int p) const
{
    return m_normalized ? rowShare(t, p) : double((*m_matrix)[std::size_t(t)][std::size_t(p)]);
}

double ConfusionMatrixWidget::maximumValue() const
{
    double maximum = 0;
    for (int t = 0; t < kNumClasses; ++t)
        for (int p = 0; p < kNumClasses; ++p)
            maximum = std::max(maximum, cellValue(t, p));
    return std::max(maximum, 1e-9);
}

ConfusionMatrixWidget::Geometry ConfusionMatrixWidget::geometryFor(const QRectF& area) const
{
    Geometry g;
    const double width = area.width() - kLabelWidth - kLegendWidth - 16;
    const double height = area.height() - kLabelHeight - kTitleHeight - 8;
    g.cell = std::max(8.0, std::floor(std::min(width, height) / kNumClasses));
    const double side = g.cell * kNumClasses;
    const double left = area.left() + kLabelWidth + std::max(0.0, (width - side) / 2);
    g.grid = QRectF(left, area.top() + kTitleHeight, side, side);
    g.legend = QRectF(g.grid.right() + 18, g.grid.top(), 14, side);
    return g;
}

QRectF ConfusionMatrixWidget::cellRect(int t, int p) const
{
    const Geometry g = geometryFor(rect());
    return QRectF(g.grid.left() + p * g.cell, g.grid.top() + t * g.cell, g.cell, g.cell);
}

std::optional<std::pair<int, int>> ConfusionMatrixWidget::cellAt(const QPoint& position) const
{
    if (!m_matrix)
        return std::nullopt;
    const Geometry g = geometryFor(rect());
    if (!g.grid.contains(position))
        return std::nullopt;
    const int p = std::min(kNumClasses - 1, int((position.x() - g.grid.left()) / g.cell));
    const int t = std::min(kNumClasses - 1, int((position.y() - g.grid.top()) / g.cell));
    return std::pair{t, p};
}

void ConfusionMatrixWidget::paintMatrix(QPainter& painter, const QRectF& area) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QColor text = palette().color(QPalette::WindowText);
    if (!m_matrix) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_message);
        painter.restore();
        return;
    }
    const Geometry g = geometryFor(area);
    QFont font = painter.font();
    QFont bold = font;
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(text);
    painter.drawText(QRectF(area.left(), area.top(), area.width(), kTitleHeight), Qt::AlignCenter,
                     m_title);

    // Cells: the number's colour follows the cell's lightness, not the palette.
    QFont cellFont = font;
    cellFont.setPointSizeF(std::clamp(g.cell / 4.2, 6.0, font.pointSizeF()));
    painter.setFont(cellFont);
    const double maximum = maximumValue();
    for (int t = 0; t < kNumClasses; ++t) {
        for (int p = 0; p < kNumClasses; ++p) {
            const QRectF cell(g.grid.left() + p * g.cell, g.grid.top() + t * g.cell, g.cell,
                              g.cell);
            const QColor fill = heatColor(cellValue(t, p) / maximum);
            painter.fillRect(cell, fill);
            painter.setPen(fill.lightness() < 140 ? Qt::white : QColor(0x10, 0x10, 0x10));
            painter.drawText(cell, Qt::AlignCenter, cellText(t, p));
        }
    }
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(g.grid);
    if (m_selected) {
        const auto [t, p] = *m_selected;
        painter.setPen(QPen(QColor(0xe4, 0x57, 0x56), 3));
        painter.drawRect(
            QRectF(g.grid.left() + p * g.cell, g.grid.top() + t * g.cell, g.cell, g.cell)
                .adjusted(1.5, 1.5, -1.5, -1.5));
    }

    // Axes: true classes on the left, predicted ones below (rotated to fit).
    painter.setFont(font);
    painter.setPen(text);
    const QStringList names = classNames();
    for (int i = 0; i < kNumClasses; ++i) {
        painter.drawText(QRectF(area.left(), g.grid.top() + i * g.cell, kLabelWidth - 8, g.cell),
                         Qt::AlignRight | Qt::AlignVCenter, names[i]);
        painter.save();
        painter.translate(g.grid.left() + (i + 0.5) * g.cell, g.grid.bottom() + 6);
        painter.rotate(-45);
        painter.drawText(QRectF(-kLabelHeight * 1.3, -10, kLabelHeight * 1.3, 20),
                         Qt::AlignRight | Qt::AlignVCenter, names[i]);
        painter.restore();
    }
    painter.setFont(bold);
    painter.drawText(QRectF(g.grid.left(), g.grid.bottom() + kLabelHeight - 22, g.grid.width(), 20),
                     Qt::AlignCenter, QStringLiteral("Predicted class"));
    painter.save();
    painter.translate(area.left() + 8, g.grid.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-g.grid.height() / 2, -8, g.grid.height(), 20), Qt::AlignCenter,
                     QStringLiteral("True class"));
    painter.restore();

    // Colour scale legend with its end values.
    QLinearGradient gradient(g.legend.bottomLeft(), g.legend.topLeft());
    for (int i = 0; i <= 10; ++i)
        gradient.setColorAt(i / 10.0, heatColor(i / 10.0));
    painter.fillRect(g.legend, gradient);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawRect(g.legend);
    painter.setFont(font);
    painter.setPen(text);
    const QString top = m_normalized ? QStringLiteral("%1%").arg(maximum * 100, 0, 'f', 0)
                                     : QString::number(qint64(maximum));
    painter.drawText(QRectF(g.legend.right() + 4, g.legend.top() - 2, kLegendWidth, 16),
                     Qt::AlignLeft | Qt::AlignTop, top);
    painter.drawText(QRectF(g.legend.right() + 4, g.legend.bottom() - 14, kLegendWidth, 16),
                     Qt::AlignLeft | Qt::AlignBottom,
                     m_normalized ? QStringLiteral("0%") : QStringLiteral("0"));
    painter.restore();
}

QString ConfusionMatrixWidget::toCsv() const
{
    if (!m_matrix)
        return {};
    const QStringList names = classNames();
    QString csv = QStringLiteral("true\\predicted,%1\n").arg(names.join(','));
    for (int t = 0; t < kNumClasses; ++t) {
        csv += names[t];
        for (int p = 0; p < kNumClasses; ++p)
            csv += ',' + QString::number((*m_matrix)[std::size_t(t)][std::size_t(p)]);
        csv += '\n';
    }
    return csv;
}

QSize ConfusionMatrixWidget::sizeHint() const
{
    return {720, 640};
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintMatrix(painter, rect());
}

void ConfusionMatrixWidget::mousePressEvent(QMouseEvent* event)
{
    if (const auto cell = cellAt(event->position().toPoint())) {
        setSelectedCell(cell);
        Q_EMIT cellClicked(cell->first, cell->second);
    }
}

} // namespace atelier::ui
