// The structure checks of internal/image_file_checks.h: a walk over a JPEG's markers as
// stb_image makes it, and a BMP's sizes against its header.
#include "internal/image_file_checks.h"

#include <cstdint>
#include <cstdlib>

namespace atelier {
namespace {

const char* const kTruncated = "the image file is truncated (its data ends too early)";

struct Bytes
{
    const std::string& data;
    // Past the end reads as 0, as stb_image reads it.
    std::uint32_t at(std::size_t i) const { return i < data.size() ? std::uint8_t(data[i]) : 0; }
    std::uint32_t little32(std::size_t i) const
    {
        return at(i) | at(i + 1) << 8 | at(i + 2) << 16 | at(i + 3) << 24;
    }
};

bool isRestart(std::uint32_t marker)
{
    return marker >= 0xD0 && marker <= 0xD7;
}

// Walks the segments the way stb_image does: bytes between segments are skipped up to the
// next FF, fill FFs too; entropy-coded data runs to the next marker that is not FF 00 or a
// restart. Anything after the end-of-image marker (a phone's appended video) is not read.
std::string jpegProblem(const std::string& data)
{
    const Bytes b{data};
    std::size_t at = 2; // after SOI
    while (at + 1 < data.size()) {
        if (b.at(at) != 0xFF) {
            ++at;
            continue;
        }
        while (at + 1 < data.size() && b.at(at + 1) == 0xFF)
            ++at;
        const std::uint32_t marker = b.at(at + 1);
        if (marker == 0xD9)
            return {}; // end of image
        if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || isRestart(marker)) {
            at += 2; // no length follows
            continue;
        }
        const std::size_t length = std::size_t(b.at(at + 2) << 8 | b.at(at + 3));
        if (marker == 0xC4) {
            // Debian's stb_image (2022-09) builds each Huffman table without checking that its
            // code counts sum to at most 256, then writes past the table (found by tests/fuzz;
            // fixed upstream in stb_image 2.28). Read as stb reads it: tables while the
            // declared length lasts.
            std::ptrdiff_t left = std::ptrdiff_t(length) - 2;
            for (std::size_t table = at + 4; left > 0;) {
                std::size_t codes = 0;
                for (std::size_t i = 1; i <= 16; ++i)
                    codes += b.at(table + i);
                if (codes > 256)
                    return "the JPEG data is corrupt (a Huffman table with more than 256 codes)";
                table += 17 + codes;
                left -= std::ptrdiff_t(17 + codes);
            }
        }
        at += 2 + length;
        if (marker == 0xDA)
            while (at + 1 < data.size() &&
                   !(b.at(at) == 0xFF && b.at(at + 1) != 0x00 && !isRestart(b.at(at + 1))))
                ++at;
    }
    return kTruncated; // no end-of-image marker: the file was cut
}

std::string bmpProblem(const std::string& data)
{
    const Bytes b{data};
    // 14-byte file header + the smallest (OS/2, 12-byte) bitmap header.
    if (data.size() < 26)
        return kTruncated;
    const std::uint64_t declaredSize = b.little32(2);
    const std::uint64_t pixelOffset = b.little32(10);
    if ((declaredSize != 0 && data.size() < declaredSize) || data.size() <= pixelOffset)
        return kTruncated;
    // Uncompressed pixels with a Windows header: the rows the header promises must be there.
    const std::uint32_t headerSize = b.little32(14);
    if (headerSize >= 40 && data.size() >= 54 && b.little32(30) == 0) {
        const std::uint64_t width = std::uint64_t(std::llabs(std::int32_t(b.little32(18))));
        const std::uint64_t height = std::uint64_t(std::llabs(std::int32_t(b.little32(22))));
        const std::uint64_t bits = b.at(28) | b.at(29) << 8;
        if (width <= (1u << 16) && height <= (1u << 16) && bits <= 32) {
            const std::uint64_t rowBytes = (width * bits + 31) / 32 * 4;
            if (data.size() < pixelOffset + rowBytes * height)
                return kTruncated;
        }
    }
    return {};
}

} // namespace

ImageFileKind imageFileKind(const std::string& bytes)
{
    if (bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0)
        return ImageFileKind::Png;
    if (bytes.compare(0, 3, "\xFF\xD8\xFF") == 0)
        return ImageFileKind::Jpeg;
    if (bytes.compare(0, 2, "BM") == 0)
        return ImageFileKind::Bmp;
    return ImageFileKind::Other;
}

std::string imageStructureProblem(const std::string& bytes, ImageFileKind kind)
{
    switch (kind) {
    case ImageFileKind::Jpeg:
        return jpegProblem(bytes);
    case ImageFileKind::Bmp:
        return bmpProblem(bytes);
    case ImageFileKind::Png:   // stb_image checks the compressed stream's end itself
    case ImageFileKind::Other: // refused before this
        break;
    }
    return {};
}

} // namespace atelier
