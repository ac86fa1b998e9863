// Thread count, device detection and version strings from LibTorch.
#include "runtime.h"

#include <fstream>
#include <thread>
#include <torch/torch.h>
#include <torch/version.h>

// The device's marketing name needs the CUDA runtime headers, which only CUDA builds have.
#if __has_include(<cuda_runtime_api.h>) && __has_include(<ATen/cuda/CUDAContext.h>)
#include <ATen/cuda/CUDAContext.h>
#define ATELIER_HAVE_CUDA_PROPERTIES 1
#endif

namespace atelier {
namespace {

std::string cpuName()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                return line.substr(line.find_first_not_of(' ', colon + 1));
        }
    return "CPU";
}

std::string cudaDeviceName(int index)
{
#ifdef ATELIER_HAVE_CUDA_PROPERTIES
    if (const auto* properties = at::cuda::getDeviceProperties(index))
        return properties->name;
#endif
    return "CUDA device " + std::to_string(index);
}

} // namespace

int configureThreads(int threads)
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads > 0 ? threads : cores);
    return torch::get_num_threads();
}

bool cudaAvailable()
{
    return torch::cuda::is_available() && torch::cuda::device_count() > 0;
}

DeviceInfo resolveDevice(DeviceChoice choice)
{
    DeviceInfo device;
    const bool haveCuda = cudaAvailable();
    if (choice == DeviceChoice::Cuda && !haveCuda)
        throw InputError("device cuda: no CUDA GPU is available (this LibTorch " + torchVersion() +
                         " build or this machine has none); use --device cpu or auto");
    if (haveCuda && choice != DeviceChoice::Cpu) {
        device.cuda = true;
        device.name = cudaDeviceName(0);
    } else {
        device.name = cpuName();
    }
    return device;
}

bool hasFastBfloat16(const DeviceInfo& device)
{
    if (!device.cuda) {
#if defined(__x86_64__)
        return __builtin_cpu_supports("avx512bf16");
#else
        return false; // the feature name is x86's; elsewhere assume emulation
#endif
    }
#ifdef ATELIER_HAVE_CUDA_PROPERTIES
    if (const auto* properties = at::cuda::getDeviceProperties(device.index))
        return properties->major >= 8;
#endif
    return true; // unknown without the CUDA headers; Ampere and later are the GPUs in use
}

std::string torchVersion()
{
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

} // namespace atelier
