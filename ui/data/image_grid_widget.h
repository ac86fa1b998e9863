// A grid of dataset images with the class name under each, drawn crisp: each pixel becomes
// a square block (nearest-neighbour scaling), as large as the widget allows.
#pragma once

#include "core/dataset.h"
#include "core/split.h"

#include <QWidget>
#include <memory>

namespace atelier::ui {

struct GridEntry
{
    int index = 0; // into the image set
    QString caption;
};

class ImageGridWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ImageGridWidget(QWidget* parent = nullptr);

    // `set` must stay alive as long as it is shown (the shared pointer keeps it).
    void setImages(std::shared_ptr<const FashionMnist> owner, const ImageSet* set,
                   std::vector<GridEntry> entries, int columns, const QString& setName);
    const std::vector<GridEntry>& entries() const { return m_entries; }
    int columns() const { return m_columns; }

    // Draws the grid into `area` of any painter (the widget, or an exported figure).
    void paintGrid(QPainter& painter, const QRect& area) const;
    // The images shown: index into their set and caption.
    QString toCsv() const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout
    {
        double scale = 1.0; // screen pixels per image pixel
        QSizeF cell;
        QPointF origin;
    };
    Layout layoutFor(const QRect& area) const;
    int entryAt(const QPoint& position) const;
    int captionLines() const;

    std::shared_ptr<const FashionMnist> m_owner;
    const ImageSet* m_set = nullptr;
    std::vector<GridEntry> m_entries;
    std::vector<QImage> m_images;
    int m_columns = 8;
    QString m_setName;
};

} // namespace atelier::ui
