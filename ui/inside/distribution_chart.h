// How a layer's weights or gradients are spread at the end of each epoch, drawn as
// TensorBoard draws distributions: nested percentile bands (0–100, 7–93, 16–84, 31–69) around
// the median, read from the epoch histograms. One panel per layer and run, side by side.
#pragma once

#include "core/layer_stats.h"
#include "ui/widgets/painted_figure.h"

#include <QStringList>
#include <QWidget>
#include <array>
#include <vector>

namespace atelier::ui {

struct RunData;

enum class HistogramTensor
{
    Weights,
    Gradients,
};

class DistributionChart : public PaintedFigure
{
    Q_OBJECT

public:
    // The percentiles drawn, as fractions: the bands pair them from the outside in.
    static constexpr std::array<double, 9> kFractions = {0,    0.07, 0.16, 0.31, 0.5,
                                                         0.69, 0.84, 0.93, 1};

    explicit DistributionChart(QWidget* parent = nullptr);
    ~DistributionChart() override;

    // Copies the histograms of the first two runs (null entries are skipped).
    void setRuns(const std::vector<const RunData*>& runs);
    // The layers shown, by name: one panel per layer and run; a run without such a layer
    // gets a panel that says so.
    void setLayers(const QStringList& layers);
    QStringList layers() const { return m_layers; }
    void setTensor(HistogramTensor tensor);
    HistogramTensor tensor() const { return m_tensor; }

    int panelCount() const { return int(m_panels.size()); }
    QString panelTitle(int panel) const;
    int epochCount(int panel) const; // epochs with a histogram
    // Whether every panel uses one y scale (their spreads are of a similar size).
    bool sharedScale() const;
    // The widest panel's spread (max − min) over the narrowest one's.
    double spreadRatio() const;

    // The whole figure in `target`: what the widget paints and what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target) override;
    // One row per panel and epoch: run,layer,tensor,epoch,p0,p7,p16,p31,p50,p69,p84,p93,p100.
    QString toCsv() const;

private:
    struct Source
    {
        QString name;
        LayerStatsLog histograms; // its layers and histograms (no samples)
    };
    struct Panel
    {
        QString run, layer;
        bool layerFound = false;
        std::vector<int> epochs;
        std::vector<std::array<double, 9>> quantiles; // per epoch, at kFractions
        double low() const;
        double high() const;
    };

    void rebuild();
    QString heading() const;
    void paintPanel(QPainter* painter, const QRectF& area, const Panel& panel, double low,
                    double high, double firstEpoch, double lastEpoch);
    void paintBandLegend(QPainter* painter, const QRectF& row);
    QColor bandColour() const;

    std::vector<Source> m_sources;
    QStringList m_layers;
    HistogramTensor m_tensor = HistogramTensor::Gradients;
    std::vector<Panel> m_panels;
};

} // namespace atelier::ui
