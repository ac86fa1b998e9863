// The run folder lock: flock(2) on train.lock, released by the kernel with the process.
#include "run_lock.h"

#include "errors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace atelier {
namespace {

std::string lockPath(const std::string& folder)
{
    return folder + "/train.lock";
}

} // namespace

RunFolderLock::RunFolderLock(const std::string& folder)
{
    m_fd = ::open(lockPath(folder).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw InputError(lockPath(folder) + ": cannot create: " + std::strerror(errno));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (error == EWOULDBLOCK)
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
    const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return locked;
}

} // namespace atelier
