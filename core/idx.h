// Reader for the IDX format of (Fashion-)MNIST: a big-endian header (magic, dimensions)
// followed by unsigned bytes. Hardened against hostile files: every failure is a DataError
// naming the file and the problem, and memory is bounded by a cap checked before allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

class ByteStream;

enum class IdxKind
{
    Labels, // magic 2049, one dimension
    Images, // magic 2051, three dimensions (count, rows, cols)
};

struct IdxArray
{
    std::vector<std::uint32_t> dims; // dims[0] is the item count
    std::vector<std::uint8_t> data;  // product(dims) bytes
};

// Largest data section the reader accepts (Fashion-MNIST's biggest file holds 47 MB).
constexpr std::size_t kDefaultIdxMaxBytes = std::size_t(512) << 20;

IdxArray readIdx(ByteStream& stream, IdxKind kind, std::size_t maxBytes = kDefaultIdxMaxBytes);
IdxArray readIdxFile(const std::string& path, IdxKind kind,
                     std::size_t maxBytes = kDefaultIdxMaxBytes);

} // namespace atelier
