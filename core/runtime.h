// Process-wide LibTorch settings and facts: thread count, device choice, library versions.
#pragma once

#include "preset.h"

#include <string>

namespace atelier {

// Sets LibTorch's intra-op thread count once, at start-up; 0 means all cores. Debian's
// LibTorch was seen defaulting to one thread on a 2-core machine. Returns the count in use.
int configureThreads(int threads);

struct DeviceInfo
{
    bool cuda = false;
    int index = 0;
    std::string name; // "NVIDIA H100 80GB HBM3", or the CPU's model name

    std::string kind() const { return cuda ? "cuda" : "cpu"; }
};

bool cudaAvailable();

// auto → CUDA when LibTorch has it and a GPU is present, else CPU. Throws InputError for
// cuda on a machine or build without it.
DeviceInfo resolveDevice(DeviceChoice choice);

// Whether bfloat16 runs in hardware on `device` (AVX-512 BF16 or AMX on a CPU, compute
// capability 8.0 or later on a GPU). Elsewhere mixed precision works but is emulated and
// slower than float32.
bool hasFastBfloat16(const DeviceInfo& device);

std::string torchVersion();

} // namespace atelier
