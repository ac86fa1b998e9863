// What a finished (or running) sweep says: trials ranked by the objective, and each
// parameter's effect on it (mean and spread per value, a rank correlation for numbers).
#pragma once

#include "sweep_folder.h"

#include <optional>
#include <string>
#include <vector>

namespace atelier {

struct ValueEffect
{
    std::string label;
    int trials = 0; // finished trials with this value
    double mean = 0, stddev = 0;
};

struct ParameterEffect
{
    std::string name;
    std::vector<ValueEffect> values; // in the sweep file's order (ranges: none)
    std::optional<double> spearman;  // numbers only: rank correlation with the objective
};

// Indices into `records` of the completed trials, best first (ties: lower index first).
std::vector<int> rankTrials(const SweepSpec& spec, const std::vector<TrialRecord>& records);

std::vector<ParameterEffect> parameterEffects(const SweepSpec& spec, const SweepPlan& plan,
                                              const std::vector<TrialRecord>& records);

// Spearman's rank correlation (average ranks for ties); nullopt for fewer than 3 pairs or a
// constant side.
std::optional<double> spearmanCorrelation(const std::vector<double>& x,
                                          const std::vector<double>& y);

} // namespace atelier
