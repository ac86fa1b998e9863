// Private to core: a network's parameters and buffers in a LibTorch archive, shared by the
// weights file (model.pt) and the checkpoint (checkpoint.pt).
#pragma once

#include "network_impl.h"

#include <string>

namespace atelier {

// Writes every parameter and buffer (moved to the CPU) under its name.
void writeModelTensors(torch::serialize::OutputArchive& archive, const LayerStack& module);

// Copies every parameter and buffer from the archive into `module`, checking each shape
// first (LibTorch's Module::load would silently replace a tensor of another shape). Throws
// ModelError naming `path` when a tensor is missing or has another shape.
void readModelTensors(torch::serialize::InputArchive& archive, const std::string& path,
                      LayerStack& module);

// Serializes an archive to bytes (to be written with writeFileAtomically: LibTorch's own
// file writer throws again during clean-up on a full disk and terminates the process).
std::string archiveBytes(torch::serialize::OutputArchive& archive);

// Reads a whole archive file (regular files only, at most this machine's memory) and parses
// it with every tensor on the CPU (a checkpoint written on a GPU is readable anywhere).
// Throws InputError naming `path` with the reason, or `what` when it is not such an archive.
void loadArchive(torch::serialize::InputArchive& archive, const std::string& path,
                 const std::string& what);

} // namespace atelier
