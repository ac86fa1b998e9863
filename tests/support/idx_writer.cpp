// IDX and gzip writers for the data tests.
#include "support/idx_writer.h"

#include <cstdio>
#include <stdexcept>
#include <zlib.h>

namespace atelier::test {

void appendBigEndian32(Bytes& bytes, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        bytes.push_back(std::uint8_t(value >> shift));
}

Bytes idxBytes(std::uint32_t magic, const std::vector<std::uint32_t>& dims, const Bytes& data)
{
    Bytes bytes;
    appendBigEndian32(bytes, magic);
    for (std::uint32_t d : dims)
        appendBigEndian32(bytes, d);
    bytes.insert(bytes.end(), data.begin(), data.end());
    return bytes;
}

Bytes imagesFile(std::uint32_t count)
{
    Bytes data;
    data.reserve(std::size_t(count) * 784);
    for (std::uint32_t i = 0; i < count; ++i)
        data.insert(data.end(), 784, std::uint8_t(i % 256));
    return idxBytes(2051, {count, 28, 28}, data);
}

Bytes labelsFile(const Bytes& labels)
{
    return idxBytes(2049, {std::uint32_t(labels.size())}, labels);
}

Bytes gzipCompress(const Bytes& raw)
{
    z_stream stream{};
    // windowBits 15 + 16 selects the gzip wrapper.
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    Bytes out(deflateBound(&stream, uLong(raw.size())) + 64);
    stream.next_in = const_cast<Bytef*>(raw.data());
    stream.avail_in = uInt(raw.size());
    stream.next_out = out.data();
    stream.avail_out = uInt(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate failed");
    out.resize(stream.total_out);
    return out;
}

void writeBytes(const std::string& path, const Bytes& bytes)
{
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file)
        throw std::runtime_error("cannot write " + path);
    if (!bytes.empty()) // an empty vector's data() may be null, which fwrite must not get
        std::fwrite(bytes.data(), 1, bytes.size(), file);
    std::fclose(file);
}

void writeFashionMnist(const std::string& dir, std::uint32_t trainCount, std::uint32_t testCount,
                       bool gzipped)
{
    auto labelsFor = [](std::uint32_t count) {
        Bytes labels(count);
        for (std::uint32_t i = 0; i < count; ++i)
            labels[i] = std::uint8_t(i % 10);
        return labels;
    };
    auto write = [&](const std::string& name, const Bytes& raw) {
        if (gzipped)
            writeBytes(dir + "/" + name + ".gz", gzipCompress(raw));
        else
            writeBytes(dir + "/" + name, raw);
    };
    write("train-images-idx3-ubyte", imagesFile(trainCount));
    write("train-labels-idx1-ubyte", labelsFile(labelsFor(trainCount)));
    write("t10k-images-idx3-ubyte", imagesFile(testCount));
    write("t10k-labels-idx1-ubyte", labelsFile(labelsFor(testCount)));
}

} // namespace atelier::test
