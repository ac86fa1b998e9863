// The main window's file handling: new, open (with problems listed, never refused silently),
// save (atomic, through core), the shipped presets and the recent files.
#include "core/atomic_file.h"
#include "ui/data/dataset_controller.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/export/run_figures.h"
#include "ui/preset/preset_document.h"
#include "ui/preset/preset_library.h"
#include "ui/preset/preset_problems_panel.h"
#include "ui/report/report_export.h"
#include "ui/runs/run_catalog.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_monitor.h"
#include "ui/studio/main_window.h"
#include "ui/studio/settings_keys.h"
#include "ui/widgets/layer_text.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace atelier::ui {
namespace {

const QString kPresetFilter = QStringLiteral("Atelier presets (*.yaml *.yml);;All files (*)");

} // namespace

void MainWindow::newPreset()
{
    Preset preset;
    preset.name = "untitled";
    m_untitledName = QStringLiteral("Untitled");
    m_document->reset(preset, QString());
    m_problems->clear();
    m_problemsDock->hide();
    showTab(Tab::Model);
}

void MainWindow::openPresetUnsaved(const Preset& preset, const QString& name)
{
    if (!maybeSave())
        return;
    m_untitledName = name;
    m_document->reset(preset, QString());
    m_problems->clear();
    m_problemsDock->hide();
    statusBar()->showMessage(
        QStringLiteral("%1 is now the preset being edited (not saved yet)").arg(name), 8000);
    showTab(Tab::Model);
}

bool MainWindow::openPreset(const QString& path)
{
    std::string text;
    PresetParseResult parsed;
    try {
        text = readTextFile(path.toStdString());
        parsed = parsePreset(text, QFileInfo(path).fileName().toStdString());
    } catch (const std::exception& error) {
        m_problems->showProblems(
            path, QString(),
            {PresetProblem{QFileInfo(path).fileName().toStdString(), 0, 0, {}, error.what()}});
        m_problemsDock->show();
        statusBar()->showMessage(QStringLiteral("Could not open %1").arg(path), 8000);
        return false;
    }
    if (parsed.problems.empty()) {
        m_document->reset(parsed.preset, QFileInfo(path).absoluteFilePath());
        m_problems->clear();
        m_problemsDock->hide();
        addRecentPresetFile(path);
        QSettings().setValue(settings::kLastPreset, QFileInfo(path).absoluteFilePath());
        statusBar()->showMessage(QStringLiteral("Opened %1").arg(path), 5000);
        return true;
    }
    // Opened without a file name: saving asks where, so the broken original is never
    // overwritten by accident.
    m_untitledName = QStringLiteral("%1 (with problems)").arg(QFileInfo(path).fileName());
    m_document->reset(parsed.preset, QString());
    m_problems->showProblems(path, QString::fromStdString(text), parsed.problems);
    m_problemsDock->show();
    m_problemsDock->raise();
    statusBar()->showMessage(QStringLiteral("%1 has %2 problem(s): see Preset Problems")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(parsed.problems.size()),
                             8000);
    return false;
}

bool MainWindow::savePresetAs(const QString& path)
{
    Preset preset = m_document->preset();
    if (preset.name.empty() || preset.name == "untitled") {
        // A preset is listed by its name: give it the file's.
        m_document->setName(QFileInfo(path).completeBaseName());
        preset = m_document->preset();
    }
    try {
        savePreset(preset, path.toStdString());
    } catch (const std::exception& error) {
        QMessageBox::warning(this, QStringLiteral("Save Preset"),
                             QStringLiteral("The preset was not saved: %1").arg(error.what()));
        return false;
    }
    m_document->markSaved(QFileInfo(path).absoluteFilePath());
    m_problemsDock->hide();
    addRecentPresetFile(path);
    QSettings().setValue(settings::kLastPreset, QFileInfo(path).absoluteFilePath());
    statusBar()->showMessage(QStringLiteral("Saved %1").arg(path), 5000);
    return true;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    // Shipped presets are the reference setups; a change to one goes to a new file.
    if (QFileInfo(m_document->filePath()).absolutePath() ==
        QFileInfo(shippedPresetsDirectory()).absoluteFilePath())
        return saveAs();
    return savePresetAs(m_document->filePath());
}

bool MainWindow::saveAs()
{
    QString suggestion = m_document->filePath();
    if (suggestion.isEmpty() || QFileInfo(suggestion).absolutePath() ==
                                    QFileInfo(shippedPresetsDirectory()).absoluteFilePath()) {
        const QString name = qs(m_document->preset().name);
        suggestion = QDir::home().filePath((name.isEmpty() ? QStringLiteral("preset") : name) +
                                           QStringLiteral(".yaml"));
    }
    QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save Preset"), suggestion,
                                                kPresetFilter);
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".yaml");
    return savePresetAs(path);
}

void MainWindow::openWithDialog()
{
    if (!maybeSave())
        return;
    const QString start = m_document->filePath().isEmpty()
                              ? shippedPresetsDirectory()
                              : QFileInfo(m_document->filePath()).absolutePath();
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Open Preset"), start, kPresetFilter);
    if (!path.isEmpty()) {
        openPreset(path);
        showTab(Tab::Model);
    }
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    const auto answer = QMessageBox::warning(
        this, QStringLiteral("Unsaved Changes"),
        QStringLiteral("The preset has changes that are not saved. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::exportAllFigures()
{
    const std::shared_ptr<RunData> run = m_catalog->currentRun();
    if (!run || run->folder.isEmpty()) {
        statusBar()->showMessage(
            QStringLiteral("Pick a run first (the run list in the Train view)."), 8000);
        return;
    }
    bool chosen = false;
    const QString format = QInputDialog::getItem(
        this, QStringLiteral("Export All Figures"), QStringLiteral("Format"),
        {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")}, 0, false, &chosen);
    if (!chosen)
        return;
    const QString directory = QFileDialog::getExistingDirectory(
        this, QStringLiteral("Folder for the figures"), run->folder);
    if (directory.isEmpty())
        return;
    FigureOptions options;
    options.format = figureFormatFromName(format).value_or(FigureFormat::Png);
    try {
        const QStringList written =
            exportRunFigures(*run, m_dataset->dataset(), directory, options);
        statusBar()->showMessage(
            QStringLiteral("Wrote %1 files to %2").arg(written.size()).arg(directory), 10000);
    } catch (const std::exception& error) {
        QMessageBox::warning(this, QStringLiteral("Export All Figures"), error.what());
    }
}

QStringList MainWindow::reportFolders(QString* whyNot) const
{
    if (currentTab() == Tab::Search) {
        if (m_searchView->monitor()->isOpen())
            return {m_searchView->monitor()->directory()};
        *whyNot = QStringLiteral("Open or run a search first: the report covers the search "
                                 "the Search tab shows.");
        return {};
    }
    QStringList folders;
    for (const std::shared_ptr<RunData>& run : m_catalog->selectedRuns())
        if (run->hasResult && !run->folder.isEmpty())
            folders << run->folder;
    if (folders.isEmpty())
        *whyNot = QStringLiteral("Select a finished run in the Train view's run list (several "
                                 "for a comparison), or show a search in the Search tab.");
    return folders;
}

bool MainWindow::exportReport(const QString& path)
{
    QString whyNot;
    const QStringList folders = reportFolders(&whyNot);
    if (folders.isEmpty()) {
        statusBar()->showMessage(whyNot, 10000);
        return false;
    }
    // Shown before starting: a process that cannot start says so at once, replacing it.
    statusBar()->showMessage(QStringLiteral("Writing the report %1…").arg(path));
    if (!m_reportExport->start(folders, path, m_dataset->directory(), &whyNot)) {
        statusBar()->showMessage(whyNot, 10000);
        return false;
    }
    return true;
}

void MainWindow::exportReportWithDialog()
{
    QString whyNot;
    const QStringList folders = reportFolders(&whyNot);
    if (folders.isEmpty()) {
        QMessageBox::information(this, QStringLiteral("Export Report"), whyNot);
        return;
    }
    const QString proposed =
        folders.size() == 1
            ? QDir(folders.front()).filePath(QStringLiteral("report.html"))
            : QDir(QFileInfo(folders.front()).path()).filePath(QStringLiteral("comparison.html"));
    QString filter;
    QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export Report"), proposed,
        QStringLiteral("HTML report, opens in any browser (*.html);;PDF report (*.pdf)"), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter.contains(QStringLiteral("*.pdf")) ? QStringLiteral(".pdf")
                                                         : QStringLiteral(".html");
    exportReport(path);
}

void MainWindow::rebuildShippedMenu()
{
    m_shippedMenu->clear();
    for (const QString& path : shippedPresets()) {
        QAction* action = m_shippedMenu->addAction(QFileInfo(path).completeBaseName());
        connect(action, &QAction::triggered, this, [this, path] {
            if (maybeSave()) {
                openPreset(path);
                showTab(Tab::Model);
            }
        });
    }
    if (m_shippedMenu->isEmpty())
        m_shippedMenu->addAction(QStringLiteral("No presets in %1").arg(shippedPresetsDirectory()))
            ->setEnabled(false);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentPresetFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] {
            if (maybeSave()) {
                openPreset(path);
                showTab(Tab::Model);
            }
        });
    }
    if (files.isEmpty())
        m_recentMenu->addAction(QStringLiteral("No recent presets"))->setEnabled(false);
}

} // namespace atelier::ui
