// One training run from a preset to a complete run folder.
#include "training_session.h"

#include "model_analysis.h"

namespace atelier {

TrainingSession::TrainingSession(const Preset& preset, const FashionMnist& data,
                                 const SessionOptions& options)
    : m_preset(preset), m_options(options)
{
    TrainingOptions trainingOptions;
    trainingOptions.limit = options.limit;
    m_trainer = std::make_unique<Trainer>(preset, data, trainingOptions);
    m_parameters = analyzeModel(preset.model, kNumClasses).totalParams();
    m_folder = createRunFolder(options.outDirectory, preset.name.empty() ? "run" : preset.name);
    writeRunPreset(m_folder, preset);
}

TrainingSession::~TrainingSession() = default;

TrainingResult TrainingSession::run(const TrainingCallbacks& callbacks)
{
    std::vector<EpochRecord> history;
    std::vector<BatchLoss> batchLosses;
    TrainingCallbacks wrapped;
    wrapped.onBatch = [&](const BatchProgress& progress) {
        for (std::size_t i = 0; i < progress.losses.size(); ++i)
            batchLosses.push_back(
                {progress.epoch, progress.firstBatch + int(i) + 1, progress.losses[i]});
        return !callbacks.onBatch || callbacks.onBatch(progress);
    };
    wrapped.onEpoch = [&](const EpochReport& report) {
        const bool goOn = !callbacks.onEpoch || callbacks.onEpoch(report);
        history.push_back(report.record);
        writeHistory(m_folder, history);
        writeBatchLosses(m_folder, batchLosses);
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
    writeBatchLosses(m_folder, batchLosses);
    writeRunResult(m_folder, result, info, m_preset, m_trainer->network());
    return result;
}

} // namespace atelier
