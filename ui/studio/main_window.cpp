// The studio's main window: views, menus, title and settings. File handling is in
// main_window_files.cpp.
#include "ui/studio/main_window.h"

#include "ui/data/data_view.h"
#include "ui/data/dataset_controller.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/matrix_lab_panel.h"
#include "ui/model/layer_property_editor.h"
#include "ui/model/model_view.h"
#include "ui/preset/preset_document.h"
#include "ui/preset/preset_library.h"
#include "ui/preset/preset_problems_panel.h"
#include "ui/report/report_export.h"
#include "ui/runs/run_catalog.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_launcher.h"
#include "ui/studio/settings_keys.h"
#include "ui/studio/theme.h"
#include "ui/train/train_settings_form.h"
#include "ui/train/train_view.h"
#include "ui/train/training_controller.h"
#include "ui/widgets/icons.h"
#include "ui/widgets/layer_text.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <initializer_list>

namespace atelier::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new PresetDocument(this)),
      m_dataset(new DatasetController(this)), m_training(new TrainingController(this)),
      m_catalog(new RunCatalog(m_training, this)), m_reportExport(new ReportExport(this))
{
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_dataView = new DataView(m_dataset, m_document);
    m_modelView = new ModelView(m_document);
    m_tabs->addTab(m_dataView, QStringLiteral("Data"));
    m_tabs->addTab(m_modelView, QStringLiteral("Model"));
    m_trainView = new TrainView(m_document, m_dataset, m_training, m_catalog);
    m_tabs->addTab(m_trainView, QStringLiteral("Train"));
    // Inside: what happens in the layers of the selected runs, and the matrix experiment that
    // explains it.
    m_insideView = new InsideView(m_catalog);
    m_matrixLab = new MatrixLabPanel;
    m_insidePages = new QTabWidget;
    m_insidePages->setDocumentMode(true);
    m_insidePages->setTabPosition(QTabWidget::South);
    m_insidePages->addTab(m_insideView, QStringLiteral("Layers of the Run"));
    m_insidePages->addTab(m_matrixLab, QStringLiteral("Matrix Experiment"));
    m_tabs->addTab(m_insidePages, QStringLiteral("Inside"));
    m_evaluateView = new EvaluateView(m_dataset);
    m_tabs->addTab(m_evaluateView, QStringLiteral("Evaluate"));
    m_searchView = new SearchView(m_document, m_dataset, m_catalog);
    m_tabs->addTab(m_searchView, QStringLiteral("Search"));
    connect(m_catalog, &RunCatalog::currentRunChanged, m_evaluateView, &EvaluateView::setRun);
    connect(m_catalog, &RunCatalog::runChanged, m_evaluateView, &EvaluateView::runUpdated);
    setCentralWidget(m_tabs);

    m_problems = new PresetProblemsPanel;
    m_problemsDock = new QDockWidget(QStringLiteral("Preset Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    m_problemsDock->hide();

    createActions();
    createMenus();
    createToolBar();
    statusBar()->showMessage(QStringLiteral("Ready"), 3000);
    statusBar()->addPermanentWidget(m_trainView->statusWidget());
    auto showMessage = [this](const QString& message) { statusBar()->showMessage(message, 15000); };
    connect(m_trainView, &TrainView::statusMessage, this, showMessage);
    connect(m_searchView, &SearchView::statusMessage, this, showMessage);
    connect(m_evaluateView, &EvaluateView::statusMessage, this, showMessage);
    connect(m_reportExport, &ReportExport::finished, this,
            [this](bool ok, const QString& path, const QString& message) {
                if (!ok) {
                    statusBar()->showMessage(QStringLiteral("The report was not written"), 10000);
                    QMessageBox::warning(this, QStringLiteral("Export Report"), message);
                    return;
                }
                statusBar()->showMessage(QStringLiteral("Wrote the report %1%2")
                                             .arg(path, message.isEmpty()
                                                            ? QString()
                                                            : QStringLiteral(" (") + message + ')'),
                                         15000);
            });
    connect(m_searchView, &SearchView::showTrainView, this, [this] { showTab(Tab::Train); });
    connect(m_searchView, &SearchView::showEvaluateView, this, [this] { showTab(Tab::Evaluate); });
    connect(m_searchView, &SearchView::openPresetRequested, this, &MainWindow::openPresetUnsaved);
    // New searches are proposed a folder next to the runs: runs/sweeps/<name>.
    connect(m_trainView, &TrainView::runsDirectoryChanged, m_searchView,
            [this](const QString& runs) {
                m_searchView->setSweepsDirectory(QDir(runs).filePath("sweeps"));
            });
    // "Search over values…" on a field of the Train or Model view adds that key to the search.
    auto searchKey = [this](const QString& keyPath, const QString& valueYaml) {
        QString why;
        if (!m_searchView->draft()->hasBase())
            m_searchView->draft()->setBase(m_document->preset());
        if (m_searchView->draft()->addParameterFor(keyPath, valueYaml, &why)) {
            showTab(Tab::Search);
            statusBar()->showMessage(
                QStringLiteral("Searching %1: edit its values in the Search view").arg(keyPath),
                8000);
        } else {
            statusBar()->showMessage(why, 8000);
        }
    };
    connect(m_trainView->settingsForm(), &TrainSettingsForm::searchRequested, this, searchKey);
    connect(m_modelView->propertyEditor(), &LayerPropertyEditor::searchRequested, this, searchKey);

    connect(m_document, &PresetDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &PresetDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &PresetDocument::detailsChanged, this, &MainWindow::updateTitle);
    connect(m_document->layers(), &LayerStackModel::reportChanged, this,
            &MainWindow::updateTrainAction);
    connect(m_dataView, &DataView::dataFolderChosen, this, [](const QString& directory) {
        QSettings().setValue(settings::kDataFolder, directory);
    });

    restoreSettings();
    updateTitle();
    updateTrainAction();
}

MainWindow::~MainWindow()
{
    // Qt deletes this window's children in ~QWidget, when the MainWindow (and QMainWindow) part
    // of the object is already destroyed: a state owner or view that signals while it dies (the
    // document's undo stack reports "clean" as it clears itself) would call a slot of a dead
    // window. Cut every connection from them to this window while it is still whole.
    for (QObject* sender :
         std::initializer_list<QObject*>{m_document, m_document->layers(), m_dataset, m_training,
                                         m_catalog, m_dataView, m_trainView})
        sender->disconnect(this);
}

void MainWindow::createActions()
{
    auto make = [this](const QString& text, QKeySequence key, const QIcon& icon) {
        auto* action = new QAction(icon, text, this);
        action->setShortcut(key);
        return action;
    };
    m_new = make(QStringLiteral("&New Preset"), QKeySequence::New, atelierIcon("new-preset"));
    m_new->setToolTip(QStringLiteral("Start from an empty stack"));
    m_open = make(QStringLiteral("&Open Preset…"), QKeySequence::Open, atelierIcon("open-preset"));
    m_save = make(QStringLiteral("&Save"), QKeySequence::Save, atelierIcon("save"));
    m_saveAs = make(QStringLiteral("Save &As…"), QKeySequence::SaveAs, atelierIcon("save-as"));
    m_quit = make(QStringLiteral("&Quit"), QKeySequence::Quit, atelierIcon("quit"));
    connect(m_new, &QAction::triggered, this, [this] {
        if (maybeSave())
            newPreset();
    });
    connect(m_open, &QAction::triggered, this, &MainWindow::openWithDialog);
    connect(m_save, &QAction::triggered, this, &MainWindow::save);
    connect(m_saveAs, &QAction::triggered, this, &MainWindow::saveAs);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    m_exportAll =
        new QAction(atelierIcon("export"), QStringLiteral("&Export All Figures of Run…"), this);
    m_exportAll->setToolTip(QStringLiteral("Curves, confusion matrix, mistakes, model diagram and "
                                           "class counts of the run shown in Evaluate, with "
                                           "their CSV data"));
    connect(m_exportAll, &QAction::triggered, this, &MainWindow::exportAllFigures);
    m_exportReport = new QAction(atelierIcon("report"), QStringLiteral("Export &Report…"), this);
    m_exportReport->setToolTip(
        QStringLiteral("One HTML or PDF file: the selected run in full, the selected runs "
                       "compared, or (from the Search tab) the search"));
    connect(m_exportReport, &QAction::triggered, this, &MainWindow::exportReportWithDialog);

    m_undo = m_document->undoStack()->createUndoAction(this, QStringLiteral("&Undo"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_undo->setIcon(atelierIcon("undo"));
    m_redo = m_document->undoStack()->createRedoAction(this, QStringLiteral("&Redo"));
    // The platform's redo keys, plus Ctrl+Shift+Z, which people expect everywhere on Linux.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    const QKeySequence ctrlShiftZ(Qt::CTRL | Qt::SHIFT | Qt::Key_Z);
    if (!redoKeys.contains(ctrlShiftZ))
        redoKeys << ctrlShiftZ;
    m_redo->setShortcuts(redoKeys);
    m_redo->setIcon(atelierIcon("redo"));

    m_train = make(QStringLiteral("&Train"), QKeySequence(Qt::CTRL | Qt::Key_T),
                   atelierIcon("train", IconTone::Accent));
    connect(m_train, &QAction::triggered, this, [this] {
        showTab(Tab::Train);
        QString why;
        if (!m_trainView->startTraining(&why))
            statusBar()->showMessage(why, 8000);
    });

    auto* themes = new QActionGroup(this);
    m_lightTheme = new QAction(QStringLiteral("&Light"), themes);
    m_darkTheme = new QAction(QStringLiteral("&Dark"), themes);
    for (QAction* action : {m_lightTheme, m_darkTheme})
        action->setCheckable(true);
    connect(m_lightTheme, &QAction::triggered, this, [] {
        applyTheme(Theme::Light);
        QSettings().setValue(settings::kTheme, themeName(Theme::Light));
    });
    connect(m_darkTheme, &QAction::triggered, this, [] {
        applyTheme(Theme::Dark);
        QSettings().setValue(settings::kTheme, themeName(Theme::Dark));
    });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(m_new);
    file->addAction(m_open);
    m_shippedMenu = file->addMenu(QStringLiteral("Open Shipped &Preset"));
    m_recentMenu = file->addMenu(QStringLiteral("Open &Recent"));
    connect(m_shippedMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildShippedMenu);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(m_saveAs);
    file->addSeparator();
    file->addAction(m_exportAll);
    file->addAction(m_exportReport);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    edit->addAction(m_undo);
    edit->addAction(m_redo);
    edit->addSeparator();
    edit->addActions(m_modelView->layerActions());

    QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction* action = view->addAction(m_tabs->tabText(i));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
    }
    view->addAction(m_problemsDock->toggleViewAction());
    view->addSeparator();
    QMenu* theme = view->addMenu(QStringLiteral("&Theme"));
    theme->addAction(m_lightTheme);
    theme->addAction(m_darkTheme);

    QMenu* model = menuBar()->addMenu(QStringLiteral("&Model"));
    model->addAction(m_train);

    QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Atelier"), this, [this] {
        QMessageBox::about(this, QStringLiteral("About Atelier"),
                           QStringLiteral("<h3>Atelier %1</h3><p>A training studio for image "
                                          "classifiers. Presets: %2</p>")
                               .arg(QApplication::applicationVersion(),
                                    shippedPresetsDirectory().toHtmlEscaped()));
    });
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(QStringLiteral("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(m_new);
    bar->addAction(m_open);
    bar->addAction(m_save);
    bar->addSeparator();
    bar->addAction(m_undo);
    bar->addAction(m_redo);
    bar->addSeparator();
    bar->addAction(m_train);
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

MainWindow::Tab MainWindow::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void MainWindow::loadData(const QString& directory)
{
    m_dataset->load(directory);
}

void MainWindow::restoreSettings()
{
    const QSettings stored;
    const Theme theme = themeFromName(stored.value(settings::kTheme).toString());
    applyTheme(theme);
    (theme == Theme::Dark ? m_darkTheme : m_lightTheme)->setChecked(true);
    if (!restoreGeometry(stored.value(settings::kGeometry).toByteArray()))
        resize(1600, 1000);
    restoreState(stored.value(settings::kWindowState).toByteArray());
    m_problemsDock->hide(); // it belongs to the preset that had problems, not to the window
    m_tabs->setCurrentIndex(stored.value(settings::kTab, 0).toInt());

    const QString lastPreset = stored.value(settings::kLastPreset).toString();
    const QString firstPreset = QDir(shippedPresetsDirectory()).filePath(settings::kFirstPreset);
    if (!lastPreset.isEmpty() && QFileInfo::exists(lastPreset))
        openPreset(lastPreset);
    else if (QFileInfo::exists(firstPreset))
        openPreset(firstPreset);
    else
        newPreset();

    m_searchView->setJobs(stored.value(settings::kSearchJobs, 1).toInt());
    m_trainView->setRunsDirectory(
        stored.value(settings::kRunsFolder, settings::defaultRunsFolder()).toString());

    const QString dataFolder = stored.value(settings::kDataFolder).toString();
    loadData(dataFolder.isEmpty() ? qs(resolveDataDirectory({})) : dataFolder);
}

void MainWindow::saveSettings() const
{
    QSettings stored;
    stored.setValue(settings::kGeometry, saveGeometry());
    stored.setValue(settings::kWindowState, saveState());
    stored.setValue(settings::kTab, m_tabs->currentIndex());
    stored.setValue(settings::kRunsFolder, m_trainView->runsDirectory());
    stored.setValue(settings::kSearchJobs, m_searchView->jobs());
    if (!m_document->filePath().isEmpty())
        stored.setValue(settings::kLastPreset, m_document->filePath());
}

void MainWindow::updateTitle()
{
    const QString path = m_document->filePath();
    const QString name = path.isEmpty() ? m_untitledName : QFileInfo(path).fileName();
    setWindowTitle(QStringLiteral("%1[*] — Atelier").arg(name));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateTrainAction()
{
    const QString reason = m_document->invalidReason();
    m_train->setEnabled(reason.isEmpty());
    m_train->setToolTip(
        reason.isEmpty()
            ? QStringLiteral("Train this preset (%1)").arg(m_train->shortcut().toString())
            : QStringLiteral("Cannot train: %1").arg(reason));
}

bool MainWindow::maybeStopWork()
{
    // Only asks: nothing stops until every question (this one, unsaved changes) is answered.
    const bool searching = m_searchView->launcher()->isRunning();
    const bool training = m_training->isRunning();
    if (!searching && !training)
        return true;
    QStringList what;
    if (training)
        what << QStringLiteral("A training is running: it stops after its batch, the best "
                               "weights so far are kept and the run folder is written.");
    if (searching)
        what << QStringLiteral("A search is running: its running trials write a checkpoint, "
                               "and Run Search on the same folder continues them.");
    const auto answer =
        QMessageBox::question(this, QStringLiteral("Stop and Close?"),
                              what.join(QLatin1Char('\n')) + QStringLiteral("\n\nStop and close?"),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Yes;
}

void MainWindow::stopWork()
{
    if (!m_searchView->launcher()->isRunning() && !m_training->isRunning())
        return;
    statusBar()->showMessage(QStringLiteral("Stopping and writing checkpoints…"));
    QCoreApplication::processEvents(); // shown before the wait
    m_searchView->stopAndWait();
    if (m_training->isRunning())
        m_training->stopAndWait();
}

QString MainWindow::shutDownWithoutAsking()
{
    stopWork();
    QString recovery;
    if (m_document->isModified()) {
        const QString directory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        recovery = directory + QStringLiteral("/recovered-preset.yaml");
        try {
            QDir().mkpath(directory);
            savePreset(m_document->preset(), recovery.toStdString());
        } catch (const std::exception&) {
            recovery.clear(); // nowhere to keep it; the run folders are written regardless
        }
    }
    saveSettings();
    return recovery;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeStopWork() || !maybeSave()) {
        event->ignore();
        return;
    }
    stopWork();
    saveSettings();
    event->accept();
}

} // namespace atelier::ui
