// A grid of dataset images with the class name under each, drawn crisp.
#include "ui/data/image_grid_widget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

constexpr int kPadding = 6; // between cells, pixels

} // namespace

ImageGridWidget::ImageGridWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMinimumSize(240, 120);
}

void ImageGridWidget::setImages(std::shared_ptr<const FashionMnist> owner, const ImageSet* set,
                                std::vector<GridEntry> entries, int columns, const QString& setName)
{
    m_owner = std::move(owner);
    m_set = set;
    m_entries = std::move(entries);
    m_columns = std::max(1, columns);
    m_setName = setName;
    m_images.clear();
    for (const GridEntry& entry : m_entries) {
        // An index from a file (misclassified.csv) may not fit this dataset (another test set):
        // such an entry keeps its caption over an empty cell instead of reading past the end.
        if (!set || entry.index < 0 || entry.index >= set->count) {
            m_images.push_back(QImage());
            continue;
        }
        // QImage copies the bytes: the grid never reads the dataset while painting.
        QImage image(set->image(entry.index), set->cols, set->rows, set->cols,
                     QImage::Format_Grayscale8);
        m_images.push_back(image.copy());
    }
    update();
}

QSize ImageGridWidget::sizeHint() const
{
    return {900, 640};
}

ImageGridWidget::Layout ImageGridWidget::layoutFor(const QRect& area) const
{
    Layout layout;
    if (m_entries.empty() || !m_set)
        return layout;
    const int rows = (int(m_entries.size()) + m_columns - 1) / m_columns;
    const int captionHeight = fontMetrics().height() * captionLines() + 4;
    const double byWidth =
        double(area.width() - kPadding * (m_columns + 1)) / m_columns / m_set->cols;
    const double byHeight =
        double(area.height() - kPadding * (rows + 1) - captionHeight * rows) / rows / m_set->rows;
    double scale = std::max(0.25, std::min(byWidth, byHeight));
    // Whole multiples keep every image pixel the same size on screen.
    if (scale >= 1.0)
        scale = std::floor(scale);
    layout.scale = scale;
    // Cells wider than their image where the area has room: captions ("Ankle boot → Sandal
    // 97%") are wider than a small image.
    const double imageWidth = m_set->cols * scale;
    const double perColumn = double(area.width() - kPadding * (m_columns + 1)) / m_columns;
    layout.cell =
        QSizeF(std::max({imageWidth, 60.0, perColumn}), m_set->rows * scale + captionHeight);
    const QSizeF total((layout.cell.width() + kPadding) * m_columns - kPadding,
                       (layout.cell.height() + kPadding) * rows - kPadding);
    layout.origin =
        QPointF(area.left() + std::max(0.0, (area.width() - total.width()) / 2),
                area.top() + std::max(double(kPadding), (area.height() - total.height()) / 3));
    return layout;
}

void ImageGridWidget::paintGrid(QPainter& painter, const QRect& area) const
{
    if (m_entries.empty() || !m_set) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter, QStringLiteral("No images to show"));
        return;
    }
    const Layout layout = layoutFor(area);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    const QFontMetrics metrics = fontMetrics();
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const int column = int(i) % m_columns;
        const int row = int(i) / m_columns;
        const QPointF topLeft = layout.origin + QPointF(column * (layout.cell.width() + kPadding),
                                                        row * (layout.cell.height() + kPadding));
        const QSizeF imageSize(m_set->cols * layout.scale, m_set->rows * layout.scale);
        const QRectF imageRect(topLeft + QPointF((layout.cell.width() - imageSize.width()) / 2, 0),
                               imageSize);
        painter.drawImage(imageRect, m_images[i]);
        // Captions may hold several lines ("Shirt\n→ Coat 97%"); each is elided on its own.
        painter.setPen(palette().color(QPalette::WindowText));
        const QStringList lines = m_entries[i].caption.split(QLatin1Char('\n'));
        for (int line = 0; line < lines.size(); ++line) {
            const QRectF captionRect(topLeft.x(), imageRect.bottom() + 2 + line * metrics.height(),
                                     layout.cell.width(), metrics.height());
            painter.drawText(
                captionRect, Qt::AlignHCenter | Qt::AlignTop,
                metrics.elidedText(lines[line], Qt::ElideRight, int(captionRect.width())));
        }
    }
}

int ImageGridWidget::captionLines() const
{
    int lines = 1;
    for (const GridEntry& entry : m_entries)
        lines = std::max(lines, int(entry.caption.count(QLatin1Char('\n'))) + 1);
    return lines;
}

QString ImageGridWidget::toCsv() const
{
    QString csv = QStringLiteral("index,caption\n");
    for (const GridEntry& entry : m_entries)
        csv += QStringLiteral("%1,%2\n")
                   .arg(entry.index)
                   .arg(QString(entry.caption).replace(QLatin1Char('\n'), QLatin1Char(' ')));
    return csv;
}

void ImageGridWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintGrid(painter, rect());
}

int ImageGridWidget::entryAt(const QPoint& position) const
{
    const Layout layout = layoutFor(rect());
    if (m_entries.empty() || layout.cell.isEmpty())
        return -1;
    const QPointF local = position - layout.origin;
    if (local.x() < 0 || local.y() < 0)
        return -1;
    const int column = int(local.x() / (layout.cell.width() + kPadding));
    const int row = int(local.y() / (layout.cell.height() + kPadding));
    const int index = row * m_columns + column;
    if (column >= m_columns || index >= int(m_entries.size()))
        return -1;
    return index;
}

bool ImageGridWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = entryAt(help->pos());
        if (index >= 0)
            QToolTip::showText(help->globalPos(),
                               QStringLiteral("%1 · image %2 of the %3 set")
                                   .arg(m_entries[std::size_t(index)].caption)
                                   .arg(m_entries[std::size_t(index)].index)
                                   .arg(m_setName),
                               this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace atelier::ui
