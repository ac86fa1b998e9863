// Writing figures: anything that paints on a QPainter goes to PNG, SVG or PDF at a chosen
// size, atomically (a half-written figure never replaces a good one); the data behind it
// goes to CSV next to it.
#pragma once

#include <QSize>
#include <QString>
#include <functional>
#include <optional>

class QPainter;
class QRectF;
class QWidget;

namespace atelier::ui {

enum class FigureFormat
{
    Png,
    Svg,
    Pdf,
};

std::optional<FigureFormat> figureFormatFromName(const QString& name); // "png", "svg", "pdf"
QString figureSuffix(FigureFormat format);

using FigurePainter = std::function<void(QPainter& painter, const QRectF& area)>;

// Paints a figure of `size` pixels at the painter's origin: the palette's base colour, then
// `paint` from a known painter state (what every exported figure and report figure goes
// through).
void paintOn(QPainter& painter, const QSize& size, const FigurePainter& paint);

// Paints a figure of `size` pixels (PDF: the same size at 96 dpi) on the palette's base
// colour. Throws atelier::InputError naming the path when the file cannot be written.
void writeFigure(const QString& path, FigureFormat format, const QSize& size, const QString& title,
                 const FigurePainter& paint);
void writeCsv(const QString& path, const QString& csv);

// Adds "Export Figure…" and "Export Data as CSV…" to `figure`'s context menu: a dialog asks
// for the file (the suffix picks the format) and the size.
void addExportActions(QWidget* figure, const QString& baseName, const QSize& defaultSize,
                      const FigurePainter& paint, const std::function<QString()>& csv);

} // namespace atelier::ui
