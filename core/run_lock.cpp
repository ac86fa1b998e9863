// The run folder lock: an open-file-description lock (fcntl F_OFD_SETLK) on train.lock,
// released by the kernel with the process. OFD locks can be tested without being taken
// (F_OFD_GETLK): probing a folder never makes a starting trainer fail, as a brief flock did.
#include "run_lock.h"

#include "errors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace atelier {
namespace {

std::string lockPath(const std::string& folder)
{
    return folder + "/train.lock";
}

struct flock wholeFile(short type)
{
    struct flock region
    {
    };
    region.l_type = type;
    region.l_whence = SEEK_SET; // start 0, length 0: the whole file
    return region;
}

} // namespace

RunFolderLock::RunFolderLock(const std::string& folder)
{
    m_fd = ::open(lockPath(folder).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw InputError(lockPath(folder) + ": cannot create: " + std::strerror(errno));
    struct flock region = wholeFile(F_WRLCK);
    if (::fcntl(m_fd, F_OFD_SETLK, &region) != 0) {
        const int error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (error == EAGAIN || error == EACCES)
            throw InputError(folder + ": another process is training this run now");
        throw InputError(lockPath(folder) + ": cannot lock: " + std::strerror(error));
    }
}

RunFolderLock::~RunFolderLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the lock; the file stays (removing it would race a locker)
}

bool isRunFolderLocked(const std::string& folder)
{
    const int fd = ::open(lockPath(folder).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock region = wholeFile(F_RDLCK);
    const bool locked = ::fcntl(fd, F_OFD_GETLK, &region) == 0 && region.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

} // namespace atelier
