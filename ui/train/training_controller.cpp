// Runs one training at a time on a background thread through core's TrainingSession.
#include "ui/train/training_controller.h"

#include "core/runtime.h"
#include "core/training_session.h"

#include <condition_variable>
#include <mutex>

namespace atelier::ui {

// What the GUI thread and the worker share: the trainer of the running job (so that stop
// and pause reach it) and the requests made before it existed.
struct TrainingShared
{
    std::mutex mutex;
    Trainer* trainer = nullptr;
    bool stopRequested = false;
    bool pauseRequested = false;
    std::mutex doneMutex;
    std::condition_variable doneCondition;
    bool done = true;
};

class TrainingWorker : public QObject
{
    Q_OBJECT

public:
    explicit TrainingWorker(std::shared_ptr<TrainingShared> shared) : m_shared(std::move(shared)) {}

public Q_SLOTS:
    void run(const atelier::ui::TrainingJob& job);

Q_SIGNALS:
    void started(const atelier::ui::RunStarted& run);
    void batchProgress(const atelier::ui::BatchUpdate& update);
    void epochFinished(const atelier::ui::EpochUpdate& update);
    void finished(const atelier::ui::RunFinished& run);
    void failed(const QString& message);

private:
    void execute(const TrainingJob& job);
    void setTrainer(Trainer* trainer);

    std::shared_ptr<TrainingShared> m_shared;
};

void TrainingWorker::setTrainer(Trainer* trainer)
{
    const std::lock_guard lock(m_shared->mutex);
    m_shared->trainer = trainer;
    if (trainer && m_shared->pauseRequested)
        trainer->pause();
    if (trainer && m_shared->stopRequested)
        trainer->requestStop();
}

void TrainingWorker::run(const TrainingJob& job)
{
    // Nothing may escape a slot on the worker thread: every failure becomes a signal.
    try {
        execute(job);
    } catch (const std::exception& error) {
        setTrainer(nullptr);
        Q_EMIT failed(QString::fromUtf8(error.what()));
    } catch (...) {
        setTrainer(nullptr);
        Q_EMIT failed(QStringLiteral("training failed with an unknown error"));
    }
    const std::lock_guard lock(m_shared->doneMutex);
    m_shared->done = true;
    m_shared->doneCondition.notify_all();
}

void TrainingWorker::execute(const TrainingJob& job)
{
    // The intra-op thread count belongs to the thread that runs the operations.
    const int threads = configureThreads(job.threads);
    SessionOptions options;
    options.outDirectory = job.outDirectory.toStdString();
    options.dataDirectory = job.dataDirectory.toStdString();
    options.limit = job.limit;
    options.threads = threads;
    const std::unique_ptr<TrainingSession> owned =
        job.resumeFolder.isEmpty()
            ? std::make_unique<TrainingSession>(job.preset, *job.data, options)
            : TrainingSession::resume(job.resumeFolder.toStdString(), *job.data, options);
    TrainingSession& session = *owned;
    Trainer& trainer = session.trainer();
    // Declared after the session, so destroyed before it: when run() throws, Stop (from the
    // GUI thread) can no longer reach the trainer being destroyed.
    struct ForgetTrainer
    {
        TrainingWorker* worker;
        ~ForgetTrainer() { worker->setTrainer(nullptr); }
    } forgetTrainer{this};

    RunStarted started;
    started.folder = QString::fromStdString(session.folder());
    started.deviceName = QString::fromStdString(trainer.device().name);
    started.deviceKind = QString::fromStdString(trainer.device().kind());
    started.threads = threads;
    started.trainCount = qint64(trainer.trainCount());
    started.devCount = qint64(trainer.devCount());
    started.parameters = session.parameters();
    started.resumedEpochs = session.resumedEpochs();
    started.layerStats = trainer.layerStats(); // read before training starts: no race
    Q_EMIT this->started(started);
    setTrainer(&trainer);

    TrainingCallbacks callbacks;
    callbacks.onBatch = [this](const BatchProgress& progress) {
        // core reports at most every kProgressIntervalMs: no further throttling needed.
        BatchUpdate update;
        update.epoch = progress.epoch;
        update.epochs = progress.epochs;
        update.batchesPerEpoch = progress.batchesPerEpoch;
        update.firstBatch = progress.firstBatch;
        update.losses = QVector<float>(progress.losses.begin(), progress.losses.end());
        update.samplesDone = progress.samplesDone;
        update.epochSeconds = progress.epochSeconds;
        update.samplesPerSecond = progress.samplesPerSecond;
        update.layerSamples = progress.layerSamples;
        Q_EMIT batchProgress(update);
        return true;
    };
    callbacks.onEpoch = [this](const EpochReport& report) {
        Q_EMIT epochFinished({report.record, report.devConfusion, report.histograms});
        return true;
    };
    TrainingResult result = session.run(callbacks);
    setTrainer(nullptr);
    Q_EMIT finished({started.folder, std::move(result)});
}

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), m_shared(std::make_shared<TrainingShared>())
{
    qRegisterMetaType<TrainingJob>();
    qRegisterMetaType<RunStarted>();
    qRegisterMetaType<BatchUpdate>();
    qRegisterMetaType<EpochUpdate>();
    qRegisterMetaType<RunFinished>();
    m_worker = new TrainingWorker(m_shared);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::started, this, &TrainingController::started);
    connect(m_worker, &TrainingWorker::batchProgress, this, &TrainingController::batchProgress);
    connect(m_worker, &TrainingWorker::epochFinished, this, &TrainingController::epochFinished);
    connect(m_worker, &TrainingWorker::finished, this, [this](const RunFinished& run) {
        m_running = false;
        m_paused = false;
        Q_EMIT finished(run);
        Q_EMIT runningChanged(false);
    });
    connect(m_worker, &TrainingWorker::failed, this, [this](const QString& message) {
        m_running = false;
        m_paused = false;
        Q_EMIT failed(message);
        Q_EMIT runningChanged(false);
    });
    m_thread.setObjectName(QStringLiteral("atelier-training"));
    m_thread.start();
}

TrainingController::~TrainingController()
{
    stopAndWait();
    m_thread.quit();
    m_thread.wait(); // a running QThread is never destroyed
}

bool TrainingController::start(const TrainingJob& job)
{
    if (m_running)
        return false;
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->stopRequested = false;
        m_shared->pauseRequested = false;
    }
    {
        const std::lock_guard lock(m_shared->doneMutex);
        m_shared->done = false;
    }
    m_running = true;
    m_paused = false;
    Q_EMIT runningChanged(true);
    QMetaObject::invokeMethod(m_worker, "run", Qt::QueuedConnection,
                              Q_ARG(atelier::ui::TrainingJob, job));
    return true;
}

void TrainingController::pause()
{
    if (!m_running || m_paused)
        return;
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->pauseRequested = true;
        if (m_shared->trainer)
            m_shared->trainer->pause();
    }
    m_paused = true;
    Q_EMIT pausedChanged(true);
}

void TrainingController::resume()
{
    if (!m_paused)
        return;
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->pauseRequested = false;
        if (m_shared->trainer)
            m_shared->trainer->resume();
    }
    m_paused = false;
    Q_EMIT pausedChanged(false);
}

void TrainingController::stop()
{
    const std::lock_guard lock(m_shared->mutex);
    m_shared->stopRequested = true;
    if (m_shared->trainer)
        m_shared->trainer->requestStop(); // wakes a paused trainer too
}

void TrainingController::stopAndWait()
{
    stop();
    std::unique_lock lock(m_shared->doneMutex);
    m_shared->doneCondition.wait(lock, [this] { return m_shared->done; });
}

} // namespace atelier::ui

#include "training_controller.moc"
