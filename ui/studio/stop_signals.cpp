// The self-pipe trick: the handler writes the signal number to a socket the event loop reads.
#include "ui/studio/stop_signals.h"

#include <QSocketNotifier>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace atelier::ui {
namespace {

int g_socket[2] = {-1, -1}; // [0] written by the handler, [1] read by the event loop

extern "C" void onStudioStopSignal(int signal)
{
    const int savedErrno = errno;
    const unsigned char number = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_socket[0], &number, 1);
    letTheNextStopSignalEndTheProcess(onStudioStopSignal);
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
    m_handlers = std::make_unique<StopSignalHandlers>(onStudioStopSignal);
}

StopSignals::~StopSignals()
{
    m_handlers.reset(); // the previous actions are back before the socket closes
    delete m_notifier;
    for (int& fd : g_socket) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

} // namespace atelier::ui
