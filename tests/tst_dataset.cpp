// Dataset loading (folders, raw and gzipped files, broken pairs), stratified splitting,
// class counts and normalization, on generated data and on the real Fashion-MNIST.
#include "core/dataset.h"
#include "core/errors.h"
#include "core/normalization.h"
#include "core/split.h"
#include "support/idx_writer.h"

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

using namespace atelier;
using namespace atelier::test;

namespace {

// Labels with deliberately uneven class sizes: class c has 10 + 7c samples, interleaved.
std::vector<std::uint8_t> unevenLabels()
{
    std::vector<std::uint8_t> labels;
    for (int round = 0; round < 80; ++round)
        for (int c = 0; c < kNumClasses; ++c)
            if (round < 10 + 7 * c)
                labels.push_back(std::uint8_t(c));
    return labels;
}

QString messageOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const InputError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsGeneratedFolder_data()
    {
        QTest::addColumn<bool>("gzipped");
        QTest::newRow("gzip") << true;
        QTest::newRow("raw") << false;
    }

    void loadsGeneratedFolder()
    {
        QFETCH(bool, gzipped);
        QTemporaryDir dir;
        writeFashionMnist(dir.path().toStdString(), 50, 20, gzipped);
        const FashionMnist data = loadFashionMnist(dir.path().toStdString());
        QCOMPARE(data.train.count, 50);
        QCOMPARE(data.test.count, 20);
        QCOMPARE(data.train.rows, 28);
        QCOMPARE(int(data.train.labels[13]), 3);
        QCOMPARE(int(data.train.image(13)[400]), 13);
        QCOMPARE(classCounts(data.test.labels)[0], std::int64_t(2));
    }

    void reportsMissingFolderAndFiles()
    {
        QString message = messageOf([] { loadFashionMnist("/nonexistent/fmnist"); });
        QVERIFY2(message.contains("/nonexistent/fmnist: no such folder"), qPrintable(message));
        QVERIFY2(message.contains("dataset-fashion-mnist"), qPrintable(message));

        QTemporaryDir dir;
        writeFashionMnist(dir.path().toStdString(), 10, 10, true);
        QFile::remove(dir.filePath("t10k-labels-idx1-ubyte.gz"));
        message = messageOf([&] { loadFashionMnist(dir.path().toStdString()); });
        QVERIFY2(message.contains("no t10k-labels-idx1-ubyte[.gz]"), qPrintable(message));
    }

    void rejectsInconsistentPairs()
    {
        QTemporaryDir dir;
        const std::string images = dir.filePath("images").toStdString();
        const std::string labels = dir.filePath("labels").toStdString();
        writeBytes(images, imagesFile(3));

        writeBytes(labels, labelsFile({1, 2}));
        QString message = messageOf([&] { loadImageSet(images, labels); });
        QVERIFY2(message.contains(QString::fromStdString(labels) + ": holds 2 labels but"),
                 qPrintable(message));

        writeBytes(labels, labelsFile({1, 12, 3}));
        message = messageOf([&] { loadImageSet(images, labels); });
        QVERIFY2(message.contains("label 12 at index 1 is outside 0–9"), qPrintable(message));

        writeBytes(images, idxBytes(2051, {1, 32, 32}, Bytes(1024, 0)));
        writeBytes(labels, labelsFile({1}));
        message = messageOf([&] { loadImageSet(images, labels); });
        QVERIFY2(message.contains("images are 32×32, expected 28×28"), qPrintable(message));
    }

    void resolvesDataDirectory()
    {
        qputenv("ATELIER_DATA", "/from/env");
        QCOMPARE(resolveDataDirectory("/explicit"), std::string("/explicit"));
        QCOMPARE(resolveDataDirectory(""), std::string("/from/env"));
        qunsetenv("ATELIER_DATA");
        QCOMPARE(resolveDataDirectory(""), std::string(kDefaultDataDirectory));
    }

    void splitIsStratifiedExactly_data()
    {
        QTest::addColumn<double>("devFraction");
        QTest::newRow("0.2") << 0.2;
        QTest::newRow("0.1") << 0.1;
        QTest::newRow("0.33") << 0.33;
        QTest::newRow("0") << 0.0;
    }

    void splitIsStratifiedExactly()
    {
        QFETCH(double, devFraction);
        const auto labels = unevenLabels();
        const TrainDevSplit split = stratifiedSplit(labels, devFraction, 7);
        const ClassCounts all = classCounts(labels);
        const ClassCounts dev = classCounts(labels, split.dev);
        const ClassCounts train = classCounts(labels, split.train);
        for (int c = 0; c < kNumClasses; ++c) {
            QCOMPARE(dev[c], std::int64_t(std::llround(double(all[c]) * devFraction)));
            QCOMPARE(train[c] + dev[c], all[c]);
        }
        // Disjoint, complete and sorted.
        std::set<std::int32_t> seen(split.train.begin(), split.train.end());
        for (std::int32_t index : split.dev)
            QVERIFY(seen.insert(index).second);
        QCOMPARE(seen.size(), labels.size());
        QVERIFY(std::is_sorted(split.train.begin(), split.train.end()));
        QVERIFY(std::is_sorted(split.dev.begin(), split.dev.end()));
    }

    void splitDependsOnTheSeedOnly()
    {
        const auto labels = unevenLabels();
        QCOMPARE(stratifiedSplit(labels, 0.2, 1).dev, stratifiedSplit(labels, 0.2, 1).dev);
        QVERIFY(stratifiedSplit(labels, 0.2, 1).dev != stratifiedSplit(labels, 0.2, 2).dev);
        QVERIFY(!messageOf([&] { stratifiedSplit(labels, 1.0, 1); }).isEmpty());
    }

    void subsetKeepsClassProportions()
    {
        const auto labels = unevenLabels();
        const IndexList all = allIndices(labels.size());
        const IndexList subset = stratifiedSubset(labels, all, 100, 3);
        QCOMPARE(subset.size(), std::size_t(100));
        const ClassCounts full = classCounts(labels);
        const ClassCounts part = classCounts(labels, subset);
        for (int c = 0; c < kNumClasses; ++c) {
            const double exact = double(full[c]) * 100.0 / double(labels.size());
            QVERIFY2(std::abs(double(part[c]) - exact) < 1.0, qPrintable(QString::number(c)));
        }
        QCOMPARE(stratifiedSubset(labels, all, 100000, 3), all);
    }

    void normalizationScalesAndStandardizes()
    {
        ImageSet set;
        set.count = 2;
        set.rows = 28;
        set.cols = 28;
        set.pixels.assign(784, 0);
        set.pixels.insert(set.pixels.end(), 784, 255);
        set.labels = {0, 1};
        const IndexList both = {0, 1};

        const PixelTransform scale = pixelTransform(Normalization::Scale, set, both);
        QCOMPARE(scale.apply(0), 0.0f);
        QCOMPARE(scale.apply(255), 1.0f);

        const PixelTransform standard = pixelTransform(Normalization::Standardize, set, both);
        std::vector<float> out(2 * 784);
        transformImages(set, both, standard, out.data());
        double sum = 0, squares = 0;
        for (float v : out) {
            sum += v;
            squares += double(v) * v;
        }
        const double mean = sum / double(out.size());
        QVERIFY(std::abs(mean) < 1e-5);
        QVERIFY(std::abs(squares / double(out.size()) - mean * mean - 1.0) < 1e-4);
        QCOMPARE(out[0], -1.0f);
        QCOMPARE(out[784], 1.0f);
    }

    void realFashionMnistSplitsAs48000And12000()
    {
        const std::string dir = resolveDataDirectory("");
        if (!QFileInfo::exists(QString::fromStdString(dir)))
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        const FashionMnist data = loadFashionMnist(dir);
        QCOMPARE(data.train.count, 60000);
        QCOMPARE(data.test.count, 10000);
        const TrainDevSplit split = stratifiedSplit(data.train.labels, 0.2, 42);
        QCOMPARE(split.train.size(), std::size_t(48000));
        QCOMPARE(split.dev.size(), std::size_t(12000));
        for (int c = 0; c < kNumClasses; ++c) {
            QCOMPARE(classCounts(data.train.labels, split.train)[c], std::int64_t(4800));
            QCOMPARE(classCounts(data.train.labels, split.dev)[c], std::int64_t(1200));
            QCOMPARE(classCounts(data.test.labels)[c], std::int64_t(1000));
        }
        const PixelTransform standard =
            pixelTransform(Normalization::Standardize, data.train, split.train);
        // Fashion-MNIST's pixel mean is about 0.286 and its std about 0.353.
        QVERIFY(std::abs(-standard.shift / (standard.scale * 255.0f) - 0.286f) < 0.01f);
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
