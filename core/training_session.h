// One training run from a preset to a complete run folder: the steps that the CLI and the
// studio share (build the trainer, create the folder, keep history.csv, batch_losses.csv and
// the checkpoint current after every epoch, write the result files with metrics.json last),
// and the same steps for a run resumed from its folder's checkpoint.
#pragma once

#include "run_folder.h"
#include "run_lock.h"
#include "trainer.h"

#include <memory>
#include <string>

namespace atelier {

struct SessionOptions
{
    std::string outDirectory = "runs"; // run folders are created inside
    std::string exactFolder;           // when set: the run folder itself (must not exist)
    std::string dataDirectory;         // where the data came from, for metrics.json
    std::size_t limit = 0;             // train on a class-balanced subset (0: all images)
    int threads = 0;                   // the intra-op threads in use, for metrics.json
};

class TrainingSession
{
public:
    // Builds the trainer first (an invalid model or device throws InputError before any
    // folder exists), then creates the run folder with the resolved preset.
    TrainingSession(const Preset& preset, const FashionMnist& data, const SessionOptions& options);

    // Continues the run in `folder` from its checkpoint, with the folder's preset and
    // training subset (options.limit and options.outDirectory are not used). `epochs` > 0
    // trains to that many epochs instead of the preset's. Throws InputError naming the
    // folder when it cannot be resumed (no checkpoint, already complete, damaged files).
    static std::unique_ptr<TrainingSession> resume(const std::string& folder,
                                                   const FashionMnist& data,
                                                   const SessionOptions& options, int epochs = 0);
    ~TrainingSession();

    const std::string& folder() const { return m_folder; }
    Trainer& trainer() { return *m_trainer; }
    const Preset& preset() const { return m_preset; }
    std::int64_t parameters() const { return m_parameters; }
    // Complete epochs before this session started (0 for a fresh run).
    int resumedEpochs() const { return m_resumedEpochs; }

    // Trains (blocking), then writes the run's results. The callbacks run first; history.csv,
    // batch_losses.csv and the checkpoint are rewritten after every epoch, so a crash loses
    // at most the epoch in progress.
    TrainingResult run(const TrainingCallbacks& callbacks = {});

private:
    TrainingSession() = default;
    void startTrainer(const FashionMnist& data, const TrainingOptions& trainingOptions);

    Preset m_preset;
    SessionOptions m_options;
    std::unique_ptr<Trainer> m_trainer;
    std::string m_folder;
    std::unique_ptr<RunFolderLock> m_lock; // held from the folder's creation to the end
    std::int64_t m_parameters = 0;
    int m_resumedEpochs = 0;
};

} // namespace atelier
