// One per-layer quantity over training time, one line per layer, for up to two runs: the
// first run solid, the second dashed in the same layer colours, layers ordered from dark
// (first) to light (last). The gradient norm is drawn on a log scale (a vanishing layer sits
// decades below the others), the saturated/dead share on a linear 0..1 one. Painted by hand:
// log axes with gaps at missing values are simpler here than in Qt Charts.
#pragma once

#include "core/layer_stats.h"
#include "ui/widgets/painted_figure.h"

#include <QWidget>
#include <vector>

namespace atelier::ui {

struct RunData;
struct ValueScale;

enum class LayerQuantity
{
    GradientNorm,  // ‖∇W‖ of each layer with parameters, log scale
    InactiveShare, // saturated (sigmoid, tanh) or dead (relu) share of the units, 0..1
};

class LayerTimeChart : public PaintedFigure
{
    Q_OBJECT

public:
    explicit LayerTimeChart(LayerQuantity quantity, QWidget* parent = nullptr);
    ~LayerTimeChart() override;

    LayerQuantity quantity() const { return m_quantity; }
    void setTitle(const QString& title);
    QString title() const { return m_title; }
    // Copies what it draws from the first two runs (null entries are skipped).
    void setRuns(const std::vector<const RunData*>& runs);

    int runCount() const { return int(m_runs.size()); }
    // Lines: one per run and layer the quantity applies to, run by run, layers in model order.
    int lineCount() const { return int(m_lines.size()); }
    QString lineLayer(int line) const;
    int lineRun(int line) const;
    // The points of a line that are drawn: finite values (and positive ones on a log scale).
    int pointCount(int line) const;
    bool logScale() const { return m_quantity == LayerQuantity::GradientNorm; }

    // The whole figure in `target`: what the widget paints and what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target) override;
    // One row per line and sample: run,layer,epoch,batch,x,value (empty where none).
    QString toCsv() const;

private:
    struct Line
    {
        int run = 0;
        int layerPosition = 0; // in the run's observed layers: its colour
        int layerCount = 1;
        QString layer;
        std::vector<double> x, value;
        std::vector<int> epoch, batch;
    };
    struct Run
    {
        QString name;
        double epochs = 0; // where its last sample lies on the epochs axis
    };

    bool drawable(double value) const;
    double valueOf(const ObservedLayer& layer, const LayerSample& sample) const;
    double legendWidth(QPainter* painter, double available) const;
    QString layersHeading() const;
    void paintLines(QPainter* painter, const QRectF& plot, double epochs, const ValueScale& scale);
    void paintLegend(QPainter* painter, const QRectF& area);

    LayerQuantity m_quantity;
    QString m_title;
    std::vector<Run> m_runs;
    std::vector<Line> m_lines;
};

} // namespace atelier::ui
