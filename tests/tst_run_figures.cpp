// The views that draw a run's files never index out of range, whatever the values: the run
// folder's reader refuses bad files (tst_run_files), and the views check again, so that a
// reader that forgets cannot crash the studio or `atelier-cli export`.
#include "core/preset.h"
#include "ui/data/image_grid_widget.h"
#include "ui/export/run_figures.h"
#include "ui/widgets/class_text.h"

#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>
#include <climits>
#include <cmath>
#include <limits>

using namespace atelier;
using namespace atelier::ui;

namespace {

// A tiny dataset: `count` 28×28 images with labels 0, 1, 2, ... (mod 10).
ImageSet tinySet(int count)
{
    ImageSet set;
    set.count = count;
    set.rows = set.cols = 28;
    set.pixels.assign(std::size_t(count) * 28 * 28, 128);
    for (int i = 0; i < count; ++i)
        set.labels.push_back(std::uint8_t(i % kNumClasses));
    return set;
}

// Values no reader lets through: an index far past the test set, labels outside the ten
// classes, a NaN confidence, a batch number of INT_MIN (once made the chart allocate 8.6 GB).
RunData hostileRun()
{
    RunData run;
    run.folder = "/nonexistent/hostile-20260101-000000";
    run.name = "hostile";
    run.preset = loadPreset(ATELIER_PRESETS_DIR "/mlp_small.yaml");
    run.history = {{1, 1.0, 0.5, 1.1, 0.5, 0.01, 1}, {2, 0.8, 0.6, 0.9, 0.6, 0.01, 1}};
    run.batchLosses = {{1, 1, 1.2f}, {1, INT_MIN, 1.1f}, {1, 3, 1.0f}, {-5, 2, 0.9f}, {2, 1, 0.8f}};
    run.batchesPerEpoch = 3;
    run.hasResult = true;
    run.test.confusion[0][1] = 2;
    run.test.confusion[1][1] = 8;
    run.test.misclassified = {{99999999, 0, 1, 0.99f},
                              {-1, 12, -3, std::nanf("")},
                              {3, 0, 1, 0.5f},
                              {4, 0, 1, std::nanf("")}};
    return run;
}

} // namespace

class TestRunFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A wrong answer is never shown as "100%" sure, and a diverged run's NaN reads "?".
    void confidenceIsNeverRoundedToCertainty()
    {
        QCOMPARE(confidenceText(0.5f), QStringLiteral("50%"));
        QCOMPARE(confidenceText(0.994f), QStringLiteral("99%"));
        QCOMPARE(confidenceText(0.9961f), QStringLiteral("99.6%"));
        QCOMPARE(confidenceText(0.99999f), QStringLiteral("99.9%"));
        QCOMPARE(confidenceText(1.0f), QStringLiteral("100.0%"));
        QCOMPARE(confidenceText(std::numeric_limits<float>::quiet_NaN()), QStringLiteral("?"));
    }

    void gridSkipsIndicesOutsideTheSet()
    {
        const ImageSet set = tinySet(3);
        ImageGridWidget grid;
        grid.setImages(nullptr, &set,
                       {{0, "first"}, {2, "last"}, {3, "past"}, {-1, "before"}, {99999999, "far"}},
                       4, "test");
        QImage canvas(600, 400, QImage::Format_ARGB32);
        canvas.fill(Qt::white);
        QPainter painter(&canvas);
        grid.paintGrid(painter, canvas.rect());
        painter.end();
        QCOMPARE(grid.toCsv().count('\n'), 6); // every entry listed, the bad ones undrawn
    }

    void gridWithoutASetDrawsNothing()
    {
        ImageGridWidget grid;
        grid.setImages(nullptr, nullptr, {{0, "no set"}}, 4, "test");
        QImage canvas(300, 200, QImage::Format_ARGB32);
        QPainter painter(&canvas);
        grid.paintGrid(painter, canvas.rect());
    }

    void exportSurvivesHostileValues()
    {
        auto data = std::make_shared<FashionMnist>();
        data->train = tinySet(50);
        data->test = tinySet(10);
        QTemporaryDir dir;
        FigureOptions options;
        options.size = QSize(600, 400);
        const QStringList written =
            exportRunFigures(hostileRun(), data, dir.filePath("figures"), options);
        for (const char* name : {"batch_loss.png", "misclassified.png", "misclassified.csv"})
            QVERIFY2(written.contains(dir.filePath("figures/") + name), name);
        QFile csv(dir.filePath("figures/misclassified.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY2(csv.readAll().contains(",?,?,"), "labels outside the classes are shown as ?");
    }
};

QTEST_MAIN(TestRunFigures)
#include "tst_run_figures.moc"
