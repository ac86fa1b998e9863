// While a StopSignalsStopTraining lives, SIGINT, SIGTERM and SIGHUP stop its trainer after
// the current batch; the run is then written as interrupted (best weights kept) and
// resumable. A second signal ends the process at once. Shared by `train` and `sweep trial`
// (a Slurm time limit sends SIGTERM).
#pragma once

#include "core/stop_signals.h"
#include "core/trainer.h"

namespace atelier::cli {

class StopSignalsStopTraining
{
public:
    explicit StopSignalsStopTraining(Trainer& trainer)
        : m_publication(trainer), m_handlers(onSignal)
    {}
    StopSignalsStopTraining(const StopSignalsStopTraining&) = delete;
    StopSignalsStopTraining& operator=(const StopSignalsStopTraining&) = delete;

private:
    // Makes the trainer reachable from the signal handler while it lives.
    struct Publication
    {
        explicit Publication(Trainer& trainer);
        ~Publication();
    };
    static void onSignal(int);

    // Published before the handlers are installed and unpublished after they are removed
    // (members are destroyed in reverse order): no signal finds the trainer missing.
    Publication m_publication;
    StopSignalHandlers m_handlers;
};

} // namespace atelier::cli
