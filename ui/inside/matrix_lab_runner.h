// Runs the matrix experiment's cases on a pool thread, one request at a time, and hands back
// only the latest request's results: a request that arrives while one runs waits and replaces
// any request already waiting, and the running one stops at its next depth (MatrixLabOptions::
// keepGoing), so neither a new request nor closing the studio waits for a stale computation
// of large matrices.
#pragma once

#include "core/matrix_lab.h"

#include <QObject>
#include <QString>
#include <memory>
#include <vector>

template <typename T> class QFutureWatcher;

namespace atelier::ui {

class MatrixLabRunner : public QObject
{
    Q_OBJECT

public:
    explicit MatrixLabRunner(QObject* parent = nullptr);
    ~MatrixLabRunner() override;

    // Computes `cases` in order; finished() or failed() follows unless a newer request or
    // cancel() comes first.
    void request(std::vector<MatrixLabOptions> cases);
    // Drops the latest request: nothing is reported until the next one.
    void cancel();
    // Whether a request is waiting for its results (false after cancel()).
    bool isWaiting() const { return m_waiting; }
    // The case the pool thread works on now, from 0; -1 when none.
    int runningCase() const;

Q_SIGNALS:
    void finished(const std::vector<atelier::MatrixLabResult>& results);
    void failed(const QString& message);

private:
    struct Shared;
    struct Outcome;

    void start(quint64 id, std::vector<MatrixLabOptions> cases);
    void onJobFinished();

    std::shared_ptr<Shared> m_shared; // with the pool thread, which may outlive this object
    QFutureWatcher<Outcome>* m_watcher = nullptr;
    quint64 m_lastId = 0;
    bool m_running = false;
    bool m_waiting = false;
    quint64 m_pendingId = 0; // 0: nothing waits
    std::vector<MatrixLabOptions> m_pendingCases;
};

} // namespace atelier::ui
