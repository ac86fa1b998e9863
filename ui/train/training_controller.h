// Runs one training at a time on a background thread through core's TrainingSession, and
// turns its callbacks into queued signals with small value structs. Stop and pause are
// plain thread-safe calls (the worker is busy inside the training loop, so they cannot be
// queued slots). Destroying the controller stops a running training and waits for it: the
// run folder is always complete.
#pragma once

#include "core/dataset.h"
#include "core/preset.h"
#include "core/run_folder.h"
#include "core/training.h"

#include <QObject>
#include <QThread>
#include <QVector>
#include <memory>

namespace atelier::ui {

struct TrainingJob
{
    Preset preset;
    std::shared_ptr<const FashionMnist> data;
    QString dataDirectory;
    QString outDirectory;
    std::size_t limit = 0; // class-balanced subset of the training images (0: all)
    int threads = 0;       // 0: all cores
    // Set: continue the run in this folder from its checkpoint, with the folder's preset
    // and subset (preset, limit and outDirectory are then not used).
    QString resumeFolder;
};

struct RunStarted
{
    QString folder;
    QString deviceName;
    QString deviceKind; // "cpu", "cuda"
    int threads = 0;
    qint64 trainCount = 0;
    qint64 devCount = 0;
    qint64 parameters = 0;
    int resumedEpochs = 0; // complete epochs before this start (a resumed run)
    // The layer statistics the run starts from: empty with its observed layers for a fresh
    // run, the folder's up to the checkpoint for a resumed one, nothing when they are off.
    LayerStatsLog layerStats;
};

struct BatchUpdate
{
    int epoch = 0;
    int epochs = 0;
    int batchesPerEpoch = 0;
    int firstBatch = 0;     // 0-based index of losses[0] within the epoch
    QVector<float> losses;  // every batch since the previous update
    qint64 samplesDone = 0; // in this epoch
    double epochSeconds = 0;
    double samplesPerSecond = 0;
    std::vector<LayerStatsSample> layerSamples; // sampled since the previous update
};

struct EpochUpdate
{
    EpochRecord record;
    ConfusionMatrix devConfusion{};
    std::vector<LayerHistograms> histograms; // of the epoch's end, per layer with parameters
    // The best epoch is not carried: RunData::bestEpoch() applies core's BestTracker to
    // the history, the trainer's own rule, so it cannot disagree with the trainer.
};

struct RunFinished
{
    QString folder;
    TrainingResult result;
};

class TrainingWorker;
struct TrainingShared;

class TrainingController : public QObject
{
    Q_OBJECT

public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    // Starts `job` unless a training is running (then returns false).
    bool start(const TrainingJob& job);
    bool isRunning() const { return m_running; }
    bool isPaused() const { return m_paused; }

    // Thread-safe; effective at the next batch boundary.
    void pause();
    void resume();
    void stop();
    // Stops and blocks until the run folder is written (closing the window).
    void stopAndWait();

Q_SIGNALS:
    void started(const atelier::ui::RunStarted& run);
    void batchProgress(const atelier::ui::BatchUpdate& update);
    void epochFinished(const atelier::ui::EpochUpdate& update);
    void finished(const atelier::ui::RunFinished& run);
    void failed(const QString& message);
    void runningChanged(bool running);
    void pausedChanged(bool paused);

private:
    std::shared_ptr<TrainingShared> m_shared;
    QThread m_thread;
    TrainingWorker* m_worker = nullptr;
    bool m_running = false;
    bool m_paused = false;
};

} // namespace atelier::ui

Q_DECLARE_METATYPE(atelier::ui::TrainingJob)
Q_DECLARE_METATYPE(atelier::ui::RunStarted)
Q_DECLARE_METATYPE(atelier::ui::BatchUpdate)
Q_DECLARE_METATYPE(atelier::ui::EpochUpdate)
Q_DECLARE_METATYPE(atelier::ui::RunFinished)
