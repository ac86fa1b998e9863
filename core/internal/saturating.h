// Private to core: int64 arithmetic that sticks at the largest value instead of wrapping.
// Model sizes come from user files; a product of legal layer sizes must never turn negative
// and make an impossible model look small.
#pragma once

#include <cstdint>
#include <limits>

namespace atelier::detail {

// The value every saturated result takes.
constexpr std::int64_t kSaturated = std::numeric_limits<std::int64_t>::max();

// a + b for non-negative operands, kSaturated when the sum does not fit.
inline std::int64_t saturatingAdd(std::int64_t a, std::int64_t b)
{
    std::int64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? kSaturated : sum;
}

// a × b for non-negative operands, kSaturated when the product does not fit.
inline std::int64_t saturatingMul(std::int64_t a, std::int64_t b)
{
    std::int64_t product = 0;
    return __builtin_mul_overflow(a, b, &product) ? kSaturated : product;
}

} // namespace atelier::detail
