// Ranking and per-parameter effects of a sweep (see sweep_report.h).
#include "sweep_report.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace atelier {
namespace {

std::vector<double> averageRanks(const std::vector<double>& values)
{
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
            ++j;
        const double rank = (double(i) + double(j)) / 2 + 1;
        for (std::size_t k = i; k <= j; ++k)
            ranks[order[k]] = rank;
        i = j + 1;
    }
    return ranks;
}

} // namespace

std::vector<int> rankTrials(const SweepSpec& spec, const std::vector<TrialRecord>& records)
{
    std::vector<int> ranked;
    for (std::size_t i = 0; i < records.size(); ++i)
        if (!std::isnan(trialObjective(spec, records[i])))
            ranked.push_back(int(i));
    std::stable_sort(ranked.begin(), ranked.end(), [&](int a, int b) {
        return objectiveIsBetter(spec.objective, trialObjective(spec, records[std::size_t(a)]),
                                 trialObjective(spec, records[std::size_t(b)]));
    });
    return ranked;
}

std::optional<double> spearmanCorrelation(const std::vector<double>& x,
                                          const std::vector<double>& y)
{
    if (x.size() != y.size() || x.size() < 3)
        return std::nullopt;
    const std::vector<double> rx = averageRanks(x), ry = averageRanks(y);
    const double n = double(x.size());
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n;
    const double my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    if (sxx == 0 || syy == 0)
        return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

std::vector<ParameterEffect> parameterEffects(const SweepSpec& spec, const SweepPlan& plan,
                                              const std::vector<TrialRecord>& records)
{
    std::vector<ParameterEffect> effects;
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
        const SweepParameter& parameter = spec.parameters[p];
        ParameterEffect effect;
        effect.name = parameter.name;
        std::vector<std::vector<double>> byValue(parameter.values.size());
        std::vector<double> numbers, objectives;
        bool numeric = true;
        for (std::size_t i = 0; i < records.size() && i < plan.trials.size(); ++i) {
            const double objective = trialObjective(spec, records[i]);
            if (std::isnan(objective))
                continue;
            const TrialConfig& trial = plan.trials[i];
            for (std::size_t v = 0; v < parameter.values.size(); ++v)
                if (parameter.values[v].label == trial.labels[p])
                    byValue[v].push_back(objective);
            if (trial.numbers[p]) {
                numbers.push_back(*trial.numbers[p]);
                objectives.push_back(objective);
            } else {
                numeric = false;
            }
        }
        for (std::size_t v = 0; v < parameter.values.size(); ++v) {
            ValueEffect value;
            value.label = parameter.values[v].label;
            const std::vector<double>& all = byValue[v];
            value.trials = int(all.size());
            if (!all.empty()) {
                value.mean = std::accumulate(all.begin(), all.end(), 0.0) / double(all.size());
                double squares = 0;
                for (const double x : all)
                    squares += (x - value.mean) * (x - value.mean);
                value.stddev = all.size() > 1 ? std::sqrt(squares / double(all.size() - 1)) : 0;
            }
            effect.values.push_back(value);
        }
        if (numeric)
            effect.spearman = spearmanCorrelation(numbers, objectives);
        effects.push_back(std::move(effect));
    }
    return effects;
}

} // namespace atelier
