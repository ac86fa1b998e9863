// Portable seeded shuffling: std::shuffle and std::uniform_int_distribution differ between
// standard libraries, so the same seed would give other splits elsewhere. mt19937_64's output
// is fixed by the standard; the index drawing here is ours.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace atelier {

// Uniform integer in [0, bound) without modulo bias.
inline std::uint64_t uniformIndex(std::mt19937_64& rng, std::uint64_t bound)
{
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t value;
    do {
        value = rng();
    } while (value >= limit);
    return value % bound;
}

template <typename T> void seededShuffle(std::vector<T>& items, std::mt19937_64& rng)
{
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[uniformIndex(rng, i)]);
}

} // namespace atelier
