// The self-pipe trick: the handler writes the signal number to a socket the event loop reads.
#include "stop_signals.h"

#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <iterator>
#include <sys/socket.h>
#include <unistd.h>

namespace atelier::ui {
namespace {

constexpr int kStopSignals[] = {SIGTERM, SIGHUP, SIGINT};
int g_socket[2] = {-1, -1}; // [0] written by the handler, [1] read by the event loop
struct sigaction g_previous[std::size(kStopSignals)] = {};

void restorePrevious()
{
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
        ::sigaction(kStopSignals[i], &g_previous[i], nullptr);
}

extern "C" void onStudioStopSignal(int signal)
{
    const int savedErrno = errno;
    const unsigned char number = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_socket[0], &number, 1);
    // The next one ends the process: the default action for what we handle.
    struct sigaction defaultAction
    {
    };
    defaultAction.sa_handler = SIG_DFL;
    for (int handled : kStopSignals) {
        struct sigaction current
        {
        };
        if (::sigaction(handled, nullptr, &current) == 0 &&
            current.sa_handler == onStudioStopSignal)
            ::sigaction(handled, &defaultAction, nullptr);
    }
    errno = savedErrno;
}

} // namespace

StopSignals::StopSignals(QObject* parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_socket) != 0)
        return; // without the pair the default actions stay: no worse than before
    m_notifier = new QSocketNotifier(g_socket[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        unsigned char number = 0;
        if (::read(g_socket[1], &number, 1) == 1)
            Q_EMIT received(int(number));
    });
    struct sigaction action
    {
    };
    action.sa_handler = onStudioStopSignal;
    sigemptyset(&action.sa_mask);
    // A signal the user chose to ignore (nohup's SIGHUP) stays ignored.
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
        ::sigaction(kStopSignals[i], nullptr, &g_previous[i]);
        if (g_previous[i].sa_handler != SIG_IGN)
            ::sigaction(kStopSignals[i], &action, nullptr);
    }
}

StopSignals::~StopSignals()
{
    restorePrevious();
    delete m_notifier;
    for (int& fd : g_socket) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

} // namespace atelier::ui
