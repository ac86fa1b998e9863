// A line chart of training curves (loss, accuracy, batch loss) for one run or an overlay of
// several: named series with legend and axis titles, optional markers for the best epoch
// and the early-stopping patience window. Series keep every point; the chart draws a min/max
// decimation sized to its width, refreshed with one replace() per series. Qt Charts stays
// inside ui/charts/.
#pragma once

#include <QColor>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

namespace atelier::ui {

struct CurveSeries
{
    QString name;
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    double width = 2.0;
    std::vector<QPointF> points; // sorted by x
};

struct CurveMarkers
{
    std::optional<double> bestX;                     // a vertical line
    QString bestLabel;                               // its legend entry
    std::optional<std::pair<double, double>> window; // a shaded x range
    QString windowLabel;
};

class CurveChart : public QWidget
{
    Q_OBJECT

public:
    explicit CurveChart(QWidget* parent = nullptr);
    ~CurveChart() override;

    void setTitles(const QString& title, const QString& xTitle, const QString& yTitle);
    // Replaces what is shown; reuses the chart's series where it can.
    void setCurves(const std::vector<CurveSeries>& curves, const CurveMarkers& markers = {});
    // Keep the y axis within [low, high] at most (accuracy: 0..1).
    void setYLimits(std::optional<double> low, std::optional<double> high);

    // Drawing for exports: the whole chart (title, legend, axes) into `target`.
    void renderFigure(QPainter* painter, const QRectF& target);
    // The data behind the chart, every point (not the decimated ones): one x,y table per
    // series, as long CSV: series,x,y.
    QString toCsv() const;
    // What is drawn now (for tests): points per visible series, by name.
    int drawnPointCount(const QString& seriesName) const;
    QStringList legendNames() const;
    QString title() const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void redraw();
    void applyPalette();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace atelier::ui
