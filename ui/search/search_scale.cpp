// Scales, ticks and colours of the Search view's figures (see search_scale.h).
#include "ui/search/search_scale.h"

#include <QPalette>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

// Viridis, sampled at nine even stops: ordered in lightness, readable by most colour-blind
// readers, and still ordered when printed in grey.
constexpr QRgb kRamp[] = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                          0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};
constexpr int kRampStops = int(sizeof(kRamp) / sizeof(kRamp[0]));

// The part of the ramp used on a light background (its yellow end vanishes on white) and on
// a dark one (its purple end vanishes on near-black).
constexpr double kLightRampEnd = 0.88;
constexpr double kDarkRampStart = 0.18;

double niceStep(double span, int maxCount)
{
    const double raw = span / std::max(1, maxCount);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0})
        if (factor * magnitude >= raw)
            return factor * magnitude;
    return 10 * magnitude;
}

std::vector<double> linearTicks(double low, double high, int maxCount)
{
    std::vector<double> ticks;
    if (!(high > low))
        return {low};
    const double step = niceStep(high - low, maxCount);
    const double tolerance = step * 1e-9;
    for (double k = std::ceil((low - tolerance) / step); k * step <= high + tolerance; k += 1)
        ticks.push_back(std::abs(k) < 1e-12 ? 0.0 : k * step); // no "-0"
    return ticks;
}

} // namespace

ValueScale ValueScale::fit(double low, double high, bool log)
{
    ValueScale scale{low, high, log && low > 0 && high > 0};
    if (!std::isfinite(low) || !std::isfinite(high)) {
        scale = ValueScale{};
    } else if (!(high > low)) {
        // One value: put it in the middle of a small extent around it.
        if (scale.log) {
            scale.low = low / 2;
            scale.high = low * 2;
        } else {
            const double pad = low == 0 ? 1 : std::abs(low) * 0.1;
            scale.low = low - pad;
            scale.high = low + pad;
        }
    }
    return scale;
}

double ValueScale::unit(double v) const
{
    if (log)
        return (std::log(v) - std::log(low)) / (std::log(high) - std::log(low));
    return (v - low) / (high - low);
}

double ValueScale::value(double u) const
{
    if (log)
        return std::exp(std::log(low) + u * (std::log(high) - std::log(low)));
    return low + u * (high - low);
}

std::vector<double> ValueScale::ticks(int maxCount) const
{
    if (!log)
        return linearTicks(low, high, maxCount);
    const double tolerance = 1e-9;
    const int first = int(std::floor(std::log10(low) + tolerance));
    const int last = int(std::ceil(std::log10(high) - tolerance));
    const auto withFactors = [&](const std::vector<double>& factors, int everyDecades) {
        std::vector<double> ticks;
        for (int decade = first; decade <= last; ++decade) {
            if ((decade - first) % everyDecades != 0)
                continue;
            for (const double factor : factors) {
                const double v = factor * std::pow(10.0, decade);
                if (v >= low * (1 - tolerance) && v <= high * (1 + tolerance))
                    ticks.push_back(v);
            }
        }
        return ticks;
    };
    // Decades alone read best; with fewer than three of them, fill in 2 and 5 (or 3).
    const std::vector<double> decades = withFactors({1}, 1);
    if (decades.size() >= 3) {
        const int every = (int(decades.size()) + maxCount - 1) / std::max(1, maxCount);
        return every <= 1 ? decades : withFactors({1}, every);
    }
    for (const std::vector<double>& factors : {std::vector<double>{1, 2, 5}, {1, 3}}) {
        std::vector<double> ticks = withFactors(factors, 1);
        if (ticks.size() >= 3 && int(ticks.size()) <= maxCount)
            return ticks;
    }
    // Within about a decade round values in linear steps read better.
    return linearTicks(low, high, maxCount);
}

ColumnAxis ColumnAxis::forColumn(const SearchTable& table, int c)
{
    const SearchColumn& column = table.columns[std::size_t(c)];
    ColumnAxis axis;
    if (!column.numeric) {
        axis.categorical = true;
        axis.categoryCount = int(column.categories.size());
        return axis;
    }
    double low = column.low, high = column.high;
    if (std::isnan(low) || std::isnan(high)) {
        // No bounds from the sweep file: the values at hand.
        for (const SearchRow& row : table.rows) {
            const double v = row.values[std::size_t(c)];
            if (std::isnan(v))
                continue;
            low = std::isnan(low) ? v : std::min(low, v);
            high = std::isnan(high) ? v : std::max(high, v);
        }
    }
    axis.scale = ValueScale::fit(low, high, column.logScale);
    return axis;
}

ColumnAxis ColumnAxis::forObjective(const SearchTable& table)
{
    ColumnAxis axis;
    if (const auto range = table.objectiveRange())
        axis.scale = ValueScale::fit(range->first, range->second, false);
    return axis;
}

double ColumnAxis::unit(double v) const
{
    if (!categorical)
        return scale.unit(v);
    return categoryCount > 1 ? v / double(categoryCount - 1) : 0.5;
}

double ColumnAxis::value(double u) const
{
    if (!categorical)
        return scale.value(u);
    return categoryCount > 1 ? u * double(categoryCount - 1) : 0;
}

std::vector<Tick> ColumnAxis::ticks(const SearchColumn* column, double lengthPx,
                                    double textPx) const
{
    std::vector<Tick> ticks;
    if (categorical) {
        for (int k = 0; k < categoryCount; ++k)
            ticks.push_back({double(k), column ? column->categories.value(k) : QString()});
        return ticks;
    }
    const double gapPx = textPx * 1.2;
    if (column && !column->levels.empty()) {
        std::vector<double> levels = column->levels;
        std::sort(levels.begin(), levels.end());
        bool apart = true;
        for (std::size_t i = 1; i < levels.size(); ++i)
            apart = apart && (unit(levels[i]) - unit(levels[i - 1])) * lengthPx >= gapPx;
        if (apart) {
            for (const double v : levels)
                ticks.push_back({v, formatValue(v)});
            return ticks;
        }
    }
    const int maxCount = std::clamp(int(lengthPx / (textPx * 2.5)), 2, 10);
    const std::vector<double> values = scale.ticks(maxCount);
    // Linear steps get as many decimals as the step needs, the same on every label (0.80,
    // 0.82, not 0.8, 0.82); log ticks and extreme magnitudes keep the short general form.
    int decimals = -1;
    if (!scale.log && values.size() >= 2) {
        const double step = values[1] - values[0];
        const double largest = std::max(std::abs(values.front()), std::abs(values.back()));
        if (step >= 1e-4 && largest < 1e6)
            decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
    }
    for (const double v : values)
        ticks.push_back({v, decimals < 0 ? formatValue(v) : QString::number(v, 'f', decimals)});
    return ticks;
}

QString formatValue(double value)
{
    return QString::number(value, 'g', 4);
}

QColor rampColor(double unit, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    const double start = dark ? kDarkRampStart : 0.0;
    const double end = dark ? 1.0 : kLightRampEnd;
    const double t = (start + std::clamp(unit, 0.0, 1.0) * (end - start)) * (kRampStops - 1);
    const int i = std::min(int(t), kRampStops - 2);
    const double f = t - i;
    const QColor a(kRamp[i]), b(kRamp[i + 1]);
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())),
                            float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

QString shortColumnName(const QString& name)
{
    for (const QLatin1String prefix : {QLatin1String("model."), QLatin1String("training.")})
        if (name.startsWith(prefix) && name.size() > prefix.size())
            return name.mid(prefix.size());
    return name;
}

} // namespace atelier::ui
