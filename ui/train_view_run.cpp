// The Train view's side of a live run: starting it, and turning the controller's signals
// into the run's data, the progress text and the run list.
#include "core/text_format.h"
#include "dataset_controller.h"
#include "layer_text.h"
#include "preset_document.h"
#include "run_list_model.h"
#include "train_view.h"
#include "training_controller.h"

#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QSpinBox>
#include <algorithm>

namespace atelier::ui {
namespace {

// The status bar's progress text changes at most this often.
constexpr int kProgressRefreshMs = 500;

} // namespace

bool TrainView::startTraining(QString* whyNot)
{
    auto refuse = [whyNot](const QString& reason) {
        if (whyNot)
            *whyNot = reason;
        return false;
    };
    if (m_controller->isRunning())
        return refuse(QStringLiteral("A training is already running."));
    const QString invalid = m_document->invalidReason();
    if (!invalid.isEmpty())
        return refuse(QStringLiteral("Cannot train: %1").arg(invalid));
    if (m_data->state() != DatasetController::State::Ready)
        return refuse(QStringLiteral("The dataset is not loaded (see the Data view)."));
    TrainingJob job;
    job.preset = m_document->preset();
    if (job.preset.name.empty())
        job.preset.name = "untitled";
    job.outDirectory = m_runsDirectory;
    job.limit = std::size_t(m_limit->value());

    auto run = std::make_shared<RunData>();
    run->name = qs(job.preset.name);
    run->preset = job.preset;
    run->parameters = m_document->layers()->report().totalParams();
    return startJob(std::move(job), std::move(run), whyNot);
}

bool TrainView::resumeSelectedRun(QString* whyNot)
{
    auto refuse = [whyNot](const QString& reason) {
        if (whyNot)
            *whyNot = reason;
        return false;
    };
    if (m_controller->isRunning())
        return refuse(QStringLiteral("A training is already running."));
    if (m_data->state() != DatasetController::State::Ready)
        return refuse(QStringLiteral("The dataset is not loaded (see the Data view)."));
    const auto selected = selectedRuns();
    if (selected.size() != 1 || !selected.front()->resumable)
        return refuse(QStringLiteral("Select one stopped run that has epochs left."));
    TrainingJob job;
    job.resumeFolder = selected.front()->folder;
    return startJob(std::move(job), selected.front(), whyNot);
}

bool TrainView::startJob(TrainingJob job, std::shared_ptr<RunData> run, QString* whyNot)
{
    job.data = m_data->dataset();
    job.dataDirectory = m_data->directory();
    job.threads = m_threads->value();
    const bool resuming = !job.resumeFolder.isEmpty();
    if (!m_controller->start(job)) {
        if (whyNot)
            *whyNot = QStringLiteral("A training is already running.");
        return false;
    }
    m_live = std::move(run);
    m_liveIsResumed = resuming;
    m_live->status = QStringLiteral("starting");
    int row = m_runs->rowOf(m_live.get());
    if (row < 0)
        row = m_runs->addRun(m_live);
    else
        m_runs->runChanged(m_live.get());
    selectRuns({row});
    m_status->show();
    m_progressLabel->setText(
        QStringLiteral("%1 %2 …").arg(resuming ? "Resuming" : "Preparing", m_live->name));
    m_progress->setValue(0);
    updateButtons();
    return true;
}

void TrainView::onStarted(const RunStarted& started)
{
    if (!m_live)
        return;
    m_live->folder = started.folder;
    m_live->deviceName = started.deviceName;
    if (m_liveIsResumed) {
        // The run goes on from its checkpoint: what came after it (the epoch in progress at
        // the stop, the results of the stop) is trained again and must not be drawn twice.
        auto& history = m_live->history;
        history.erase(
            std::remove_if(history.begin(), history.end(),
                           [&](const EpochRecord& r) { return r.epoch > started.resumedEpochs; }),
            history.end());
        auto& losses = m_live->batchLosses;
        losses.erase(
            std::remove_if(losses.begin(), losses.end(),
                           [&](const BatchLoss& b) { return b.epoch > started.resumedEpochs; }),
            losses.end());
        m_live->hasResult = false;
        m_live->resumable = false;
        m_live->problem.clear();
        m_live->test = {};
        m_live->devConfusion.reset();
        m_chartsDirty = true;
    }
    m_live->status = QStringLiteral("training");
    m_liveTrainCount = started.trainCount;
    m_runs->runChanged(m_live.get());
    Q_EMIT statusMessage(QStringLiteral("Training %1 on %2 (%3), %4 threads, %5 images")
                             .arg(m_live->name, started.deviceKind, started.deviceName)
                             .arg(started.threads)
                             .arg(qs(withThousands(started.trainCount))));
}

void TrainView::onBatch(const BatchUpdate& update)
{
    if (!m_live)
        return;
    m_live->batchesPerEpoch = update.batchesPerEpoch;
    for (int i = 0; i < update.losses.size(); ++i)
        m_live->batchLosses.push_back({update.epoch, update.firstBatch + i + 1, update.losses[i]});
    m_chartsDirty = true;
    if (!m_progressClock.isValid() || m_progressClock.elapsed() >= kProgressRefreshMs) {
        m_progressClock.start();
        updateProgress(update);
    }
}

void TrainView::updateProgress(const BatchUpdate& update)
{
    const double epochFraction =
        m_liveTrainCount > 0 ? double(update.samplesDone) / double(m_liveTrainCount) : 0.0;
    const double done = (update.epoch - 1 + epochFraction) / std::max(update.epochs, 1);
    m_progress->setValue(int(done * 1000));
    double elapsed = update.epochSeconds;
    for (const EpochRecord& r : m_live->history)
        elapsed += r.seconds;
    const double remainingSamples =
        double(update.epochs - update.epoch) * double(m_liveTrainCount) +
        double(m_liveTrainCount - update.samplesDone);
    const QString eta = update.samplesPerSecond > 0
                            ? clockText(remainingSamples / update.samplesPerSecond)
                            : QStringLiteral("?");
    const int batch = update.firstBatch + int(update.losses.size());
    m_progressLabel->setText(QStringLiteral("Epoch %1/%2 · batch %3/%4 · %5 samples/s · %6 "
                                            "elapsed · ETA %7")
                                 .arg(update.epoch)
                                 .arg(update.epochs)
                                 .arg(qs(withThousands(batch)))
                                 .arg(qs(withThousands(update.batchesPerEpoch)))
                                 .arg(qs(withThousands(std::int64_t(update.samplesPerSecond))))
                                 .arg(clockText(elapsed), eta));
}

void TrainView::onEpoch(const EpochUpdate& update)
{
    if (!m_live)
        return;
    m_live->history.push_back(update.record);
    m_live->devConfusion = update.devConfusion;
    m_live->devConfusionEpoch = update.record.epoch;
    m_runs->runChanged(m_live.get());
    m_chartsDirty = true;
    Q_EMIT runUpdated(m_live.get());
}

void TrainView::onFinished(const RunFinished& finished)
{
    if (!m_live)
        return;
    const TrainingResult& result = finished.result;
    m_live->status = QString::fromStdString(runStatusName(result.status));
    m_live->history = result.history;
    m_live->hasResult = true;
    m_live->devLoss = result.dev.loss;
    m_live->devAccuracy = result.dev.accuracy;
    m_live->testLoss = result.test.loss;
    m_live->testAccuracy = result.test.accuracy;
    m_live->seconds = result.trainSeconds;
    m_live->finalBestEpoch = result.bestEpoch;
    m_live->test = result.test;
    m_runs->runChanged(m_live.get());
    refreshCharts();
    m_status->hide();
    Q_EMIT statusMessage(QStringLiteral("%1: %2; test accuracy %3 (run folder %4)")
                             .arg(m_live->name, QString::fromStdString(result.message))
                             .arg(result.test.accuracy, 0, 'f', 4)
                             .arg(finished.folder));
    Q_EMIT runUpdated(m_live.get());
    Q_EMIT currentRunChanged(m_live);
    m_live.reset();
}

void TrainView::onFailed(const QString& message)
{
    if (m_live) {
        // What the folder holds now decides the row: a fresh run that failed after some
        // epochs is resumable from its checkpoint, a refused resume left its run as it was.
        const QString folder = m_live->folder;
        RunData reread;
        if (folder.isEmpty()) {
            reread = *m_live;
            reread.status = QStringLiteral("failed");
        } else if (QFileInfo::exists(folder + QStringLiteral("/metrics.json"))) {
            try {
                reread = RunData::fromRecord(loadRun(folder.toStdString()));
            } catch (const std::exception& error) {
                reread = RunData::fromUnfinishedFolder(folder);
                reread.status = QStringLiteral("damaged");
                reread.problem = QString::fromUtf8(error.what());
            }
        } else {
            reread = RunData::fromUnfinishedFolder(folder);
        }
        if (reread.problem.isEmpty() || reread.resumable)
            reread.problem = message;
        *m_live = std::move(reread);
        m_runs->runChanged(m_live.get());
        m_chartsDirty = true;
        m_live.reset();
    }
    m_status->hide();
    Q_EMIT statusMessage(QStringLiteral("Training failed: %1").arg(message));
    updateButtons();
}

} // namespace atelier::ui
