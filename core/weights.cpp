// Weights files: LibTorch archives with an "atelier_fingerprint" entry.
#include "weights.h"

#include "errors.h"
#include "internal/network_impl.h"

#include <cstdio>
#include <sstream>
#include <unistd.h>

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

// Reads every tensor into a temporary and checks its shape before copying: LibTorch's own
// Module::load would silently replace a tensor of another shape.
void loadTensor(torch::serialize::InputArchive& archive, const std::string& path,
                const std::string& name, torch::Tensor& target, bool isBuffer)
{
    torch::Tensor stored;
    if (!archive.try_read(archiveKey(name), stored, isBuffer))
        throw ModelError(path + ": the weights lack " + name);
    if (stored.sizes() != target.sizes())
        throw ModelError(path + ": " + name + " has shape " + c10::str(stored.sizes()) +
                         " but this model needs " + c10::str(target.sizes()));
    target.copy_(stored);
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
        default:
            break;
        }
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(text.str())));
    return hex;
}

void saveWeights(const Network& network, const std::string& path)
{
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    try {
        torch::serialize::OutputArchive archive;
        const auto& module = network.impl().module;
        for (const auto& parameter : module->named_parameters())
            archive.write(archiveKey(parameter.key()), parameter.value().detach().to(torch::kCPU));
        for (const auto& buffer : module->named_buffers())
            archive.write(archiveKey(buffer.key()), buffer.value().to(torch::kCPU),
                          /*is_buffer=*/true);
        archive.write(kFingerprintKey, c10::IValue(architectureFingerprint(network.impl().spec)));
        archive.save_to(temporary);
    } catch (const c10::Error& e) {
        std::remove(temporary.c_str());
        throw InputError(path + ": cannot write the weights: " + e.msg());
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw InputError(path + ": cannot write the weights");
    }
}

void loadWeights(Network& network, const std::string& path)
{
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path);
    } catch (const c10::Error& e) {
        throw InputError(path + ": cannot read the weights (missing or not a weights file)");
    }
    c10::IValue stored;
    if (!archive.try_read(kFingerprintKey, stored) || !stored.isString())
        throw ModelError(
            path +
            ": the weights carry no architecture fingerprint; they were not saved by Atelier");
    const std::string expected = architectureFingerprint(network.impl().spec);
    if (stored.toStringRef() != expected)
        throw ModelError(path + ": the weights were saved for another architecture (fingerprint " +
                         stored.toStringRef() + ", this model has " + expected + ")");
    torch::NoGradGuard noGrad;
    auto& module = network.impl().module;
    for (auto& parameter : module->named_parameters())
        loadTensor(archive, path, parameter.key(), parameter.value(), false);
    for (auto& buffer : module->named_buffers())
        loadTensor(archive, path, buffer.key(), buffer.value(), true);
}

} // namespace atelier
