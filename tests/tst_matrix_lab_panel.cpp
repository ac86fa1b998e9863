// The studio's matrix experiment panel (ui/inside/matrix_lab_panel): with its defaults it
// reproduces the study (uniform [0, 0.1] vanishes to exactly 0 at the depth core reports,
// uniform [0, 10] explodes to inf, He + ReLU stays finite at depth 100); the chart places
// every depth on the log scale or in the 0 or inf/NaN band, in the case's colour; a change
// recomputes once per burst and only the latest request's results are shown; a uniform range
// with low > high names the case and computes nothing; the figure exports to PNG, SVG and
// PDF and its data to CSV. With ATELIER_MATRIX_PANEL_PNG=path, also grabs the panel at
// 1400×800 there (and a dark one beside it) to look at.
#include "core/matrix_lab.h"
#include "ui/export/figure_export.h"
#include "ui/inside/matrix_lab_cases.h"
#include "ui/inside/matrix_lab_chart.h"
#include "ui/inside/matrix_lab_panel.h"
#include "ui/studio/theme.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QPainter>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace atelier;
using namespace atelier::ui;

namespace {

// Long enough for three cases of the default size on a busy two-core machine.
constexpr int kWaitMs = 60'000;

MatrixLabOptions studyCase(const char* init, const char* activation, int size)
{
    MatrixLabOptions options;
    options.init = parseMatrixInit(init);
    options.activation = parseMatrixActivation(activation);
    options.size = size;
    return options;
}

template <typename T> T* child(QWidget& panel, const char* name)
{
    T* widget = panel.findChild<T*>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no %s named %s", T::staticMetaObject.className(), name);
    return widget;
}

// Pixels of `image` inside `area` within a small distance of `colour` (antialiasing blends
// the edges; the centres of lines and dots keep the colour).
int pixelsOfColour(const QImage& image, const QRectF& area, const QColor& colour)
{
    int count = 0;
    const QRect box = area.toAlignedRect().intersected(image.rect());
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x) {
            const QColor p = image.pixelColor(x, y);
            count += std::abs(p.red() - colour.red()) + std::abs(p.green() - colour.green()) +
                         std::abs(p.blue() - colour.blue()) <
                     30;
        }
    return count;
}

QImage render(MatrixLabChart& chart, const QSize& size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(chart.palette().color(QPalette::Base));
    QPainter painter(&image);
    chart.renderFigure(&painter, QRectF(image.rect()));
    return image;
}

bool waitForResults(MatrixLabPanel& panel)
{
    return QTest::qWaitFor([&] { return !panel.isComputing() && !panel.results().empty(); },
                           kWaitMs);
}

} // namespace

class TestMatrixLabPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { applyTheme(Theme::Light); }

    void defaultsReproduceTheStudy()
    {
        MatrixLabPanel panel;
        QCOMPARE(panel.caseCount(), 3);
        QVERIFY(waitForResults(panel));
        QCOMPARE(panel.computations(), 1);
        QVERIFY(panel.problem().isEmpty());
        const std::vector<MatrixLabResult>& results = panel.results();
        QCOMPARE(int(results.size()), 3);
        for (const MatrixLabResult& result : results)
            QCOMPARE(int(result.depths.size()), 100);

        // The same numbers as core for the same options, which the panel's defaults are.
        const MatrixLabResult vanish = runMatrixLab(studyCase("uniform:0:0.1", "none", 4));
        const MatrixLabResult explode = runMatrixLab(studyCase("uniform:0:10", "none", 4));
        const MatrixLabResult stays = runMatrixLab(studyCase("he", "relu", 64));
        QVERIFY(vanish.firstAllZero > 0 && vanish.firstAllZero <= 100);
        QCOMPARE(results[0].firstAllZero, vanish.firstAllZero);
        QCOMPARE(results[0].firstInf, 0);
        QCOMPARE(results[0].depths.back().norm, 0.0);
        QVERIFY(results[1].firstInf > 0 && results[1].firstInf <= 100);
        QCOMPARE(results[1].firstInf, explode.firstInf);
        QCOMPARE(results[1].firstAllZero, 0);
        QVERIFY(std::isinf(results[1].depths.back().norm));
        QCOMPARE(results[2].firstAllZero, 0);
        QCOMPARE(results[2].firstInf, 0);
        QCOMPARE(results[2].firstNan, 0);
        const double last = results[2].depths.back().norm;
        QVERIFY(std::isfinite(last) && last > 0);
        QCOMPARE(last, stays.depths.back().norm);

        // In words, on the panel.
        QCOMPARE(panel.resultLine(0),
                 QStringLiteral("uniform [0, 0.1], 4×4: every entry is 0 from depth %1 (vanished)")
                     .arg(vanish.firstAllZero));
        QVERIFY2(
            panel.resultLine(1).startsWith(
                QStringLiteral("uniform [0, 10], 4×4: inf from depth %1").arg(explode.firstInf)),
            qPrintable(panel.resultLine(1)));
        QVERIFY(panel.resultLine(1).endsWith(QStringLiteral("(exploded)")));
        QCOMPARE(panel.resultLine(2),
                 QStringLiteral("He + ReLU, 64×64: finite at depth 100, norm %1")
                     .arg(QString::number(last, 'g', 3)));
        for (int i = 0; i < 3; ++i) {
            const QString name = QStringLiteral("case%1Result").arg(i + 1);
            const QLabel* label = panel.findChild<QLabel*>(name);
            QVERIFY(label);
            QVERIFY2(label->text().contains(matrixVerdict(results[std::size_t(i)])),
                     qPrintable(label->text()));
        }
        QVERIFY(!child<QLabel>(panel, "explanation")->text().isEmpty());
    }

    // Every depth lands in one place, the right one, in the case's colour.
    void chartPlacesEveryDepth()
    {
        MatrixLabPanel panel;
        QVERIFY(waitForResults(panel));
        MatrixLabChart* chart = panel.chart();
        QCOMPARE(chart->curveCount(), 3);
        const QImage image = render(*chart, QSize(1200, 700));
        const std::vector<MatrixLabResult>& results = panel.results();
        for (int c = 0; c < 3; ++c) {
            const MatrixLabChart::PointCounts drawn = chart->pointCounts(c);
            QCOMPARE(drawn.onScale + drawn.atZero + drawn.atInfNan, 100);
        }
        const int zeroFrom = results[0].firstAllZero;
        QCOMPARE(chart->pointCounts(0).atZero, 100 - zeroFrom + 1);
        QCOMPARE(chart->pointCounts(0).onScale, zeroFrom - 1);
        QCOMPARE(chart->pointCounts(0).atInfNan, 0);
        QCOMPARE(chart->pointCounts(1).atInfNan, 100 - results[1].firstInf + 1);
        QCOMPARE(chart->pointCounts(1).atZero, 0);
        QCOMPARE(chart->pointCounts(2).onScale, 100);

        // The bands hold the vanishing case's colour (bottom) and the exploding one's (top),
        // never the He case's; all three colours are on the log scale.
        const QPalette& palette = chart->palette();
        const QColor vanish = MatrixLabChart::curveColor(0, palette);
        const QColor explode = MatrixLabChart::curveColor(1, palette);
        const QColor stays = MatrixLabChart::curveColor(2, palette);
        QVERIFY(vanish != explode && explode != stays && vanish != stays);
        QVERIFY(chart->zeroBand().bottom() > chart->scaleArea().bottom());
        QVERIFY(chart->infNanBand().top() < chart->scaleArea().top());
        QVERIFY(pixelsOfColour(image, chart->zeroBand(), vanish) > 30);
        QCOMPARE(pixelsOfColour(image, chart->zeroBand(), explode), 0);
        QCOMPARE(pixelsOfColour(image, chart->zeroBand(), stays), 0);
        QVERIFY(pixelsOfColour(image, chart->infNanBand(), explode) > 30);
        QCOMPARE(pixelsOfColour(image, chart->infNanBand(), vanish), 0);
        QCOMPARE(pixelsOfColour(image, chart->infNanBand(), stays), 0);
        for (const QColor& colour : {vanish, explode, stays})
            QVERIFY(pixelsOfColour(image, chart->scaleArea(), colour) > 30);
    }

    void changingAControlRecomputesOnce()
    {
        MatrixLabPanel panel;
        QVERIFY(waitForResults(panel));
        QSignalSpy changed(&panel, &MatrixLabPanel::resultsChanged);
        // A burst of changes, as stepping a spin box gives: one computation, of the last.
        QSpinBox* size = child<QSpinBox>(panel, "case1Size");
        QSpinBox* depth = child<QSpinBox>(panel, "depth");
        size->setValue(5);
        size->setValue(6);
        depth->setValue(90);
        depth->setValue(120);
        QVERIFY(panel.isComputing());
        QVERIFY(QTest::qWaitFor([&] { return !panel.isComputing(); }, kWaitMs));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(panel.computations(), 2);
        MatrixLabOptions expected = studyCase("uniform:0:0.1", "none", 6);
        expected.depth = 120;
        const MatrixLabResult core = runMatrixLab(expected);
        QCOMPARE(int(panel.results()[0].depths.size()), 120);
        QCOMPARE(panel.results()[0].firstAllZero, core.firstAllZero);
        QVERIFY(core.firstAllZero > 65); // not the 4×4 result
        QCOMPARE(panel.chart()->curves()[0].label, QStringLiteral("uniform [0, 0.1], 6×6"));

        // Init and activation too: case 2 as He + ReLU at 4×4, which dies (the note in
        // matrix_lab_cases.h).
        child<QComboBox>(panel, "case2Init")->setCurrentIndex(1);
        child<QComboBox>(panel, "case2Activation")->setCurrentIndex(2);
        QVERIFY(!child<QDoubleSpinBox>(panel, "case2Low")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(panel.computations(), 3, kWaitMs);
        MatrixLabOptions he = studyCase("he", "relu", 4);
        he.depth = 120;
        QCOMPARE(panel.results()[1].firstAllZero, runMatrixLab(he).firstAllZero);
        QCOMPARE(panel.results()[1].firstInf, 0);
        QVERIFY(panel.resultLine(1).startsWith(QStringLiteral("He + ReLU, 4×4: every entry")));
    }

    // A request that is under way when a newer one comes is never shown.
    void onlyTheLatestRequestIsShown()
    {
        MatrixLabPanel panel;
        QVERIFY(waitForResults(panel));
        QSignalSpy changed(&panel, &MatrixLabPanel::resultsChanged);
        // Long enough to be still running when the next change arrives.
        child<QSpinBox>(panel, "case3Size")->setValue(256);
        child<QSpinBox>(panel, "depth")->setValue(3000);
        QTest::qWait(400); // past the debounce: the long request runs
        QVERIFY(panel.isComputing());
        child<QSpinBox>(panel, "depth")->setValue(40);
        QVERIFY(QTest::qWaitFor([&] { return !panel.isComputing(); }, 5 * kWaitMs));
        QCOMPARE(changed.count(), 1);
        for (const MatrixLabResult& result : panel.results())
            QCOMPARE(int(result.depths.size()), 40);
        QCOMPARE(panel.chart()->curves()[2].label, QStringLiteral("He + ReLU, 256×256"));
    }

    void lowAboveHighNamesTheCase()
    {
        MatrixLabPanel panel;
        QVERIFY(waitForResults(panel));
        child<QDoubleSpinBox>(panel, "case2Low")->setValue(5);
        child<QDoubleSpinBox>(panel, "case2High")->setValue(1);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.problem().isEmpty(), kWaitMs);
        QVERIFY2(panel.problem().startsWith(QStringLiteral("Case 2 (uniform [5, 1]):")),
                 qPrintable(panel.problem()));
        QVERIFY(panel.problem().contains(QStringLiteral("low end 5 is above the high end 1")));
        QVERIFY(!panel.problem().contains(QStringLiteral("Case 1")));
        QVERIFY(panel.results().empty());
        QVERIFY(!panel.isComputing());
        QCOMPARE(panel.chart()->curveCount(), 0);
        QVERIFY(panel.chart()->message().contains(panel.problem()));
        QCOMPARE(child<QLabel>(panel, "status")->text(), panel.problem());
        QVERIFY(child<QLabel>(panel, "case1Result")->text().isEmpty());
        QCOMPARE(panel.toCsv(), QStringLiteral("case,depth,mean,std,norm\n"));

        // Put right, it computes again.
        child<QDoubleSpinBox>(panel, "case2High")->setValue(6);
        QVERIFY(waitForResults(panel));
        QVERIFY(panel.problem().isEmpty());
        QCOMPARE(panel.chart()->curveCount(), 3);
        QVERIFY(panel.resultLine(1).startsWith(QStringLiteral("uniform [5, 6], 4×4: inf from")));
    }

    void csvHasEveryDepth()
    {
        MatrixLabPanel panel;
        QVERIFY(waitForResults(panel));
        const QStringList lines = panel.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 3 * 100);
        QCOMPARE(lines[0], QStringLiteral("case,depth,mean,std,norm"));
        const std::vector<MatrixLabResult>& results = panel.results();
        const QString vanish = QStringLiteral("\"uniform [0, 0.1], 4×4\"");
        const QString explode = QStringLiteral("\"uniform [0, 10], 4×4\"");
        // Row 1 + depth - 1 of the first case: its first all-zero depth.
        const int zero = results[0].firstAllZero;
        QCOMPARE(lines[zero], vanish + QStringLiteral(",%1,0,0,0").arg(zero));
        QVERIFY(lines[zero - 1].startsWith(vanish + QStringLiteral(",%1,").arg(zero - 1)));
        QVERIFY(!lines[zero - 1].endsWith(QStringLiteral(",0")));
        const int inf = results[1].firstInf;
        QVERIFY2(lines[100 + inf].startsWith(explode + QStringLiteral(",%1,").arg(inf)),
                 qPrintable(lines[100 + inf]));
        QVERIFY(lines[100 + inf].endsWith(QStringLiteral(",inf")));
        QVERIFY(!lines[100 + inf - 1].endsWith(QStringLiteral(",inf")));
        QCOMPARE(lines[200], explode + QStringLiteral(",100,inf,nan,inf"));
        const QStringList last = lines[300].split(QLatin1Char(','));
        QCOMPARE(last.size(), 6); // the label's comma is inside its quotes
        QCOMPARE(last[2], QStringLiteral("100"));
        QVERIFY(std::abs(last[5].toDouble() / results[2].depths.back().norm - 1) < 1e-9);
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
        MatrixLabPanel panel;
        QVERIFY(waitForResults(panel));
        QTemporaryDir dir;
        const QString path = dir.filePath("matrices." + suffix);
        const FigureFormat format = *figureFormatFromName(suffix);
        writeFigure(
            path, format, QSize(1200, 700), "matrices",
            [&](QPainter& painter, const QRectF& area) { panel.renderFigure(&painter, area); });
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        if (format == FigureFormat::Png) {
            const QImage image = QImage::fromData(bytes, "PNG");
            QCOMPARE(image.size(), QSize(1200, 700));
            // The three colours, as the chart draws them.
            for (int c = 0; c < 3; ++c)
                QVERIFY(pixelsOfColour(image, QRectF(image.rect()),
                                       MatrixLabChart::curveColor(c, panel.palette())) > 100);
        } else if (format == FigureFormat::Svg) {
            QSvgRenderer svg(bytes);
            QVERIFY(svg.isValid());
            QVERIFY(bytes.contains("<polyline") || bytes.contains("<path"));
            QVERIFY(bytes.contains("inf / NaN"));
            QVERIFY(bytes.contains("every entry is 0 from depth"));
        } else {
            QVERIFY(bytes.startsWith("%PDF"));
            QVERIFY(bytes.size() > 2000);
        }
        QVERIFY(panel.chart()->actions().size() >= 2); // the context menu's exports
    }

    // 10,000 depths on a 1,000-pixel-wide figure still count every depth.
    void deepProductsDraw()
    {
        MatrixLabChart chart;
        MatrixLabOptions options = studyCase("uniform:0:0.1", "none", 2);
        options.depth = 10'000;
        chart.setCurves({{QStringLiteral("deep"), runMatrixLab(options)}});
        render(chart, QSize(1000, 600));
        const MatrixLabChart::PointCounts drawn = chart.pointCounts(0);
        QCOMPARE(drawn.onScale + drawn.atZero, 10'000);
        QVERIFY(drawn.atZero > 9'000);
    }

    void grabsThePanelToLookAt()
    {
        const QString path = qEnvironmentVariable("ATELIER_MATRIX_PANEL_PNG");
        if (path.isEmpty())
            QSKIP("set ATELIER_MATRIX_PANEL_PNG to grab the panel");
        for (const Theme theme : {Theme::Dark, Theme::Light}) {
            applyTheme(theme);
            MatrixLabPanel panel;
            panel.resize(1400, 800);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            QVERIFY(waitForResults(panel));
            QString target = path;
            if (theme == Theme::Dark)
                target.replace(QStringLiteral(".png"), QStringLiteral("_dark.png"));
            QVERIFY(panel.grab().save(target));
            const auto figure = [&](const char* tag) {
                writeFigure(QFileInfo(target).path() + "/" + QFileInfo(target).baseName() + tag,
                            FigureFormat::Png, QSize(1400, 800), "matrices",
                            [&](QPainter& painter, const QRectF& area) {
                                panel.renderFigure(&painter, area);
                            });
            };
            figure("_figure.png");
            // NaN after inf, late explosion and late vanishing over 1,000 depths.
            child<QSpinBox>(panel, "depth")->setValue(1000);
            child<QDoubleSpinBox>(panel, "case1Low")->setValue(-10);
            child<QComboBox>(panel, "case2Init")->setCurrentIndex(1);
            child<QComboBox>(panel, "case3Init")->setCurrentIndex(2);
            child<QComboBox>(panel, "case3Activation")->setCurrentIndex(0);
            child<QSpinBox>(panel, "case3Size")->setValue(4);
            QVERIFY(QTest::qWaitFor([&] { return !panel.isComputing(); }, kWaitMs));
            figure("_nan.png");
        }
    }
};

QTEST_MAIN(TestMatrixLabPanel)
#include "tst_matrix_lab_panel.moc"
