// The Search view: building, launching and reading a hyperparameter search.
#include "ui/search/search_view.h"

#include "core/sweep_folder.h"
#include "ui/data/dataset_controller.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_catalog.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/parameter_effects_chart.h"
#include "ui/search/search_setup_panel.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_launcher.h"
#include "ui/search/sweep_monitor.h"
#include "ui/search/trials_model.h"
#include "ui/widgets/icons.h"

#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace atelier::ui {

SearchView::SearchView(PresetDocument* document, DatasetController* data, RunCatalog* catalog,
                       QWidget* parent)
    : QWidget(parent), m_document(document), m_data(data), m_catalog(catalog),
      m_draft(new SweepDraft(this)), m_monitor(new SweepMonitor(this)),
      m_launcher(new SweepLauncher(this)), m_trials(new TrialsModel(m_monitor, this)),
      m_filter(new TrialsFilter(this))
{
    m_filter->setSourceModel(m_trials);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    m_setup = new SearchSetupPanel(m_draft, m_document);
    leftLayout->addWidget(m_setup, 1);
    leftLayout->addWidget(buildLaunchBox());
    auto* scroll = new QScrollArea;
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(left->sizeHint().width() + 24);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(scroll);
    splitter->addWidget(buildResults());
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({560, 1040});
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    followMonitor();
    followLauncher();
    connect(m_draft, &SweepDraft::changed, this, &SearchView::proposeFolder);
    connect(m_setup, &SearchSetupPanel::summaryUpdated, this, [this](bool runnable) {
        m_draftRunnable = runnable;
        updateButtons();
    });
    connect(m_parallel, &ParallelCoordinatesChart::filterChanged, this, [this] {
        m_filter->refilter();
        m_effects->setTable(brushedTable()); // the effects of the trials kept
    });
    m_filter->setAccepts([this](int row) {
        return row >= int(m_parallel->table().rows.size()) || m_parallel->rowPasses(row);
    });
    m_setup->setEstimateSettingsSource([this] {
        SearchSetupPanel::EstimateSettings settings;
        settings.jobs = m_jobs->value();
        settings.threads = m_threads->value();
        settings.imageLimit = m_limit->value();
        settings.dataDirectory = m_data->directory();
        settings.cliPath = SweepLauncher::cliProgram();
        return settings;
    });
    // The estimate trains a few steps: not while a training or a search uses the cores.
    auto allowEstimate = [this] {
        if (m_launcher->isRunning())
            m_setup->setEstimateAllowed(false, QStringLiteral("A search is running"));
        else if (m_catalog->live())
            m_setup->setEstimateAllowed(false, QStringLiteral("A training is running"));
        else
            m_setup->setEstimateAllowed(true);
    };
    connect(m_catalog, &RunCatalog::runChanged, this, allowEstimate);
    connect(m_launcher, &SweepLauncher::runningChanged, this, allowEstimate);
    updateButtons();
    monitorUpdated();
}

SearchView::~SearchView()
{
    // While the view is whole: the end of the search is reported to it.
    m_launcher->stopAndWait();
}

void SearchView::followMonitor()
{
    connect(m_monitor, &SweepMonitor::updated, this, &SearchView::monitorUpdated);
    connect(m_monitor, &SweepMonitor::opened, this, [this](bool ok, const QString& error) {
        m_openingSearched = false;
        if (!ok) {
            monitorUpdated(); // the title shows what is open again
            Q_EMIT statusMessage(QStringLiteral("Not a sweep folder: %1").arg(error));
            return;
        }
        if (!m_launcher->isRunning()) {
            setSweepFolder(m_monitor->directory());
            m_monitor->setPollInterval(kPollOtherwiseMs);
        }
    });
}

void SearchView::followLauncher()
{
    connect(m_launcher, &SweepLauncher::runningChanged, this, [this](bool running) {
        m_monitor->setPollInterval(running ? kPollWhileRunningMs : kPollOtherwiseMs);
        m_folder->setReadOnly(running); // the folder being searched is the launcher's
        if (running)
            m_folderWait->start();
        updateButtons();
    });
    connect(m_launcher, &SweepLauncher::pausedChanged, this, &SearchView::updateButtons);
    connect(m_launcher, &SweepLauncher::finished, this, &SearchView::launcherFinished);
    connect(m_launcher, &SweepLauncher::outputAdded, this, [this](const QString& text) {
        showSearchedFolderOnceItExists();
        const QString line = text.trimmed().section(QLatin1Char('\n'), -1);
        if (!line.isEmpty())
            Q_EMIT statusMessage(line);
    });
    // The folder of a new search appears a moment after the start (the CLI prints nothing
    // until a trial ends): look for it until it is shown.
    m_folderWait = new QTimer(this);
    m_folderWait->setInterval(kPollWhileRunningMs / 2);
    connect(m_folderWait, &QTimer::timeout, this, &SearchView::showSearchedFolderOnceItExists);
}

void SearchView::showSearchedFolderOnceItExists()
{
    const QString searched = m_launcher->directory();
    const bool shown = m_monitor->isOpen() && QDir(m_monitor->directory()) == QDir(searched);
    if (shown || !m_launcher->isRunning()) {
        m_folderWait->stop();
        return;
    }
    if (m_openingSearched || !isSweepFolder(searched.toStdString()))
        return;
    m_openingSearched = true; // one read at a time
    m_monitor->openInBackground(searched);
}

int SearchView::jobs() const
{
    return m_jobs->value();
}

QWidget* SearchView::buildLaunchBox()
{
    auto* box = new QGroupBox(QStringLiteral("Run the search"));
    auto* grid = new QGridLayout(box);
    m_folder = new QLineEdit;
    m_folder->setPlaceholderText(QStringLiteral("folder for the trials (made or resumed)"));
    auto* browse = new QPushButton(QStringLiteral("…"));
    browse->setToolTip(QStringLiteral("Choose the sweep folder"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getSaveFileName(
            this, QStringLiteral("Sweep folder (a new name, or an existing sweep to resume)"),
            m_folder->text(), QString(), nullptr, QFileDialog::ShowDirsOnly);
        if (!dir.isEmpty())
            setSweepFolder(dir);
    });
    connect(m_folder, &QLineEdit::textChanged, this, &SearchView::updateButtons);
    // Typed by the user: no longer follows the search's name.
    connect(m_folder, &QLineEdit::textEdited, this, [this] { m_folderFollowsName = false; });
    m_jobs = new QSpinBox;
    m_jobs->setRange(1, 64);
    m_jobs->setToolTip(QStringLiteral("Trials trained at once, each its own process"));
    m_threads = new QSpinBox;
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(QStringLiteral("cores ÷ jobs"));
    m_threads->setToolTip(QStringLiteral("CPU threads per trial"));
    m_limit = new QSpinBox;
    m_limit->setRange(0, 48000);
    m_limit->setSingleStep(1000);
    m_limit->setGroupSeparatorShown(true);
    m_limit->setSpecialValueText(QStringLiteral("all"));
    m_limit->setToolTip(QStringLiteral("Train every trial on a class-balanced subset (a quick "
                                       "look; dev and test stay whole)"));
    grid->addWidget(new QLabel(QStringLiteral("Sweep folder")), 0, 0);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    grid->addLayout(folderRow, 0, 1, 1, 3);
    grid->addWidget(new QLabel(QStringLiteral("Jobs")), 1, 0);
    grid->addWidget(m_jobs, 1, 1);
    grid->addWidget(new QLabel(QStringLiteral("Threads")), 1, 2);
    grid->addWidget(m_threads, 1, 3);
    grid->addWidget(new QLabel(QStringLiteral("Training images")), 2, 0);
    grid->addWidget(m_limit, 2, 1);

    m_run = new QPushButton(atelierIcon("train", IconTone::Accent), QStringLiteral("Run Search"));
    m_run->setProperty("whatItDoes",
                       QStringLiteral("Train the trials on this machine; a folder that holds "
                                      "this search already resumes where it stopped"));
    m_pause = new QPushButton(atelierIcon("pause"), QStringLiteral("Pause"));
    m_stop = new QPushButton(atelierIcon("stop"), QStringLiteral("Stop"));
    m_stop->setToolTip(QStringLiteral("Running trials write a checkpoint and stop; Run Search "
                                      "on the same folder continues them"));
    connect(m_run, &QPushButton::clicked, this, [this] {
        QString why;
        if (!runSearch(&why))
            Q_EMIT statusMessage(why);
    });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_launcher->isPaused())
            m_launcher->resume();
        else
            m_launcher->pause();
    });
    connect(m_stop, &QPushButton::clicked, m_launcher, &SweepLauncher::stop);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);
    grid->addLayout(buttons, 3, 0, 1, 4);

    m_slurmScript = new QPushButton(QStringLiteral("Write Slurm Script"));
    m_slurmScript->setProperty("whatItDoes",
                               QStringLiteral("Make the sweep folder and its job-array script "
                                              "(sweep.sbatch) without submitting it"));
    m_slurm = new QPushButton(QStringLiteral("Submit to Slurm"));
    m_slurm->setProperty("whatItDoes",
                         QStringLiteral("Submit the trials as a Slurm job array (sbatch); the "
                                        "folder must be on a filesystem the nodes share"));
    auto* open = new QPushButton(QStringLiteral("Open Sweep Folder…"));
    open->setToolTip(QStringLiteral("Show a search made earlier, from the command line, or "
                                    "by a cluster (read again as its trials finish)"));
    for (auto [button, dryRun] : {std::pair{m_slurmScript, true}, std::pair{m_slurm, false}})
        connect(button, &QPushButton::clicked, this, [this, dryRun = dryRun] {
            QString why;
            if (!submitToSlurm(dryRun, &why))
                Q_EMIT statusMessage(why);
        });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, QStringLiteral("Open a sweep folder"), m_folder->text());
        if (dir.isEmpty())
            return;
        // Read on a worker thread: a large search or a slow shared filesystem never freezes
        // the window.
        m_title->setText(QStringLiteral("Reading %1 …").arg(QDir::toNativeSeparators(dir)));
        m_monitor->openInBackground(dir);
    });
    auto* cluster = new QHBoxLayout;
    cluster->addWidget(m_slurmScript);
    cluster->addWidget(m_slurm);
    cluster->addStretch(1);
    cluster->addWidget(open);
    grid->addLayout(cluster, 4, 0, 1, 4);
    return box;
}

QWidget* SearchView::buildResults()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    m_title = new QLabel;
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progressLabel = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(10);
    layout->addWidget(m_title);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progressLabel, 1);
    progressRow->addWidget(m_progress);
    layout->addLayout(progressRow);

    m_parallel = new ParallelCoordinatesChart;
    m_effects = new ParameterEffectsChart;
    m_charts = new QTabWidget;
    m_charts->addTab(m_parallel, QStringLiteral("Parallel coordinates"));
    m_charts->addTab(m_effects, QStringLiteral("Parameter effects"));

    m_table = new QTableView;
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TrialsModel::IndexColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SearchView::updateButtons);
    connect(m_table, &QTableView::doubleClicked, this, [this] { showChosenTrialInEvaluate(); });

    m_overlay = new QPushButton(QStringLiteral("Overlay Curves"));
    m_overlay->setToolTip(QStringLiteral("Show the selected trials' curves together in the "
                                         "Train view"));
    m_asPreset = new QPushButton(QStringLiteral("Open as Preset"));
    m_asPreset->setToolTip(QStringLiteral("Make the selected (or best) trial's preset the one "
                                          "being edited (unsaved)"));
    m_evaluate = new QPushButton(QStringLiteral("Show in Evaluate"));
    auto* clear = new QPushButton(QStringLiteral("Clear Filters"));
    clear->setToolTip(QStringLiteral("Drag along an axis of the chart to keep only the trials "
                                     "that pass there; click an axis to clear its filter"));
    auto* exportButton = new QPushButton(QStringLiteral("Export…"));
    exportButton->setToolTip(QStringLiteral("Write both figures and trials.csv to a folder"));
    connect(m_overlay, &QPushButton::clicked, this, [this] {
        if (!overlayChosenTrials())
            Q_EMIT statusMessage(QStringLiteral("Select finished trials first."));
    });
    connect(m_evaluate, &QPushButton::clicked, this, [this] {
        if (!showChosenTrialInEvaluate())
            Q_EMIT statusMessage(QStringLiteral("Select a finished trial first."));
    });
    connect(m_asPreset, &QPushButton::clicked, this, [this] {
        const QList<int> rows = chosenTrials();
        if (rows.isEmpty())
            return;
        const TrialConfig& trial = m_monitor->plan().trials[std::size_t(rows.front())];
        Q_EMIT openPresetRequested(trial.preset, trialName(rows.front()));
    });
    connect(clear, &QPushButton::clicked, m_parallel, &ParallelCoordinatesChart::clearBrushes);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        bool chosen = false;
        const QString format = QInputDialog::getItem(
            this, QStringLiteral("Export Search Figures"), QStringLiteral("Format"),
            {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")}, 0, false,
            &chosen);
        if (!chosen)
            return;
        const QString directory = QFileDialog::getExistingDirectory(
            this, QStringLiteral("Folder for the figures"), m_monitor->directory());
        if (directory.isEmpty())
            return;
        try {
            const QStringList files = exportFigures(directory, format);
            Q_EMIT statusMessage(
                QStringLiteral("Wrote %1 files to %2").arg(files.size()).arg(directory));
        } catch (const std::exception& error) {
            Q_EMIT statusMessage(QString::fromUtf8(error.what()));
        }
    });
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_overlay);
    actions->addWidget(m_evaluate);
    actions->addWidget(m_asPreset);
    actions->addStretch(1);
    actions->addWidget(clear);
    actions->addWidget(exportButton);
    auto* tablePanel = new QWidget;
    auto* tableLayout = new QVBoxLayout(tablePanel);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addLayout(actions);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_charts);
    split->addWidget(tablePanel);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({560, 300}); // the charts are what a search is read from
    layout->addWidget(split, 1);
    return panel;
}

void SearchView::setSweepFolder(const QString& directory)
{
    m_folder->setText(directory);
    m_folderFollowsName = false;
}

void SearchView::setSweepsDirectory(const QString& directory)
{
    m_sweepsDirectory = directory;
    proposeFolder();
}

void SearchView::proposeFolder()
{
    // Until the user picks one: a folder named after the search, next to the runs.
    if (!m_folderFollowsName || m_sweepsDirectory.isEmpty() || m_launcher->isRunning())
        return;
    const QString name = m_draft->name().trimmed();
    if (!name.isEmpty())
        m_folder->setText(QDir(m_sweepsDirectory).filePath(name));
}

QString SearchView::sweepFolder() const
{
    return m_folder->text();
}

void SearchView::setJobs(int jobs)
{
    m_jobs->setValue(jobs);
}

void SearchView::setThreads(int threads)
{
    m_threads->setValue(threads);
}

void SearchView::setImageLimit(int images)
{
    m_limit->setValue(images);
}

} // namespace atelier::ui
