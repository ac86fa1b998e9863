// Everything the studio knows about one run.
#include "ui/runs/run_data.h"

#include "core/best_epoch.h"
#include "core/checkpoint.h"
#include "core/model_analysis.h"
#include "core/run_lock.h"

#include <QFileInfo>
#include <cmath>

namespace atelier::ui {

QString clockText(double seconds)
{
    const int total = int(std::lround(std::max(0.0, seconds)));
    if (total >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(total / 3600)
            .arg(total / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

int RunData::bestEpoch() const
{
    if (hasResult && finalBestEpoch > 0)
        return finalBestEpoch;
    return bestEpochOf(history, preset.training.earlyStopping);
}

std::optional<std::pair<int, int>> RunData::patienceWindow() const
{
    const EarlyStopping& rule = preset.training.earlyStopping;
    const int best = bestEpoch();
    if (!rule.enabled || best == 0)
        return std::nullopt;
    return std::pair{best, best + rule.patience};
}

double RunData::trainingSeconds() const
{
    if (hasResult)
        return seconds;
    double total = 0;
    for (const EpochRecord& r : history)
        total += r.seconds;
    return total;
}

RunData RunData::fromRecord(const RunRecord& record)
{
    RunData run;
    run.folder = QString::fromStdString(record.folder);
    run.name = QString::fromStdString(record.preset.name);
    if (run.name.isEmpty())
        run.name = QFileInfo(run.folder).fileName();
    run.status = QString::fromStdString(record.metrics.status);
    run.preset = record.preset;
    run.parameters = record.metrics.parameters;
    run.deviceName = QString::fromStdString(record.metrics.deviceName);
    run.history = record.history;
    run.batchLosses = record.batchLosses;
    run.layerStats = record.layerStats;
    for (const BatchLoss& b : record.batchLosses)
        run.batchesPerEpoch = std::max(run.batchesPerEpoch, b.batch);
    run.hasResult = true;
    run.devLoss = record.metrics.devLoss;
    run.devAccuracy = record.metrics.devAccuracy;
    run.testLoss = record.metrics.testLoss;
    run.testAccuracy = record.metrics.testAccuracy;
    run.seconds = record.metrics.trainSeconds;
    run.finalBestEpoch = record.metrics.bestEpoch;
    run.test = record.test;
    // A stopped run whose checkpoint has epochs left can go on.
    if (record.metrics.status != "completed" && hasCheckpoint(record.folder)) {
        try {
            const CheckpointInfo info = readCheckpointInfo(record.folder);
            run.resumable = !info.trainingFinished();
            run.epochsPlanned = info.epochsPlanned;
        } catch (const std::exception& error) {
            run.problem = QString::fromUtf8(error.what());
        }
    }
    return run;
}

RunData RunData::fromUnfinishedFolder(const QString& folder)
{
    RunData run;
    run.folder = folder;
    run.name = QFileInfo(folder).fileName();
    const std::string path = folder.toStdString();
    if (isRunFolderLocked(path)) {
        run.status = QStringLiteral("training elsewhere");
        run.problem = QStringLiteral("another process is training this run now");
        return run;
    }
    if (!hasCheckpoint(path)) {
        run.status = QStringLiteral("incomplete");
        run.problem = QStringLiteral("stopped before its first epoch ended: nothing to resume");
        return run;
    }
    try {
        const ResumableRun resumable = loadResumableRun(path);
        run.preset = resumable.preset;
        if (!resumable.preset.name.empty())
            run.name = QString::fromStdString(resumable.preset.name);
        run.status = QStringLiteral("incomplete");
        run.resumable = true;
        run.epochsPlanned = resumable.checkpoint.epochsPlanned;
        run.history = resumable.history;
        run.batchLosses = resumable.batchLosses;
        for (const BatchLoss& b : run.batchLosses)
            run.batchesPerEpoch = std::max(run.batchesPerEpoch, b.batch);
        run.parameters = analyzeModel(run.preset.model, kNumClasses).totalParams();
        run.problem = QStringLiteral("stopped after epoch %1 of %2 without writing its results; "
                                     "Resume continues it from there")
                          .arg(resumable.checkpoint.epochsDone)
                          .arg(resumable.checkpoint.epochsPlanned);
    } catch (const std::exception& error) {
        run.status = QStringLiteral("damaged");
        run.problem = QString::fromUtf8(error.what());
    }
    return run;
}

RunData RunData::fromFolder(const QString& folder)
{
    if (!QFileInfo::exists(folder + QStringLiteral("/metrics.json")))
        return fromUnfinishedFolder(folder);
    try {
        return fromRecord(loadRun(folder.toStdString()));
    } catch (const std::exception& error) {
        // Listed, not skipped: the user sees which folder is damaged and why.
        RunData run;
        run.folder = folder;
        run.name = QFileInfo(folder).fileName();
        run.status = QStringLiteral("damaged");
        run.problem = QString::fromUtf8(error.what());
        return run;
    }
}

} // namespace atelier::ui
