// Private to core: a trainer's loop state, model and optimizer to and from checkpoint bytes.
#pragma once

#include "../checkpoint.h"
#include "network_impl.h"
#include "training_state.h"

#include <string>

namespace atelier {

// The bytes of checkpoint.pt for the state after `loop.epochsDone` epochs. Saves the
// default random generator of `device` (dropout and augmentation draw from it).
std::string serializeCheckpoint(const LoopState& loop, const CheckpointInfo& info,
                                LayerStack& module, const torch::optim::Optimizer& optimizer,
                                const torch::Device& device);

// Puts a checkpoint back: loop state, weights, optimizer state, the generator of `device`.
// `loop` must already be set up for this run (its order holds the training-set size). The
// checkpoint must match `expected`'s architecture, data and device kind. Throws InputError
// (ModelError for another architecture) naming `path`; nothing is changed before the
// checks of the description have passed.
CheckpointInfo restoreCheckpoint(const std::string& path, const CheckpointInfo& expected,
                                 LoopState& loop, LayerStack& module,
                                 torch::optim::Optimizer& optimizer, const torch::Device& device);

} // namespace atelier
