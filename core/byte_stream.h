// Sequential byte sources for the data loaders: a file that may be gzip-compressed, or a
// buffer in memory (tests and the fuzz target). Errors are DataError naming the source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace atelier {

class ByteStream
{
public:
    virtual ~ByteStream() = default;
    // Reads up to `size` bytes; returns how many were read (fewer only at the end).
    // Throws DataError on a read or decompression error.
    virtual std::size_t read(std::uint8_t* out, std::size_t size) = 0;
    // Reports errors that zlib only reveals at the end (truncated stream, bad CRC).
    virtual void finish() = 0;
    // The name used in error messages (the file path).
    virtual const std::string& name() const = 0;
};

// Opens `path` for reading. A name ending in ".gz" must hold gzip data; other names are read
// as they are (or decompressed when they turn out to be gzip).
std::unique_ptr<ByteStream> openDataFile(const std::string& path);

std::unique_ptr<ByteStream> memoryStream(const std::uint8_t* data, std::size_t size,
                                         std::string name);

} // namespace atelier
