// How long one training step of a model takes on this machine: a few batches of random
// images through forward, loss, backward and the optimizer step. `sweep plan` times the
// smallest and the largest trial with it to estimate a sweep's duration before it starts.
#pragma once

#include "preset.h"

namespace atelier {

struct StepTiming
{
    double secondsPerBatch = 0;
    double secondsPerImage = 0;
};

// Runs three untimed warm-up steps, then at least `steps` timed ones (and at least 0.2 s of
// them), at the preset's batch size on the CPU with the threads configured for this
// process. Throws ModelError for an invalid model.
StepTiming timeTrainingSteps(const Preset& preset, int steps);

} // namespace atelier
