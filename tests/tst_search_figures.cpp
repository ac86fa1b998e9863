// The Search view's figures: the table they draw from follows the sweep and its trial records
// (columns, statuses, objectives); brushing the parallel coordinates keeps exactly the trials
// inside every brush, by API and by mouse; the parameter panels' means and correlations are
// the sweep report's; both figures export to PNG, SVG and PDF. Prints the time to draw and to
// re-filter 2,000 trials (never asserted). With ATELIER_SEARCH_FIGURES_DIR set, also writes
// both figures for 60 trials there, light and dark, to look at.
#include "core/sweep_report.h"
#include "search_figures_fixture.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/parameter_effects_chart.h"
#include "ui/studio/theme.h"

#include <QElapsedTimer>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using namespace atelier::test;
using namespace atelier::ui;

class TestSearchFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tableFollowsTheSweep_data()
    {
        QTest::addColumn<QString>("objective");
        QTest::newRow("val_accuracy") << "val_accuracy";
        QTest::newRow("val_loss") << "val_loss";
    }

    void tableFollowsTheSweep()
    {
        QFETCH(QString, objective);
        const Search s = makeSearch(60, qPrintable(objective));
        const SearchTable& table = s.table;
        QCOMPARE(table.objectiveName, objective);
        QCOMPARE(table.higherIsBetter, objective == "val_accuracy");
        QCOMPARE(int(table.columns.size()), 5);
        const QStringList names{"optimizer", "training.optimizer.learning_rate",
                                "model.layers[1].units", "dropout", "training.batch_size"};
        const bool numeric[] = {false, true, true, true, true};
        const bool log[] = {false, true, false, false, true};
        for (int c = 0; c < 5; ++c) {
            QCOMPARE(table.columns[std::size_t(c)].name, names[c]);
            QCOMPARE(table.columns[std::size_t(c)].numeric, numeric[c]);
            QCOMPARE(table.columns[std::size_t(c)].logScale, log[c]);
        }
        QCOMPARE(table.columns[Optimizer].categories, QStringList({"sgd", "adam"}));
        QCOMPARE(table.columns[Dropout].levels, std::vector<double>({0.0, 0.2, 0.4}));
        QVERIFY(table.columns[LearningRate].isRange());
        QCOMPARE(table.columns[LearningRate].low, 0.0001);
        QCOMPARE(table.columns[LearningRate].high, 0.1);
        QCOMPARE(table.rows.size(), s.plan.trials.size());
        int finished = 0;
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const SearchRow& row = table.rows[r];
            const TrialConfig& trial = s.plan.trials[r];
            const TrialRecord& record = s.records[r];
            QCOMPARE(row.index, trial.index);
            QCOMPARE(row.status, QString::fromStdString(trialStatusName(record.status)));
            QCOMPARE(row.values[Optimizer], trial.labels[Optimizer] == "sgd" ? 0.0 : 1.0);
            for (const int c : {LearningRate, Units, Dropout, BatchSize})
                QCOMPARE(row.values[std::size_t(c)], *trial.numbers[std::size_t(c)]);
            QCOMPARE(row.finished(), record.status == TrialStatus::Completed);
            if (row.finished()) {
                ++finished;
                QCOMPARE(row.objective, objective == "val_accuracy" ? record.metrics.devAccuracy
                                                                    : record.metrics.devLoss);
            }
        }
        QCOMPARE(table.finishedCount(), finished);
        QVERIFY2(finished > 30 && finished < 60, "the fixture has finished and unfinished rows");
    }

    void brushesFilterRows()
    {
        const Search s = makeSearch(60);
        const SearchTable& table = s.table;
        ParallelCoordinatesChart chart;
        chart.setTable(table);
        QSignalSpy changed(&chart, &ParallelCoordinatesChart::filterChanged);
        QCOMPARE(chart.axisCount(), 6);
        QCOMPARE(chart.passingRows(), allRows(table));

        chart.setBrush(LearningRate, 0.01, 0.0005); // ends in either order
        const std::vector<int> byRate =
            rowsInside(table, LearningRate, 0.0005, 0.01, allRows(table));
        QVERIFY(!byRate.empty() && byRate.size() < table.rows.size());
        QCOMPARE(chart.passingRows(), byRate);
        for (std::size_t r = 0; r < table.rows.size(); ++r)
            QCOMPARE(chart.rowPasses(int(r)),
                     std::find(byRate.begin(), byRate.end(), int(r)) != byRate.end());

        // A second brush, on the objective: both must hold, and unfinished rows fail it.
        const auto range = *table.objectiveRange();
        const double middle = (range.first + range.second) / 2;
        chart.setBrush(chart.objectiveAxis(), middle, range.second);
        const std::vector<int> both =
            rowsInside(table, chart.objectiveAxis(), middle, range.second, byRate);
        QVERIFY(both.size() < byRate.size());
        QCOMPARE(chart.passingRows(), both);
        for (const int r : both)
            QVERIFY(table.rows[std::size_t(r)].finished());

        // A categorical axis brushes by category index.
        chart.clearBrush(LearningRate);
        chart.setBrush(Optimizer, 0.5, 1.5);
        const std::vector<int> adamAndGood = rowsInside(
            table, Optimizer, 1, 1,
            rowsInside(table, chart.objectiveAxis(), middle, range.second, allRows(table)));
        QCOMPARE(chart.passingRows(), adamAndGood);

        chart.clearBrushes();
        QCOMPARE(chart.passingRows(), allRows(table));
        QCOMPARE(changed.count(), 5);
        QVERIFY(chart.toCsv().endsWith(",1\n"));
        QCOMPARE(chart.toCsv().count('\n'), int(table.rows.size()) + 1);
    }

    void mouseBrushesAndClickClears()
    {
        const Search s = makeSearch(60);
        ParallelCoordinatesChart chart;
        chart.resize(900, 500);
        chart.setTable(s.table);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const QPoint from = chart.axisPosition(Units, 20).toPoint();
        const QPoint to = chart.axisPosition(Units, 34).toPoint();
        QCOMPARE(from.x(), to.x());
        QVERIFY(to.y() < from.y()); // larger values higher up
        QTest::mousePress(&chart, Qt::LeftButton, {}, from);
        QTest::mouseMove(&chart, QPoint(from.x(), (from.y() + to.y()) / 2));
        QTest::mouseMove(&chart, to);
        QTest::mouseRelease(&chart, Qt::LeftButton, {}, to);
        const auto brush = chart.brush(Units);
        QVERIFY(brush);
        QVERIFY2(std::abs(brush->first - 20) < 0.5 && std::abs(brush->second - 34) < 0.5,
                 qPrintable(QStringLiteral("%1..%2").arg(brush->first).arg(brush->second)));
        QCOMPARE(chart.passingRows(),
                 rowsInside(s.table, Units, brush->first, brush->second, allRows(s.table)));
        QTest::mouseClick(&chart, Qt::LeftButton, {}, chart.axisPosition(Units, 30).toPoint());
        QVERIFY(!chart.brush(Units));
        QCOMPARE(chart.passingRows(), allRows(s.table));
    }

    void effectsAreTheReportsMeans()
    {
        const Search s = makeSearch(60);
        ParameterEffectsChart chart;
        chart.setTable(s.table);
        const std::vector<ParameterEffect> report = parameterEffects(s.spec, s.plan, s.records);
        QCOMPARE(chart.summaries().size(), report.size());
        for (std::size_t p = 0; p < report.size(); ++p) {
            const ParameterSummary& summary = chart.summaries()[p];
            const SearchColumn& column = s.table.columns[p];
            QCOMPARE(summary.groups.size(), report[p].values.size());
            for (std::size_t g = 0; g < summary.groups.size(); ++g) {
                const EffectGroup& group = summary.groups[g];
                QCOMPARE(group.trials, report[p].values[g].trials);
                QVERIFY(group.trials > 1);
                QVERIFY(std::abs(group.mean - report[p].values[g].mean) < 1e-12);
                QVERIFY(std::abs(group.stddev - report[p].values[g].stddev) < 1e-12);
                // And directly from the table: the finished rows with this value.
                double sum = 0;
                int count = 0;
                for (const SearchRow& row : s.table.rows)
                    if (row.finished() && row.values[p] == group.x) {
                        sum += row.objective;
                        ++count;
                    }
                QCOMPARE(count, group.trials);
                QVERIFY(std::abs(sum / count - group.mean) < 1e-12);
            }
            QCOMPARE(summary.spearman.has_value(), column.numeric);
            QCOMPARE(summary.spearman.has_value(), report[p].spearman.has_value());
            if (summary.spearman)
                QVERIFY(std::abs(*summary.spearman - *report[p].spearman) < 1e-12);
        }
        // The fixture's accuracy grows with the units: a strong positive correlation.
        QVERIFY(*chart.summaries()[Units].spearman > 0.3);
        QCOMPARE(chart.toCsv().count('\n'), 1 + 2 + 1 + 1 + 3 + 3);
        QCOMPARE(ParameterEffectsChart::gridShape(5, QSizeF(1500, 800)), QSize(3, 2));
        QCOMPARE(ParameterEffectsChart::gridShape(5, QSizeF(400, 1200)), QSize(1, 5));
    }

    // Timings only (printed, never asserted): 2,000 trials on 8 axes (two columns repeated).
    void drawsThousandsOfTrials()
    {
        QElapsedTimer timer;
        timer.start();
        Search s = makeSearch(2000);
        qInfo("plan and table of 2,000 trials: %lld ms", timer.restart());
        for (const int c : {Units, LearningRate}) {
            s.table.columns.push_back(s.table.columns[std::size_t(c)]);
            s.table.columns.back().name += " (again)";
            for (SearchRow& row : s.table.rows)
                row.values.push_back(row.values[std::size_t(c)]);
        }
        for (const QSize size : {QSize(1400, 800), QSize(1000, 500)}) {
            ParallelCoordinatesChart chart;
            QImage image(size, QImage::Format_ARGB32_Premultiplied);
            const auto paint = [&] {
                image.fill(QApplication::palette().color(QPalette::Base));
                QPainter painter(&image);
                chart.renderFigure(&painter, QRectF(image.rect()));
            };
            timer.restart();
            chart.setTable(s.table);
            paint();
            const qint64 first = timer.restart();
            paint();
            const qint64 again = timer.restart();
            chart.setBrush(LearningRate, 0.001, 0.01);
            const qint64 refilter = timer.restart();
            paint();
            qInfo("parallel coordinates, 2,000 trials × 8 axes at %d×%d: setTable + paint %lld ms, "
                  "paint unchanged %lld ms, brush %lld ms + repaint %lld ms",
                  size.width(), size.height(), first, again, refilter, timer.restart());
            QCOMPARE(chart.axisCount(), 8);
            QVERIFY(inkedPixels(image) > 10000);
        }
        ParameterEffectsChart effects;
        QImage image(1400, 800, QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&image);
        timer.restart();
        effects.setTable(s.table);
        effects.renderFigure(&painter, QRectF(image.rect()));
        qInfo("parameter effects, 2,000 trials × 7 panels: setTable + paint %lld ms",
              timer.restart());
    }

    void emptyTablesDraw()
    {
        SearchTable empty;
        Search pending = makeSearch(8);
        for (SearchRow& row : pending.table.rows)
            row.objective = kNoValue;
        for (const SearchTable* table : {&empty, &pending.table}) {
            ParallelCoordinatesChart lines;
            ParameterEffectsChart effects;
            lines.setTable(*table);
            effects.setTable(*table);
            QImage image(600, 400, QImage::Format_ARGB32_Premultiplied);
            QPainter painter(&image);
            lines.renderFigure(&painter, QRectF(image.rect()));
            effects.renderFigure(&painter, QRectF(image.rect()));
            QCOMPARE(lines.passingRows().size(), table->rows.size());
        }
    }

    void exportsEveryFormat_data()
    {
        QTest::addColumn<QString>("suffix");
        for (const char* suffix : {"png", "svg", "pdf"})
            QTest::newRow(suffix) << suffix;
    }

    void exportsEveryFormat()
    {
        QFETCH(QString, suffix);
        const Search s = makeSearch(60);
        ParallelCoordinatesChart lines;
        lines.setTable(s.table);
        lines.setBrush(Units, 20, 30);
        ParameterEffectsChart effects;
        effects.setTable(s.table);
        QTemporaryDir dir;
        const FigureFormat format = *figureFormatFromName(suffix);
        const QString linesPath = dir.filePath("lines." + suffix);
        const QString effectsPath = dir.filePath("effects." + suffix);
        writeFigure(linesPath, format, QSize(1200, 600), "lines", painterOf(lines));
        writeFigure(effectsPath, format, QSize(1200, 800), "effects", painterOf(effects));
        for (const QString& path : {linesPath, effectsPath}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            if (format == FigureFormat::Png) {
                const QImage image = QImage::fromData(bytes, "PNG");
                QVERIFY(!image.isNull());
                QVERIFY2(inkedPixels(image) > 5000, qPrintable(path));
            } else if (format == FigureFormat::Svg) {
                QSvgRenderer svg(bytes);
                QVERIFY(svg.isValid());
                QVERIFY(bytes.contains("<polyline") || bytes.contains("<path"));
            } else {
                QVERIFY(bytes.startsWith("%PDF"));
                QVERIFY(bytes.size() > 2000);
            }
        }
    }

    void writesFiguresToLookAt()
    {
        const QString directory = qEnvironmentVariable("ATELIER_SEARCH_FIGURES_DIR");
        if (directory.isEmpty())
            QSKIP("set ATELIER_SEARCH_FIGURES_DIR to write the figures");
        for (const Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            const QString name = themeName(theme);
            for (const char* objective : {"val_accuracy", "val_loss"}) {
                const Search s = makeSearch(60, objective);
                ParallelCoordinatesChart lines;
                lines.setTable(s.table);
                ParameterEffectsChart effects;
                effects.setTable(s.table);
                const QString tag = name + "_" + objective;
                writeFigure(directory + "/search_figures_lines_" + tag + ".png", FigureFormat::Png,
                            QSize(1400, 700), "lines", painterOf(lines));
                lines.setBrush(Units, 24, 36);
                lines.setBrush(Optimizer, 0.5, 1);
                writeFigure(directory + "/search_figures_brushed_" + tag + ".png",
                            FigureFormat::Png, QSize(1000, 500), "lines", painterOf(lines));
                writeFigure(directory + "/search_figures_effects_" + tag + ".png",
                            FigureFormat::Png, QSize(1400, 900), "effects", painterOf(effects));
            }
        }
        applyTheme(Theme::Light);
        const Search many = makeSearch(2000);
        ParallelCoordinatesChart lines;
        lines.setTable(many.table);
        writeFigure(directory + "/search_figures_lines_2000.png", FigureFormat::Png,
                    QSize(1400, 700), "lines", painterOf(lines));
        lines.setBrush(lines.objectiveAxis(), 0.84, 1);
        writeFigure(directory + "/search_figures_brushed_2000.png", FigureFormat::Png,
                    QSize(1400, 700), "lines", painterOf(lines));
    }
};

QTEST_MAIN(TestSearchFigures)
#include "tst_search_figures.moc"
