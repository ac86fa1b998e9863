// The signals that stop a training: Ctrl-C, and what kill, systemd, a closed terminal and
// Slurm's time limit send. Shared by atelier-cli and the studio, which react differently
// (stop the trainer; wake the event loop) but install and hand over the same way.
#pragma once

#include <csignal>

namespace atelier {

using StopSignalHandler = void (*)(int);

// While it lives, `handler` handles SIGINT, SIGTERM and SIGHUP, except a signal the user chose
// to ignore (nohup's SIGHUP, SIGINT of a background job): that one stays ignored. The
// previous actions come back on destruction.
class StopSignalHandlers
{
public:
    explicit StopSignalHandlers(StopSignalHandler handler);
    ~StopSignalHandlers();
    StopSignalHandlers(const StopSignalHandlers&) = delete;
    StopSignalHandlers& operator=(const StopSignalHandlers&) = delete;

private:
    static constexpr int kCount = 3;
    struct sigaction m_previous[kCount] = {};
};

// For `handler` itself (async-signal-safe): the signals it still handles get their default
// action back, so that a second one ends the process at once.
void letTheNextStopSignalEndTheProcess(StopSignalHandler handler);

} // namespace atelier
