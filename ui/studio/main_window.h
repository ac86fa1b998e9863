// The studio's main window: the Data, Model, Train, Evaluate and Search views in tabs, the
// File/Edit/View menus, the preset document with its undo history, and the settings that persist
// between sessions.
#pragma once

#include "core/preset.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QMenu;
class QTabWidget;

namespace atelier::ui {

class DataView;
class DatasetController;
class ModelView;
class PresetDocument;
class PresetProblemsPanel;
class ReportExport;
class RunCatalog;
class SearchView;
class EvaluateView;
class InsideView;
class MatrixLabPanel;
class TrainView;
class TrainingController;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    enum class Tab
    {
        Data,
        Model,
        Train,
        Inside,
        Evaluate,
        Search,
    };

    // File operations without dialogs (the menu actions add the dialogs around them).
    // A preset from elsewhere (a search's trial) becomes the document, unsaved: saving asks
    // where, so the trial's own file is never overwritten.
    void openPresetUnsaved(const Preset& preset, const QString& name);
    // Opening never refuses silently: problems are listed in the Problems panel.
    bool openPreset(const QString& path);
    bool savePresetAs(const QString& path);
    void newPreset();

    void showTab(Tab tab);
    Tab currentTab() const;
    void loadData(const QString& directory);
    // For SIGTERM/SIGHUP/SIGINT: stops a running training and waits for its run folder,
    // keeps unsaved preset edits in a recovery file (returned, empty if none), saves the
    // settings. Asks nothing: nobody may be there to answer.
    QString shutDownWithoutAsking();

    PresetDocument* document() const { return m_document; }
    DatasetController* dataset() const { return m_dataset; }
    DataView* dataView() const { return m_dataView; }
    ModelView* modelView() const { return m_modelView; }
    TrainView* trainView() const { return m_trainView; }
    InsideView* insideView() const { return m_insideView; }
    MatrixLabPanel* matrixLab() const { return m_matrixLab; }
    // The Inside tab's two pages: a run's layers, and the matrix experiment.
    QTabWidget* insidePages() const { return m_insidePages; }
    EvaluateView* evaluateView() const { return m_evaluateView; }
    SearchView* searchView() const { return m_searchView; }
    TrainingController* training() const { return m_training; }
    RunCatalog* runs() const { return m_catalog; }
    PresetProblemsPanel* problemsPanel() const { return m_problems; }
    QDockWidget* problemsDock() const { return m_problemsDock; }
    QAction* trainAction() const { return m_train; }

    // File ▸ Export Report without its dialogs. The folders a report covers now: the open
    // search when the Search tab is shown, else the selected runs that have finished; empty
    // with the reason when there are none.
    QStringList reportFolders(QString* whyNot) const;
    // Starts writing the report of reportFolders() to `path` (.html or .pdf) through
    // atelier-cli; false, with the reason in the status bar, when it cannot start.
    bool exportReport(const QString& path);
    ReportExport* reportExport() const { return m_reportExport; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void restoreSettings();
    void saveSettings() const;
    void updateTitle();
    void updateTrainAction();
    void rebuildRecentMenu();
    void rebuildShippedMenu();
    bool save();
    bool saveAs();
    void openWithDialog();
    bool maybeSave();
    bool maybeStopWork(); // asks whether a running training or search may stop
    void stopWork();
    void exportAllFigures();
    void exportReportWithDialog();

    PresetDocument* m_document;
    DatasetController* m_dataset;
    TrainingController* m_training;
    RunCatalog* m_catalog;
    QTabWidget* m_tabs = nullptr;
    TrainView* m_trainView = nullptr;
    EvaluateView* m_evaluateView = nullptr;
    InsideView* m_insideView = nullptr;
    MatrixLabPanel* m_matrixLab = nullptr;
    QTabWidget* m_insidePages = nullptr;
    SearchView* m_searchView = nullptr;
    DataView* m_dataView = nullptr;
    ModelView* m_modelView = nullptr;
    PresetProblemsPanel* m_problems = nullptr;
    QDockWidget* m_problemsDock = nullptr;
    QString m_untitledName; // shown for a preset without a file
    QAction* m_new = nullptr;
    QAction* m_open = nullptr;
    QAction* m_save = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_exportAll = nullptr;
    QAction* m_exportReport = nullptr;
    ReportExport* m_reportExport = nullptr;
    QAction* m_undo = nullptr;
    QAction* m_redo = nullptr;
    QAction* m_train = nullptr;
    QAction* m_lightTheme = nullptr;
    QAction* m_darkTheme = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_shippedMenu = nullptr;
};

} // namespace atelier::ui
