// Stratified, seeded train/dev split of the training set, and class counts per split.
#pragma once

#include "dataset.h"

#include <array>
#include <cstdint>
#include <vector>

namespace atelier {

using IndexList = std::vector<std::int32_t>;
using ClassCounts = std::array<std::int64_t, kNumClasses>;

struct TrainDevSplit
{
    IndexList train; // ascending indices into the training ImageSet
    IndexList dev;   // ascending indices into the training ImageSet
};

// Each class c with n_c samples gives round(n_c × devFraction) of them, chosen at random
// (seeded), to dev; the rest stay in train. devFraction must lie in [0, 1).
TrainDevSplit stratifiedSplit(const std::vector<std::uint8_t>& labels, double devFraction,
                              std::uint64_t seed);

// A class-balanced subset of `indices` with `limit` entries (proportions kept up to
// rounding, largest remainders first); all of `indices` when limit >= its size.
IndexList stratifiedSubset(const std::vector<std::uint8_t>& labels, const IndexList& indices,
                           std::size_t limit, std::uint64_t seed);

ClassCounts classCounts(const std::vector<std::uint8_t>& labels, const IndexList& indices);
ClassCounts classCounts(const std::vector<std::uint8_t>& labels);

IndexList allIndices(std::size_t count);

} // namespace atelier
