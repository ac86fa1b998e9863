// Stop signals that stop a trainer after its batch (see training_signals.h).
#include "training_signals.h"

#include <atomic>

namespace atelier::cli {
namespace {

std::atomic<Trainer*> g_activeTrainer{nullptr};

extern "C" void onStopSignal(int)
{
    if (Trainer* trainer = g_activeTrainer.load())
        trainer->requestStop();
    letTheNextStopSignalEndTheProcess(onStopSignal);
}

bool publish(Trainer& trainer)
{
    g_activeTrainer = &trainer;
    return true;
}

} // namespace

// The trainer is published before the handlers exist: no signal finds it missing.
StopSignalsStopTraining::StopSignalsStopTraining(Trainer& trainer)
    : m_published(publish(trainer)), m_handlers(onStopSignal)
{}

StopSignalsStopTraining::~StopSignalsStopTraining()
{
    g_activeTrainer = nullptr;
}

} // namespace atelier::cli
