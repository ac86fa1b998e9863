// zlib-backed file stream and an in-memory stream for the IDX reader.
#include "byte_stream.h"

#include "errors.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <zlib.h>

namespace atelier {
namespace {

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class GzipFileStream final : public ByteStream
{
public:
    explicit GzipFileStream(std::string path) : m_path(std::move(path))
    {
        struct stat info
        {
        };
        if (::stat(m_path.c_str(), &info) != 0)
            throw DataError(m_path + ": cannot open: " + std::strerror(errno));
        if (!S_ISREG(info.st_mode))
            throw DataError(m_path + ": not a regular file");
        if (endsWith(m_path, ".gz"))
            checkGzipHeader();
        m_file = gzopen(m_path.c_str(), "rb");
        if (!m_file)
            throw DataError(m_path + ": cannot open: " + std::strerror(errno));
        // zlib's default 8 KiB buffers make a 47 MB file take thousands of tiny reads.
        gzbuffer(m_file, 1 << 17);
    }

    ~GzipFileStream() override
    {
        if (m_file)
            gzclose_r(m_file);
    }

    std::size_t read(std::uint8_t* out, std::size_t size) override
    {
        std::size_t total = 0;
        while (total < size) {
            const auto chunk =
                static_cast<unsigned>(std::min<std::size_t>(size - total, INT_MAX / 2));
            const int got = gzread(m_file, out + total, chunk);
            if (got < 0)
                throwZlibError();
            if (got == 0)
                break;
            total += static_cast<std::size_t>(got);
        }
        if (total < size)
            checkError(); // a short read may hide a truncated stream
        return total;
    }

    void finish() override
    {
        checkError();
        gzFile file = m_file;
        m_file = nullptr;
        const int rc = gzclose_r(file);
        if (rc == Z_BUF_ERROR)
            throw DataError(m_path + ": the gzip stream is truncated (unexpected end of file)");
        if (rc != Z_OK)
            throw DataError(m_path + ": gzip error while closing (code " + std::to_string(rc) +
                            ")");
    }

    const std::string& name() const override { return m_path; }

private:
    void checkGzipHeader()
    {
        std::FILE* raw = std::fopen(m_path.c_str(), "rb");
        if (!raw)
            throw DataError(m_path + ": cannot open: " + std::strerror(errno));
        unsigned char magic[2] = {0, 0};
        const std::size_t got = std::fread(magic, 1, 2, raw);
        std::fclose(raw);
        if (got < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
            throw DataError(m_path + ": not gzip data although the name ends in .gz "
                                     "(a raw IDX file should not have the .gz suffix)");
    }

    void checkError()
    {
        int code = Z_OK;
        const char* message = gzerror(m_file, &code);
        if (code == Z_BUF_ERROR)
            throw DataError(m_path + ": the gzip stream is truncated (unexpected end of file)");
        if (code != Z_OK)
            throw DataError(m_path + ": gzip error: " + (message ? message : "unknown"));
    }

    [[noreturn]] void throwZlibError()
    {
        checkError();
        throw DataError(m_path + ": read error: " + std::strerror(errno));
    }

    std::string m_path;
    gzFile m_file = nullptr;
};

class MemoryStream final : public ByteStream
{
public:
    MemoryStream(const std::uint8_t* data, std::size_t size, std::string name)
        : m_data(data), m_size(size), m_name(std::move(name))
    {}

    std::size_t read(std::uint8_t* out, std::size_t size) override
    {
        const std::size_t n = std::min(size, m_size - m_pos);
        if (n > 0)
            std::memcpy(out, m_data + m_pos, n);
        m_pos += n;
        return n;
    }

    void finish() override {}
    const std::string& name() const override { return m_name; }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    std::string m_name;
};

} // namespace

std::unique_ptr<ByteStream> openDataFile(const std::string& path)
{
    return std::make_unique<GzipFileStream>(path);
}

std::unique_ptr<ByteStream> memoryStream(const std::uint8_t* data, std::size_t size,
                                         std::string name)
{
    return std::make_unique<MemoryStream>(data, size, std::move(name));
}

} // namespace atelier
