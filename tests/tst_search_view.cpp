// The studio's Search view end to end: a real four-trial search run from the view fills the
// trials table and both charts; a sweep folder written by the CLI opens with the same trials
// and values as its trials.csv; brushing the chart filters the table to exactly the trials
// inside; trials go to the catalog (overlay, Evaluate) and to the Model view as a preset;
// figures export as valid files, as `atelier-cli export SWEEP_DIR` writes them. And a folder
// of 2,000 trials: opening, sorting and filtering are timed (reported, not asserted).
#include "core/run_lock.h"
#include "core/sweep_folder.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"
#include "ui/data/dataset_controller.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_catalog.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/parameter_effects_chart.h"
#include "ui/search/search_setup_panel.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_launcher.h"
#include "ui/search/sweep_monitor.h"
#include "ui/search/trials_model.h"
#include "ui/train/training_controller.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <sys/types.h>

using namespace atelier;
using namespace atelier::ui;
using namespace atelier::test;

namespace {

// The studio's objects a Search view works with.
struct Studio
{
    PresetDocument document;
    DatasetController data;
    TrainingController training;
    RunCatalog catalog{&training};
    SearchView view{&document, &data, &catalog};
};

// A column of trials.csv by name, one entry per row.
QStringList csvColumn(const TrialsTable& table, const QString& name)
{
    QStringList values;
    for (const auto& row : table.rows)
        values << row.value(name);
    return values;
}

// A process's state letter in /proc (R, S, T for stopped, ...); '?' when it is gone.
char processState(pid_t pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return '?';
    const QByteArray text = stat.readAll();
    const int afterName = text.lastIndexOf(')');
    return afterName > 0 && afterName + 2 < text.size() ? text.at(afterName + 2) : '?';
}

QList<pid_t> childrenOf(pid_t pid)
{
    QList<pid_t> children;
    QFile file(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (file.open(QIODevice::ReadOnly))
        for (const QByteArray& field : file.readAll().split(' '))
            if (field.trimmed().toInt() > 0)
                children.append(pid_t(field.trimmed().toInt()));
    return children;
}

} // namespace

class TestSearchView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("ATELIER_CLI", ATELIER_CLI_PATH);
        QVERIFY(m_dir.isValid());
    }

    void aSearchRunFromTheViewFillsTableAndCharts()
    {
        if (!hasFashionMnist())
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        Studio studio;
        SearchView& view = studio.view;
        QString error;
        QVERIFY2(SweepDraft::fromFile(writeFile(m_dir.filePath("mlp.yaml"), mlpSweep("viewgrid")),
                                      *view.draft(), &error),
                 qPrintable(error));
        m_sweep = m_dir.filePath(QStringLiteral("from-view"));
        view.setSweepFolder(m_sweep);
        view.setImageLimit(300);
        view.setJobs(2);
        QSignalSpy finished(view.launcher(), &SweepLauncher::finished);
        QVERIFY2(view.runSearch(&error), qPrintable(error));
        QVERIFY(!view.runSearch(&error)); // one search at a time
        // Trials are shown while the search runs, not only at its end.
        int updatesWhileRunning = 0;
        connect(view.monitor(), &SweepMonitor::updated, this, [&] {
            if (view.launcher()->isRunning() && view.monitor()->isOpen())
                ++updatesWhileRunning;
        });
        QVERIFY(finished.wait(240000));
        QCOMPARE(finished.first().first().toInt(), 0);
        QVERIFY(updatesWhileRunning >= 1);
        QTRY_COMPARE_WITH_TIMEOUT(view.monitor()->progress().finished, kTrials, 15000);
        QCOMPARE(view.trials()->rowCount(), kTrials);
        QCOMPARE(view.trials()->parameterCount(), 2);
        QCOMPARE(view.parallelChart()->table().finishedCount(), kTrials);
        QCOMPARE(view.shownTrials()->rowCount(), kTrials);
        QVERIFY2(view.progressLabel()->text().startsWith(QStringLiteral("4 of 4 trials done")),
                 qPrintable(view.progressLabel()->text()));
        verifyAllCompleted(m_sweep);
    }

    void aFolderWrittenByTheCliOpensWithItsTrialsCsv()
    {
        if (m_sweep.isEmpty())
            QSKIP("needs the search of the previous test");
        Studio studio;
        QString error;
        QVERIFY2(studio.view.openSweepFolder(m_sweep, &error), qPrintable(error));
        const TrialsModel* model = studio.view.trials();
        const TrialsTable csv = readTrialsCsv(m_sweep);
        QCOMPARE(model->rowCount(), int(csv.rows.size()));
        int compared = 0;
        for (int column = 0; column < model->columnCount(); ++column) {
            // A parameter's header is shortened ("layers[1].units"); its tooltip is the name.
            const QVariant full = model->headerData(column, Qt::Horizontal, Qt::ToolTipRole);
            const QString header =
                full.isValid()
                    ? full.toString()
                    : model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
            if (!csv.header.contains(header))
                continue; // "Trial", "Status", "Time" are named differently in the file
            ++compared;
            QStringList shown;
            for (int row = 0; row < model->rowCount(); ++row)
                shown << model->index(row, column).data().toString();
            QStringList expected = csvColumn(csv, header);
            if (header == QLatin1String("val_loss") || header == QLatin1String("val_accuracy"))
                for (QString& value : expected)
                    value = QString::number(value.toDouble(), 'f', 4);
            QCOMPARE(shown, expected);
        }
        QCOMPARE(compared, model->parameterCount() + 2); // and val_loss, val_accuracy
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->index(row, TrialsModel::StatusColumn).data().toString(),
                     csv.rows[row].value("status"));
    }

    void brushingTheObjectiveAxisFiltersTheTableExactly()
    {
        if (m_sweep.isEmpty())
            QSKIP("needs the search of the previous test");
        Studio studio;
        QVERIFY(studio.view.openSweepFolder(m_sweep));
        ParallelCoordinatesChart* chart = studio.view.parallelChart();
        const SearchTable& table = chart->table();
        std::vector<double> objectives;
        for (const SearchRow& row : table.rows)
            objectives.push_back(row.objective);
        std::sort(objectives.begin(), objectives.end());
        const double low = objectives[1], high = objectives.back();
        chart->setBrush(chart->objectiveAxis(), low, high);
        QList<int> expected, shown;
        for (std::size_t row = 0; row < table.rows.size(); ++row)
            if (table.rows[row].objective >= low && table.rows[row].objective <= high)
                expected << int(row);
        const auto* filter = studio.view.shownTrials();
        for (int row = 0; row < filter->rowCount(); ++row)
            shown << filter->mapToSource(filter->index(row, 0)).row();
        std::sort(shown.begin(), shown.end());
        QCOMPARE(shown, expected);
        QCOMPARE(shown.size(), 3);
        // The effects chart shows the trials kept, too.
        QCOMPARE(int(studio.view.effectsChart()->table().rows.size()), 3);
        // A brush on a parameter too: both must hold.
        chart->setBrush(0, table.rows[std::size_t(expected.front())].values[0] - 1e-9,
                        table.rows[std::size_t(expected.front())].values[0] + 1e-9);
        int both = 0;
        for (int row : expected)
            both += table.rows[std::size_t(row)].values[0] ==
                    table.rows[std::size_t(expected.front())].values[0];
        QCOMPARE(filter->rowCount(), both);
        chart->clearBrushes();
        QCOMPARE(filter->rowCount(), kTrials);
        QCOMPARE(int(studio.view.effectsChart()->table().rows.size()), kTrials);
    }

    void trialsGoToTheCatalogAndTheModelView()
    {
        if (m_sweep.isEmpty())
            QSKIP("needs the search of the previous test");
        Studio studio;
        QVERIFY(studio.view.openSweepFolder(m_sweep));
        QTableView* table = studio.view.trialsTable();
        table->selectRow(0);
        table->selectionModel()->select(table->model()->index(2, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QSignalSpy train(&studio.view, &SearchView::showTrainView);
        QVERIFY(studio.view.overlayChosenTrials());
        QCOMPARE(train.count(), 1);
        QCOMPARE(studio.catalog.selection().size(), 2);
        for (const auto& run : studio.catalog.selectedRuns()) {
            QVERIFY(run->hasResult);
            QVERIFY(run->name.startsWith(QStringLiteral("viewgrid #")));
        }
        // Once listed, a trial is not listed again.
        QVERIFY(studio.view.overlayChosenTrials());
        QCOMPARE(studio.catalog.count(), 2);

        table->clearSelection(); // none selected: the best trial
        const int best = *studio.view.monitor()->progress().bestTrial;
        QVERIFY(studio.view.showChosenTrialInEvaluate());
        QCOMPARE(QDir(studio.catalog.currentRun()->folder).absolutePath(),
                 QDir(studio.view.monitor()->trialFolder(best)).absolutePath());

        QSignalSpy preset(&studio.view, &SearchView::openPresetRequested);
        table->selectRow(1);
        const int row = static_cast<const TrialsFilter*>(table->model())
                            ->mapToSource(table->model()->index(1, 0))
                            .row();
        const QList<int> chosen = studio.view.chosenTrials();
        QCOMPARE(chosen, QList<int>{row});
        for (QPushButton* button : studio.view.findChildren<QPushButton*>())
            if (button->text() == QLatin1String("Open as Preset"))
                button->click();
        QCOMPARE(preset.count(), 1);
        QVERIFY(preset.first().first().value<Preset>() ==
                studio.view.monitor()->plan().trials[std::size_t(row)].preset);
    }

    void figuresExportAsTheCliWritesThem()
    {
        if (m_sweep.isEmpty())
            QSKIP("needs the search of the previous test");
        Studio studio;
        QVERIFY(studio.view.openSweepFolder(m_sweep));
        const QString fromView = m_dir.filePath(QStringLiteral("figures-view"));
        const QStringList written = studio.view.exportFigures(fromView, QStringLiteral("svg"));
        QStringList names;
        for (const QString& path : written) {
            QVERIFY(QFileInfo(path).size() > 0);
            names << QFileInfo(path).fileName();
            if (path.endsWith(QLatin1String(".svg")))
                QVERIFY2(QSvgRenderer(path).isValid(), qPrintable(path));
        }
        QCOMPARE(fileBytes(fromView + "/trials.csv"), fileBytes(m_sweep + "/trials.csv"));

        const QString fromCli = m_dir.filePath(QStringLiteral("figures-cli"));
        const CliResult cli = runCli({"export", m_sweep, "--out", fromCli, "--format", "png"});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QStringList cliNames;
        for (const QString& line : cli.out.split('\n', Qt::SkipEmptyParts))
            cliNames << QFileInfo(line).fileName().replace(QLatin1String(".png"),
                                                           QLatin1String(".svg"));
        QCOMPARE(cliNames, names);
        const QImage image(fromCli + "/parallel_coordinates.png");
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1600);
    }

    // Pause holds every process of the search, Stop leaves the running trial interrupted with
    // its checkpoint, and Run Search on the same folder resumes it; a folder holding another
    // search is refused before anything starts.
    void pauseStopAndRunAgainResume()
    {
        if (!hasFashionMnist())
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        Studio studio;
        SearchView& view = studio.view;
        QString error;
        QVERIFY2(SweepDraft::fromFile(writeFile(m_dir.filePath("stop.yaml"), cnnSweep("stopper")),
                                      *view.draft(), &error),
                 qPrintable(error));
        const QString out = m_dir.filePath(QStringLiteral("stopper"));
        view.setSweepFolder(out);
        view.setImageLimit(300);
        view.setJobs(1);
        QSignalSpy finished(view.launcher(), &SweepLauncher::finished);
        QVERIFY2(view.runSearch(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(inItsSecondEpoch(trialFolder(out, 0)), 120000);

        view.launcher()->pause();
        const pid_t search = pid_t(view.launcher()->processId());
        // SIGSTOP takes effect when the kernel next schedules the process: soon, not at once.
        QTRY_COMPARE_WITH_TIMEOUT(processState(search), 'T', 5000);
        QVERIFY(!childrenOf(search).isEmpty());
        for (pid_t child : childrenOf(search))
            QTRY_COMPARE_WITH_TIMEOUT(processState(child), 'T', 5000);
        view.launcher()->resume();
        QTRY_VERIFY_WITH_TIMEOUT(processState(search) != 'T', 5000);
        for (pid_t child : childrenOf(search))
            QTRY_VERIFY_WITH_TIMEOUT(processState(child) != 'T', 5000);

        view.launcher()->stop();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toInt(), 130);
        QCOMPARE(metricsStatus(trialFolder(out, 0)), QStringLiteral("interrupted"));
        QVERIFY(QFileInfo::exists(trialFolder(out, 0) + "/checkpoint.pt"));

        // Another search into the same folder: refused, the folder untouched.
        SweepDraft other;
        QVERIFY(SweepDraft::fromFile(writeFile(m_dir.filePath("other.yaml"), mlpSweep("other")),
                                     other, &error));
        const QStringList before = tree(out);
        QVERIFY2(SweepDraft::fromFile(m_dir.filePath("other.yaml"), *view.draft(), &error),
                 qPrintable(error));
        QTRY_VERIFY(view.setupPanel()->validSweep().has_value());
        QVERIFY(!view.runSearch(&error));
        QVERIFY2(error.contains(QStringLiteral("holds another search (stopper)")),
                 qPrintable(error));
        QCOMPARE(tree(out), before);

        // The same search again: the interrupted trial resumes, the rest run.
        QVERIFY(SweepDraft::fromFile(m_dir.filePath("stop.yaml"), *view.draft(), &error));
        QTRY_VERIFY(view.setupPanel()->validSweep().has_value());
        QVERIFY2(view.runSearch(&error), qPrintable(error));
        QVERIFY(finished.wait(300000));
        QCOMPARE(finished.last().first().toInt(), 0);
        verifyAllCompleted(out);
        QTRY_COMPARE_WITH_TIMEOUT(view.monitor()->progress().finished, kTrials, 15000);
    }

    // Closing the studio mid-search: the view stops the search and waits for its trials'
    // checkpoints while it is still whole.
    void closingTheViewMidSearchStopsItCleanly()
    {
        if (!hasFashionMnist())
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        const QString out = m_dir.filePath(QStringLiteral("closing"));
        {
            Studio studio;
            QString error;
            QVERIFY(
                SweepDraft::fromFile(writeFile(m_dir.filePath("closing.yaml"), cnnSweep("closing")),
                                     *studio.view.draft(), &error));
            studio.view.setSweepFolder(out);
            studio.view.setImageLimit(300);
            QVERIFY2(studio.view.runSearch(&error), qPrintable(error));
            QTRY_VERIFY_WITH_TIMEOUT(inItsSecondEpoch(trialFolder(out, 0)), 120000);
        } // destroyed here, mid-epoch
        QCOMPARE(metricsStatus(trialFolder(out, 0)), QStringLiteral("interrupted"));
        QVERIFY(!isRunFolderLocked(trialFolder(out, 0).toStdString()));
    }

    void twoThousandTrialsOpenSortAndFilterQuickly()
    {
        // A grid of 2,000 points whose trial folders hold fabricated results (metrics.json,
        // history.csv) in the format trials write: what the view must stay responsive with.
        const QString sweepFile = writeFile(
            m_dir.filePath("big.yaml"),
            "name: big\nmethod: grid\nobjective: val_accuracy\nbase:\n  name: big\n  model:\n"
            "    input: [784]\n    layers:\n      - {type: dense, units: 16, activation: relu}\n"
            "      - {type: dense, units: 10, activation: softmax}\n  training:\n"
            "    optimizer: {type: adam, learning_rate: 0.001}\n    epochs: 3\nspace:\n"
            "  model.layers[1].units: [8, 16, 24, 32, 40, 48, 56, 64, 72, 80]\n"
            "  training.batch_size: [16, 32, 48, 64, 80, 96, 112, 128, 144, 160]\n"
            "  training.optimizer.learning_rate: [0.0001, 0.0003, 0.001, 0.003, 0.01]\n"
            "  model.layers[1].activation: [relu, tanh, sigmoid, elu]\n");
        const SweepSpec spec = loadSweep(sweepFile.toStdString());
        const QString folderPath = m_dir.filePath(QStringLiteral("big"));
        std::string note;
        const SweepFolder folder =
            prepareSweepFolder(folderPath.toStdString(), spec, SweepSettings{}, note);
        const SweepPlan plan = planSweep(spec);
        QCOMPARE(plan.trials.size(), std::size_t(2000));
        for (const TrialConfig& trial : plan.trials) {
            if (trial.index % 10 == 9)
                continue; // pending: no folder yet
            const QString trialPath =
                QString::fromStdString(trialFolderPath(folder.directory, trial.index));
            QDir().mkpath(trialPath);
            const double accuracy =
                0.5 + 0.4 * std::sin(trial.index * 0.37) * std::sin(trial.index * 0.37);
            writeFile(trialPath + "/metrics.json",
                      QStringLiteral(
                          "{\"status\": \"completed\", \"epochs_run\": 3, \"best_epoch\": 3, "
                          "\"stopped_early\": false, \"test_loss\": %1, \"test_accuracy\": %2, "
                          "\"dev_loss\": %1, \"dev_accuracy\": %2, \"train_seconds\": 3.0, "
                          "\"samples_per_second\": 1000, \"device\": \"cpu\", "
                          "\"parameters\": 12730, \"seed\": 42, \"batch_size\": 32, "
                          "\"train_count\": 1000, \"test_count\": 10000, "
                          "\"pixel_scale\": 0.00392156862745098, \"pixel_shift\": 0}\n")
                          .arg(1 - accuracy)
                          .arg(accuracy)
                          .toUtf8());
            writeFile(trialPath + "/history.csv",
                      "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n"
                      "1,1,0.5,1,0.5,0.001,1\n2,1,0.5,1,0.5,0.001,1\n3,1,0.5,1,0.5,0.001,1\n");
        }
        // Where opening spends its time: core's parts, then the view as a whole.
        QElapsedTimer clock;
        clock.start();
        const SweepFolder opened = openSweepFolder(folderPath.toStdString());
        const qint64 folderMs = clock.restart();
        const SweepPlan replanned = planSweep(opened.spec);
        const qint64 planMs = clock.restart();
        const std::vector<TrialRecord> records = readTrials(opened, replanned);
        const qint64 readMs = clock.restart();
        qInfo("core: open folder %lld ms, plan %lld ms, read 2,000 trials %lld ms", folderMs,
              planMs, readMs);
        Studio studio;
        studio.view.resize(1600, 1000);
        studio.view.show();
        // Opened as the Open button does, on a worker thread: the GUI thread is busy only
        // while it takes the result (drawing the charts, filling the table).
        QSignalSpy openedSpy(studio.view.monitor(), &SweepMonitor::opened);
        clock.restart();
        studio.view.monitor()->openInBackground(folderPath);
        const qint64 requestMs = clock.restart();
        QElapsedTimer wall;
        wall.start();
        qint64 longestBlockMs = 0;
        while (openedSpy.isEmpty()) {
            if (wall.elapsed() > 60000)
                QFAIL("the sweep folder was not read within a minute");
            clock.restart();
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            longestBlockMs = std::max(longestBlockMs, clock.elapsed());
            QTest::qSleep(1);
        }
        QCoreApplication::processEvents();
        const qint64 openMs = wall.elapsed();
        QVERIFY2(openedSpy.first().first().toBool(),
                 qPrintable(openedSpy.first().at(1).toString()));
        clock.restart();
        QCOMPARE(studio.view.monitor()->progress().finished, 1800);
        studio.view.trialsTable()->sortByColumn(studio.view.trials()->valAccuracyColumn(),
                                                Qt::DescendingOrder);
        QCoreApplication::processEvents();
        const qint64 sortMs = clock.restart();
        // Best first; the 200 pending trials last whichever way it sorts.
        const QAbstractItemModel* shown = studio.view.trialsTable()->model();
        const int accuracy = studio.view.trials()->valAccuracyColumn();
        auto cell = [&](int row) { return shown->index(row, accuracy).data().toString(); };
        double best = 0;
        for (const SearchRow& row : studio.view.monitor()->table().rows)
            best = std::isnan(row.objective) ? best : std::max(best, row.objective);
        QCOMPARE(cell(0), QString::number(best, 'f', 4));
        QVERIFY(cell(1799) != QString() && cell(1800) == QString() && cell(1999) == QString());
        studio.view.trialsTable()->sortByColumn(accuracy, Qt::AscendingOrder);
        QVERIFY(cell(0) != QString() && cell(1800) == QString());
        clock.restart();
        ParallelCoordinatesChart* chart = studio.view.parallelChart();
        chart->setBrush(chart->objectiveAxis(), 0.8, 0.9);
        chart->repaint();
        QCoreApplication::processEvents();
        const qint64 filterMs = clock.restart();
        QVERIFY(studio.view.shownTrials()->rowCount() > 0);
        QVERIFY(studio.view.shownTrials()->rowCount() < 2000);
        studio.view.monitor()->refresh(); // every trial finished: nothing to re-read
        const qint64 refreshMs = clock.restart();
        qInfo("2,000 trials: open %lld ms in all (request %lld ms, GUI thread busy at most "
              "%lld ms at a time), sort %lld ms, filter %lld ms, refresh %lld ms",
              openMs, requestMs, longestBlockMs, sortMs, filterMs, refreshMs);
    }

private:
    QTemporaryDir m_dir;
    QString m_sweep; // the folder the first test's search wrote
};

QTEST_MAIN(TestSearchView)
#include "tst_search_view.moc"
