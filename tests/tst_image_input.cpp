// Reading the user's own pictures (core/image_input.h): the documented preparation step by
// step, every format and colour kind, and files that must be refused with their reason. A unit
// suite, so that CI also runs it under ASan and UBSan: this is where hostile bytes arrive.
#include "core/errors.h"
#include "core/image_input.h"
#include "support/png_bytes.h"

#include <QBuffer>
#include <QImage>
#include <QtTest>
#include <zlib.h>

using namespace atelier;
using atelier::test::pngChunk;
using atelier::test::pngHeaderOnly;

namespace {

std::string encoded(const QImage& image, const char* format, int quality = -1)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, quality);
    return bytes.toStdString();
}

QString refusal(const std::string& bytes)
{
    try {
        prepareImageBytes(bytes, "picture");
    } catch (const InputError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// A 1×1 grey PNG whose pixel data inflates to 8 MB: tiny on disk, huge when unpacked.
std::string pngBomb()
{
    const std::string zeros(8 << 20, '\0');
    std::string packed(compressBound(uLong(zeros.size())), '\0');
    uLongf packedSize = uLongf(packed.size());
    compress2(reinterpret_cast<Bytef*>(packed.data()), &packedSize,
              reinterpret_cast<const Bytef*>(zeros.data()), uLong(zeros.size()), 9);
    packed.resize(packedSize);
    return std::string("\x89PNG\r\n\x1a\n", 8) +
           pngChunk("IHDR", std::string("\0\0\0\x01\0\0\0\x01\x08\0\0\0\0", 13)) +
           pngChunk("IDAT", packed) + pngChunk("IEND", "");
}

// A 60×30 bar of `bar` on a 100×100 picture of `background`.
std::vector<std::uint8_t> barPicture(std::uint8_t bar, std::uint8_t background)
{
    std::vector<std::uint8_t> grey(100 * 100, background);
    for (int y = 40; y < 70; ++y)
        for (int x = 20; x < 80; ++x)
            grey[std::size_t(y * 100 + x)] = bar;
    return grey;
}

} // namespace

class ImageInputTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aBarIsFittedAndCentred()
    {
        const PreparedImage prepared = prepareGreyImage(barPicture(255, 0), 100, 100);
        QVERIFY(!prepared.inverted && !prepared.unchanged);
        // 60×30 → 28×14, rows 7..20, the full width.
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                QCOMPARE(int(prepared.pixels[std::size_t(y * 28 + x)]), y >= 7 && y < 21 ? 255 : 0);
    }

    void aLightBackgroundIsNegatedAndMadeBlack()
    {
        // A black bar on light grey (200): negated to a 55 background, which becomes 0.
        const PreparedImage prepared = prepareGreyImage(barPicture(0, 200), 100, 100);
        QVERIFY(prepared.inverted);
        QCOMPARE(int(prepared.pixels[0]), 0);
        QCOMPARE(int(prepared.pixels[14 * 28 + 14]), 255);
    }

    void aDarkGreyBackgroundBecomesBlackAndLevelsStretch()
    {
        // Background 40, bar 160: (160 − 40) × 255 / 215 = 142.
        const PreparedImage prepared = prepareGreyImage(barPicture(160, 40), 100, 100);
        QVERIFY(!prepared.inverted);
        QCOMPARE(int(prepared.pixels[0]), 0);
        QCOMPARE(int(prepared.pixels[14 * 28 + 14]), 142);
    }

    void aSmallPictureIsEnlarged()
    {
        // A 7×14 white block on black, 10×20 picture: cut to 7×14, fitted to 14×28.
        std::vector<std::uint8_t> grey(10 * 20, 0);
        for (int y = 3; y < 17; ++y)
            for (int x = 1; x < 8; ++x)
                grey[std::size_t(y * 10 + x)] = 255;
        const PreparedImage prepared = prepareGreyImage(grey, 10, 20);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                QCOMPARE(int(prepared.pixels[std::size_t(y * 28 + x)]), x >= 7 && x < 21 ? 255 : 0);
    }

    void a28x28PictureOnBlackIsUsedAsItIs()
    {
        std::vector<std::uint8_t> grey(784, 0);
        for (std::size_t i = 0; i < grey.size(); ++i)
            if ((i % 28) > 3 && (i % 28) < 20 && i / 28 > 5)
                grey[i] = std::uint8_t(i % 251);
        const PreparedImage prepared = prepareGreyImage(grey, 28, 28);
        QVERIFY(prepared.unchanged);
        QVERIFY(std::equal(grey.begin(), grey.end(), prepared.pixels.begin()));
    }

    void aBlankPictureGivesABlankImage()
    {
        const PreparedImage black = prepareGreyImage(std::vector<std::uint8_t>(50 * 40, 0), 50, 40);
        QVERIFY(
            std::all_of(black.pixels.begin(), black.pixels.end(), [](auto v) { return v == 0; }));
        const PreparedImage white =
            prepareGreyImage(std::vector<std::uint8_t>(3 * 1, 255), 3, 1); // negated: black
        QVERIFY(white.inverted);
        QVERIFY(
            std::all_of(white.pixels.begin(), white.pixels.end(), [](auto v) { return v == 0; }));
    }

    void everyFormatAndColourKindDecodes_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("imageFormat");
        for (const char* format : {"PNG", "JPEG", "BMP"})
            for (QImage::Format kind :
                 {QImage::Format_Grayscale8, QImage::Format_RGB32, QImage::Format_ARGB32})
                QTest::addRow("%s %d", format, int(kind)) << QString(format) << int(kind);
    }

    void everyFormatAndColourKindDecodes()
    {
        QFETCH(QString, format);
        QFETCH(int, imageFormat);
        // A white bar on black, 90×60, in the format and colour kind asked.
        QImage image(90, 60, QImage::Format(imageFormat));
        image.fill(QColor(0, 0, 0));
        for (int y = 10; y < 40; ++y)
            for (int x = 15; x < 75; ++x)
                image.setPixelColor(x, y, QColor(255, 255, 255));
        const PreparedImage prepared =
            prepareImageBytes(encoded(image, qPrintable(format), 95), "bar");
        QCOMPARE(prepared.sourceWidth, 90);
        QCOMPARE(prepared.sourceHeight, 60);
        QVERIFY(!prepared.inverted);
        QVERIFY(prepared.pixels[14 * 28 + 14] > 240); // the bar's middle
        QVERIFY(prepared.pixels[2 * 28 + 14] < 15);   // above it
    }

    void aTopDownBmpDecodes()
    {
        // The same rows, stored top-down (negative height): the bar moves to the other half.
        QImage image(40, 40, QImage::Format_RGB32);
        image.fill(Qt::black);
        for (int y = 0; y < 10; ++y)
            for (int x = 0; x < 40; ++x)
                image.setPixelColor(x, y, Qt::white);
        std::string bmp = encoded(image, "BMP");
        std::string topDown = bmp;
        topDown.replace(22, 4, std::string("\xd8\xff\xff\xff", 4)); // −40
        const PreparedImage upright = prepareImageBytes(bmp, "bmp");
        const PreparedImage flipped = prepareImageBytes(topDown, "top-down");
        QCOMPARE(flipped.sourceHeight, 40);
        QCOMPARE(upright.sourceHeight, 40);
        // The bar is cut out and fitted either way: the same picture.
        QVERIFY(upright.pixels == flipped.pixels);
    }

    void dataAfterAJpegsEndIsIgnored()
    {
        // Phones append a video after the picture ("motion photos"), with any bytes in it.
        QImage image(50, 50, QImage::Format_RGB32);
        image.fill(Qt::black);
        const std::string jpeg = encoded(image, "JPEG", 90);
        const std::string withVideo = jpeg + std::string("ftypmp4\xFF\xDA\x00\x08junk", 16);
        QCOMPARE(prepareImageBytes(withVideo, "motion").sourceWidth, 50);
    }

    void transparencyCountsAsWhite()
    {
        // A transparent picture with an opaque black bar: the background is white, negated.
        QImage image(80, 80, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        for (int y = 20; y < 60; ++y)
            for (int x = 30; x < 50; ++x)
                image.setPixelColor(x, y, QColor(0, 0, 0));
        const PreparedImage prepared = prepareImageBytes(encoded(image, "PNG"), "cutout");
        QVERIFY(prepared.inverted);
        QCOMPARE(int(prepared.pixels[14 * 28 + 14]), 255);
        QCOMPARE(int(prepared.pixels[14 * 28 + 2]), 0);
    }

    void hostileBytesAreRefusedWithTheirReason_data()
    {
        QImage image(64, 48, QImage::Format_RGB32);
        image.fill(QColor(30, 60, 90));
        const std::string png = encoded(image, "PNG"), jpeg = encoded(image, "JPEG", 90),
                          bmp = encoded(image, "BMP");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        const auto row = [](const char* name, const std::string& bytes, const char* reason) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString(reason);
        };
        row("empty", "", "picture: the file is empty");
        row("text", "hello, world\n", "picture: not a PNG, JPEG or BMP image");
        row("gif", "GIF89a\x01\x00\x01\x00", "not a PNG, JPEG or BMP image");
        row("png signature only", png.substr(0, 8), "picture: not a readable image");
        row("png cut in its data", png.substr(0, png.size() - 20), "corrupt or truncated");
        row("jpeg cut", jpeg.substr(0, jpeg.size() / 2), "picture: the image file is truncated");
        row("jpeg without end marker", jpeg.substr(0, jpeg.size() - 2), "truncated");
        row("bmp cut", bmp.substr(0, bmp.size() / 2), "truncated");
        row("bmp header only", bmp.substr(0, 20), "truncated");
        row("too wide", pngHeaderOnly(20000, 10), "20000×10 pixels is larger than Atelier decodes");
        row("too many pixels", pngHeaderOnly(9000, 9000),
            "at most 16384 pixels a side and 50.0 MP");
        row("zero size", pngHeaderOnly(0, 0), "not a readable image");
        // Found by tests/fuzz: BMP headers whose size the decoder reads otherwise than the
        // header check did (zero height, a top-down height of millions of rows).
        std::string flat = bmp;
        flat.replace(22, 4, std::string("\x00\x00\x00\x00", 4));
        row("bmp of height 0", flat, "holds no picture");
        std::string tall = bmp;
        tall.replace(22, 4, std::string("\x0c\x00\xd9\xff", 4)); // −2,555,892 rows
        row("bmp of millions of rows", tall, "64×2555892 pixels is larger than Atelier decodes");
        // Found by tests/fuzz: a Huffman table of 512 codes, which stb_image would write past.
        std::string huffman = jpeg;
        const std::size_t dht = huffman.find("\xFF\xC4");
        huffman.replace(dht + 5, 16, std::string(16, '\x20'));
        row("jpeg huffman table overflow", huffman, "a Huffman table with more than 256 codes");
        row("png that unpacks to 8 MB", pngBomb(), "unpacks to more than Atelier decodes");
        // A BMP cut in its pixels whose header gives no file size (0 is allowed there).
        std::string unsized = bmp.substr(0, bmp.size() - 300);
        unsized.replace(2, 4, std::string(4, '\0'));
        row("bmp cut, no declared size", unsized, "truncated");
        row("too big a file", std::string((64 << 20) + 1, 'B'), "larger than the 64 MB");
        std::string flipped = png;
        flipped[png.size() / 2] = char(~flipped[png.size() / 2]);
        row("png with a flipped byte", flipped, "corrupt or truncated");
    }

    void hostileBytesAreRefusedWithTheirReason()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const QString message = refusal(bytes.toStdString());
        QVERIFY2(message.contains(reason), qPrintable(message.isEmpty() ? "accepted" : message));
    }

    void folderAndMissingFileAreRefused()
    {
        QTemporaryDir dir;
        for (const QString& path : {dir.path(), dir.filePath("absent.png")}) {
            try {
                prepareImageFile(path.toStdString());
                QFAIL("accepted");
            } catch (const InputError& e) {
                QVERIFY2(QString(e.what()).startsWith(path), e.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(ImageInputTest)
#include "tst_image_input.moc"
