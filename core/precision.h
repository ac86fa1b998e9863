// How a network computes: float32 throughout, or mixed precision with bfloat16.
#pragma once

#include <optional>
#include <string>

namespace atelier {

enum class Precision
{
    // Every value float32.
    Float32,
    // Convolutions and matrix products in bfloat16 (LibTorch's autocast; the first layer's
    // stencil convolution stays float32); weights, their updates, batch-norm statistics, the
    // loss and the outputs stay float32. About 2× faster on an AMX CPU (Sapphire Rapids,
    // docs/results.md); GPUs from Ampere on also have bfloat16 in hardware (not measured
    // yet); slower than float32 where bfloat16 has to be emulated.
    BFloat16Mixed,
};

// The preset's spelling: "fp32" or "bf16".
inline std::string precisionName(Precision precision)
{
    return precision == Precision::BFloat16Mixed ? "bf16" : "fp32";
}

inline std::optional<Precision> precisionFromName(const std::string& name)
{
    if (name == "fp32")
        return Precision::Float32;
    if (name == "bf16")
        return Precision::BFloat16Mixed;
    return std::nullopt;
}

} // namespace atelier
