// The Search view's actions: launching, following the sweep folder, and what the trials
// table's buttons do with the chosen trials.
#include "core/errors.h"
#include "core/sweep_folder.h"
#include "core/text_format.h"
#include "ui/data/dataset_controller.h"
#include "ui/export/search_figures.h"
#include "ui/runs/run_catalog.h"
#include "ui/runs/run_data.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/parameter_effects_chart.h"
#include "ui/search/search_setup_panel.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_launcher.h"
#include "ui/search/sweep_monitor.h"
#include "ui/search/trials_model.h"
#include "ui/widgets/icons.h"
#include "ui/widgets/layer_text.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

namespace atelier::ui {
namespace {

QString objectiveText(double value)
{
    return QString::number(value, 'f', 4);
}

} // namespace

void SearchView::updateButtons()
{
    const bool running = m_launcher->isRunning();
    const bool paused = m_launcher->isPaused();
    // The setup panel's last summary says whether the draft can run: parsing it here would
    // repeat that work on the GUI thread at every folder update (once a second while a
    // search runs). Run Search checks the draft as it is at the click.
    const bool valid = m_draftRunnable;
    const bool haveFolder = !m_folder->text().trimmed().isEmpty();
    const QString why = running       ? QStringLiteral("A search is running")
                        : !valid      ? QStringLiteral("The search has problems (listed above)")
                        : !haveFolder ? QStringLiteral("Choose a sweep folder")
                                      : QString();
    for (QPushButton* button : {m_run, m_slurm, m_slurmScript}) {
        button->setEnabled(why.isEmpty());
        // What the button does when it can, why it cannot when it cannot.
        button->setToolTip(why.isEmpty() ? button->property("whatItDoes").toString() : why);
    }
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    m_pause->setText(paused ? QStringLiteral("Resume") : QStringLiteral("Pause"));
    m_pause->setIcon(atelierIcon(paused ? QStringLiteral("resume") : QStringLiteral("pause")));
    const bool anyTrial = !chosenTrials().isEmpty();
    m_overlay->setEnabled(anyTrial);
    m_evaluate->setEnabled(anyTrial);
    m_asPreset->setEnabled(anyTrial);
}

bool SearchView::checkFolderFor(const SweepSpec& spec, const QString& directory,
                                QString* whyNot) const
{
    // The CLI refuses these too, but only after the view would have let go of what it
    // shows: say it here, before anything starts.
    auto refuse = [whyNot](const QString& reason) {
        if (whyNot)
            *whyNot = reason;
        return false;
    };
    try {
        checkSweepFolderTarget(directory.toStdString());
        if (!isSweepFolder(directory.toStdString()))
            return true; // new, or empty: the search makes it
        const SweepFolder folder = atelier::openSweepFolder(directory.toStdString());
        if (folder.fingerprint != sweepFingerprint(spec))
            return refuse(QStringLiteral("%1 holds another search (%2); choose a new folder, "
                                         "or open that one to see it")
                              .arg(directory, qs(folder.spec.name)));
        if (m_limit->value() > 0 && folder.settings.limit != std::size_t(m_limit->value()))
            return refuse(QStringLiteral("%1 was searched with %2 training images per trial; "
                                         "set Training images to that to resume it")
                              .arg(directory)
                              .arg(folder.settings.limit == 0
                                       ? QStringLiteral("all")
                                       : QString::number(folder.settings.limit)));
    } catch (const std::exception& error) {
        return refuse(QString::fromUtf8(error.what()));
    }
    return true;
}

bool SearchView::runSearch(QString* whyNot)
{
    const auto sweep = m_setup->validSweep();
    if (!sweep) {
        const SweepParseResult parsed = m_draft->parse();
        if (whyNot)
            *whyNot = parsed.problems.empty()
                          ? QStringLiteral("The search has no base preset yet.")
                          : QStringLiteral("The search has problems: %1")
                                .arg(QString::fromStdString(parsed.problems.front().message));
        return false;
    }
    SweepLaunch launch;
    launch.sweepYaml = sweep->yaml;
    launch.directory = QDir(m_folder->text().trimmed()).absolutePath();
    launch.jobs = m_jobs->value();
    launch.threads = m_threads->value();
    launch.limit = m_limit->value();
    launch.dataDirectory = m_data->directory();
    if (m_launcher->isRunning()) {
        if (whyNot)
            *whyNot = QStringLiteral("A search is already running from this studio.");
        return false;
    }
    if (!checkFolderFor(sweep->spec, launch.directory, whyNot) ||
        !m_launcher->runLocally(launch, whyNot))
        return false;
    // A resumed search stays on screen; another folder's trials make way for this one's.
    if (m_monitor->isOpen() && QDir(m_monitor->directory()) != QDir(launch.directory))
        m_monitor->close();
    Q_EMIT statusMessage(QStringLiteral("Search started: %1").arg(launch.directory));
    return true;
}

bool SearchView::submitToSlurm(bool dryRun, QString* whyNot)
{
    const auto sweep = m_setup->validSweep();
    if (!sweep) {
        if (whyNot)
            *whyNot = QStringLiteral("The search has problems (listed in its summary).");
        return false;
    }
    SweepLaunch launch;
    launch.sweepYaml = sweep->yaml;
    launch.directory = QDir(m_folder->text().trimmed()).absolutePath();
    launch.threads = m_threads->value();
    launch.limit = m_limit->value();
    launch.dryRun = dryRun;
    // No data folder: the nodes find the dataset where it is installed on them, which need
    // not be where this machine has it.
    if (m_launcher->isRunning()) {
        if (whyNot)
            *whyNot = QStringLiteral("A search is already running from this studio.");
        return false;
    }
    if (!checkFolderFor(sweep->spec, launch.directory, whyNot) ||
        !m_launcher->submitToSlurm(launch, whyNot))
        return false;
    if (m_monitor->isOpen() && QDir(m_monitor->directory()) != QDir(launch.directory))
        m_monitor->close();
    return true;
}

bool SearchView::openSweepFolder(const QString& directory, QString* whyNot)
{
    if (!m_monitor->open(directory, whyNot))
        return false;
    if (!m_launcher->isRunning()) {
        setSweepFolder(m_monitor->directory());
        m_monitor->setPollInterval(kPollOtherwiseMs);
    }
    return true;
}

void SearchView::monitorUpdated()
{
    m_parallel->setTable(m_monitor->table()); // keeps its brushes for the same search
    m_effects->setTable(brushedTable());
    m_filter->refilter();
    if (!m_monitor->isOpen()) {
        m_title->setText(QStringLiteral("No search open"));
        m_progressLabel->setText(
            QStringLiteral("Build a search on the left and run it, or open a sweep folder."));
        m_progress->setValue(0);
        updateButtons();
        return;
    }
    const SweepFolder& folder = m_monitor->folder();
    m_title->setText(QStringLiteral("%1 — %2").arg(
        qs(folder.spec.name), QDir::toNativeSeparators(m_monitor->directory())));
    const SearchProgress progress = m_monitor->progress();
    QStringList parts;
    parts << QStringLiteral("%1 of %2 trials done").arg(progress.finished).arg(progress.total);
    if (progress.running > 0)
        parts << QStringLiteral("%1 running").arg(progress.running);
    if (progress.interrupted > 0)
        parts
            << QStringLiteral("%1 interrupted (Run Search resumes them)").arg(progress.interrupted);
    if (progress.bestTrial)
        parts << QStringLiteral("best %1 %2 (trial %3)")
                     .arg(qs(sweepObjectiveName(folder.spec.objective)))
                     .arg(objectiveText(progress.bestObjective))
                     .arg(m_monitor->records()[std::size_t(*progress.bestTrial)].index);
    if (progress.secondsLeft && m_launcher->isRunning())
        parts << QStringLiteral("about %1 left").arg(clockText(*progress.secondsLeft));
    m_progressLabel->setText(parts.join(QStringLiteral(" · ")));
    m_progress->setRange(0, std::max(progress.total, 1));
    m_progress->setValue(progress.finished);
    updateButtons();
}

void SearchView::launcherFinished(int exitCode, const QString& lastLines)
{
    // The command is done: read its folder once more (its last trials), off the GUI thread.
    const QString searched = m_launcher->directory();
    if (m_monitor->isOpen() && QDir(m_monitor->directory()) == QDir(searched))
        m_monitor->refreshInBackground();
    else if (isSweepFolder(searched.toStdString()))
        m_monitor->openInBackground(searched);
    if (exitCode == 0)
        Q_EMIT statusMessage(
            QStringLiteral("Search finished: %1").arg(lastLines.section('\n', -1)));
    else if (exitCode == 130)
        Q_EMIT statusMessage(
            QStringLiteral("Search stopped; Run Search on the same folder resumes it."));
    else if (exitCode < 0)
        Q_EMIT statusMessage(QStringLiteral("The search process crashed or was killed; its "
                                            "trials keep their checkpoints: %1")
                                 .arg(lastLines));
    else
        Q_EMIT statusMessage(QStringLiteral("Search failed: %1").arg(lastLines));
}

SearchTable SearchView::brushedTable() const
{
    SearchTable table = m_monitor->table();
    if (m_parallel->table().rows.size() != table.rows.size())
        return table; // the chart has not taken this table yet
    std::vector<SearchRow> kept;
    for (std::size_t row = 0; row < table.rows.size(); ++row)
        if (m_parallel->rowPasses(int(row)))
            kept.push_back(std::move(table.rows[row]));
    table.rows = std::move(kept);
    return table;
}

QString SearchView::trialName(int row) const
{
    return QStringLiteral("%1 #%2")
        .arg(qs(m_monitor->folder().spec.name))
        .arg(m_monitor->records()[std::size_t(row)].index);
}

QList<int> SearchView::chosenTrials() const
{
    QList<int> rows;
    if (!m_monitor->isOpen())
        return rows;
    QModelIndexList selected = m_table->selectionModel()->selectedRows();
    std::sort(selected.begin(), selected.end());
    for (const QModelIndex& index : selected)
        rows.append(m_filter->mapToSource(index).row());
    if (rows.isEmpty()) {
        if (const auto best = m_monitor->progress().bestTrial)
            rows.append(*best);
    }
    return rows;
}

bool SearchView::overlayChosenTrials()
{
    QList<int> indices;
    for (int row : chosenTrials()) {
        const TrialRecord& record = m_monitor->records()[std::size_t(row)];
        if (record.status == TrialStatus::Pending)
            continue; // nothing to draw yet
        indices.append(m_catalog->addFolder(m_monitor->trialFolder(row), trialName(row)));
    }
    if (indices.isEmpty())
        return false;
    m_catalog->select(indices);
    Q_EMIT showTrainView();
    return true;
}

bool SearchView::showChosenTrialInEvaluate()
{
    const QList<int> rows = chosenTrials();
    if (rows.isEmpty() || !trialFinished(m_monitor->records()[std::size_t(rows.front())].status))
        return false;
    const int index =
        m_catalog->addFolder(m_monitor->trialFolder(rows.front()), trialName(rows.front()));
    m_catalog->select({index});
    Q_EMIT showEvaluateView();
    return true;
}

QStringList SearchView::exportFigures(const QString& directory, const QString& format)
{
    const std::optional<FigureFormat> figureFormat = figureFormatFromName(format);
    if (!figureFormat)
        throw InputError("unknown figure format '" + format.toStdString() + "' (png, svg or pdf)");
    FigureOptions options;
    options.format = *figureFormat;
    return exportSearchFigures(*m_monitor, *m_parallel, *m_effects, directory, options);
}

void SearchView::stopAndWait()
{
    m_launcher->stopAndWait();
}

} // namespace atelier::ui
