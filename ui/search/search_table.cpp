// The Search view's table of trials (see search_table.h).
#include "ui/search/search_table.h"

#include "core/sweep_report.h"

#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

// Listed numbers this far apart or more read better on a log axis (1, 10, 100, ...).
constexpr double kLogSpanRatio = 100.0;

SearchColumn columnOf(const SweepParameter& parameter)
{
    SearchColumn column;
    column.name = QString::fromStdString(parameter.name);
    if (parameter.range) {
        column.numeric = true;
        column.logScale = parameter.range->kind == RangeKind::LogUniform;
        column.low = parameter.range->low;
        column.high = parameter.range->high;
        return column;
    }
    column.numeric = !parameter.values.empty() &&
                     std::all_of(parameter.values.begin(), parameter.values.end(),
                                 [](const SweepValue& value) { return value.number.has_value(); });
    if (!column.numeric) {
        for (const SweepValue& value : parameter.values)
            column.categories << QString::fromStdString(value.label);
        return column;
    }
    for (const SweepValue& value : parameter.values)
        column.levels.push_back(*value.number);
    const auto [low, high] = std::minmax_element(column.levels.begin(), column.levels.end());
    column.low = *low;
    column.high = *high;
    column.logScale = column.low > 0 && column.high >= kLogSpanRatio * column.low;
    return column;
}

// The trial's value in one column: its number, or the index of its label among the categories.
double valueOf(const SearchColumn& column, const TrialConfig& trial, std::size_t p)
{
    if (column.numeric)
        return p < trial.numbers.size() && trial.numbers[p] ? *trial.numbers[p] : kNoValue;
    if (p >= trial.labels.size())
        return kNoValue;
    const int category = column.categories.indexOf(QString::fromStdString(trial.labels[p]));
    return category < 0 ? kNoValue : double(category);
}

EffectGroup groupOf(double x, const QString& label, const std::vector<double>& objectives)
{
    EffectGroup group;
    group.x = x;
    group.label = label;
    group.trials = int(objectives.size());
    if (objectives.empty())
        return group;
    double sum = 0;
    for (const double y : objectives)
        sum += y;
    group.mean = sum / double(objectives.size());
    double squares = 0;
    for (const double y : objectives)
        squares += (y - group.mean) * (y - group.mean);
    // The sample deviation, as core parameterEffects and the sweep report give it.
    group.stddev = objectives.size() > 1 ? std::sqrt(squares / double(objectives.size() - 1)) : 0;
    return group;
}

} // namespace

int SearchTable::finishedCount() const
{
    return int(std::count_if(rows.begin(), rows.end(),
                             [](const SearchRow& row) { return row.finished(); }));
}

std::optional<std::pair<double, double>> SearchTable::objectiveRange() const
{
    std::optional<std::pair<double, double>> range;
    for (const SearchRow& row : rows) {
        if (!row.finished())
            continue;
        if (!range)
            range = std::pair{row.objective, row.objective};
        range->first = std::min(range->first, row.objective);
        range->second = std::max(range->second, row.objective);
    }
    return range;
}

QString SearchTable::valueText(int row, int column) const
{
    const double value = rows[std::size_t(row)].values[std::size_t(column)];
    if (std::isnan(value))
        return {};
    const SearchColumn& c = columns[std::size_t(column)];
    if (!c.numeric)
        return c.categories.value(int(value));
    return QString::number(value, 'g', 6);
}

QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1String("\""), QLatin1String("\"\"")) +
           QLatin1Char('"');
}

SearchTable searchTable(const SweepSpec& spec, const SweepPlan& plan,
                        const std::vector<TrialRecord>& records)
{
    SearchTable table;
    for (const SweepParameter& parameter : spec.parameters)
        table.columns.push_back(columnOf(parameter));
    table.objectiveName = QString::fromStdString(sweepObjectiveName(spec.objective));
    table.higherIsBetter = spec.objective == SweepObjective::ValAccuracy;
    // Records follow the plan (readTrials gives one per planned trial); a shorter list of
    // either leaves the rest out rather than guessing.
    const std::size_t count = std::min(records.size(), plan.trials.size());
    table.rows.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const TrialRecord& record = records[i];
        SearchRow row;
        row.index = record.index;
        row.status = QString::fromStdString(trialStatusName(record.status));
        for (std::size_t p = 0; p < table.columns.size(); ++p)
            row.values.push_back(valueOf(table.columns[p], plan.trials[i], p));
        row.objective = trialObjective(spec, record);
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::vector<ParameterSummary> summarizeParameters(const SearchTable& table)
{
    std::vector<ParameterSummary> summaries;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const SearchColumn& column = table.columns[c];
        ParameterSummary summary;
        summary.column = int(c);
        std::vector<double> xs, ys;
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const SearchRow& row = table.rows[r];
            if (!row.finished() || std::isnan(row.values[c]))
                continue;
            summary.finishedRows.push_back(int(r));
            xs.push_back(row.values[c]);
            ys.push_back(row.objective);
        }
        // A group per listed value, matched exactly: the numbers come from the same parse.
        const std::size_t groups =
            column.numeric ? column.levels.size() : std::size_t(column.categories.size());
        for (std::size_t g = 0; g < groups; ++g) {
            const double x = column.numeric ? column.levels[g] : double(g);
            std::vector<double> objectives;
            for (std::size_t i = 0; i < xs.size(); ++i)
                if (xs[i] == x)
                    objectives.push_back(ys[i]);
            const QString label =
                column.numeric ? QString::number(x, 'g', 6) : column.categories[int(g)];
            summary.groups.push_back(groupOf(x, label, objectives));
        }
        summary.overall = groupOf(0, QString(), ys);
        if (column.numeric)
            summary.spearman = spearmanCorrelation(xs, ys);
        summaries.push_back(std::move(summary));
    }
    return summaries;
}

} // namespace atelier::ui
