// SIGTERM, SIGHUP and SIGINT for the studio: what a logout, `kill` or Ctrl-C in the starting
// terminal send. Qt would die at once and a running training would lose its epoch in
// progress; instead the handler (async-signal-safe: one write to a socket) wakes the event
// loop, which stops the training cleanly. A second signal ends the process at once.
#pragma once

#include "core/stop_signals.h"

#include <QObject>
#include <memory>

class QSocketNotifier;

namespace atelier::ui {

class StopSignals : public QObject
{
    Q_OBJECT

public:
    // Installs the handlers; one instance per process.
    explicit StopSignals(QObject* parent = nullptr);
    ~StopSignals() override;

Q_SIGNALS:
    void received(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
    std::unique_ptr<StopSignalHandlers> m_handlers;
};

} // namespace atelier::ui
