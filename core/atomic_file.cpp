// Whole-file reads and atomic writes with POSIX calls (fsync before rename).
#include "atomic_file.h"

#include "errors.h"
#include "text_format.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace atelier {
namespace {

constexpr const char* kTemporaryInfix = ".tmp.";

std::string temporaryPath(const std::string& path)
{
    return path + kTemporaryInfix + std::to_string(::getpid());
}

void closeQuietly(int fd)
{
    const int saved = errno;
    ::close(fd);
    errno = saved;
}

} // namespace

void writeFileAtomically(const std::string& path, const std::string& contents)
{
    const std::string temporary = temporaryPath(path);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw InputError(path + ": cannot write: " + std::strerror(errno));
    auto fail = [&](const char* what, int error) {
        ::unlink(temporary.c_str());
        throw InputError(path + ": " + what + ": " + std::strerror(error));
    };
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n == 0 ? EIO : errno;
            closeQuietly(fd);
            fail("cannot write", error);
        }
        written += std::size_t(n);
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        closeQuietly(fd);
        fail("cannot write", error);
    }
    if (::close(fd) != 0)
        fail("cannot write", errno);
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
        fail("cannot replace", errno);
    // The rename itself reaches the disk only with the folder's entry: after a power loss
    // the new file is there, not only its data.
    const std::size_t slash = path.rfind('/');
    const std::string folder = slash == std::string::npos ? "."
                               : slash == 0               ? "/"
                                                          : path.substr(0, slash);
    const int directory = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory >= 0) {
        ::fsync(directory); // best effort: some file systems refuse fsync on folders
        ::close(directory);
    }
}

std::string readFileBounded(const std::string& path, std::uint64_t maxBytes)
{
    // Open first, then look at what was opened: no window between the check and the read.
    // O_NONBLOCK keeps open() of a FIFO from waiting for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        throw InputError(path + ": cannot open: " + std::strerror(errno));
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        throw InputError(path + ": cannot read: " + std::strerror(error));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        throw InputError(path + ": not a regular file" +
                         std::string(S_ISDIR(info.st_mode) ? " (a folder)" : ""));
    }
    if (std::uint64_t(info.st_size) > maxBytes) {
        ::close(fd);
        throw InputError(path + ": too large (" + withThousands(std::int64_t(info.st_size)) +
                         " bytes; at most " + withThousands(std::int64_t(maxBytes)) + " are read)");
    }
    std::string contents;
    contents.resize(std::size_t(info.st_size));
    std::size_t done = 0;
    for (;;) {
        if (done == contents.size()) {
            // The file may have grown since fstat: read one byte more to know.
            if (contents.size() >= maxBytes)
                break;
            contents.resize(std::min<std::uint64_t>(maxBytes, contents.size() + 4096));
        }
        const ssize_t n = ::read(fd, &contents[done], contents.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            throw InputError(path + ": cannot read: " + std::strerror(error));
        }
        if (n == 0)
            break;
        done += std::size_t(n);
    }
    ::close(fd);
    contents.resize(done);
    return contents;
}

std::string readTextFile(const std::string& path)
{
    return readFileBounded(path, kMaxTextFileBytes);
}

int removeStaleTemporaries(const std::string& folder)
{
    DIR* directory = ::opendir(folder.c_str());
    if (!directory)
        return 0;
    int removed = 0;
    while (const dirent* entry = ::readdir(directory)) {
        const std::string name = entry->d_name;
        const std::size_t at = name.rfind(kTemporaryInfix);
        if (at == std::string::npos || at == 0)
            continue;
        const std::string digits = name.substr(at + std::strlen(kTemporaryInfix));
        if (digits.empty() || digits.size() > 9 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const long pid = std::strtol(digits.c_str(), nullptr, 10);
        // Only a writer that no longer exists: a live process may still rename its file.
        if (pid <= 0 || pid == ::getpid() || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
            continue;
        if (::unlink((folder + "/" + name).c_str()) == 0)
            ++removed;
    }
    ::closedir(directory);
    return removed;
}

} // namespace atelier
