// Scales, ticks and the objective's colour ramp shared by the Search view's figures, so that
// the parallel coordinates and the parameter panels read the same way.
#pragma once

#include "ui/search/search_table.h"

#include <QColor>
#include <QString>
#include <vector>

class QPalette;

namespace atelier::ui {

// A value axis mapped to 0..1 (0 at the low end), linear or logarithmic.
struct ValueScale
{
    double low = 0, high = 1;
    bool log = false;

    // Widens an empty extent (one value) so that it still has a middle, and drops the log for
    // an extent that is not positive.
    static ValueScale fit(double low, double high, bool log);
    double unit(double value) const;
    double value(double unit) const;
    // Round values inside [low, high]: 1-2-5 steps, or decades (with 2 and 5 between them
    // when there are few) on a log scale.
    std::vector<double> ticks(int maxCount) const;
};

struct Tick
{
    double value = 0;
    QString label;
};

// A column's axis: categories at evenly spaced positions, numbers on their scale.
struct ColumnAxis
{
    bool categorical = false;
    int categoryCount = 0;
    ValueScale scale;

    static ColumnAxis forColumn(const SearchTable& table, int column);
    static ColumnAxis forObjective(const SearchTable& table);
    double unit(double value) const; // 0 at the bottom, 1 at the top
    double value(double unit) const;
    // Ticks for an axis `lengthPx` long whose labels are `textPx` high: the listed numbers
    // when they do not collide, round values otherwise; every category.
    std::vector<Tick> ticks(const SearchColumn* column, double lengthPx, double textPx) const;
};

QString formatValue(double value);

// A parameter's name as an axis or panel title: a key path loses its "model." or "training."
// prefix ("layers[1].units"), the part that tells axes apart survives a narrow chart.
QString shortColumnName(const QString& name);

// The objective's colour at `unit` (0 the worst trial, 1 the best): a perceptual ramp whose
// dark end is lifted on a dark background and whose light end is held back on a light one.
QColor rampColor(double unit, const QPalette& palette);

} // namespace atelier::ui
