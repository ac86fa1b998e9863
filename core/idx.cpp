// IDX parsing on top of ByteStream; see idx.h for the checks it makes.
#include "idx.h"

#include "byte_stream.h"
#include "errors.h"

#include <algorithm>

namespace atelier {
namespace {

constexpr std::uint32_t kLabelsMagic = 2049; // 0x00000801: unsigned bytes, 1 dimension
constexpr std::uint32_t kImagesMagic = 2051; // 0x00000803: unsigned bytes, 3 dimensions

std::uint32_t bigEndian32(const std::uint8_t* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

std::uint32_t readWord(ByteStream& stream, const char* what)
{
    std::uint8_t bytes[4];
    const std::size_t got = stream.read(bytes, 4);
    if (got != 4)
        throw DataError(stream.name() + ": truncated header: the file ends before its " + what);
    return bigEndian32(bytes);
}

std::string describeMagic(std::uint32_t magic)
{
    if (magic == kLabelsMagic)
        return "2049 (a labels file)";
    if (magic == kImagesMagic)
        return "2051 (an images file)";
    return std::to_string(magic);
}

std::string byteLimitText(std::size_t bytes)
{
    constexpr std::size_t kMiB = std::size_t(1) << 20;
    if (bytes >= kMiB && bytes % kMiB == 0)
        return std::to_string(bytes / kMiB) + " MiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace

IdxArray readIdx(ByteStream& stream, IdxKind kind, std::size_t maxBytes)
{
    const std::uint32_t expectedMagic = kind == IdxKind::Labels ? kLabelsMagic : kImagesMagic;
    const std::size_t rank = kind == IdxKind::Labels ? 1 : 3;

    const std::uint32_t magic = readWord(stream, "magic number");
    if (magic != expectedMagic)
        throw DataError(stream.name() + ": bad magic number " + describeMagic(magic) +
                        ", expected " + describeMagic(expectedMagic));

    IdxArray array;
    std::size_t total = 1;
    static const char* const kDimNames[] = {"item count", "row count", "column count"};
    for (std::size_t i = 0; i < rank; ++i) {
        const std::uint32_t dim = readWord(stream, kDimNames[i]);
        if (dim == 0)
            throw DataError(stream.name() + ": the header's " + kDimNames[i] + " is 0");
        // Check the running product against the cap before it can overflow size_t.
        if (total > maxBytes / dim)
            throw DataError(stream.name() + ": the header declares more than " +
                            byteLimitText(maxBytes) + " of data (the reader's limit)");
        total *= dim;
        array.dims.push_back(dim);
    }

    // Grow the buffer as data arrives, so that a tiny file whose header declares a huge
    // array fails on truncation without first allocating what the header claims.
    constexpr std::size_t kChunkBytes = std::size_t(8) << 20;
    std::size_t got = 0;
    while (got < total) {
        const std::size_t want = std::min(kChunkBytes, total - got);
        array.data.resize(got + want);
        const std::size_t n = stream.read(array.data.data() + got, want);
        got += n;
        if (n < want)
            break;
    }
    if (got != total)
        throw DataError(stream.name() + ": truncated: the header declares " +
                        std::to_string(total) + " data bytes but the file ends after " +
                        std::to_string(got));
    std::uint8_t extra = 0;
    if (stream.read(&extra, 1) != 0)
        throw DataError(stream.name() + ": trailing bytes after the " + std::to_string(total) +
                        " data bytes the header declares");
    stream.finish();
    return array;
}

IdxArray readIdxFile(const std::string& path, IdxKind kind, std::size_t maxBytes)
{
    auto stream = openDataFile(path);
    return readIdx(*stream, kind, maxBytes);
}

} // namespace atelier
