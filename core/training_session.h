// One training run from a preset to a complete run folder: the steps that the CLI and the
// studio share (build the trainer, create the folder, keep history.csv current after every
// epoch, write the result files with metrics.json last).
#pragma once

#include "run_folder.h"
#include "trainer.h"

#include <memory>
#include <string>

namespace atelier {

struct SessionOptions
{
    std::string outDirectory = "runs"; // run folders are created inside
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
    ~TrainingSession();

    const std::string& folder() const { return m_folder; }
    Trainer& trainer() { return *m_trainer; }
    std::int64_t parameters() const { return m_parameters; }

    // Trains (blocking), then writes the run's results. The callbacks run first; history.csv
    // is rewritten after every epoch, so a crash still leaves the curves so far.
    TrainingResult run(const TrainingCallbacks& callbacks = {});

private:
    Preset m_preset;
    SessionOptions m_options;
    std::unique_ptr<Trainer> m_trainer;
    std::string m_folder;
    std::int64_t m_parameters = 0;
};

} // namespace atelier
