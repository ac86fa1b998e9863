// One training run from a preset, or from a run folder's checkpoint, to a complete run folder.
#include "training_session.h"

#include "atomic_file.h"
#include "checkpoint.h"
#include "errors.h"
#include "model_analysis.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace atelier {
namespace {

bool isDirectory(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// metrics.json is the mark of a finished run; a resumed run is unfinished again until it
// writes a new one. Without this, a second crash would leave a metrics.json that disagrees
// with the history written since.
void markUnfinished(const std::string& folder)
{
    const std::string path = folder + "/metrics.json";
    if (std::remove(path.c_str()) != 0 && errno != ENOENT)
        throw InputError(path + ": cannot remove it to resume: " + std::strerror(errno));
}

} // namespace

TrainingSession::TrainingSession(const Preset& preset, const FashionMnist& data,
                                 const SessionOptions& options)
    : m_preset(preset), m_options(options)
{
    TrainingOptions trainingOptions;
    trainingOptions.limit = options.limit;
    trainingOptions.dataDirectory = options.dataDirectory;
    startTrainer(data, trainingOptions);
    if (options.exactFolder.empty()) {
        m_folder = createRunFolder(options.outDirectory, preset.name.empty() ? "run" : preset.name);
    } else {
        createExactRunFolder(options.exactFolder);
        m_folder = options.exactFolder;
    }
    m_lock = std::make_unique<RunFolderLock>(m_folder);
    writeRunPreset(m_folder, preset);
    m_trainer->setCheckpointPath(checkpointPath(m_folder));
}

std::unique_ptr<TrainingSession> TrainingSession::resume(const std::string& folder,
                                                         const FashionMnist& data,
                                                         const SessionOptions& options, int epochs)
{
    if (!isDirectory(folder))
        throw InputError(folder + ": no such run folder");
    struct stat presetFile
    {
    };
    if (::stat((folder + "/preset.yaml").c_str(), &presetFile) != 0)
        throw InputError(folder + ": not a run folder (no preset.yaml)");
    // Before anything is read: the files of a run that trains now are moving.
    auto lock = std::make_unique<RunFolderLock>(folder);
    if (!hasCheckpoint(folder))
        throw InputError(folder + ": cannot resume: no checkpoint.pt (the run stopped before "
                                  "its first epoch ended, or was written by an Atelier without "
                                  "checkpoints)");
    const CheckpointInfo info = readCheckpointInfo(folder);
    std::unique_ptr<TrainingSession> session(new TrainingSession());
    session->m_folder = folder;
    session->m_lock = std::move(lock);
    session->m_options = options;
    session->m_options.limit = info.limit;
    session->m_preset = loadPreset(folder + "/preset.yaml");
    Preset& preset = session->m_preset;
    if (epochs > 0) {
        if (epochs < info.epochsDone)
            throw InputError(folder + ": cannot resume to " + std::to_string(epochs) +
                             " epochs: " + std::to_string(info.epochsDone) + " are already done");
        // The cycle's length is the planned epochs; another count would restart it midway.
        if (preset.training.lrSchedule.kind == LrScheduleKind::OneCycle &&
            epochs != preset.training.epochs)
            throw InputError(folder + ": its one_cycle learning rate spans the planned " +
                             std::to_string(preset.training.epochs) +
                             " epochs; --epochs cannot change that");
        preset.training.epochs = epochs;
    }
    struct stat metrics
    {
    };
    const bool finished = ::stat((folder + "/metrics.json").c_str(), &metrics) == 0;
    const bool nothingLeft = info.stoppedEarly || info.epochsDone >= preset.training.epochs;
    if (finished && nothingLeft)
        throw InputError(folder + ": nothing to resume: the run is complete (" +
                         std::to_string(info.epochsDone) + " of " +
                         std::to_string(preset.training.epochs) + " epochs" +
                         std::string(info.stoppedEarly ? ", ended by its early-stopping rule)"
                                                       : "); pass --epochs N to train it longer"));

    TrainingOptions trainingOptions;
    trainingOptions.limit = info.limit;
    trainingOptions.dataDirectory = options.dataDirectory;
    trainingOptions.resume = ResumeMode::FromCheckpoint;
    trainingOptions.checkpointPath = checkpointPath(folder);
    session->startTrainer(data, trainingOptions);
    // The whole checkpoint is restored and checked (data, device, optimizer) before the
    // folder changes: a resume that cannot work leaves the run as it was.
    session->m_trainer->prepare();
    // The statistics continue where the checkpoint stands; a damaged file refuses the resume
    // here, before the folder changes.
    if (preset.training.layerStats)
        session->m_trainer->continueLayerStats(
            readLayerStats(folder, preset.model, info.epochsDone + 1));
    session->m_resumedEpochs = info.epochsDone;
    removeStaleTemporaries(folder);
    if (epochs > 0)
        writeRunPreset(folder, preset);
    markUnfinished(folder);
    return session;
}

void TrainingSession::startTrainer(const FashionMnist& data, const TrainingOptions& trainingOptions)
{
    m_trainer = std::make_unique<Trainer>(m_preset, data, trainingOptions);
    m_parameters = analyzeModel(m_preset.model, kNumClasses).totalParams();
}

TrainingSession::~TrainingSession() = default;

TrainingResult TrainingSession::run(const TrainingCallbacks& callbacks)
{
    TrainingCallbacks wrapped;
    wrapped.onBatch = callbacks.onBatch;
    wrapped.onEpoch = [&](const EpochReport& report) {
        const bool goOn = !callbacks.onEpoch || callbacks.onEpoch(report);
        // Before the trainer writes the checkpoint: the files never lag behind it.
        writeHistory(m_folder, m_trainer->history());
        writeBatchLosses(m_folder, m_trainer->batchLosses());
        writeLayerStats(m_folder, m_trainer->layerStats());
        return goOn;
    };
    TrainingResult result = m_trainer->run(wrapped);

    RunInfo info;
    info.device = m_trainer->device();
    info.threads = m_options.threads;
    info.limit = m_options.limit;
    info.dataDirectory = m_options.dataDirectory;
    info.parameters = m_parameters;
    info.transform = m_trainer->pixelTransform();
    info.trainCount = m_trainer->trainCount();
    info.devCount = m_trainer->devCount();
    info.testCount = m_trainer->testCount();
    // The batches of an epoch cut short by a stop are kept too.
    writeBatchLosses(m_folder, m_trainer->batchLosses());
    writeLayerStats(m_folder, m_trainer->layerStats());
    writeRunResult(m_folder, result, info, m_preset, m_trainer->network());
    m_lock.reset(); // the folder is complete: a resume (of a stopped run) may take it now
    return result;
}

} // namespace atelier
