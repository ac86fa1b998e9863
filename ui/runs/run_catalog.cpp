// The runs the studio knows, their selection, and the one training now.
#include "ui/runs/run_catalog.h"

#include "core/text_format.h"
#include "ui/train/training_controller.h"
#include "ui/widgets/layer_text.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace atelier::ui {
namespace {

QString absolute(const QString& folder)
{
    return QFileInfo(folder).absoluteFilePath();
}

} // namespace

RunCatalog::RunCatalog(TrainingController* training, QObject* parent)
    : QObject(parent), m_training(training)
{
    connect(m_training, &TrainingController::started, this, &RunCatalog::onStarted);
    connect(m_training, &TrainingController::batchProgress, this, &RunCatalog::onBatch);
    connect(m_training, &TrainingController::epochFinished, this, &RunCatalog::onEpoch);
    connect(m_training, &TrainingController::finished, this, &RunCatalog::onFinished);
    connect(m_training, &TrainingController::failed, this, &RunCatalog::onFailed);
    connect(m_training, &TrainingController::pausedChanged, this, &RunCatalog::onPaused);
}

int RunCatalog::indexOf(const RunData* run) const
{
    const auto found = std::find_if(m_runs.begin(), m_runs.end(),
                                    [run](const auto& listed) { return listed.get() == run; });
    return found == m_runs.end() ? -1 : int(found - m_runs.begin());
}

int RunCatalog::indexOfFolder(const QString& folder) const
{
    if (folder.isEmpty())
        return -1;
    const QString wanted = absolute(folder);
    const auto found = std::find_if(m_runs.begin(), m_runs.end(), [&](const auto& run) {
        return !run->folder.isEmpty() && absolute(run->folder) == wanted;
    });
    return found == m_runs.end() ? -1 : int(found - m_runs.begin());
}

int RunCatalog::add(std::shared_ptr<RunData> run)
{
    m_runs.push_back(std::move(run));
    const int index = count() - 1;
    Q_EMIT runAdded(index);
    return index;
}

int RunCatalog::addFolders(const QString& directory)
{
    const QDir dir(directory);
    int added = 0;
    for (const QFileInfo& entry :
         dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString folder = entry.absoluteFilePath();
        // Only run folders: the preset is the first file a run writes.
        if (indexOfFolder(folder) >= 0 ||
            !QFileInfo::exists(folder + QStringLiteral("/preset.yaml")))
            continue;
        add(std::make_shared<RunData>(RunData::fromFolder(folder)));
        ++added;
    }
    return added;
}

int RunCatalog::addFolder(const QString& folder, const QString& name)
{
    RunData read = RunData::fromFolder(absolute(folder));
    if (!name.isEmpty())
        read.name = name;
    const int index = indexOfFolder(folder);
    if (index < 0)
        return add(std::make_shared<RunData>(std::move(read)));
    const std::shared_ptr<RunData>& listed = m_runs[std::size_t(index)];
    if (listed != m_live) {
        *listed = std::move(read);
        Q_EMIT runChanged(listed.get());
        if (listed == m_current)
            Q_EMIT currentRunChanged(m_current);
    }
    return index;
}

bool RunCatalog::train(const TrainingJob& job, std::shared_ptr<RunData> run, QString* whyNot)
{
    if (!m_training->start(job)) {
        if (whyNot)
            *whyNot = QStringLiteral("A training is already running.");
        return false;
    }
    m_live = std::move(run);
    m_liveIsResumed = !job.resumeFolder.isEmpty();
    m_live->status = QStringLiteral("starting");
    int index = indexOf(m_live.get());
    if (index < 0)
        index = add(m_live);
    else
        Q_EMIT runChanged(m_live.get());
    select({index});
    return true;
}

void RunCatalog::select(const QList<int>& indices, int current)
{
    QList<int> valid;
    for (int index : indices)
        if (index >= 0 && index < count() && !valid.contains(index))
            valid.append(index);
    if (current < 0 || !valid.contains(current))
        current = valid.isEmpty() ? -1 : valid.back();
    const bool changed = valid != m_selection;
    m_selection = valid;
    if (changed)
        Q_EMIT selectionChanged();
    setCurrent(current < 0 ? nullptr : m_runs[std::size_t(current)]);
}

std::vector<std::shared_ptr<RunData>> RunCatalog::selectedRuns() const
{
    std::vector<std::shared_ptr<RunData>> runs;
    for (int index : m_selection)
        runs.push_back(m_runs[std::size_t(index)]);
    return runs;
}

void RunCatalog::setCurrent(std::shared_ptr<RunData> run)
{
    if (run == m_current)
        return;
    m_current = std::move(run);
    Q_EMIT currentRunChanged(m_current);
}

void RunCatalog::onStarted(const RunStarted& started)
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
    }
    m_live->layerStats = started.layerStats;
    m_live->status = QStringLiteral("training");
    Q_EMIT runChanged(m_live.get());
    Q_EMIT statusMessage(QStringLiteral("Training %1 on %2 (%3), %4 threads, %5 images")
                             .arg(m_live->name, started.deviceKind, started.deviceName)
                             .arg(started.threads)
                             .arg(qs(withThousands(started.trainCount))));
}

void RunCatalog::onBatch(const BatchUpdate& update)
{
    if (!m_live)
        return;
    m_live->batchesPerEpoch = update.batchesPerEpoch;
    for (int i = 0; i < update.losses.size(); ++i)
        m_live->batchLosses.push_back({update.epoch, update.firstBatch + i + 1, update.losses[i]});
    auto& samples = m_live->layerStats.samples;
    samples.insert(samples.end(), update.layerSamples.begin(), update.layerSamples.end());
    Q_EMIT batchesAdded(m_live.get());
}

void RunCatalog::onEpoch(const EpochUpdate& update)
{
    if (!m_live)
        return;
    m_live->history.push_back(update.record);
    m_live->devConfusion = update.devConfusion;
    m_live->devConfusionEpoch = update.record.epoch;
    auto& histograms = m_live->layerStats.histograms;
    histograms.insert(histograms.end(), update.histograms.begin(), update.histograms.end());
    Q_EMIT runChanged(m_live.get());
}

void RunCatalog::onFinished(const RunFinished& finished)
{
    if (!m_live)
        return;
    const std::shared_ptr<RunData> run = std::move(m_live);
    const TrainingResult& result = finished.result;
    run->status = QString::fromStdString(runStatusName(result.status));
    run->history = result.history;
    run->hasResult = true;
    run->devLoss = result.dev.loss;
    run->devAccuracy = result.dev.accuracy;
    run->testLoss = result.test.loss;
    run->testAccuracy = result.test.accuracy;
    run->seconds = result.trainSeconds;
    run->finalBestEpoch = result.bestEpoch;
    run->test = result.test;
    Q_EMIT runChanged(run.get());
    Q_EMIT statusMessage(QStringLiteral("%1: %2; test accuracy %3 (run folder %4)")
                             .arg(run->name, QString::fromStdString(result.message))
                             .arg(result.test.accuracy, 0, 'f', 4)
                             .arg(finished.folder));
}

void RunCatalog::onFailed(const QString& message)
{
    if (m_live) {
        const std::shared_ptr<RunData> run = std::move(m_live);
        // What the folder holds now decides the row: a fresh run that failed after some
        // epochs is resumable from its checkpoint, a refused resume left its run as it was.
        RunData reread;
        if (run->folder.isEmpty()) {
            reread = *run;
            reread.status = QStringLiteral("failed");
        } else {
            reread = RunData::fromFolder(run->folder);
        }
        if (reread.problem.isEmpty() || reread.resumable)
            reread.problem = message;
        *run = std::move(reread);
        Q_EMIT runChanged(run.get());
    }
    Q_EMIT statusMessage(QStringLiteral("Training failed: %1").arg(message));
}

void RunCatalog::onPaused(bool paused)
{
    if (!m_live)
        return;
    m_live->status = paused ? QStringLiteral("paused") : QStringLiteral("training");
    Q_EMIT runChanged(m_live.get());
}

} // namespace atelier::ui
