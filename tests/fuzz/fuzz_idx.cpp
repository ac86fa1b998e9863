// libFuzzer target for the IDX reader: the parser on raw bytes from memory, and the whole
// file path (gzip detection, zlib, truncation checks) through a temporary file.
#include "core/byte_stream.h"
#include "core/errors.h"
#include "core/idx.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

// Small enough that the fuzzer never spends its time allocating.
constexpr std::size_t kFuzzMaxBytes = std::size_t(1) << 20;

void parse(atelier::ByteStream& stream, atelier::IdxKind kind)
{
    try {
        atelier::readIdx(stream, kind, kFuzzMaxBytes);
    } catch (const atelier::DataError&) {
        // Rejecting bad input with a DataError is the expected outcome.
    }
}

std::string writeTemporary(const std::uint8_t* data, std::size_t size, const char* suffix)
{
    const std::string path = "/tmp/atelier-fuzz-" + std::to_string(::getpid()) + suffix;
    if (std::FILE* file = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, file);
        std::fclose(file);
    }
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    // The first byte chooses the labels or images parser; the rest is the file.
    const auto kind = (data[0] & 1) ? atelier::IdxKind::Images : atelier::IdxKind::Labels;
    auto memory = atelier::memoryStream(data + 1, size - 1, "fuzz");
    parse(*memory, kind);

    for (const char* suffix : {".gz", ".idx"}) {
        const std::string path = writeTemporary(data + 1, size - 1, suffix);
        try {
            auto file = atelier::openDataFile(path);
            parse(*file, kind);
        } catch (const atelier::DataError&) {
        }
        std::remove(path.c_str());
    }
    return 0;
}
