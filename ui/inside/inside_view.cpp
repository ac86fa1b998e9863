// The Inside view: four figures of a run's per-layer statistics (see inside_view.h).
#include "ui/inside/inside_view.h"

#include "ui/export/figure_export.h"
#include "ui/inside/distribution_chart.h"
#include "ui/inside/inside_plot.h"
#include "ui/inside/layer_heatmap.h"
#include "ui/inside/layer_time_chart.h"
#include "ui/runs/run_catalog.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

namespace atelier::ui {
namespace {

// A live run's batches arrive up to 20 times a second; the figures follow at most this
// often (a redraw copies the run's statistics and repaints four figures).
constexpr int kLiveRefreshMs = 200;
// The empty state's message wraps at about this many characters: a line across a wide
// window is hard to read.
constexpr int kEmptyColumnChars = 80;
// The size an exported figure starts with in the export dialog.
const QSize kExportSize(1200, 800);

// ", test accuracy 0.817" for a finished run: whether the network learned, next to why.
QString accuracyNote(const RunData& run)
{
    if (!run.hasResult || !std::isfinite(run.testAccuracy))
        return {};
    return QObject::tr(", test accuracy %1").arg(run.testAccuracy, 0, 'f', 3);
}

QString quoted(const QString& name)
{
    return QStringLiteral("“%1”").arg(name);
}

} // namespace

InsideView::InsideView(RunCatalog* catalog, QWidget* parent) : QWidget(parent), m_catalog(catalog)
{
    m_header = new QLabel;
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);

    m_gradients = new LayerTimeChart(LayerQuantity::GradientNorm);
    m_heatmap = new LayerHeatmap;
    m_distributions = new DistributionChart;
    m_saturation = new LayerTimeChart(LayerQuantity::InactiveShare);
    m_layerPicker = new QComboBox;
    m_layerPicker->setToolTip(tr("The layer whose values the distributions show"));
    m_tensorPicker = new QComboBox;
    m_tensorPicker->addItem(tr("Gradients"), int(HistogramTensor::Gradients));
    m_tensorPicker->addItem(tr("Weights"), int(HistogramTensor::Weights));
    connect(m_layerPicker, &QComboBox::currentIndexChanged, this,
            &InsideView::applyDistributionChoice);
    connect(m_tensorPicker, &QComboBox::currentIndexChanged, this,
            &InsideView::applyDistributionChoice);

    auto* controls = new QWidget;
    auto* controlRow = new QHBoxLayout(controls);
    controlRow->setContentsMargins(0, 0, 0, 0);
    controlRow->addWidget(new QLabel(tr("Distribution of layer")));
    controlRow->addWidget(m_layerPicker);
    controlRow->addWidget(m_tensorPicker);
    controlRow->addStretch();

    auto* figures = new QWidget;
    auto* grid = new QGridLayout(figures);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(figureWithCaption(
                        m_gradients, tr("Each line is one layer, from the first (dark) to the last "
                                        "(light). Lines far below the others are layers whose "
                                        "weights barely change: their gradients vanish on the way "
                                        "back from the loss to the input. Lines bunched together: "
                                        "every layer learns.")),
                    0, 0);
    grid->addWidget(
        figureWithCaption(m_heatmap, tr("The same gradient norms as colours, the first layer at "
                                        "the top. Dark rows are layers that hardly learn: a dark "
                                        "band over the first rows is the vanishing gradient.")),
        0, 1);
    grid->addWidget(figureWithCaption(m_distributions,
                                      tr("How the layer's values spread at the end of each epoch: "
                                         "the darker the band, the more of the values it holds. "
                                         "Gradients squeezed to a thin line leave the weights as "
                                         "they were."),
                                      controls),
                    1, 0);
    grid->addWidget(figureWithCaption(m_saturation,
                                      tr("Units stuck where they pass almost no gradient: sigmoid "
                                         "or tanh outputs at their flat ends (saturated), ReLU "
                                         "outputs that are 0 for a whole batch (dead). A few dead "
                                         "ReLU units are normal. The output layer has no "
                                         "activation here (softmax is applied after the loss).")),
                    1, 1);
    // Four equal figures: a caption's or a picker's size hint must not widen its column.
    for (int i = 0; i < 2; ++i) {
        grid->setColumnStretch(i, 1);
        grid->setRowStretch(i, 1);
    }

    // The message in a column of readable width in the middle of the view.
    m_empty = new QLabel;
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setMaximumWidth(m_empty->fontMetrics().averageCharWidth() * kEmptyColumnChars);
    m_empty->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* emptyPage = new QWidget;
    auto* emptyLayout = new QHBoxLayout(emptyPage);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_empty, 10);
    emptyLayout->addStretch(1);
    m_pages = new QStackedWidget;
    m_pages->addWidget(emptyPage);
    m_pages->addWidget(figures);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_pages, 1);

    const auto exportable = [](auto* chart, const QString& name) {
        addExportActions(
            chart, name, kExportSize,
            [chart](QPainter& painter, const QRectF& area) { chart->renderFigure(&painter, area); },
            [chart] { return chart->toCsv(); });
    };
    exportable(m_gradients, QStringLiteral("layer_gradient_norms"));
    exportable(m_heatmap, QStringLiteral("layer_gradient_heatmap"));
    exportable(m_distributions, QStringLiteral("layer_distributions"));
    exportable(m_saturation, QStringLiteral("layer_saturation"));

    m_throttle = new QTimer(this);
    m_throttle->setSingleShot(true);
    m_throttle->setInterval(kLiveRefreshMs);
    connect(m_throttle, &QTimer::timeout, this, [this] {
        // Behind another tab a live run costs nothing: the view catches up when shown.
        if (isVisible())
            refresh();
        else
            m_stale = true;
    });
    connect(m_catalog, &RunCatalog::selectionChanged, this, &InsideView::refresh);
    connect(m_catalog, &RunCatalog::batchesAdded, this, &InsideView::scheduleRefresh);
    connect(m_catalog, &RunCatalog::runChanged, this, &InsideView::scheduleRefresh);
    refresh();
}

InsideView::~InsideView() = default;

QWidget* InsideView::figureWithCaption(QWidget* figure, const QString& caption, QWidget* controls)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(2, 2, 2, 6);
    if (controls)
        layout->addWidget(controls);
    layout->addWidget(figure, 1);
    auto* text = new QLabel(caption);
    text->setWordWrap(true);
    layout->addWidget(text);
    return box;
}

void InsideView::scheduleRefresh(const RunData* run)
{
    // Only the runs in the selection matter (one without statistics may be starting to train).
    const std::vector<std::shared_ptr<RunData>> selected = m_catalog->selectedRuns();
    const int considered = std::min<int>(int(selected.size()), kInsideMaxRuns);
    for (int i = 0; i < considered; ++i)
        if (selected[std::size_t(i)].get() == run) {
            if (!m_throttle->isActive())
                m_throttle->start();
            return;
        }
}

bool InsideView::hasStatistics(const RunData& run) const
{
    const bool live = m_catalog->live().get() == &run;
    return !run.layerStats.empty() || (live && run.preset.training.layerStats);
}

void InsideView::showEvent(QShowEvent* event)
{
    if (m_stale)
        refresh();
    QWidget::showEvent(event);
}

void InsideView::refresh()
{
    m_throttle->stop();
    m_stale = false;
    std::vector<std::shared_ptr<RunData>> selected = m_catalog->selectedRuns();
    m_shown.clear();
    for (const std::shared_ptr<RunData>& run : selected)
        if (int(m_shown.size()) < kInsideMaxRuns && run && hasStatistics(*run))
            m_shown.push_back(run);
    m_header->setText(header(selected));
    if (m_shown.empty()) {
        showEmpty(emptyMessage(selected));
        return;
    }
    std::vector<const RunData*> runs;
    for (const std::shared_ptr<RunData>& run : m_shown)
        runs.push_back(run.get());
    m_gradients->setRuns(runs);
    m_heatmap->setRuns(runs);
    m_saturation->setRuns(runs);
    m_distributions->setRuns(runs);
    updateLayerPicker();
    m_pages->setCurrentIndex(1);
}

void InsideView::showEmpty(const QString& message)
{
    // The first paragraph says what is wrong, in larger type; the rest what to do.
    m_emptyText = message;
    QStringList paragraphs = message.split(QStringLiteral("\n\n"));
    for (QString& paragraph : paragraphs)
        paragraph = paragraph.toHtmlEscaped();
    paragraphs.front() =
        QStringLiteral("<p style=\"font-size: large\"><b>%1</b></p>").arg(paragraphs.front());
    for (int i = 1; i < paragraphs.size(); ++i)
        paragraphs[i] = QStringLiteral("<p>%1</p>").arg(paragraphs[i]);
    m_empty->setText(paragraphs.join(QString()));
    m_pages->setCurrentIndex(0);
    const std::vector<const RunData*> none;
    m_gradients->setRuns(none);
    m_heatmap->setRuns(none);
    m_saturation->setRuns(none);
    m_distributions->setRuns(none);
}

void InsideView::updateLayerPicker()
{
    // The layers with parameters of the shown runs, the first run's order first; the choice
    // is kept by name while the list stays the same (a live run redraws several times a second).
    QStringList names;
    for (const std::shared_ptr<RunData>& run : m_shown)
        for (const ObservedLayer& layer : run->layerStats.layers) {
            const QString name = QString::fromStdString(layer.name);
            if (layer.hasParameters && !names.contains(name))
                names << name;
        }
    QStringList listed;
    for (int i = 0; i < m_layerPicker->count(); ++i)
        listed << m_layerPicker->itemText(i);
    if (listed != names) {
        const QString chosen = m_layerPicker->currentText();
        const QSignalBlocker quiet(m_layerPicker);
        m_layerPicker->clear();
        m_layerPicker->addItems(names);
        m_layerPicker->setCurrentIndex(std::max(0, int(names.indexOf(chosen))));
    }
    applyDistributionChoice();
}

void InsideView::applyDistributionChoice()
{
    const QString layer = m_layerPicker->currentText();
    m_distributions->setTensor(HistogramTensor(m_tensorPicker->currentData().toInt()));
    m_distributions->setLayers(layer.isEmpty() ? QStringList() : QStringList{layer});
}

QString InsideView::header(const std::vector<std::shared_ptr<RunData>>& selected) const
{
    if (m_shown.empty())
        return tr("Inside a run: how the gradients, weights and units of each layer behave "
                  "while it trains.");
    QString text;
    if (m_shown.size() == 1)
        text = tr("Inside %1: how the gradients, weights and units of each layer behave while "
                  "it trains. Select two runs in the Train view's run list to overlay them.")
                   .arg(quoted(runLabel(*m_shown[0])));
    else
        text = tr("Inside %1%2 (solid lines, upper heatmap) and %3%4 (dashed lines, lower "
                  "heatmap). Select other runs in the Train view's run list to compare them.")
                   .arg(quoted(runLabel(*m_shown[0])), accuracyNote(*m_shown[0]),
                        quoted(runLabel(*m_shown[1])), accuracyNote(*m_shown[1]));
    for (const std::shared_ptr<RunData>& run : m_shown)
        if (m_catalog->live() == run)
            text += tr(" %1 is training: the figures follow it.").arg(quoted(runLabel(*run)));
    QStringList without;
    for (const std::shared_ptr<RunData>& run : selected)
        if (run && !hasStatistics(*run))
            without << quoted(runLabel(*run));
    if (!without.isEmpty())
        text +=
            tr(" Not shown, without layer statistics: %1.").arg(without.join(QStringLiteral(", ")));
    else if (selected.size() > std::size_t(kInsideMaxRuns))
        text += tr(" Showing the first two of %1 selected runs.").arg(selected.size());
    return text;
}

QString InsideView::emptyMessage(const std::vector<std::shared_ptr<RunData>>& selected) const
{
    if (selected.empty())
        return tr("Nothing to look inside yet.\n\nTrain a run or select one in the Train view: "
                  "this view then shows how strongly each layer learns, from the first to the "
                  "last, and whether the gradient vanishes on its way back through the network.");
    const RunData& run = *selected.front();
    if (!run.preset.training.layerStats)
        return tr("%1 was trained with layer statistics off, so there is nothing to look inside."
                  "\n\nTurn them on with “training.layer_stats: true” in the preset (the "
                  "default) or “atelier-cli train --layer-stats”, and train it again.")
            .arg(quoted(runLabel(run)));
    return tr("%1 has no layer statistics: it was trained before Atelier recorded them, it "
              "stopped before its first sampled batch, or its layer_stats.csv is missing.\n\nTrain "
              "it again with “training.layer_stats: true” "
              "in the preset (the default) or “atelier-cli train --layer-stats”.")
        .arg(quoted(runLabel(run)));
}

QString InsideView::headerText() const
{
    return m_header->text();
}

bool InsideView::showsEmptyState() const
{
    return m_pages->currentIndex() == 0;
}

QString InsideView::emptyStateText() const
{
    return m_emptyText;
}

} // namespace atelier::ui
