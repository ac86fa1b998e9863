// The Search view: build a hyperparameter search from the preset on screen (or open a sweep
// file), see its size, invalid points and estimated duration before launching, run it here
// (jobs × threads) or on a Slurm cluster, or open a sweep folder a cluster is filling; then
// watch its trials arrive in a sortable table, a parallel-coordinates chart whose brushes
// filter the table, and a per-parameter effects chart. Trials go to the Train view (curves
// overlaid), the Evaluate view, or the Model view as a preset.
#pragma once

#include "core/preset.h"
#include "core/sweep.h"
#include "ui/search/search_table.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTabWidget;
class QTimer;

namespace atelier::ui {

class DatasetController;
class ParallelCoordinatesChart;
class ParameterEffectsChart;
class PresetDocument;
class RunCatalog;
class SearchSetupPanel;
class SweepDraft;
class SweepLauncher;
class SweepMonitor;
class TrialsFilter;
class TrialsModel;

class SearchView : public QWidget
{
    Q_OBJECT

public:
    SearchView(PresetDocument* document, DatasetController* data, RunCatalog* catalog,
               QWidget* parent = nullptr);
    ~SearchView() override;

    SweepDraft* draft() const { return m_draft; }
    SearchSetupPanel* setupPanel() const { return m_setup; }
    SweepMonitor* monitor() const { return m_monitor; }
    SweepLauncher* launcher() const { return m_launcher; }
    TrialsModel* trials() const { return m_trials; }
    TrialsFilter* shownTrials() const { return m_filter; }
    QTableView* trialsTable() const { return m_table; }
    ParallelCoordinatesChart* parallelChart() const { return m_parallel; }
    ParameterEffectsChart* effectsChart() const { return m_effects; }
    QLabel* progressLabel() const { return m_progressLabel; }
    QPushButton* runButton() const { return m_run; }
    int jobs() const;

    // Dialog-free operations (the buttons add dialogs around them); false with the reason.
    void setSweepFolder(const QString& directory);
    // Where a new search's folder is proposed (DIR/<search name>) until one is chosen.
    void setSweepsDirectory(const QString& directory);
    QString sweepFolder() const;
    void setJobs(int jobs);
    void setThreads(int threads);
    void setImageLimit(int images);
    bool runSearch(QString* whyNot = nullptr);
    bool submitToSlurm(bool dryRun, QString* whyNot = nullptr);
    bool openSweepFolder(const QString& directory, QString* whyNot = nullptr);
    // The trials selected in the table (plan rows), or the best one when none is.
    QList<int> chosenTrials() const;
    // Lists the chosen trials in the run catalog and selects them; false when none finished.
    bool overlayChosenTrials();
    bool showChosenTrialInEvaluate();
    // Every figure and trials.csv into `directory`; the files written.
    QStringList exportFigures(const QString& directory, const QString& format);
    // Stops a running search and waits for its checkpoints (closing the studio).
    void stopAndWait();

Q_SIGNALS:
    void statusMessage(const QString& message);
    void showTrainView();
    void showEvaluateView();
    // "Open as Preset": the trial's preset, to become the document (unsaved).
    void openPresetRequested(const atelier::Preset& preset, const QString& name);

private:
    // How often an open sweep folder is read again: while this studio runs it, and otherwise
    // (a cluster filling it; only unfinished trials are read, on a worker thread).
    static constexpr int kPollWhileRunningMs = 1000;
    static constexpr int kPollOtherwiseMs = 5000;

    void followMonitor();
    void followLauncher();
    void showSearchedFolderOnceItExists();
    void proposeFolder();
    // Refuses (with the reason) a folder that holds another search or other settings.
    bool checkFolderFor(const SweepSpec& spec, const QString& directory, QString* whyNot) const;
    QWidget* buildLaunchBox();
    QWidget* buildResults();
    void updateButtons();
    void monitorUpdated();
    void launcherFinished(int exitCode, const QString& lastLines);
    QString trialName(int row) const;
    // The search's table with only the trials the chart's brushes keep.
    SearchTable brushedTable() const;

    PresetDocument* m_document;
    DatasetController* m_data;
    RunCatalog* m_catalog;
    SweepDraft* m_draft;
    SearchSetupPanel* m_setup = nullptr;
    SweepMonitor* m_monitor;
    SweepLauncher* m_launcher;
    TrialsModel* m_trials;
    TrialsFilter* m_filter;
    QLineEdit* m_folder = nullptr;
    QSpinBox* m_jobs = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_limit = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_slurm = nullptr;
    QPushButton* m_slurmScript = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_progressLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QTabWidget* m_charts = nullptr;
    ParallelCoordinatesChart* m_parallel = nullptr;
    ParameterEffectsChart* m_effects = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_overlay = nullptr;
    QPushButton* m_asPreset = nullptr;
    QPushButton* m_evaluate = nullptr;
    QTimer* m_folderWait = nullptr;
    bool m_openingSearched = false;
    QString m_sweepsDirectory;
    bool m_folderFollowsName = true;
    bool m_draftRunnable = false; // as the setup panel's last summary found it
};

} // namespace atelier::ui
