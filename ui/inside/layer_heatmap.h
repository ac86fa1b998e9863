// The gradient norm as a layers × time heatmap: one row per layer with parameters (the first
// at the top, where a network's input enters), one column per sample, the colour the decade
// of the norm. Vanishing gradients show as a dark band over the first rows at a glance. Two
// runs stack as two panels under one shared colour scale, so that equal colours mean equal
// gradients in both.
#pragma once

#include "ui/widgets/painted_figure.h"

#include <QStringList>
#include <QWidget>
#include <vector>

namespace atelier::ui {

struct RunData;
struct DecadeRange;
enum class AxisName;

class LayerHeatmap : public PaintedFigure
{
    Q_OBJECT

public:
    explicit LayerHeatmap(QWidget* parent = nullptr);
    ~LayerHeatmap() override;

    void setTitle(const QString& title);
    // Copies the gradient norms of the first two runs (null entries are skipped).
    void setRuns(const std::vector<const RunData*>& runs);

    int panelCount() const { return int(m_panels.size()); }
    QString panelTitle(int panel) const;
    int rowCount(int panel = 0) const;    // layers with parameters
    int columnCount(int panel = 0) const; // samples
    QStringList rowNames(int panel = 0) const;
    // The colour scale, shared by every panel: decades of ten, low and high exponents.
    std::pair<int, int> colourDecades() const;

    // The whole figure in `target`: what the widget paints and what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target) override;
    // One row per panel, layer and sample: run,layer,epoch,batch,x,grad_norm.
    QString toCsv() const;

private:
    struct Panel
    {
        QString run;
        QStringList rows;
        std::vector<double> x; // per column, on the epochs axis
        std::vector<int> epoch, batch;
        std::vector<std::vector<double>> norms; // [row][column]
    };

    DecadeRange decades() const;
    bool anyMissing() const; // a cell without a value (diverged, or a layer left out)
    void paintPanel(QPainter* painter, const Panel& panel, const QRectF& cells, double epochs,
                    const DecadeRange& scale, AxisName axisName);
    void paintColourBar(QPainter* painter, const QRectF& bar, const DecadeRange& scale,
                        bool showMissing);

    QString m_title;
    std::vector<Panel> m_panels;
};

} // namespace atelier::ui
