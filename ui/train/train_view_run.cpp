// The Train view's side of a live run: starting it, and turning the controller's signals
// into the run's data, the progress text and the run list.
#include "core/text_format.h"
#include "ui/data/dataset_controller.h"
#include "ui/preset/preset_document.h"
#include "ui/runs/run_catalog.h"
#include "ui/runs/run_list_model.h"
#include "ui/train/train_view.h"
#include "ui/train/training_controller.h"
#include "ui/widgets/layer_text.h"

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
    const QString name = run->name;
    if (!m_catalog->train(job, std::move(run), whyNot))
        return false;
    m_status->show();
    m_progressLabel->setText(
        QStringLiteral("%1 %2 …").arg(resuming ? "Resuming" : "Preparing", name));
    m_progress->setValue(0);
    m_progressClock.invalidate();
    updateButtons();
    return true;
}

void TrainView::onBatch(const BatchUpdate& update)
{
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
    if (const auto live = m_catalog->live())
        for (const EpochRecord& r : live->history)
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

} // namespace atelier::ui
