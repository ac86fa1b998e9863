// The matrix experiment off the GUI thread, latest request only (see matrix_lab_runner.h).
#include "ui/inside/matrix_lab_runner.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <exception>

namespace atelier::ui {

struct MatrixLabRunner::Shared
{
    // The request whose results are wanted (0: none): the pool thread compares it between
    // cases and gives up on a stale request.
    std::atomic<quint64> wanted{0};
    std::atomic<int> runningCase{-1};
};

struct MatrixLabRunner::Outcome
{
    quint64 id = 0;
    bool complete = false; // every case computed
    std::vector<MatrixLabResult> results;
    QString error;
};

MatrixLabRunner::MatrixLabRunner(QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>()),
      m_watcher(new QFutureWatcher<Outcome>(this))
{
    connect(m_watcher, &QFutureWatcherBase::finished, this, &MatrixLabRunner::onJobFinished);
}

MatrixLabRunner::~MatrixLabRunner()
{
    // The job keeps its own copy of the shared state; it stops at the next depth.
    m_shared->wanted = 0;
}

void MatrixLabRunner::request(std::vector<MatrixLabOptions> cases)
{
    const quint64 id = ++m_lastId;
    m_shared->wanted = id;
    m_waiting = true;
    if (m_running) {
        m_pendingId = id;
        m_pendingCases = std::move(cases);
        return;
    }
    start(id, std::move(cases));
}

void MatrixLabRunner::cancel()
{
    m_shared->wanted = 0;
    m_waiting = false;
    m_pendingId = 0;
    m_pendingCases.clear();
}

int MatrixLabRunner::runningCase() const
{
    return m_shared->runningCase;
}

void MatrixLabRunner::start(quint64 id, std::vector<MatrixLabOptions> cases)
{
    m_running = true;
    m_watcher->setFuture(QtConcurrent::run([shared = m_shared, id, cases = std::move(cases)] {
        Outcome outcome;
        outcome.id = id;
        try {
            for (std::size_t i = 0; i < cases.size(); ++i) {
                if (shared->wanted != id)
                    break;
                shared->runningCase = int(i);
                MatrixLabOptions options = cases[i];
                options.keepGoing = [&shared, id] { return shared->wanted == id; };
                outcome.results.push_back(runMatrixLab(options));
            }
            // A case stopped between two depths is stale: the request it belongs to is no
            // longer wanted.
            outcome.complete = outcome.results.size() == cases.size() && shared->wanted == id;
        } catch (const std::exception& error) {
            // The panel checks its input first: this is an internal failure (out of memory
            // for the largest matrices, say), reported rather than lost on a pool thread.
            outcome.error = QString::fromStdString(error.what());
        } catch (...) {
            outcome.error = QStringLiteral("an unknown error");
        }
        shared->runningCase = -1;
        return outcome;
    }));
}

void MatrixLabRunner::onJobFinished()
{
    m_running = false;
    const Outcome outcome = m_watcher->result();
    if (m_pendingId != 0) {
        const quint64 id = m_pendingId;
        m_pendingId = 0;
        start(id, std::move(m_pendingCases));
        m_pendingCases.clear();
        return;
    }
    if (outcome.id != m_shared->wanted)
        return;
    m_waiting = false;
    if (!outcome.error.isEmpty())
        Q_EMIT failed(outcome.error);
    else if (outcome.complete)
        Q_EMIT finished(outcome.results);
}

} // namespace atelier::ui
