// The studio's look inside a run: how the gradient, the weights and the units of each layer
// behave while it trains, for the selected run (live while it trains) or two selected runs
// overlaid. Four figures: the gradient norm per layer over time, the same as a layers × time
// heatmap, the distribution of one layer's weights or gradients per epoch, and the share of
// saturated or dead units per layer. Reads the RunCatalog; changes nothing.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTimer;

namespace atelier::ui {

class DistributionChart;
class LayerHeatmap;
class LayerTimeChart;
class RunCatalog;
struct RunData;

class InsideView : public QWidget
{
    Q_OBJECT

public:
    explicit InsideView(RunCatalog* catalog, QWidget* parent = nullptr);
    ~InsideView() override;

    LayerTimeChart* gradientChart() const { return m_gradients; }
    LayerHeatmap* heatmap() const { return m_heatmap; }
    DistributionChart* distributionChart() const { return m_distributions; }
    LayerTimeChart* saturationChart() const { return m_saturation; }
    QComboBox* layerPicker() const { return m_layerPicker; }
    QComboBox* tensorPicker() const { return m_tensorPicker; }

    // The runs the figures draw: the first two selected runs that have layer statistics (or
    // train now with them on).
    std::vector<std::shared_ptr<RunData>> shownRuns() const { return m_shown; }
    // The line above the figures: what is shown and how to compare two runs.
    QString headerText() const;
    // Whether the figures give way to a message (nothing selected, no statistics), and it.
    bool showsEmptyState() const;
    QString emptyStateText() const;

    // Reads the catalog's selection and redraws now, without waiting for the live throttle.
    void refresh();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void scheduleRefresh(const RunData* run);
    void showEmpty(const QString& message);
    void updateLayerPicker();
    void applyDistributionChoice();
    bool hasStatistics(const RunData& run) const;
    QString emptyMessage(const std::vector<std::shared_ptr<RunData>>& selected) const;
    QString header(const std::vector<std::shared_ptr<RunData>>& selected) const;
    QWidget* figureWithCaption(QWidget* figure, const QString& caption,
                               QWidget* controls = nullptr);

    RunCatalog* m_catalog;
    std::vector<std::shared_ptr<RunData>> m_shown;
    QLabel* m_header = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_empty = nullptr;
    QString m_emptyText; // the message, as plain text
    LayerTimeChart* m_gradients = nullptr;
    LayerHeatmap* m_heatmap = nullptr;
    DistributionChart* m_distributions = nullptr;
    LayerTimeChart* m_saturation = nullptr;
    QComboBox* m_layerPicker = nullptr;
    QComboBox* m_tensorPicker = nullptr;
    QTimer* m_throttle = nullptr; // coalesces a live run's updates into one redraw
    bool m_stale = false;         // a live update arrived while hidden
};

} // namespace atelier::ui
