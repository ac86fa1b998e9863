// Two figures for the studio: (1) training throughput from the GUI (the Train view in a
// visible main window, live charts on) against `atelier-cli train` for the same preset,
// alternating CLI, GUI three times in one run; (2) the time to redraw the batch-loss chart as
// its points grow to 100 epochs of batches. Usage, with the CPU otherwise idle:
//   xvfb-run -a -s '-screen 0 1600x1000x24' build/bench/bench_gui_training PRESET [EPOCHS]
#include "ui/charts/curve_chart.h"
#include "ui/data/dataset_controller.h"
#include "ui/studio/main_window.h"
#include "ui/preset/preset_document.h"
#include "ui/train/train_view.h"
#include "ui/train/training_controller.h"
#include "ui/train/training_curves.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <cmath>
#include <numeric>
#include <cstdio>

using namespace atelier;
using namespace atelier::ui;

namespace {

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double cliSamplesPerSecond(const QString& preset, int epochs, const QString& out)
{
    QProcess cli;
    cli.start(QStringLiteral(ATELIER_CLI_PATH),
              {QStringLiteral("train"), preset, QStringLiteral("--epochs"), QString::number(epochs),
               QStringLiteral("--out"), out, QStringLiteral("--quiet")});
    cli.waitForFinished(-1);
    const QString stdoutText = QString::fromUtf8(cli.readAllStandardOutput());
    const QString folder = stdoutText.section(QStringLiteral("run: "), 1).trimmed();
    QFile metrics(folder + QStringLiteral("/metrics.json"));
    if (!metrics.open(QIODevice::ReadOnly))
        qFatal("CLI run failed: %s", qPrintable(QString::fromUtf8(cli.readAllStandardError())));
    return QJsonDocument::fromJson(metrics.readAll())
        .object()[QStringLiteral("samples_per_second")]
        .toDouble();
}

double guiSamplesPerSecond(MainWindow& window, int epochs)
{
    TrainConfig config = window.document()->trainConfig();
    config.epochs = epochs;
    window.document()->setTrainConfig(config, 0);
    double samplesPerSecond = 0;
    QEventLoop loop;
    auto connection = QObject::connect(window.training(), &TrainingController::finished, &loop,
                                       [&](const RunFinished& run) {
                                           samplesPerSecond = run.result.samplesPerSecond;
                                           loop.quit();
                                       });
    QString why;
    if (!window.trainView()->startTraining(&why))
        qFatal("cannot train: %s", qPrintable(why));
    loop.exec(); // the studio's own event loop: charts, progress, repaints all live
    QObject::disconnect(connection);
    window.document()->undoStack()->setClean();
    return samplesPerSecond;
}

void chartFrameTimes()
{
    std::printf(
        "\nBatch-loss chart redraw (setCurves + paint at 1200x500), 1,500 batches/epoch:\n");
    std::printf("%10s %12s %14s %14s\n", "epochs", "points", "frame ms", "drawn points");
    CurveChart chart;
    chart.resize(1200, 500);
    titleBatchChart(&chart);
    chart.show();
    for (int epochs : {1, 10, 50, 100}) {
        RunData run;
        run.batchesPerEpoch = 1500;
        for (int e = 1; e <= epochs; ++e)
            for (int b = 1; b <= 1500; ++b)
                run.batchLosses.push_back(
                    {e, b, float(0.3 + 1.5 / (e + b / 1500.0) + 0.1 * std::sin(b * 0.37))});
        constexpr int kFrames = 20;
        QElapsedTimer timer;
        timer.start();
        for (int frame = 0; frame < kFrames; ++frame) {
            // As the Train view does at each refresh: curves from all points, then draw.
            const TrainingCurves curves = trainingCurves({&run}, 0.6);
            chart.setCurves(curves.batchLoss);
            const QPixmap drawn = chart.grab(); // paints the widget as the screen would
            Q_UNUSED(drawn);
        }
        const double ms = double(timer.nsecsElapsed()) / 1e6 / kFrames;
        std::printf("%10d %12zu %14.1f %14d\n", epochs, run.batchLosses.size(), ms,
                    chart.drawnPointCount(QStringLiteral("batch loss")));
    }
}

} // namespace

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AtelierBench"));
    QApplication::setApplicationName(QStringLiteral("bench_gui_training"));
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_gui_training PRESET [EPOCHS]\n");
        return 2;
    }
    const QString preset = QString::fromLocal8Bit(argv[1]);
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 2;
    QTemporaryDir runs;
    QSettings().clear();
    QSettings().setValue(QStringLiteral("runsFolder"), runs.path());

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    window.openPreset(preset);
    window.showTab(MainWindow::Tab::Train);
    while (window.dataset()->state() == DatasetController::State::Loading)
        wait(50);

    std::vector<double> cli, gui;
    constexpr int kRounds = 3;
    for (int round = 0; round < kRounds; ++round) {
        cli.push_back(cliSamplesPerSecond(preset, epochs, runs.path()));
        gui.push_back(guiSamplesPerSecond(window, epochs));
        std::printf("round %d: cli %.0f samples/s, gui %.0f samples/s\n", round + 1, cli.back(),
                    gui.back());
        std::fflush(stdout);
    }
    const double cliMean = std::accumulate(cli.begin(), cli.end(), 0.0) / kRounds;
    const double guiMean = std::accumulate(gui.begin(), gui.end(), 0.0) / kRounds;
    std::printf("%s, %d epochs: CLI %.0f samples/s, GUI %.0f samples/s, GUI/CLI %.3f\n",
                qPrintable(preset), epochs, cliMean, guiMean, guiMean / cliMean);
    chartFrameTimes();
    return 0;
}
