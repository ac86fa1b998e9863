#include "support/png_bytes.h"

#include <zlib.h>

namespace atelier::test {
namespace {

void appendBigEndian(std::string& bytes, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        bytes += char((value >> shift) & 0xff);
}

} // namespace

std::string pngChunk(const std::string& type, const std::string& data)
{
    std::string chunk;
    appendBigEndian(chunk, std::uint32_t(data.size()));
    const std::string body = type + data;
    chunk += body;
    appendBigEndian(chunk, std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                               uInt(body.size()))));
    return chunk;
}

std::string pngHeaderOnly(std::uint32_t width, std::uint32_t height)
{
    std::string header;
    appendBigEndian(header, width);
    appendBigEndian(header, height);
    header += std::string("\x08\x00\x00\x00\x00", 5); // 8-bit grey
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header);
}

} // namespace atelier::test
