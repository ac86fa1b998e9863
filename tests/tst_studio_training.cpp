// Training in the studio, end to end on the real dataset: the Train view's live run (signals,
// chart points, run list, the dev confusion matrix forming), stop, pause and resume from the
// buttons, closing the window mid-run, run overlays, the confusion heatmap against core, a
// click on a cell listing its images, and figure export (PNG, SVG, PDF, CSV, atelier-cli).
#include "core/run_folder.h"
#include "core/training_session.h"
#include "support/cli_runner.h"
#include "support/training_fixture.h"
#include "ui/charts/curve_chart.h"
#include "ui/data/dataset_controller.h"
#include "ui/data/image_grid_widget.h"
#include "ui/evaluate/confusion_matrix_widget.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/export/run_figures.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_catalog.h"
#include "ui/runs/run_list_model.h"
#include "ui/studio/main_window.h"
#include "ui/train/train_view.h"
#include "ui/train/training_controller.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>
#include <csignal>

using namespace atelier;
using namespace atelier::ui;

namespace {

const QString kPresets = QStringLiteral(ATELIER_PRESETS_DIR);

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// All the text of an SVG file, checking on the way that it is well-formed XML.
QString svgText(const QString& path, QString* error)
{
    QXmlStreamReader xml(readAll(path));
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters())
            text += xml.text().toString() + QLatin1Char('\n');
    }
    if (xml.hasError())
        *error = xml.errorString();
    return text;
}

} // namespace

class TestStudioTraining : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> makeWindow(const QString& preset, int epochs, int limit)
    {
        auto window = std::make_unique<MainWindow>();
        window->resize(1600, 1000);
        window->show();
        window->openPreset(kPresets + QLatin1Char('/') + preset);
        TrainConfig config = window->document()->trainConfig();
        config.epochs = epochs;
        window->document()->setTrainConfig(config, 0);
        window->trainView()->setImageLimit(limit);
        window->showTab(MainWindow::Tab::Train);
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(window->dataset()->state() == DatasetController::State::Ready,
                                     60000);
        }();
        return window;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_data = test::sharedRealDataset();
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AtelierTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_training"));
        QSettings().clear();
        QSettings().setValue(QStringLiteral("runsFolder"), m_dir.filePath(QStringLiteral("runs")));

        // One saved run for the evaluation and export checks.
        Preset preset = test::shippedPreset(QStringLiteral("mlp_small"));
        preset.training.epochs = 2;
        SessionOptions options;
        options.outDirectory = m_dir.filePath(QStringLiteral("saved")).toStdString();
        options.limit = 2000;
        TrainingSession session(preset, *m_data, options);
        session.run();
        m_saved = RunData::fromRecord(loadRun(session.folder()));
    }

    void liveRunFillsChartsRunListAndEvaluateView()
    {
        auto window = makeWindow(QStringLiteral("mlp_small.yaml"), 3, 2000);
        TrainView* view = window->trainView();
        const int runsBefore = view->runs()->rowCount();
        QSignalSpy epochs(window->training(), &TrainingController::epochFinished);
        QSignalSpy finished(window->training(), &TrainingController::finished);
        QVERIFY(view->startTraining());
        QCOMPARE(view->runs()->rowCount(), runsBefore + 1);
        QVERIFY(!view->startButton()->isEnabled());
        QVERIFY(view->stopButton()->isEnabled());

        // The dev confusion matrix appears after the first epoch, while training goes on (the
        // Evaluate view catches up when it is shown).
        QVERIFY(epochs.wait(60000));
        window->showTab(MainWindow::Tab::Evaluate);
        QCoreApplication::processEvents();
        QVERIFY(finished.isEmpty()); // two more epochs and the test set are still to come
        QVERIFY2(window->evaluateView()->headline().contains(QStringLiteral("dev set")),
                 qPrintable(window->evaluateView()->headline()));
        QVERIFY(window->evaluateView()->matrix()->hasMatrix());
        QVERIFY(finished.wait(120000));
        QCOMPARE(epochs.count(), 3);
        view->refreshCharts();

        const auto run = view->runs()->run(runsBefore);
        QCOMPARE(run->status, QStringLiteral("completed"));
        QCOMPARE(run->history.size(), std::size_t(3));
        QCOMPARE(view->lossChart()->drawnPointCount(QStringLiteral("loss")), 3);
        QCOMPARE(view->lossChart()->drawnPointCount(QStringLiteral("val_loss")), 3);
        QCOMPARE(view->accuracyChart()->drawnPointCount(QStringLiteral("val_accuracy")), 3);
        // Every batch kept; 3 × 57 batches of 32 from 1,800 training images draw unreduced.
        QCOMPARE(run->batchLosses.size(), std::size_t(3 * run->batchesPerEpoch));
        QCOMPARE(view->batchChart()->drawnPointCount(QStringLiteral("batch loss")),
                 int(run->batchLosses.size()));
        QVERIFY(view->lossChart()->legendNames().contains(
            QStringLiteral("best epoch (%1)").arg(run->bestEpoch())));
        QVERIFY(view->startButton()->isEnabled());

        // The run list row and the Evaluate view show the finished run.
        const QModelIndex status = view->runs()->index(runsBefore, RunListModel::StatusColumn);
        QCOMPARE(status.data().toString(), QStringLiteral("completed"));
        QCOMPARE(
            view->runs()->index(runsBefore, RunListModel::TestAccuracyColumn).data().toString(),
            QString::number(run->testAccuracy, 'f', 4));
        QVERIFY2(window->evaluateView()->headline().contains(QStringLiteral("test accuracy")),
                 qPrintable(window->evaluateView()->headline()));
        const RunRecord record = loadRun(run->folder.toStdString());
        QCOMPARE(record.metrics.status, std::string("completed"));
    }

    void stopPauseAndResumeFromTheButtons()
    {
        auto window = makeWindow(QStringLiteral("mlp_small.yaml"), 50, 0);
        TrainView* view = window->trainView();
        QSignalSpy batches(window->training(), &TrainingController::batchProgress);
        QSignalSpy finished(window->training(), &TrainingController::finished);
        QVERIFY(view->startTraining());
        QVERIFY(batches.wait(60000));
        QTest::mouseClick(view->pauseButton(), Qt::LeftButton);
        QVERIFY(window->training()->isPaused());
        QCOMPARE(view->pauseButton()->text(), QStringLiteral("Resume"));
        const auto run = view->runs()->run(view->runs()->rowCount() - 1);
        QCOMPARE(run->status, QStringLiteral("paused"));
        QTest::mouseClick(view->pauseButton(), Qt::LeftButton);
        QVERIFY(!window->training()->isPaused());
        QVERIFY(batches.wait(60000));
        QTest::mouseClick(view->stopButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(run->status, QStringLiteral("interrupted"));
        QCOMPARE(loadRun(run->folder.toStdString()).metrics.status, std::string("interrupted"));
    }

    // A run killed after its first epoch (a checkpoint, no results) and a damaged folder are
    // listed as such; Resume Run continues the first with live charts to a complete run.
    void stoppedRunsAreListedAndResumeWithLiveCharts()
    {
        const QString out = m_dir.filePath(QStringLiteral("resumable"));
        Preset preset = test::shippedPreset(QStringLiteral("mlp_small"));
        preset.training.epochs = 3;
        preset.data.devFraction = 0.05;
        SessionOptions options;
        options.outDirectory = out.toStdString();
        options.limit = 2000;
        QString folder;
        {
            TrainingSession session(preset, *m_data, options);
            TrainingCallbacks stopAfterOne;
            stopAfterOne.onEpoch = [](const EpochReport& report) {
                return report.record.epoch < 1;
            };
            session.run(stopAfterOne);
            folder = QString::fromStdString(session.folder());
        }
        QVERIFY(QFile::remove(folder + QStringLiteral("/metrics.json"))); // as after kill -9
        const QString damaged = out + QStringLiteral("/damaged-run");
        QVERIFY(QDir().mkpath(damaged));
        QVERIFY(QFile::copy(folder + QStringLiteral("/preset.yaml"),
                            damaged + QStringLiteral("/preset.yaml")));
        QFile metrics(damaged + QStringLiteral("/metrics.json"));
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        metrics.write("{\"status\": ");
        metrics.close();

        auto window = makeWindow(QStringLiteral("mlp_small.yaml"), 3, 2000);
        TrainView* view = window->trainView();
        view->setRunsDirectory(out);
        int row = -1, damagedRow = -1;
        for (int r = 0; r < view->runs()->rowCount(); ++r) {
            if (view->runs()->run(r)->folder == folder)
                row = r;
            if (view->runs()->run(r)->folder == damaged)
                damagedRow = r;
        }
        QVERIFY(row >= 0 && damagedRow >= 0);
        const QModelIndex status = view->runs()->index(row, RunListModel::StatusColumn);
        QCOMPARE(status.data().toString(), QStringLiteral("incomplete (1 of 3 epochs)"));
        QVERIFY2(status.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Resume")),
                 qPrintable(status.data(Qt::ToolTipRole).toString()));
        const QModelIndex damagedStatus =
            view->runs()->index(damagedRow, RunListModel::StatusColumn);
        QCOMPARE(damagedStatus.data().toString(), QStringLiteral("damaged"));
        QVERIFY2(
            damagedStatus.data(Qt::ToolTipRole).toString().contains(QStringLiteral("metrics.json")),
            qPrintable(damagedStatus.data(Qt::ToolTipRole).toString()));

        view->selectRuns({damagedRow});
        QVERIFY(!view->resumeRunButton()->isEnabled());
        view->selectRuns({row});
        QVERIFY(view->resumeRunButton()->isEnabled());
        const auto run = view->runs()->run(row);
        QCOMPARE(int(run->history.size()), 1);
        QSignalSpy epochs(window->training(), &TrainingController::epochFinished);
        QSignalSpy finished(window->training(), &TrainingController::finished);
        QTest::mouseClick(view->resumeRunButton(), Qt::LeftButton);
        QVERIFY(finished.wait(120000));
        QCOMPARE(epochs.count(), 2); // epochs 2 and 3 only
        QCOMPARE(run->status, QStringLiteral("completed"));
        QCOMPARE(int(run->history.size()), 3);
        // Every batch once, in order: nothing of the stopped epoch drawn twice.
        QVERIFY(run->batchesPerEpoch > 0);
        QCOMPARE(int(run->batchLosses.size()), 3 * run->batchesPerEpoch);
        for (std::size_t i = 0; i < run->batchLosses.size(); ++i) {
            QCOMPARE(run->batchLosses[i].epoch, int(i) / run->batchesPerEpoch + 1);
            QCOMPARE(run->batchLosses[i].batch, int(i) % run->batchesPerEpoch + 1);
        }
        view->refreshCharts();
        const RunRecord record = loadRun(folder.toStdString());
        QCOMPARE(record.metrics.status, std::string("completed"));
        QCOMPARE(int(record.history.size()), 3);
        QCOMPARE(record.history.front().loss, run->history.front().loss);
        QVERIFY(!view->resumeRunButton()->isEnabled());
    }

    // What SIGTERM/SIGHUP/SIGINT make the studio do: no question asked, the run folder
    // written as interrupted, unsaved preset edits kept in a recovery file.
    void shutDownWithoutAskingKeepsTheRunAndThePreset()
    {
        auto window = makeWindow(QStringLiteral("mlp_small.yaml"), 50, 0);
        QVERIFY(window->document()->isModified()); // makeWindow changed the epochs
        QSignalSpy started(window->training(), &TrainingController::started);
        QSignalSpy batches(window->training(), &TrainingController::batchProgress);
        QVERIFY(window->trainView()->startTraining());
        QVERIFY(batches.wait(60000));
        const QString folder = started.first().first().value<RunStarted>().folder;
        const QString recovery = window->shutDownWithoutAsking();
        QTRY_VERIFY(!window->training()->isRunning()); // the worker's queued "finished"
        QCOMPARE(loadRun(folder.toStdString()).metrics.status, std::string("interrupted"));
        QVERIFY2(QFileInfo::exists(recovery), qPrintable(recovery));
        QCOMPARE(loadPreset(recovery.toStdString()).training.epochs, 50);
        window->document()->undoStack()->setClean();
    }

    void theStudioEndsCleanlyOnSigterm()
    {
        QTemporaryDir home;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           home.filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        QProcess studio;
        studio.setProcessEnvironment(environment);
        studio.start(QStringLiteral(ATELIER_STUDIO_PATH), {});
        QVERIFY(studio.waitForStarted());
        QTest::qWait(3000); // past QApplication's construction, where the handler is installed
        ::kill(pid_t(studio.processId()), SIGTERM);
        QVERIFY(studio.waitForFinished(60000));
        QCOMPARE(studio.exitStatus(), QProcess::NormalExit);
        QCOMPARE(studio.exitCode(), 130);
        QVERIFY(studio.readAllStandardError().contains("stopping"));
    }

    void closingTheWindowWhileTrainingKeepsTheRun()
    {
        QString folder;
        {
            auto window = makeWindow(QStringLiteral("mlp_small.yaml"), 50, 0);
            QSignalSpy started(window->training(), &TrainingController::started);
            QSignalSpy batches(window->training(), &TrainingController::batchProgress);
            QVERIFY(window->trainView()->startTraining());
            QVERIFY(batches.wait(60000));
            folder = started.first().first().value<RunStarted>().folder;
            window->document()->undoStack()->setClean();
        } // destroyed mid-epoch
        QCOMPARE(loadRun(folder.toStdString()).metrics.status, std::string("interrupted"));
    }

    void runsOverlayOnOneChart()
    {
        auto window = makeWindow(QStringLiteral("mlp_small.yaml"), 1, 2000);
        TrainView* view = window->trainView();
        window->runs()->add(std::make_shared<RunData>(m_saved));
        RunData other = m_saved;
        other.name = QStringLiteral("other");
        window->runs()->add(std::make_shared<RunData>(other));
        const int rows = view->runs()->rowCount();
        view->selectRuns({rows - 2, rows - 1});
        view->refreshCharts();
        QTest::qWait(50); // the legend lays its markers out from the event loop
        const QStringList legend = view->lossChart()->legendNames();
        QVERIFY2(
            legend.contains(QStringLiteral("mlp_small loss")) &&
                legend.contains(QStringLiteral("other val_loss")),
            qPrintable(
                legend.join(", ") +
                QStringLiteral(" | selected %1 of %2").arg(view->selectedRuns().size()).arg(rows)));
        QCOMPARE(view->lossChart()->drawnPointCount(QStringLiteral("other loss")), 2);
        QVERIFY(!legend.join(' ').contains(QStringLiteral("best epoch"))); // markers: one run only
        window->document()->undoStack()->setClean();
    }

    void confusionWidgetMatchesCore()
    {
        ConfusionMatrixWidget widget;
        widget.resize(720, 640);
        const ConfusionMatrix& matrix = m_saved.test.confusion;
        widget.setMatrix(matrix, QStringLiteral("test"));
        for (int t = 0; t < kNumClasses; ++t) {
            std::int64_t total = 0;
            for (std::int64_t count : matrix[std::size_t(t)])
                total += count;
            for (int p = 0; p < kNumClasses; ++p) {
                const std::int64_t count = matrix[std::size_t(t)][std::size_t(p)];
                QCOMPARE(widget.cellText(t, p), QString::number(count));
                QCOMPARE(widget.rowShare(t, p), double(count) / double(total));
            }
        }
        widget.setRowNormalized(true);
        const double share = widget.rowShare(6, 0);
        QCOMPARE(widget.cellText(6, 0), QStringLiteral("%1%").arg(share * 100, 0, 'f', 1));
        QSignalSpy clicked(&widget, &ConfusionMatrixWidget::cellClicked);
        QTest::mouseClick(&widget, Qt::LeftButton, {}, widget.cellRect(6, 0).center().toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 6);
        QCOMPARE(clicked.first().at(1).toInt(), 0);
    }

    void clickingACellListsItsImages()
    {
        DatasetController data;
        data.load(QString::fromStdString(resolveDataDirectory({})));
        QTRY_VERIFY_WITH_TIMEOUT(data.state() == DatasetController::State::Ready, 60000);
        EvaluateView view(&data);
        view.resize(1400, 900);
        view.show();
        view.setRun(std::make_shared<RunData>(m_saved));
        // The most confused pair comes first and leads to its cell.
        int bestT = 0, bestP = 1;
        const ConfusionMatrix& matrix = m_saved.test.confusion;
        for (int t = 0; t < kNumClasses; ++t)
            for (int p = 0; p < kNumClasses; ++p)
                if (t != p && matrix[std::size_t(t)][std::size_t(p)] >
                                  matrix[std::size_t(bestT)][std::size_t(bestP)])
                    bestT = t, bestP = p;
        QVERIFY(view.confusedPairs()->count() > 0);
        QVERIFY(view.confusedPairs()->item(0)->text().contains(
            QString::number(matrix[std::size_t(bestT)][std::size_t(bestP)])));

        QTest::mouseClick(view.matrix(), Qt::LeftButton, {},
                          view.matrix()->cellRect(bestT, bestP).center().toPoint());
        std::vector<Misclassification> expected;
        for (const Misclassification& e : m_saved.test.misclassified)
            if (e.trueLabel == bestT && e.predicted == bestP)
                expected.push_back(e);
        std::stable_sort(expected.begin(), expected.end(),
                         [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
        const auto& shown = view.errorGrid()->entries();
        QCOMPARE(shown.size(), std::min<std::size_t>(expected.size(), 36)); // a 12 × 3 grid
        QCOMPARE(std::int64_t(expected.size()), matrix[std::size_t(bestT)][std::size_t(bestP)]);
        for (std::size_t i = 0; i < shown.size(); ++i) {
            QCOMPARE(shown[i].index, expected[i].index);
            QCOMPARE(int(data.dataset()->test.labels[std::size_t(shown[i].index)]), bestT);
        }
    }

    void exportWritesValidFiles_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("png") << QStringLiteral("png");
        QTest::newRow("svg") << QStringLiteral("svg");
        QTest::newRow("pdf") << QStringLiteral("pdf");
    }
    void exportWritesValidFiles()
    {
        QFETCH(QString, format);
        const QString out = m_dir.filePath(QStringLiteral("figures-") + format);
        FigureOptions options;
        options.format = *figureFormatFromName(format);
        options.size = QSize(900, 600);
        const QStringList written = exportRunFigures(m_saved, m_data, out, options);
        for (const QString name :
             {"loss", "accuracy", "batch_loss", "confusion", "confusion_percent", "model",
              "misclassified", "class_distribution"})
            QVERIFY2(written.contains(out + QLatin1Char('/') + name + QLatin1Char('.') + format),
                     qPrintable(name));
        const QString loss = out + QStringLiteral("/loss.") + format;
        if (format == QStringLiteral("png")) {
            const QImage image(loss);
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), QSize(900, 600));
            QVERIFY(!QImage(out + QStringLiteral("/confusion.png")).isNull());
        } else if (format == QStringLiteral("svg")) {
            QString error;
            const QString text = svgText(loss, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            for (const char* expected : {"Loss", "Epoch", "Cross-entropy loss", "val_loss"})
                QVERIFY2(text.contains(QLatin1String(expected)), expected);
            const QString matrix = svgText(out + QStringLiteral("/confusion.svg"), &error);
            QVERIFY(matrix.contains(QStringLiteral("Predicted class")));
            QVERIFY(matrix.contains(QStringLiteral("Ankle boot")));
        } else {
            QVERIFY(readAll(loss).startsWith("%PDF"));
        }
        // The data behind the loss chart: a header, then loss and val_loss for each epoch.
        const QStringList csv = QString::fromUtf8(readAll(out + QStringLiteral("/loss.csv")))
                                    .split('\n', Qt::SkipEmptyParts);
        QCOMPARE(csv.size(), 1 + 2 * 2);
        QVERIFY(csv.contains(
            QStringLiteral("val_loss,2,%1").arg(m_saved.history[1].valLoss, 0, 'g', 9)));
    }

    void cliExportWritesTheFiguresOfASavedRun()
    {
        const QString out = m_dir.filePath(QStringLiteral("cli-figures"));
        const test::CliResult result =
            test::runCli({QStringLiteral("export"), m_saved.folder, QStringLiteral("--format"),
                          QStringLiteral("pdf"), QStringLiteral("--out"), out});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(out + QStringLiteral("/confusion.pdf")));
        QVERIFY(readAll(out + QStringLiteral("/accuracy.pdf")).startsWith("%PDF"));
        QVERIFY(QFile::exists(out + QStringLiteral("/accuracy.csv")));

        const test::CliResult missing =
            test::runCli({QStringLiteral("export"), m_dir.filePath(QStringLiteral("nope"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("nope")), qPrintable(missing.err));
        const test::CliResult badFormat =
            test::runCli({QStringLiteral("export"), m_saved.folder, QStringLiteral("--format"),
                          QStringLiteral("gif")});
        QCOMPARE(badFormat.exitCode, 2);
    }

    // QApplication takes the environment's locale; with a decimal comma, strtod read "0.5"
    // in a run's preset.yaml as 0 and export refused the run. A German locale is built into
    // a temporary folder (localedef, package locales) so that the check runs anywhere.
    void exportWorksUnderADecimalCommaLocale()
    {
        const QString locales = m_dir.filePath(QStringLiteral("locales"));
        QDir().mkpath(locales);
        QProcess localedef;
        localedef.start(QStringLiteral("localedef"),
                        {QStringLiteral("-i"), QStringLiteral("de_DE"), QStringLiteral("-f"),
                         QStringLiteral("UTF-8"), locales + QStringLiteral("/de_DE.UTF-8")});
        if (!localedef.waitForFinished(60000) || localedef.exitCode() != 0)
            QSKIP("localedef cannot build de_DE.UTF-8 here (package locales missing)");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("LOCPATH"), locales);
        environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("de_DE.UTF-8"));
        const QString out = m_dir.filePath(QStringLiteral("comma-figures"));
        const test::CliResult result = test::runCli(
            {QStringLiteral("export"), m_saved.folder, QStringLiteral("--out"), out}, environment);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(QFile::exists(out + QStringLiteral("/loss.png")));
    }

private:
    std::shared_ptr<const FashionMnist> m_data;
    QTemporaryDir m_dir;
    RunData m_saved;
};

QTEST_MAIN(TestStudioTraining)
#include "tst_studio_training.moc"
