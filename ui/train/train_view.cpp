// The Train view: hyperparameters, Start / Pause / Stop, live charts and the run list.
#include "ui/train/train_view.h"

#include "core/text_format.h"
#include "ui/charts/curve_chart.h"
#include "ui/data/dataset_controller.h"
#include "ui/evaluate/model_export_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_catalog.h"
#include "ui/runs/run_list_model.h"
#include "ui/train/train_settings_form.h"
#include "ui/train/training_controller.h"
#include "ui/train/training_curves.h"
#include "ui/widgets/icons.h"
#include "ui/widgets/layer_text.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace atelier::ui {
namespace {

// Charts redraw at most this often while training; batches arrive up to 20 times a second.
// Every redraw takes the GUI thread ~20 ms that the training threads would otherwise use
// (on 2 cores that cost 30% of the throughput at 10 Hz); twice a second still looks live.
constexpr int kChartRefreshMs = 1000;

} // namespace

TrainView::TrainView(PresetDocument* document, DatasetController* data,
                     TrainingController* controller, RunCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_document(document), m_data(data), m_controller(controller),
      m_catalog(catalog)
{
    m_runs = new RunListModel(m_catalog, this);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(buildControls());
    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(buildCharts());
    right->addWidget(buildRunList());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setSizes({640, 240});
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({380, 1220});
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_status = new QWidget;
    auto* statusLayout = new QHBoxLayout(m_status);
    statusLayout->setContentsMargins(0, 0, 0, 0);
    m_progressLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(220);
    statusLayout->addWidget(m_progressLabel);
    statusLayout->addWidget(m_progress);
    m_status->hide();

    connect(m_controller, &TrainingController::started, this,
            [this](const RunStarted& started) { m_liveTrainCount = started.trainCount; });
    connect(m_controller, &TrainingController::batchProgress, this, &TrainView::onBatch);
    connect(m_controller, &TrainingController::runningChanged, this, [this](bool running) {
        if (!running)
            m_status->hide();
        updateButtons();
    });
    connect(m_controller, &TrainingController::pausedChanged, this, &TrainView::updateButtons);
    connect(m_catalog, &RunCatalog::statusMessage, this, &TrainView::statusMessage);
    connect(m_catalog, &RunCatalog::runChanged, this, [this](const RunData* run) {
        // A live epoch waits for the timer; a run that ended or was read again shows now.
        if (m_catalog->live().get() == run)
            m_chartsDirty = true;
        else
            refreshCharts();
        updateButtons(); // a run may have become resumable
    });
    connect(m_catalog, &RunCatalog::batchesAdded, this, [this] { m_chartsDirty = true; });
    connect(m_catalog, &RunCatalog::selectionChanged, this, &TrainView::showCatalogSelection);
    connect(m_document->layers(), &LayerStackModel::reportChanged, this, &TrainView::updateButtons);
    connect(m_data, &DatasetController::loaded, this, &TrainView::updateButtons);
    connect(m_data, &DatasetController::failed, this, &TrainView::updateButtons);

    auto* timer = new QTimer(this);
    timer->setInterval(kChartRefreshMs);
    connect(timer, &QTimer::timeout, this, [this] {
        if (m_chartsDirty)
            refreshCharts();
    });
    timer->start();
    updateButtons();
    refreshCharts();
}

QWidget* TrainView::buildControls()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    m_form = new TrainSettingsForm(m_document);
    auto* sessionBox = new QGroupBox(QStringLiteral("This run"));
    auto* sessionLayout = new QGridLayout(sessionBox);
    m_limit = new QSpinBox;
    m_limit->setRange(0, 48000);
    m_limit->setSingleStep(1000);
    m_limit->setGroupSeparatorShown(true);
    m_limit->setSpecialValueText(QStringLiteral("all"));
    m_limit->setToolTip(QStringLiteral("Train on a class-balanced subset for a quick try "
                                       "(dev and test stay whole)"));
    m_threads = new QSpinBox;
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(QStringLiteral("all cores"));
    m_threads->setToolTip(QStringLiteral("CPU threads for training"));
    sessionLayout->addWidget(new QLabel(QStringLiteral("Training images")), 0, 0);
    sessionLayout->addWidget(m_limit, 0, 1);
    sessionLayout->addWidget(new QLabel(QStringLiteral("Threads")), 1, 0);
    sessionLayout->addWidget(m_threads, 1, 1);

    m_start = new QPushButton(atelierIcon("train", IconTone::Accent), QStringLiteral("Start"));
    m_pause = new QPushButton(atelierIcon("pause"), QStringLiteral("Pause"));
    m_stop = new QPushButton(atelierIcon("stop"), QStringLiteral("Stop"));
    m_stop->setToolTip(QStringLiteral("Stop after the current batch; the best weights are kept "
                                      "and the run folder is written"));
    connect(m_start, &QPushButton::clicked, this, [this] {
        QString why;
        if (!startTraining(&why))
            Q_EMIT statusMessage(why);
    });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_controller->isPaused())
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_stop, &QPushButton::clicked, m_controller, &TrainingController::stop);
    m_resumeRun = new QPushButton(atelierIcon("resume"), QStringLiteral("Resume Run"));
    connect(m_resumeRun, &QPushButton::clicked, this, [this] {
        QString why;
        if (!resumeSelectedRun(&why))
            Q_EMIT statusMessage(why);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resumeRun);

    layout->addWidget(m_form);
    layout->addWidget(sessionBox);
    layout->addLayout(buttons);
    layout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Wide enough for the form: no horizontal scrolling, no clipped fields.
    scroll->setMinimumWidth(panel->sizeHint().width() + 24);
    return scroll;
}

QWidget* TrainView::buildCharts()
{
    auto* panel = new QWidget;
    auto* grid = new QGridLayout(panel);
    grid->setContentsMargins(0, 0, 0, 0);
    m_lossChart = new CurveChart;
    m_accuracyChart = new CurveChart;
    m_batchChart = new CurveChart;
    titleLossChart(m_lossChart);
    titleAccuracyChart(m_accuracyChart);
    titleBatchChart(m_batchChart);
    m_smoothing = new QSlider(Qt::Horizontal);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(90);
    m_smoothing->setMaximumWidth(240);
    m_smoothing->setToolTip(QStringLiteral("Exponential moving average of the batch losses; "
                                           "every batch is kept, only the line is smoothed"));
    m_smoothingLabel = new QLabel;
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int value) {
        m_smoothingLabel->setText(QString::number(value / 100.0, 'f', 2));
        refreshCharts();
    });
    m_smoothingLabel->setText(QString::number(m_smoothing->value() / 100.0, 'f', 2));
    auto* smoothingRow = new QHBoxLayout;
    smoothingRow->addStretch(1);
    smoothingRow->addWidget(new QLabel(QStringLiteral("Smoothing")));
    smoothingRow->addWidget(m_smoothing);
    smoothingRow->addWidget(m_smoothingLabel);
    grid->addWidget(m_lossChart, 0, 0);
    grid->addWidget(m_accuracyChart, 0, 1);
    grid->addLayout(smoothingRow, 1, 0, 1, 2);
    grid->addWidget(m_batchChart, 2, 0, 1, 2);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(2, 2);
    for (auto [chart, name] : {std::pair{m_lossChart, QStringLiteral("loss")},
                               std::pair{m_accuracyChart, QStringLiteral("accuracy")},
                               std::pair{m_batchChart, QStringLiteral("batch_loss")}}) {
        CurveChart* target = chart;
        addExportActions(
            target, name, QSize(1200, 800),
            [target](QPainter& p, const QRectF& area) { target->renderFigure(&p, area); },
            [target] { return target->toCsv(); });
    }
    return panel;
}

QWidget* TrainView::buildRunList()
{
    auto* box = new QGroupBox(QStringLiteral("Runs (select several to compare)"));
    auto* layout = new QVBoxLayout(box);
    m_sortedRuns = new QSortFilterProxyModel(this);
    m_sortedRuns->setSourceModel(m_runs);
    m_sortedRuns->setSortRole(RunListModel::SortRole);
    m_runTable = new QTableView;
    m_runTable->setModel(m_sortedRuns);
    m_runTable->setSortingEnabled(true);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runTable->setAlternatingRowColors(true);
    m_runTable->verticalHeader()->hide();
    m_runTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runTable->horizontalHeader()->setSectionResizeMode(RunListModel::NameColumn,
                                                         QHeaderView::Stretch);
    m_runTable->sortByColumn(-1, Qt::AscendingOrder);
    connect(m_runTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TrainView::tableSelectionChanged);
    // The run's context menu: its model as a file for other programs.
    m_exportModel = new QAction(QStringLiteral("Export Model…"), this);
    m_runTable->addAction(m_exportModel);
    m_runTable->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_exportModel, &QAction::triggered, this, [this] {
        const auto selected = selectedRuns();
        if (selected.size() != 1)
            return;
        exportModelWithDialog(this, *selected.front(), [this](const QString& path) {
            Q_EMIT statusMessage(QStringLiteral("Model written to %1").arg(path));
        });
    });
    m_folderLabel = new QLabel;
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* choose = new QPushButton(QStringLiteral("Runs Folder…"));
    auto* reload = new QPushButton(QStringLiteral("Reload"));
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, QStringLiteral("Folder with run folders"), m_runsDirectory);
        if (!dir.isEmpty())
            setRunsDirectory(dir);
    });
    connect(reload, &QPushButton::clicked, this, &TrainView::reloadRunsDirectory);
    auto* row = new QHBoxLayout;
    row->addWidget(m_folderLabel, 1);
    row->addWidget(choose);
    row->addWidget(reload);
    layout->addWidget(m_runTable, 1);
    layout->addLayout(row);
    return box;
}

void TrainView::setRunsDirectory(const QString& directory)
{
    m_runsDirectory = directory;
    m_folderLabel->setText(QStringLiteral("Run folders: %1").arg(directory));
    reloadRunsDirectory();
    Q_EMIT runsDirectoryChanged(directory);
}

void TrainView::reloadRunsDirectory()
{
    const int added = m_catalog->addFolders(m_runsDirectory);
    if (added > 0)
        Q_EMIT statusMessage(
            QStringLiteral("%1 run(s) found in %2").arg(added).arg(m_runsDirectory));
}

void TrainView::updateButtons()
{
    const bool running = m_controller->isRunning();
    const QString invalid = m_document->invalidReason();
    const bool dataReady = m_data->state() == DatasetController::State::Ready;
    m_start->setEnabled(!running && invalid.isEmpty() && dataReady);
    m_start->setToolTip(running              ? QStringLiteral("A training is running")
                        : !invalid.isEmpty() ? QStringLiteral("Cannot train: %1").arg(invalid)
                        : !dataReady         ? QStringLiteral("The dataset is not loaded")
                                             : QStringLiteral("Train the current preset"));
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    const auto selected = selectedRuns();
    const bool oneResumable = selected.size() == 1 && selected.front()->resumable;
    m_resumeRun->setEnabled(!running && dataReady && oneResumable);
    m_resumeRun->setToolTip(
        running         ? QStringLiteral("A training is running")
        : !oneResumable ? QStringLiteral("Select one stopped run that has epochs left (its "
                                         "status says incomplete or resumable)")
        : !dataReady    ? QStringLiteral("The dataset is not loaded")
                        : QStringLiteral("Continue %1 from its last completed epoch")
                           .arg(selected.front()->name));
    QString exportReason;
    m_exportModel->setEnabled(selected.size() == 1 &&
                              canExportModel(selected.front().get(), &exportReason));
    m_exportModel->setToolTip(selected.size() == 1 ? exportReason
                                                   : QStringLiteral("Select one finished run"));
    const bool paused = m_controller->isPaused();
    m_pause->setText(paused ? QStringLiteral("Resume") : QStringLiteral("Pause"));
    m_pause->setIcon(atelierIcon(paused ? QStringLiteral("resume") : QStringLiteral("pause")));
}

void TrainView::selectRuns(const QList<int>& rows)
{
    m_catalog->select(rows);
}

std::vector<std::shared_ptr<RunData>> TrainView::selectedRuns() const
{
    return m_catalog->selectedRuns();
}

void TrainView::tableSelectionChanged()
{
    if (m_showingSelection)
        return;
    QModelIndexList rows = m_runTable->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    QList<int> indices;
    for (const QModelIndex& index : rows)
        indices.append(m_sortedRuns->mapToSource(index).row());
    // The row clicked last is the one the Evaluate view shows.
    const QModelIndex current = m_runTable->selectionModel()->currentIndex();
    const int currentIndex =
        current.isValid() && m_runTable->selectionModel()->isRowSelected(current.row())
            ? m_sortedRuns->mapToSource(current).row()
            : -1;
    m_catalog->select(indices, currentIndex);
}

void TrainView::showCatalogSelection()
{
    // The catalog's selection, whoever set it (the Search view, a training that started),
    // drawn in the table without feeding it back. A change that came from the table itself
    // is left alone: re-selecting would end a drag selection in progress.
    QList<int> shown;
    for (const QModelIndex& index : m_runTable->selectionModel()->selectedRows())
        shown.append(m_sortedRuns->mapToSource(index).row());
    std::sort(shown.begin(), shown.end());
    QList<int> wanted = m_catalog->selection();
    std::sort(wanted.begin(), wanted.end());
    if (shown == wanted) {
        refreshCharts();
        updateButtons();
        return;
    }
    QItemSelection selection;
    for (int row : m_catalog->selection()) {
        const QModelIndex index = m_sortedRuns->mapFromSource(m_runs->index(row, 0));
        selection.select(index, index.siblingAtColumn(RunListModel::ColumnCount - 1));
    }
    m_showingSelection = true;
    m_runTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_showingSelection = false;
    refreshCharts();
    updateButtons();
}

void TrainView::setSmoothing(double smoothing)
{
    m_smoothing->setValue(int(std::lround(smoothing * 100)));
}

void TrainView::setImageLimit(int images)
{
    m_limit->setValue(images);
}

void TrainView::setThreads(int threads)
{
    m_threads->setValue(threads);
}

void TrainView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_shown = {}; // the curves' colours depend on the palette: rebuild them
        refreshCharts();
    }
}

void TrainView::refreshCharts()
{
    m_chartsDirty = false;
    std::vector<const RunData*> runs;
    ChartsShown shown;
    shown.smoothing = m_smoothing->value();
    for (const auto& run : selectedRuns()) {
        runs.push_back(run.get());
        shown.runs.push_back(run.get());
        shown.epochs.push_back(run->history.size() * 2 + (run->hasResult ? 1 : 0));
        shown.batches.push_back(run->batchLosses.size());
    }
    // Redraw only what changed: the epoch charts change once an epoch, the batch chart with
    // every report. Every redraw costs the GUI thread time that the training threads need.
    const bool epochsChanged = shown.runs != m_shown.runs || shown.epochs != m_shown.epochs;
    const bool batchesChanged = shown.runs != m_shown.runs || shown.batches != m_shown.batches ||
                                shown.smoothing != m_shown.smoothing;
    if (!epochsChanged && !batchesChanged)
        return;
    m_shown = shown;
    const TrainingCurves curves = trainingCurves(runs, m_smoothing->value() / 100.0);
    if (epochsChanged) {
        m_lossChart->setCurves(curves.loss, curves.markers);
        m_accuracyChart->setCurves(curves.accuracy, curves.markers);
    }
    if (batchesChanged)
        m_batchChart->setCurves(curves.batchLoss);
}

} // namespace atelier::ui
