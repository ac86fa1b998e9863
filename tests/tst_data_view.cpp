// The Data view: background loading, the image grid (split, class filter, sample, size),
// class counts that follow the split settings, and what a missing or broken dataset shows.

#include "core/dataset.h"
#include "core/split.h"
#include "ui/charts/class_distribution_chart.h"
#include "ui/data/data_view.h"
#include "ui/data/dataset_controller.h"
#include "ui/data/image_grid_widget.h"
#include "ui/preset/preset_document.h"

#include <QFileInfo>
#include <QPainter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <set>

using namespace atelier;
using namespace atelier::ui;

namespace {

QList<qint64> series(const ClassDistributionChart* chart, const QString& name)
{
    for (const BarSeriesData& data : chart->shownData())
        if (data.name == name)
            return data.counts;
    return {};
}

QList<qint64> repeated(qint64 value)
{
    return QList<qint64>(kNumClasses, value);
}

} // namespace

class TestDataView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        const QString directory = QString::fromStdString(resolveDataDirectory({}));
        if (!QFileInfo::exists(directory))
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        m_document = std::make_unique<PresetDocument>();
        m_data = std::make_unique<DatasetController>();
        m_view = std::make_unique<DataView>(m_data.get(), m_document.get());
        m_view->resize(1400, 900);
        m_data->load(directory);
        QVERIFY(m_view->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(m_data->state() == DatasetController::State::Ready, 60000);
        QVERIFY(!m_view->isBusy());
    }
    void cleanup()
    {
        m_view.reset();
        m_data.reset();
        m_document.reset();
    }

    void showsTheFirstFortyTrainingImages()
    {
        const auto& entries = m_view->grid()->entries();
        QCOMPARE(entries.size(), std::size_t(40));
        QCOMPARE(m_view->grid()->columns(), 8);
        const TrainDevSplit& split = m_data->split();
        const auto dataset = m_data->dataset();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            QCOMPARE(entries[i].index, split.train[i]);
            const int label = dataset->train.labels[std::size_t(entries[i].index)];
            QCOMPARE(entries[i].caption, QString::fromStdString(fashionMnistClassNames()[label]));
        }
    }

    void classCountsFollowTheSplitSettings()
    {
        ClassDistributionChart* chart = m_view->distributionChart();
        QCOMPARE(chart->shownCategories().first(), QStringLiteral("T-shirt/top"));
        QCOMPARE(series(chart, "train"), repeated(4800));
        QCOMPARE(series(chart, "dev"), repeated(1200));
        QCOMPARE(series(chart, "test"), repeated(1000));
        QCOMPARE(m_view->shapesTable()->item(3, 1)->text(), QStringLiteral("12,000"));

        DataConfig config = m_document->dataConfig();
        config.devFraction = 0.1;
        m_document->setDataConfig(config);
        QCOMPARE(series(chart, "train"), repeated(5400));
        QCOMPARE(series(chart, "dev"), repeated(600));
        QCOMPARE(series(chart, "test"), repeated(1000));
        QCOMPARE(m_view->shapesTable()->item(2, 1)->text(), QStringLiteral("54,000"));
        QCOMPARE(m_view->shapesTable()->item(3, 1)->text(), QStringLiteral("6,000"));
        QCOMPARE(m_view->shapesTable()->item(3, 2)->text(), QStringLiteral("6,000 × 784"));

        // Another seed keeps the counts but draws another dev set, which the grid shows.
        const auto devBefore = m_data->split().dev;
        m_view->setSplit(DataView::Split::Dev);
        const int firstShown = m_view->grid()->entries().front().index;
        config.splitSeed = 7;
        m_document->setDataConfig(config);
        QVERIFY(m_data->split().dev != devBefore);
        QCOMPARE(m_view->grid()->entries().front().index, m_data->split().dev.front());
        QVERIFY(firstShown == devBefore.front());

        m_document->undoStack()->undo(); // both split edits merge into one step
        QCOMPARE(series(chart, "dev"), repeated(1200));
        QCOMPARE(m_data->split().dev.size(), std::size_t(12000));
    }

    void classFilterAndSplitChoice()
    {
        m_view->setSplit(DataView::Split::Test);
        m_view->setClassFilter(3);
        const auto dataset = m_data->dataset();
        const auto& entries = m_view->grid()->entries();
        QCOMPARE(entries.size(), std::size_t(40));
        for (const GridEntry& entry : entries) {
            QCOMPARE(int(dataset->test.labels[std::size_t(entry.index)]), 3);
            QCOMPARE(entry.caption, QStringLiteral("Dress"));
        }
        m_view->setSplit(DataView::Split::Dev);
        const auto& dev = m_data->split().dev;
        for (const GridEntry& entry : m_view->grid()->entries()) {
            QVERIFY(std::binary_search(dev.begin(), dev.end(), entry.index));
            QCOMPARE(int(dataset->train.labels[std::size_t(entry.index)]), 3);
        }
    }

    void gridSizeAndRandomSamples()
    {
        m_view->setGridSize(10, 3);
        QCOMPARE(m_view->grid()->entries().size(), std::size_t(30));
        QCOMPARE(m_view->grid()->columns(), 10);
        const auto first = m_view->grid()->entries();
        m_view->showSample(DataView::Sample::Random);
        const auto random = m_view->grid()->entries();
        QCOMPARE(random.size(), std::size_t(30));
        std::set<int> distinct;
        for (const GridEntry& entry : random)
            distinct.insert(entry.index);
        QCOMPARE(distinct.size(), std::size_t(30));
        m_view->showSample(DataView::Sample::Random);
        QVERIFY(m_view->grid()->entries().front().index != random.front().index ||
                m_view->grid()->entries().back().index != random.back().index);
        m_view->showSample(DataView::Sample::First);
        QCOMPARE(m_view->grid()->entries().front().index, first.front().index);
    }

    void imagesAreDrawnWithSharpPixels()
    {
        m_view->setGridSize(1, 1);
        ImageGridWidget* grid = m_view->grid();
        QImage canvas(28 * 4 + 12, 28 * 4 + 40, QImage::Format_RGB32);
        canvas.fill(Qt::red);
        QPainter painter(&canvas);
        grid->paintGrid(painter, canvas.rect());
        painter.end();
        // Each image pixel becomes a 4×4 block of one grey: no blur between neighbours.
        const ImageSet& set = m_data->dataset()->train;
        const std::uint8_t* pixels = set.image(grid->entries().front().index);
        int checked = 0;
        for (int y = 0; y < canvas.height() && !checked; ++y)
            for (int x = 0; x < canvas.width(); ++x)
                if (canvas.pixel(x, y) != qRgb(255, 0, 0)) {
                    // Top-left of the drawn image: compare every pixel of every block.
                    for (int r = 0; r < 28; ++r)
                        for (int c = 0; c < 28; ++c)
                            for (int dy = 0; dy < 4; ++dy)
                                for (int dx = 0; dx < 4; ++dx) {
                                    const QRgb drawn = canvas.pixel(x + c * 4 + dx, y + r * 4 + dy);
                                    QCOMPARE(qGray(drawn), int(pixels[r * 28 + c]));
                                    ++checked;
                                }
                    break;
                }
        QCOMPARE(checked, 28 * 28 * 16);
    }

    void missingDatasetExplainsHowToFixIt()
    {
        m_data->load(QStringLiteral("/nonexistent/fashion"));
        QTRY_VERIFY_WITH_TIMEOUT(m_data->state() == DatasetController::State::Failed, 10000);
        const QString text = m_view->errorText();
        QVERIFY2(text.contains(QStringLiteral("/nonexistent/fashion")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("dataset-fashion-mnist")), qPrintable(text));
    }

    void brokenDatasetNamesTheFile()
    {
        QTemporaryDir dir;
        const QString directory = QString::fromStdString(resolveDataDirectory({}));
        for (const char* name : {"train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                                 "t10k-labels-idx1-ubyte.gz"})
            QVERIFY(QFile::copy(directory + '/' + name, dir.filePath(name)));
        QFile broken(dir.filePath(QStringLiteral("train-images-idx3-ubyte.gz")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("this is not an idx file");
        broken.close();
        m_data->load(dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(m_data->state() == DatasetController::State::Failed, 10000);
        QVERIFY2(m_view->errorText().contains(QStringLiteral("train-images-idx3-ubyte.gz")),
                 qPrintable(m_view->errorText()));
        // Loading the real folder again recovers.
        m_data->load(QString::fromStdString(resolveDataDirectory({})));
        QTRY_VERIFY_WITH_TIMEOUT(m_data->state() == DatasetController::State::Ready, 60000);
        QCOMPARE(m_view->errorText(), QString());
        QCOMPARE(m_view->grid()->entries().size(), std::size_t(40));
    }

private:
    std::unique_ptr<PresetDocument> m_document;
    std::unique_ptr<DatasetController> m_data;
    std::unique_ptr<DataView> m_view;
};

QTEST_MAIN(TestDataView)
#include "tst_data_view.moc"
