// What the Inside view's figures share, so that they read the same way side by side: where a
// sample lies in time, the colours of layers and of gradient magnitudes, log and epoch axes,
// and how their numbers are written.
#pragma once

#include "core/layer_stats.h"
#include "ui/search/search_scale.h"

#include <QColor>
#include <QString>
#include <vector>

class QPainter;
class QPalette;
class QRectF;

namespace atelier::ui {

struct RunData;

// The first two runs that have something to draw: the Inside figures compare two at most
// (solid and dashed, or two panels), more would hide the comparison.
constexpr int kInsideMaxRuns = 2;

// Where each sample of `log` lies on the epochs axis: epoch - 1 + batch / batchesPerEpoch.
// Without batchesPerEpoch (0: unknown), an epoch's last sampled batch stands for its end.
std::vector<double> sampleEpochPositions(const LayerStatsLog& log, int batchesPerEpoch);

// A layer's colour by its place among `count` layers: a sequential ramp from the first (dark)
// to the last (light), so that the order reads without the legend, in either palette.
QColor layerColor(int position, int count, const QPalette& palette);

// A gradient magnitude at `unit` of its colour scale (0 the smallest, 1 the largest): dark for
// a gradient that vanishes, bright for a strong one.
QColor heatColor(double unit, const QPalette& palette);

// Whole decades around [low, high] (both > 0), at least one decade wide.
struct DecadeRange
{
    int low = -1, high = 0; // exponents of ten

    static DecadeRange covering(double low, double high);
    double unit(double value) const; // 0 at 10^low, 1 at 10^high (log10 between)
};

QString decadeLabel(int exponent); // "1e-6", "1e-1", "1", "1e2"
// A tick or table number that stays short from 1e-9 to 1e6: "0.25", "-3e-5", "120".
QString compactNumber(double value);

// Whole-epoch ticks inside [first, last] at a 1-2-5 step that leaves room for labels
// `labelPx` wide on an axis `lengthPx` long.
std::vector<double> epochTicks(double first, double last, double lengthPx, double labelPx);

// Ticks for a value axis: decades on a log scale (every n-th when they crowd), round steps
// on a linear one; labels written with decadeLabel and compactNumber.
std::vector<Tick> valueTicks(const ValueScale& scale, double lengthPx, double textPx);

// The x axis of a plot over epochs: a base line, ticks with labels under `plot`, and under
// them the axis's name (unless hidden: a heatmap stacked over another names it once).
enum class AxisName
{
    Shown,
    Hidden,
};
void paintEpochAxis(QPainter* painter, const QRectF& plot, double first, double last,
                    const QPalette& palette, AxisName name = AxisName::Shown);
// The room paintEpochAxis needs under a plot, in text lines.
constexpr double kEpochAxisLines = 2.4;
constexpr double kEpochTicksLines = 1.4; // without the name
// Horizontal grid lines and right-aligned labels in the `labelWidth` left of `plot`.
void paintValueAxis(QPainter* painter, const QRectF& plot, const ValueScale& scale,
                    const std::vector<Tick>& ticks, double labelWidth, const QPalette& palette);
// A one-line heading, elided to fit; bold for figure titles.
enum class HeadingWeight
{
    Normal,
    Bold,
};
void paintHeading(QPainter* painter, const QRectF& box, const QString& text,
                  const QPalette& palette, HeadingWeight weight = HeadingWeight::Bold,
                  Qt::Alignment alignment = Qt::AlignLeft);
// The greyed note a figure shows instead of its data ("no values yet").
void paintPlaceholder(QPainter* painter, const QRectF& area, const QString& text,
                      const QPalette& palette);

QString csvNumber(double value);      // empty for NaN and infinities
QString runLabel(const RunData& run); // its name, or its folder's name

} // namespace atelier::ui
