// Grouped bar chart of images per class, one bar set per split (train, dev, test), with the
// count of a bar on hover. Qt Charts stays inside ui/charts/: callers see a plain QWidget.
#pragma once

#include <QWidget>
#include <memory>

namespace atelier::ui {

struct BarSeriesData
{
    QString name;         // "train", "dev", "test"
    QList<qint64> counts; // one per category
};

class ClassDistributionChart : public QWidget
{
    Q_OBJECT

public:
    explicit ClassDistributionChart(QWidget* parent = nullptr);
    ~ClassDistributionChart() override;

    void setData(const QString& title, const QStringList& categories,
                 const QList<BarSeriesData>& series);
    // What the chart currently draws (read back from the chart, for tests and exports).
    QList<BarSeriesData> shownData() const;
    QStringList shownCategories() const;
    // For exports: the whole chart into `target`, and the counts as CSV (class, one column
    // per split).
    void renderFigure(QPainter* painter, const QRectF& target);
    QString toCsv() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace atelier::ui
