// The Train view: the preset's hyperparameters, Start / Pause / Stop, live charts (loss and
// val_loss, accuracy and val_accuracy per epoch, every batch's loss with adjustable
// smoothing, best epoch and patience window marked), and the run list: this session's runs
// and the run folders on disk, several of which can be overlaid on the charts. The runs and
// the selection belong to the RunCatalog; this view shows them and starts trainings.
#pragma once

#include "ui/runs/run_data.h"

#include <QElapsedTimer>
#include <QWidget>
#include <memory>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace atelier::ui {

class CurveChart;
class DatasetController;
class PresetDocument;
class RunCatalog;
class RunListModel;
class TrainSettingsForm;
class TrainingController;
struct BatchUpdate;
struct TrainingJob;

class TrainView : public QWidget
{
    Q_OBJECT

public:
    TrainView(PresetDocument* document, DatasetController* data, TrainingController* controller,
              RunCatalog* catalog, QWidget* parent = nullptr);

    // Trains the document's preset; false (with the reason in `whyNot`) when it cannot.
    bool startTraining(QString* whyNot = nullptr);
    // Continues the selected stopped run (incomplete, or interrupted with epochs left) from
    // its checkpoint, with live charts; false (with the reason) when it cannot.
    bool resumeSelectedRun(QString* whyNot = nullptr);

    RunListModel* runs() const { return m_runs; }
    QTableView* runTable() const { return m_runTable; }
    QAction* exportModelAction() const { return m_exportModel; }
    CurveChart* lossChart() const { return m_lossChart; }
    CurveChart* accuracyChart() const { return m_accuracyChart; }
    CurveChart* batchChart() const { return m_batchChart; }
    TrainSettingsForm* settingsForm() const { return m_form; }
    QWidget* statusWidget() const { return m_status; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* resumeRunButton() const { return m_resumeRun; }

    void setRunsDirectory(const QString& directory);
    QString runsDirectory() const { return m_runsDirectory; }
    void reloadRunsDirectory();
    // Selects runs by their row in runs(), the catalog's index (several: an overlay).
    void selectRuns(const QList<int>& rows);
    std::vector<std::shared_ptr<RunData>> selectedRuns() const;
    void setSmoothing(double smoothing);
    void setImageLimit(int images); // 0: all training images
    void setThreads(int threads);   // 0: all cores
    // Redraws the charts now (they otherwise follow a 10 Hz timer).
    void refreshCharts();

Q_SIGNALS:
    void statusMessage(const QString& message);
    void runsDirectoryChanged(const QString& directory);

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* buildControls();
    QWidget* buildCharts();
    QWidget* buildRunList();
    void updateButtons();
    bool startJob(TrainingJob job, std::shared_ptr<RunData> run, QString* whyNot);
    void onBatch(const BatchUpdate& update);
    void updateProgress(const BatchUpdate& update);
    void tableSelectionChanged();
    void showCatalogSelection();

    PresetDocument* m_document;
    DatasetController* m_data;
    TrainingController* m_controller;
    RunCatalog* m_catalog;
    TrainSettingsForm* m_form = nullptr;
    QSpinBox* m_limit = nullptr;
    QSpinBox* m_threads = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_resumeRun = nullptr;
    CurveChart* m_lossChart = nullptr;
    CurveChart* m_accuracyChart = nullptr;
    CurveChart* m_batchChart = nullptr;
    QSlider* m_smoothing = nullptr;
    QLabel* m_smoothingLabel = nullptr;
    RunListModel* m_runs = nullptr;
    QSortFilterProxyModel* m_sortedRuns = nullptr;
    QTableView* m_runTable = nullptr;
    QAction* m_exportModel = nullptr;
    QLabel* m_folderLabel = nullptr;
    QWidget* m_status = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;
    QString m_runsDirectory;
    qint64 m_liveTrainCount = 0;
    bool m_showingSelection = false; // the table follows the catalog: ignore its echo
    bool m_chartsDirty = false;
    QElapsedTimer m_progressClock;
    // What the charts show now, to skip redraws that would change nothing.
    struct ChartsShown
    {
        std::vector<const RunData*> runs;
        std::vector<std::size_t> epochs;
        std::vector<std::size_t> batches;
        int smoothing = -1;
    };
    ChartsShown m_shown;
};

} // namespace atelier::ui
