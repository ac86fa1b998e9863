// Test helpers: write IDX files (raw or gzipped, valid or deliberately broken) into a
// temporary folder.
#pragma once

#include <QTemporaryDir>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier::test {

using Bytes = std::vector<std::uint8_t>;

void appendBigEndian32(Bytes& bytes, std::uint32_t value);

// Header (magic + dims) followed by `data`.
Bytes idxBytes(std::uint32_t magic, const std::vector<std::uint32_t>& dims, const Bytes& data);

// `count` 28×28 images; image i is filled with the value i % 256.
Bytes imagesFile(std::uint32_t count);
Bytes labelsFile(const Bytes& labels);

Bytes gzipCompress(const Bytes& raw);

void writeBytes(const std::string& path, const Bytes& bytes);

// Writes the four Fashion-MNIST files with `trainCount` and `testCount` images into `dir`.
void writeFashionMnist(const std::string& dir, std::uint32_t trainCount, std::uint32_t testCount,
                       bool gzipped);

} // namespace atelier::test
