// RunClassifier: a Network with the run's weights and pixel transform.
#include "run_classifier.h"

#include "evaluation.h"
#include "network.h"
#include "run_folder.h"
#include "weights.h"

#include <algorithm>

namespace atelier {

struct RunClassifier::State
{
    RunRecord run;
    Network network;
    DeviceInfo cpu = resolveDevice(DeviceChoice::Cpu);

    explicit State(RunRecord record)
        : run(std::move(record)), network(run.preset.model, run.preset.training.seed)
    {
        network.setPrecision(run.preset.training.precision);
        loadWeights(network, weightsPath(run.folder));
    }
};

RunClassifier::RunClassifier(const std::string& runFolder)
    : m_state(std::make_unique<State>(loadRun(runFolder)))
{}

RunClassifier::~RunClassifier() = default;
RunClassifier::RunClassifier(RunClassifier&&) noexcept = default;
RunClassifier& RunClassifier::operator=(RunClassifier&&) noexcept = default;

const std::string& RunClassifier::presetName() const
{
    return m_state->run.preset.name;
}

std::vector<ClassProbabilities> RunClassifier::classify(const std::vector<PreparedImage>& images)
{
    ImageSet set;
    set.count = int(images.size());
    set.rows = set.cols = kModelImageSide;
    for (const PreparedImage& image : images)
        set.pixels.insert(set.pixels.end(), image.pixels.begin(), image.pixels.end());
    set.labels.assign(images.size(), 0); // unused: nothing is scored
    const std::vector<float> flat =
        classProbabilities(m_state->network, set, allIndices(images.size()),
                           m_state->run.metrics.transform, m_state->cpu);
    std::vector<ClassProbabilities> result(images.size());
    for (std::size_t i = 0; i < images.size(); ++i)
        std::copy_n(flat.begin() + std::ptrdiff_t(i * kNumClasses), kNumClasses, result[i].begin());
    return result;
}

} // namespace atelier
