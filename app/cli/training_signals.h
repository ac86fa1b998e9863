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
    explicit StopSignalsStopTraining(Trainer& trainer);
    ~StopSignalsStopTraining();
    StopSignalsStopTraining(const StopSignalsStopTraining&) = delete;
    StopSignalsStopTraining& operator=(const StopSignalsStopTraining&) = delete;

private:
    bool m_published;
    StopSignalHandlers m_handlers; // after m_published: installed second, removed first
};

} // namespace atelier::cli
