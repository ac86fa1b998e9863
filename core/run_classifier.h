// A finished run's model, loaded once, for classifying images the user brings: the CLI's
// `predict` (which the studio's Your images tab runs as a separate process: building a
// Network seeds LibTorch's global generator, which a training in the studio draws from).
// Torch-free face; the network inside is the one `eval` rebuilds, with the run's own
// normalisation.
#pragma once

#include "dataset.h"
#include "image_input.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace atelier {

using ClassProbabilities = std::array<float, kNumClasses>;

class RunClassifier
{
public:
    // Loads the complete run in `runFolder` and its weights; throws InputError naming the
    // folder or file when it cannot (incomplete run, no weights, another architecture).
    explicit RunClassifier(const std::string& runFolder);
    ~RunClassifier();
    RunClassifier(RunClassifier&&) noexcept;
    RunClassifier& operator=(RunClassifier&&) noexcept;

    // Softmax probabilities of each prepared image, on the CPU (a few images do not repay
    // moving a model to a GPU that training may be using).
    std::vector<ClassProbabilities> classify(const std::vector<PreparedImage>& images);

    const std::string& presetName() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace atelier
