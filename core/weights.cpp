// Weights files: LibTorch archives with an "atelier_fingerprint" entry.
#include "weights.h"

#include "atomic_file.h"
#include "errors.h"
#include "internal/weights_archive.h"
#include "training_memory.h"

#include <cstdint>
#include <cstdio>
#include <sstream>

namespace atelier {
namespace {

constexpr const char* kFingerprintKey = "atelier_fingerprint";

std::uint64_t fnv1a(const std::string& text)
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return hash;
}

// Archive keys may not contain dots; parameter names do ("block1.0.weight").
std::string archiveKey(const std::string& name)
{
    std::string key;
    for (char c : name)
        key += c == '.' ? std::string("__") : std::string(1, c);
    return key;
}

} // namespace

std::string architectureFingerprint(const ModelSpec& spec)
{
    std::ostringstream text;
    text << "input";
    for (int d : spec.inputShape)
        text << ' ' << d;
    for (const LayerSpec& l : spec.layers) {
        text << '|' << layerTypeName(l.type);
        switch (l.type) {
        case LayerType::Dense:
            text << " u" << l.units << " b" << l.useBias << " a" << activationName(l.activation);
            break;
        case LayerType::Conv2D:
            text << " f" << l.filters << " k" << l.kernel.h << 'x' << l.kernel.w << " s"
                 << l.stride.h << 'x' << l.stride.w << " d" << l.dilation.h << 'x' << l.dilation.w
                 << " p" << paddingName(l.padding) << " b" << l.useBias << " a"
                 << activationName(l.activation);
            break;
        case LayerType::MaxPool2D:
        case LayerType::AvgPool2D:
            text << " k" << l.pool.h << 'x' << l.pool.w << " s" << l.stride.h << 'x' << l.stride.w
                 << " p" << paddingName(l.padding);
            break;
        case LayerType::Activation:
            text << " a" << activationName(l.activation);
            break;
        case LayerType::Residual:
            text << " f" << l.filters << " k" << l.kernel.h << 'x' << l.kernel.w << " s"
                 << l.stride.h << 'x' << l.stride.w << " a" << activationName(l.activation);
            break;
        default:
            break;
        }
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(text.str())));
    return hex;
}

void writeModelTensors(torch::serialize::OutputArchive& archive, const LayerStack& module)
{
    for (const auto& parameter : module->named_parameters())
        archive.write(archiveKey(parameter.key()), parameter.value().detach().to(torch::kCPU));
    for (const auto& buffer : module->named_buffers())
        archive.write(archiveKey(buffer.key()), buffer.value().to(torch::kCPU),
                      /*is_buffer=*/true);
}

void readModelTensors(torch::serialize::InputArchive& archive, const std::string& path,
                      LayerStack& module)
{
    torch::NoGradGuard noGrad;
    auto load = [&](const std::string& name, torch::Tensor& target, bool isBuffer) {
        torch::Tensor stored;
        if (!archive.try_read(archiveKey(name), stored, isBuffer))
            throw ModelError(path + ": the weights lack " + name);
        if (stored.sizes() != target.sizes())
            throw ModelError(path + ": " + name + " has shape " + c10::str(stored.sizes()) +
                             " but this model needs " + c10::str(target.sizes()));
        if (stored.scalar_type() != target.scalar_type())
            throw ModelError(path + ": " + name + " holds " +
                             std::string(c10::toString(stored.scalar_type())) + " values, not " +
                             std::string(c10::toString(target.scalar_type())));
        target.copy_(stored);
    };
    for (auto& parameter : module->named_parameters())
        load(parameter.key(), parameter.value(), false);
    for (auto& buffer : module->named_buffers())
        load(buffer.key(), buffer.value(), true);
}

std::string archiveBytes(torch::serialize::OutputArchive& archive)
{
    std::string bytes;
    archive.save_to([&bytes](const void* data, std::size_t size) -> std::size_t {
        bytes.append(static_cast<const char*>(data), size);
        return size;
    });
    return bytes;
}

void loadArchive(torch::serialize::InputArchive& archive, const std::string& path,
                 const std::string& what)
{
    // Read through our own bounded reader: a FIFO, a folder or an unreadable file gets its
    // own message instead of LibTorch's generic failure (or a read that never returns).
    // An archive larger than this machine's memory could not be used anyway; the bound
    // keeps a hostile (or sparse) file from making the reader allocate without limit.
    const std::string bytes = readFileBounded(path, std::uint64_t(physicalMemoryBytes()));
    try {
        archive.load_from(bytes.data(), bytes.size(), torch::Device(torch::kCPU));
    } catch (const std::exception&) {
        throw InputError(path + ": not " + what + " (damaged, or not written by Atelier)");
    }
}

void saveWeights(const Network& network, const std::string& path)
{
    torch::serialize::OutputArchive archive;
    writeModelTensors(archive, network.impl().module);
    archive.write(kFingerprintKey, c10::IValue(architectureFingerprint(network.impl().spec)));
    writeFileAtomically(path, archiveBytes(archive));
}

void loadWeights(Network& network, const std::string& path)
{
    torch::serialize::InputArchive archive;
    loadArchive(archive, path, "a weights file");
    c10::IValue stored;
    if (!archive.try_read(kFingerprintKey, stored) || !stored.isString())
        throw ModelError(
            path +
            ": the weights carry no architecture fingerprint; they were not saved by Atelier");
    const std::string expected = architectureFingerprint(network.impl().spec);
    if (stored.toStringRef() != expected)
        throw ModelError(path + ": the weights were saved for another architecture (fingerprint " +
                         stored.toStringRef() + ", this model has " + expected + ")");
    readModelTensors(archive, path, network.impl().module);
}

} // namespace atelier
