// Stratified splitting: per-class shuffles with a portable RNG, so a seed means the same
// dev set on every machine.
#include "split.h"

#include "errors.h"
#include "random.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace atelier {
namespace {

std::array<IndexList, kNumClasses> indicesByClass(const std::vector<std::uint8_t>& labels,
                                                  const IndexList& indices)
{
    std::array<IndexList, kNumClasses> byClass;
    for (std::int32_t index : indices)
        byClass.at(labels.at(static_cast<std::size_t>(index))).push_back(index);
    return byClass;
}

} // namespace

IndexList allIndices(std::size_t count)
{
    IndexList indices(count);
    std::iota(indices.begin(), indices.end(), 0);
    return indices;
}

TrainDevSplit stratifiedSplit(const std::vector<std::uint8_t>& labels, double devFraction,
                              std::uint64_t seed)
{
    if (!(devFraction >= 0.0 && devFraction < 1.0))
        throw InputError("dev fraction " + std::to_string(devFraction) + " is outside [0, 1)");
    std::mt19937_64 rng(seed);
    TrainDevSplit split;
    auto byClass = indicesByClass(labels, allIndices(labels.size()));
    for (IndexList& members : byClass) {
        seededShuffle(members, rng);
        const auto devCount =
            static_cast<std::size_t>(std::llround(double(members.size()) * devFraction));
        split.dev.insert(split.dev.end(), members.begin(), members.begin() + devCount);
        split.train.insert(split.train.end(), members.begin() + devCount, members.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.dev.begin(), split.dev.end());
    return split;
}

IndexList stratifiedSubset(const std::vector<std::uint8_t>& labels, const IndexList& indices,
                           std::size_t limit, std::uint64_t seed)
{
    if (limit >= indices.size())
        return indices;
    auto byClass = indicesByClass(labels, indices);

    // Largest-remainder apportionment: the quotas sum to `limit` exactly.
    std::array<std::size_t, kNumClasses> quota{};
    std::array<double, kNumClasses> remainder{};
    std::size_t assigned = 0;
    for (int c = 0; c < kNumClasses; ++c) {
        const double exact = double(byClass[c].size()) * double(limit) / double(indices.size());
        quota[c] = static_cast<std::size_t>(exact);
        remainder[c] = exact - double(quota[c]);
        assigned += quota[c];
    }
    std::array<int, kNumClasses> order{};
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return remainder[a] > remainder[b]; });
    for (std::size_t i = 0; assigned < limit; ++i, ++assigned)
        ++quota[order[i % kNumClasses]];

    std::mt19937_64 rng(seed);
    IndexList subset;
    subset.reserve(limit);
    for (int c = 0; c < kNumClasses; ++c) {
        seededShuffle(byClass[c], rng);
        subset.insert(subset.end(), byClass[c].begin(), byClass[c].begin() + quota[c]);
    }
    std::sort(subset.begin(), subset.end());
    return subset;
}

ClassCounts classCounts(const std::vector<std::uint8_t>& labels, const IndexList& indices)
{
    ClassCounts counts{};
    for (std::int32_t index : indices)
        ++counts.at(labels.at(static_cast<std::size_t>(index)));
    return counts;
}

ClassCounts classCounts(const std::vector<std::uint8_t>& labels)
{
    ClassCounts counts{};
    for (std::uint8_t label : labels)
        ++counts.at(label);
    return counts;
}

} // namespace atelier
