// Test helper: PNG files byte by byte (valid chunk CRCs), for headers that lie about their
// size and for pixel data that unpacks to far more than it should.
#pragma once

#include <cstdint>
#include <string>

namespace atelier::test {

// One chunk: length, type, data, CRC of type and data.
std::string pngChunk(const std::string& type, const std::string& data);

// A PNG that declares `width` × `height` 8-bit grey pixels and holds none: what a
// decompression bomb looks like to a decoder that trusts the header.
std::string pngHeaderOnly(std::uint32_t width, std::uint32_t height);

} // namespace atelier::test
