// What this build of Atelier is and what it can compute on: the facts behind --version of
// atelier and atelier-cli, in plain types so that the studio reads them without LibTorch.
#pragma once

#include <string>

namespace atelier {

struct VersionInfo
{
    std::string atelier;       // the project version from CMake, "0.1.0"
    std::string torch;         // LibTorch's, "1.13.1"
    bool cudaCompiled = false; // this LibTorch was built with CUDA
    std::string cudaRuntime;   // the CUDA runtime it was built against, "12.1"; empty without
    int cudaDevices = 0;       // GPUs that CUDA sees now (0 without CUDA or without a driver)
};

// The project version alone ("0.1.0"), without asking LibTorch.
std::string atelierVersion();

// Asks LibTorch; with CUDA compiled in, this initialises CUDA (a second or so).
VersionInfo versionInfo();

// The lines of `program --version`, without a final newline:
//   atelier-cli 0.1.0
//   LibTorch: 1.13.1
//   CPU: yes
//   CUDA: no (this LibTorch was built without CUDA)
std::string versionText(const std::string& program);

} // namespace atelier
