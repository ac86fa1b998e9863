// Takes the README's screenshots of the studio: run under Xvfb (real fonts and a real
// window system), e.g.
//   xvfb-run -a -s '-screen 0 1600x1000x24' build/tests/studio_screenshots docs/screenshots
// With --train it also trains (three MLPs, then cnn_medium: about 3 minutes on 2 cores) and
// shoots the Train and Evaluate views during and after training. With --runs DIR it shows
// the run folders in DIR instead (no training) and, with --try PICTURES_DIR, the Evaluate
// view's Your images tab with those pictures; it shoots the Train and Evaluate views in
// the dark palette. With --search SWEEP_DIR it opens that sweep folder in the Search view
// (parallel coordinates, a brushed axis, effects, dark); with --quick it runs
// sweeps/quick.yaml from the Search view (about 2 minutes on 2 cores) and shoots it running
// and done. With --inside it trains vanishing_gradients and its ReLU + He twin (about half a
// minute) and shoots the Inside view live, with both runs overlaid, and the matrix
// experiment. Not a test: it asserts nothing, it only shows how the views look.
#include "ui/data/data_view.h"
#include "ui/data/dataset_controller.h"
#include "ui/evaluate/confusion_matrix_widget.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/export/run_figures.h"
#include "ui/inside/inside_view.h"
#include "ui/model/model_view.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_list_model.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/search_setup_panel.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_launcher.h"
#include "ui/search/sweep_monitor.h"
#include "ui/studio/main_window.h"
#include "ui/studio/settings_keys.h"
#include "ui/studio/theme.h"
#include "ui/train/train_view.h"
#include "ui/train/training_controller.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

using namespace atelier::ui;

namespace {

// Runs the event loop for `ms` without spinning (a busy loop here would take a core from
// the training threads and slow them several times over).
void settle(int ms = 300)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void shoot(QWidget* widget, const QString& path)
{
    settle();
    if (!widget->grab().save(path))
        qFatal("cannot write %s", qPrintable(path));
    qInfo("wrote %s", qPrintable(path));
}

// Trains the open preset with `epochs`; calls `during` once after `shootAfterEpoch` epochs.
void train(MainWindow& window, int epochs, int shootAfterEpoch = 0,
           const std::function<void()>& during = {})
{
    atelier::TrainConfig config = window.document()->trainConfig();
    config.epochs = epochs;
    window.document()->setTrainConfig(config, 0);
    QString why;
    if (!window.trainView()->startTraining(&why))
        qFatal("cannot train: %s", qPrintable(why));
    int epochsSeen = 0;
    const auto counting = QObject::connect(window.training(), &TrainingController::epochFinished,
                                           &window, [&](const EpochUpdate&) { ++epochsSeen; });
    bool shot = false;
    while (window.training()->isRunning()) {
        settle(100);
        if (during && !shot && epochsSeen >= shootAfterEpoch) {
            shot = true;
            during();
        }
    }
    QObject::disconnect(counting);
    settle(300);
    window.document()->undoStack()->setClean();
}

// The Search view on a finished sweep folder: both charts, a brush, the dark palette.
void shootSearchFolder(MainWindow& window, const QString& folder, const QString& out)
{
    SearchView* search = window.searchView();
    QString why;
    if (!search->openSweepFolder(folder, &why))
        qFatal("cannot open %s: %s", qPrintable(folder), qPrintable(why));
    search->setupPanel()->openSweep(QDir(folder).filePath(QStringLiteral("sweep.yaml")));
    window.showTab(MainWindow::Tab::Search);
    auto* charts = search->findChild<QTabWidget*>();
    shoot(&window, out + QStringLiteral("/search-view.png"));
    // Keep the better half of the trials: the table follows.
    ParallelCoordinatesChart* chart = search->parallelChart();
    if (const auto range = chart->table().objectiveRange()) {
        const double middle = (range->first + range->second) / 2;
        chart->setBrush(chart->objectiveAxis(), middle, range->second);
    }
    shoot(&window, out + QStringLiteral("/search-view-brushed.png"));
    chart->clearBrushes();
    charts->setCurrentIndex(1);
    shoot(&window, out + QStringLiteral("/search-view-effects.png"));
    charts->setCurrentIndex(0);
    applyTheme(Theme::Dark);
    shoot(&window, out + QStringLiteral("/search-view-dark.png"));
    applyTheme(Theme::Light);
}

// sweeps/quick.yaml run from the Search view, shot while it runs and when it is done.
void shootQuickSearch(MainWindow& window, const QString& folder, const QString& out)
{
    SearchView* search = window.searchView();
    if (!search->setupPanel()->openSweep(QStringLiteral(ATELIER_SWEEPS_DIR "/quick.yaml")))
        qFatal("cannot open sweeps/quick.yaml");
    search->setSweepFolder(folder);
    search->setJobs(1);
    window.showTab(MainWindow::Tab::Search);
    settle(1500); // the summary is computed off the GUI thread
    shoot(&window, out + QStringLiteral("/search-view-setup.png"));
    QString why;
    if (!search->runSearch(&why))
        qFatal("cannot run the search: %s", qPrintable(why));
    bool shot = false;
    while (search->launcher()->isRunning()) {
        settle(500);
        if (!shot && search->monitor()->isOpen() && search->monitor()->progress().finished >= 2) {
            shot = true;
            shoot(&window, out + QStringLiteral("/search-view-running.png"));
        }
    }
    settle(1000);
    shoot(&window, out + QStringLiteral("/search-view-quick.png"));
}

// What a student does in the Inside tab: trains the sigmoid stack and watches its first
// layers' gradients vanish live, trains the ReLU + He twin, compares both, then looks at the
// matrix experiment.
void shootInside(MainWindow& window, const QString& out)
{
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/vanishing_gradients.yaml"));
    window.showTab(MainWindow::Tab::Inside);
    window.insidePages()->setCurrentIndex(0);
    train(window, 10, 3,
          [&] { shoot(&window, out + QStringLiteral("/inside-view-training.png")); });
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/vanishing_gradients_relu_he.yaml"));
    train(window, 10);
    const int rows = window.trainView()->runs()->rowCount();
    window.trainView()->selectRuns({rows - 2, rows - 1});
    window.showTab(MainWindow::Tab::Inside);
    shoot(&window, out + QStringLiteral("/inside-view.png"));
    applyTheme(Theme::Dark);
    shoot(&window, out + QStringLiteral("/inside-view-dark.png"));
    applyTheme(Theme::Light);
    window.insidePages()->setCurrentIndex(1);
    settle(1500); // computed off the GUI thread
    shoot(&window, out + QStringLiteral("/matrix-experiment.png"));
    window.insidePages()->setCurrentIndex(0);
}

} // namespace

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AtelierScreenshots"));
    QApplication::setApplicationName(QStringLiteral("AtelierScreenshots"));
    QStringList args = QApplication::arguments();
    const bool withTraining = args.removeAll(QStringLiteral("--train")) > 0;
    const bool quickSearch = args.removeAll(QStringLiteral("--quick")) > 0;
    const bool inside = args.removeAll(QStringLiteral("--inside")) > 0;
    QString sweepFolder;
    if (const int at = args.indexOf(QStringLiteral("--search")); at > 0 && at + 1 < args.size()) {
        sweepFolder = args.takeAt(at + 1);
        args.removeAt(at);
    }
    // --try DIR: the pictures in DIR dropped on the Evaluate view of the last of --runs.
    QString tryFolder;
    if (const int at = args.indexOf(QStringLiteral("--try")); at > 0 && at + 1 < args.size()) {
        tryFolder = args.takeAt(at + 1);
        args.removeAt(at);
    }
    QString existingRuns;
    if (const int at = args.indexOf(QStringLiteral("--runs")); at > 0 && at + 1 < args.size()) {
        existingRuns = args.takeAt(at + 1);
        args.removeAt(at);
    }
    const QString out = args.size() > 1 ? args[1] : QStringLiteral(".");
    QDir().mkpath(out);
    QTemporaryDir runs;
    QSettings().clear();
    QSettings().setValue(settings::kRunsFolder,
                         existingRuns.isEmpty() ? runs.path() : existingRuns);

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/cnn_medium.yaml"));
    QElapsedTimer timer;
    timer.start();
    while (window.dataset()->state() == DatasetController::State::Loading &&
           timer.elapsed() < 30000)
        settle(50);

    window.showTab(MainWindow::Tab::Data);
    shoot(&window, out + QStringLiteral("/data-view.png"));
    window.showTab(MainWindow::Tab::Model);
    window.modelView()->selectRow(2);
    shoot(&window, out + QStringLiteral("/model-view.png"));

    applyTheme(Theme::Dark);
    window.showTab(MainWindow::Tab::Data);
    shoot(&window, out + QStringLiteral("/data-view-dark.png"));
    window.showTab(MainWindow::Tab::Model);
    shoot(&window, out + QStringLiteral("/model-view-dark.png"));
    applyTheme(Theme::Light);

    // An invalid stack: Dense straight after a convolution.
    window.document()->removeLayer(4);
    window.modelView()->selectRow(4);
    shoot(&window, out + QStringLiteral("/model-view-invalid.png"));
    window.document()->undoStack()->undo();
    window.document()->undoStack()->setClean();
    // A residual network, a stride-2 block selected.
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/cnn_speedrun.yaml"));
    window.modelView()->selectRow(4);
    shoot(&window, out + QStringLiteral("/model-view-residual.png"));
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/cnn_medium.yaml"));
    if (!existingRuns.isEmpty() && window.trainView()->runs()->rowCount() > 0) {
        applyTheme(Theme::Dark);
        const int last = window.trainView()->runs()->rowCount() - 1;
        window.trainView()->selectRuns({last});
        window.showTab(MainWindow::Tab::Train);
        shoot(&window, out + QStringLiteral("/train-view-dark.png"));
        window.showTab(MainWindow::Tab::Evaluate);
        window.evaluateView()->showCell(6, 0);
        shoot(&window, out + QStringLiteral("/evaluate-view-dark.png"));
        applyTheme(Theme::Light);
        if (!tryFolder.isEmpty()) {
            QStringList pictures;
            for (const QString& name : QDir(tryFolder).entryList(QDir::Files, QDir::Name))
                pictures << QDir(tryFolder).filePath(name);
            QEventLoop classified;
            QObject::connect(window.evaluateView(), &EvaluateView::imagesTried, &classified,
                             &QEventLoop::quit);
            window.evaluateView()->tryImages(pictures);
            classified.exec();
            shoot(&window, out + QStringLiteral("/evaluate-your-images.png"));
        }
    }
    if (!sweepFolder.isEmpty())
        shootSearchFolder(window, sweepFolder, out);
    if (quickSearch)
        shootQuickSearch(window, runs.filePath(QStringLiteral("quick-search")), out);
    if (inside)
        shootInside(window, out);
    if (!withTraining)
        return 0;

    window.showTab(MainWindow::Tab::Train);
    for (const char* name : {"mlp_small", "mlp_medium", "mlp_large"}) {
        window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/%1.yaml").arg(name));
        train(window, 10);
    }
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/cnn_medium.yaml"));
    train(window, 10, 4, [&] {
        window.showTab(MainWindow::Tab::Train);
        shoot(&window, out + QStringLiteral("/train-view-training.png"));
        window.showTab(MainWindow::Tab::Evaluate);
        shoot(&window, out + QStringLiteral("/evaluate-view-training.png"));
        window.showTab(MainWindow::Tab::Train);
    });
    window.showTab(MainWindow::Tab::Train);
    shoot(&window, out + QStringLiteral("/train-view.png"));
    window.showTab(MainWindow::Tab::Evaluate);
    window.evaluateView()->showCell(6, 0); // shirts taken for T-shirts
    shoot(&window, out + QStringLiteral("/evaluate-view.png"));
    // The figures a report would take, as File ▸ Export All Figures writes them.
    const RunData* run = window.evaluateView()->run();
    const QStringList written = exportRunFigures(*run, window.dataset()->dataset(),
                                                 out + QStringLiteral("/figures"), FigureOptions{});
    qInfo("exported %lld files", qlonglong(written.size()));
    window.showTab(MainWindow::Tab::Train);
    window.trainView()->selectRuns({0, 1, 2});
    shoot(&window, out + QStringLiteral("/train-view-overlay.png"));
    return 0;
}
