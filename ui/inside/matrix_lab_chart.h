// The matrix experiment as a figure: the Frobenius norm of the product against depth on a
// log scale, one line per case. 0 and inf/NaN have no place on a log scale, so they get
// bands of their own, "0" under the scale and "inf / NaN" above it, where the depths that
// reached them are drawn as bars in the case's colour, with a marker at the first such depth
// ("0 from depth 65"). Painted by hand: the bands and markers are not a Qt Charts series.
#pragma once

#include "core/matrix_lab.h"
#include "ui/widgets/painted_figure.h"

#include <QString>
#include <QWidget>
#include <vector>

namespace atelier::ui {

struct MatrixLabCurve
{
    QString label; // legend and CSV: "He + ReLU, 64×64"
    MatrixLabResult result;
};

class MatrixLabChart : public PaintedFigure
{
    Q_OBJECT

public:
    // Where the last renderFigure() put each depth of a curve.
    struct PointCounts
    {
        int onScale = 0;  // finite and above 0: on the log scale
        int atZero = 0;   // in the "0" band
        int atInfNan = 0; // in the "inf / NaN" band
    };

    explicit MatrixLabChart(QWidget* parent = nullptr);
    ~MatrixLabChart() override;

    void setCurves(std::vector<MatrixLabCurve> curves);
    // A note drawn instead of the curves (why nothing is computed), which it clears.
    void setMessage(const QString& text);
    // "Computing…" beside the title while newer curves are on their way.
    void setComputing(bool computing);

    const std::vector<MatrixLabCurve>& curves() const { return m_curves; }
    int curveCount() const { return int(m_curves.size()); }
    QString message() const { return m_message; }
    bool isComputing() const { return m_computing; }
    PointCounts pointCounts(int curve) const;
    // The last renderFigure()'s bands and log scale area, in its painter's coordinates.
    QRectF zeroBand() const { return m_zeroBand; }
    QRectF infNanBand() const { return m_infNanBand; }
    QRectF scaleArea() const { return m_scaleArea; }

    // A case's colour: distinct for colour-blind eyes, lifted on a dark background.
    static QColor curveColor(int curve, const QPalette& palette);

    // The whole figure in `target`: what the widget paints and what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target) override;
    // Long form, one row per case and depth: case,depth,mean,std,norm ("inf", "nan" as such).
    QString toCsv() const;

private:
    struct Frame;

    void paintAxes(QPainter* painter, const Frame& frame);
    void paintCurve(QPainter* painter, const Frame& frame, int curve);
    void paintFirstMarkers(QPainter* painter, const Frame& frame, int curve);
    void paintLegend(QPainter* painter, const QRectF& box);

    std::vector<MatrixLabCurve> m_curves;
    QString m_message;
    bool m_computing = false;
    std::vector<PointCounts> m_drawn; // per curve, from the last renderFigure()
    QRectF m_zeroBand, m_infNanBand, m_scaleArea;
};

} // namespace atelier::ui
