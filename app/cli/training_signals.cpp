// Stop signals that stop a trainer after its batch (see training_signals.h).
#include "training_signals.h"

#include <atomic>

namespace atelier::cli {
namespace {

std::atomic<Trainer*> g_activeTrainer{nullptr};

} // namespace

StopSignalsStopTraining::Publication::Publication(Trainer& trainer)
{
    g_activeTrainer = &trainer;
}

StopSignalsStopTraining::Publication::~Publication()
{
    g_activeTrainer = nullptr;
}

void StopSignalsStopTraining::onSignal(int)
{
    if (Trainer* trainer = g_activeTrainer.load())
        trainer->requestStop();
    letTheNextStopSignalEndTheProcess(onSignal);
}

} // namespace atelier::cli
