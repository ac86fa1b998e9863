// Version and device facts from CMake and LibTorch (see version_info.h).
#include "version_info.h"

#include "runtime.h"

#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

#ifndef ATELIER_VERSION
#error "ATELIER_VERSION comes from core/CMakeLists.txt (the project version)"
#endif

namespace atelier {
namespace {

// A LibTorch without CUDA answers the runtime version with an error; one with CUDA gives
// CUDART_VERSION (12010 for 12.1). This tells "not compiled in" from "no GPU right now",
// which cudaAvailable() cannot.
std::string cudaRuntimeVersion()
{
    try {
        const long version = at::detail::getCUDAHooks().versionCUDART();
        return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
    } catch (const c10::Error&) {
        return {};
    }
}

} // namespace

std::string atelierVersion()
{
    return ATELIER_VERSION;
}

VersionInfo versionInfo()
{
    VersionInfo info;
    info.atelier = ATELIER_VERSION;
    info.torch = torchVersion();
    info.cudaRuntime = cudaRuntimeVersion();
    info.cudaCompiled = !info.cudaRuntime.empty();
    if (info.cudaCompiled)
        info.cudaDevices = int(torch::cuda::device_count());
    return info;
}

std::string versionText(const std::string& program)
{
    const VersionInfo info = versionInfo();
    std::string cuda = "no (this LibTorch was built without CUDA)";
    if (info.cudaCompiled && info.cudaDevices > 0)
        cuda = "yes (CUDA " + info.cudaRuntime + ", " + std::to_string(info.cudaDevices) +
               (info.cudaDevices == 1 ? " device)" : " devices)");
    else if (info.cudaCompiled)
        cuda = "compiled in (CUDA " + info.cudaRuntime + "), but no device is available";
    return program + " " + info.atelier + "\nLibTorch: " + info.torch + "\nCPU: yes\nCUDA: " + cuda;
}

} // namespace atelier
