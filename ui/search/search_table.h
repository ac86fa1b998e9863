// What every figure of the Search view (and its trials table) draws from: one column per
// searched parameter, the objective, and one row per trial, as plain numbers. Built once from
// the core sweep types, so that the figures never re-derive a trial's values or status.
#pragma once

#include "core/sweep.h"
#include "core/sweep_folder.h"
#include "core/sweep_plan.h"

#include <QString>
#include <QStringList>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace atelier::ui {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct SearchColumn
{
    QString name;
    bool numeric = false;       // every listed value is a number, or the parameter is a range
    bool logScale = false;      // a log_uniform range, or positive numbers spanning 100× or more
    QStringList categories;     // non-numeric: the labels in the sweep file's order
    std::vector<double> levels; // numeric, listed: the numbers in the sweep file's order
    // What an axis spans: a range's bounds, or the listed numbers' extent (numeric only).
    double low = kNoValue, high = kNoValue;

    bool isRange() const { return numeric && levels.empty(); }
};

struct SearchRow
{
    int index = 0;  // the trial's index (its folder trials/NNNN)
    QString status; // core trialStatusName
    // Per column: the number, or the category's index; NaN when the label is not a listed one.
    std::vector<double> values;
    double objective = kNoValue; // NaN unless completed (a diverged trial has none)

    bool finished() const { return !std::isnan(objective); }
};

struct SearchTable
{
    std::vector<SearchColumn> columns;
    QString objectiveName; // "val_accuracy" or "val_loss"
    bool higherIsBetter = true;
    std::vector<SearchRow> rows; // in plan order

    int finishedCount() const;
    // The finished trials' objective extent; nullopt when none has finished.
    std::optional<std::pair<double, double>> objectiveRange() const;
    // A row's value as shown: the category's label, or the number.
    QString valueText(int row, int column) const;
};

SearchTable searchTable(const SweepSpec& spec, const SweepPlan& plan,
                        const std::vector<TrialRecord>& records);

// A CSV field, quoted when it holds a comma, a quote or a line break (the figures' data).
QString csvField(const QString& text);

// The objective by one parameter: per listed value (a category or a listed number) the
// finished trials' mean and sample standard deviation, and for numbers the Spearman rank
// correlation. The same rule as core parameterEffects, computed from the table so that a
// figure needs nothing else.
struct EffectGroup
{
    double x = 0; // the category's index, or the listed number
    QString label;
    int trials = 0;
    double mean = kNoValue, stddev = kNoValue; // NaN without trials; stddev 0 with one
};

struct ParameterSummary
{
    int column = 0;
    std::vector<EffectGroup> groups; // in the sweep file's order; empty for a range
    std::optional<double> spearman;  // numeric columns with 3 or more finished trials
    std::vector<int> finishedRows;   // rows with an objective and a value in this column
    EffectGroup overall;             // all of them (no label, x 0)
};

std::vector<ParameterSummary> summarizeParameters(const SearchTable& table);

} // namespace atelier::ui
