// Who is training a run folder now: the training process holds an advisory write lock on
// `train.lock` in the folder for as long as it runs. The kernel releases it when the process
// ends in any way (kill -9, power loss), so "locked" means "training elsewhere" and an
// unlocked folder without metrics.json is a run that stopped. Resume takes the same lock:
// two processes never train one folder.
#pragma once

#include <string>

namespace atelier {

class RunFolderLock
{
public:
    // Takes the lock or throws InputError naming the folder (another process trains it, or
    // the lock file cannot be created).
    explicit RunFolderLock(const std::string& folder);
    ~RunFolderLock();
    RunFolderLock(const RunFolderLock&) = delete;
    RunFolderLock& operator=(const RunFolderLock&) = delete;

private:
    int m_fd = -1;
};

// True while some process holds the folder's lock (it is training there now).
bool isRunFolderLocked(const std::string& folder);

} // namespace atelier
