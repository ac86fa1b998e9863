// IDX reader on generated files: valid raw and gzipped files, and every failure mode a
// hostile or damaged file can have. Each failure must name the file and the problem.
#include "core/byte_stream.h"
#include "core/errors.h"
#include "core/idx.h"
#include "support/idx_writer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace atelier;
using namespace atelier::test;

Q_DECLARE_METATYPE(atelier::test::Bytes)
Q_DECLARE_METATYPE(atelier::IdxKind)

class TestIdx : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }

    // Expects readIdxFile to throw DataError mentioning the file and `fragment`.
    void expectFailure(const std::string& file, IdxKind kind, const QString& fragment,
                       std::size_t maxBytes = kDefaultIdxMaxBytes)
    {
        try {
            readIdxFile(file, kind, maxBytes);
            QFAIL(qPrintable("no error for " + QString::fromStdString(file) +
                             "; expected: " + fragment));
        } catch (const DataError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QString::fromStdString(file)), qPrintable(message));
            QVERIFY2(message.contains(fragment), qPrintable(message));
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void readsValidFiles_data()
    {
        QTest::addColumn<bool>("gzipped");
        QTest::newRow("raw") << false;
        QTest::newRow("gzip") << true;
    }

    void readsValidFiles()
    {
        QFETCH(bool, gzipped);
        const Bytes images = imagesFile(5);
        const Bytes labels = labelsFile({3, 1, 4, 1, 5});
        const std::string imagesPath = path(gzipped ? "images.gz" : "images");
        const std::string labelsPath = path(gzipped ? "labels.gz" : "labels");
        writeBytes(imagesPath, gzipped ? gzipCompress(images) : images);
        writeBytes(labelsPath, gzipped ? gzipCompress(labels) : labels);

        const IdxArray imageArray = readIdxFile(imagesPath, IdxKind::Images);
        QCOMPARE(imageArray.dims, (std::vector<std::uint32_t>{5, 28, 28}));
        QCOMPARE(imageArray.data.size(), std::size_t(5 * 784));
        QCOMPARE(int(imageArray.data[4 * 784 + 100]), 4);

        const IdxArray labelArray = readIdxFile(labelsPath, IdxKind::Labels);
        QCOMPARE(labelArray.dims, (std::vector<std::uint32_t>{5}));
        QCOMPARE(labelArray.data, (std::vector<std::uint8_t>{3, 1, 4, 1, 5}));
    }

    void readsGzipDataUnderARawName()
    {
        writeBytes(path("labels-raw-name"), gzipCompress(labelsFile({7, 8})));
        QCOMPARE(readIdxFile(path("labels-raw-name"), IdxKind::Labels).data,
                 (std::vector<std::uint8_t>{7, 8}));
    }

    void rejectsMalformedFiles_data()
    {
        QTest::addColumn<Bytes>("bytes");
        QTest::addColumn<IdxKind>("kind");
        QTest::addColumn<QString>("fragment");

        QTest::newRow("empty") << Bytes{} << IdxKind::Labels
                               << "the file ends before its magic number";
        QTest::newRow("short magic") << Bytes{0, 0, 8} << IdxKind::Labels << "truncated header";
        QTest::newRow("labels magic in images file")
            << labelsFile({1, 2}) << IdxKind::Images
            << "bad magic number 2049 (a labels file), expected 2051";
        QTest::newRow("images magic in labels file")
            << imagesFile(1) << IdxKind::Labels
            << "bad magic number 2051 (an images file), expected 2049";
        QTest::newRow("random magic")
            << idxBytes(0x12345678, {1}, {0}) << IdxKind::Labels << "bad magic number 305419896";
        QTest::newRow("header cut in dims")
            << idxBytes(2051, {2, 28}, {}) << IdxKind::Images << "ends before its column count";
        QTest::newRow("zero count")
            << idxBytes(2049, {0}, {}) << IdxKind::Labels << "item count is 0";
        QTest::newRow("zero rows")
            << idxBytes(2051, {1, 0, 28}, {}) << IdxKind::Images << "row count is 0";
        QTest::newRow("overflowing dims")
            << idxBytes(2051, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {}) << IdxKind::Images
            << "more than 512 MiB";
        Bytes truncated = imagesFile(3);
        truncated.resize(truncated.size() - 10);
        QTest::newRow("truncated data") << truncated << IdxKind::Images
                                        << "declares 2352 data bytes but the file ends after 2342";
        Bytes longer = labelsFile({1, 2, 3});
        longer.push_back(9);
        QTest::newRow("trailing bytes")
            << longer << IdxKind::Labels << "trailing bytes after the 3 data bytes";
    }

    void rejectsMalformedFiles()
    {
        QFETCH(Bytes, bytes);
        QFETCH(IdxKind, kind);
        QFETCH(QString, fragment);
        // The same damage must be caught in a raw file and inside a valid gzip stream.
        writeBytes(path("bad"), bytes);
        expectFailure(path("bad"), kind, fragment);
        writeBytes(path("bad.gz"), gzipCompress(bytes));
        expectFailure(path("bad.gz"), kind, fragment);
    }

    void rejectsNonGzipDataUnderGzName()
    {
        writeBytes(path("plain.gz"), labelsFile({1, 2}));
        expectFailure(path("plain.gz"), IdxKind::Labels,
                      "not gzip data although the name ends in .gz");
    }

    void rejectsTruncatedGzipStream_data()
    {
        QTest::addColumn<int>("bytesCut");
        QTest::newRow("trailer only") << 4;
        QTest::newRow("whole trailer") << 8;
        QTest::newRow("into the deflate data") << 200;
    }

    void rejectsTruncatedGzipStream()
    {
        QFETCH(int, bytesCut);
        Bytes noise(20 * 784); // incompressible, so that cutting 200 bytes lands inside the data
        std::uint32_t state = 12345;
        for (std::uint8_t& byte : noise)
            byte = std::uint8_t((state = state * 1103515245u + 12345u) >> 24);
        Bytes compressed = gzipCompress(idxBytes(2051, {20, 28, 28}, noise));
        QVERIFY(compressed.size() > std::size_t(bytesCut) + 20);
        compressed.resize(compressed.size() - std::size_t(bytesCut));
        writeBytes(path("cut.gz"), compressed);
        try {
            readIdxFile(path("cut.gz"), IdxKind::Images);
            QFAIL("a truncated gzip stream was accepted");
        } catch (const DataError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains("cut.gz"), qPrintable(message));
            QVERIFY2(message.contains("truncated"), qPrintable(message));
        }
    }

    void rejectsCorruptChecksum()
    {
        Bytes compressed = gzipCompress(labelsFile({1, 2, 3, 4}));
        compressed[compressed.size() - 8] ^= 0xFF; // first byte of the CRC-32 trailer
        writeBytes(path("crc.gz"), compressed);
        expectFailure(path("crc.gz"), IdxKind::Labels, "gzip error");
    }

    void rejectsGzipBombThatDeclaresHugeDimensions()
    {
        // 64 MB of zeros compress to ~64 KB; the header asks for 78 GB.
        Bytes raw = idxBytes(2051, {100000000, 28, 28}, Bytes(std::size_t(64) << 20, 0));
        writeBytes(path("bomb1.gz"), gzipCompress(raw));
        expectFailure(path("bomb1.gz"), IdxKind::Images, "more than 512 MiB");
    }

    void rejectsGzipBombBehindASmallHeader()
    {
        // A valid two-image header followed by 64 MB of zeros: the reader must stop after
        // one byte past the declared data instead of inflating everything.
        Bytes raw = idxBytes(2051, {2, 28, 28}, Bytes(std::size_t(64) << 20, 0));
        writeBytes(path("bomb2.gz"), gzipCompress(raw));
        expectFailure(path("bomb2.gz"), IdxKind::Images, "trailing bytes");
    }

    void honoursTheSizeCap()
    {
        writeBytes(path("capped"), imagesFile(4)); // 3,136 data bytes
        expectFailure(path("capped"), IdxKind::Images, "more than 3000 bytes", 3000);
        QCOMPARE(readIdxFile(path("capped"), IdxKind::Images, 3136).data.size(), std::size_t(3136));
    }

    void rejectsMissingFilesAndFolders()
    {
        expectFailure(path("does-not-exist.gz"), IdxKind::Images, "cannot open");
        expectFailure(m_dir.path().toStdString(), IdxKind::Images, "not a regular file");
    }

    void parsesFromMemory()
    {
        const Bytes bytes = labelsFile({9, 0});
        auto stream = memoryStream(bytes.data(), bytes.size(), "memory");
        QCOMPARE(readIdx(*stream, IdxKind::Labels).data, (std::vector<std::uint8_t>{9, 0}));
    }
};

QTEST_GUILESS_MAIN(TestIdx)
#include "tst_idx.moc"
