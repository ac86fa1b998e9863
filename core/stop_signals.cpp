// Installing and handing over the stop signals with sigaction (async-signal-safe).
#include "stop_signals.h"

#include <iterator>

namespace atelier {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

} // namespace

StopSignalHandlers::StopSignalHandlers(StopSignalHandler handler)
{
    static_assert(std::size(kStopSignals) == kCount);
    struct sigaction action
    {
    };
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < kCount; ++i) {
        ::sigaction(kStopSignals[i], nullptr, &m_previous[i]);
        if (m_previous[i].sa_handler != SIG_IGN)
            ::sigaction(kStopSignals[i], &action, nullptr);
    }
}

StopSignalHandlers::~StopSignalHandlers()
{
    for (int i = 0; i < kCount; ++i)
        ::sigaction(kStopSignals[i], &m_previous[i], nullptr);
}

void letTheNextStopSignalEndTheProcess(StopSignalHandler handler)
{
    struct sigaction defaultAction
    {
    };
    defaultAction.sa_handler = SIG_DFL;
    for (int signal : kStopSignals) {
        struct sigaction current
        {
        };
        if (::sigaction(signal, nullptr, &current) == 0 && current.sa_handler == handler)
            ::sigaction(signal, &defaultAction, nullptr);
    }
}

} // namespace atelier
