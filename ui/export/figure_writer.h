// Writes a set of figures into one folder, each with its format's suffix and, where it has
// data behind it, a CSV of the same name; remembers every file written (for the caller's
// list and the status bar). Shared by the run's figures and the Inside view's.
#pragma once

#include "ui/export/figure_export.h"
#include "ui/export/run_figures.h"

#include <QDir>
#include <QPainter>
#include <QStringList>

namespace atelier::ui {

class FigureWriter
{
public:
    FigureWriter(const QString& directory, const FigureOptions& options)
        : m_dir(directory), m_options(options)
    {}
    void figure(const QString& name, const QString& title, const FigurePainter& paint,
                QSize size = {})
    {
        const QString path =
            m_dir.filePath(name + QStringLiteral(".") + figureSuffix(m_options.format));
        writeFigure(path, m_options.format, size.isValid() ? size : m_options.size, title, paint);
        m_written << path;
    }
    void csv(const QString& name, const QString& text)
    {
        const QString path = m_dir.filePath(name + QStringLiteral(".csv"));
        writeCsv(path, text);
        m_written << path;
    }
    // A chart with renderFigure() and toCsv(): its figure and its data.
    template <typename Chart> void chart(const QString& name, const QString& title, Chart& chart)
    {
        figure(name, title,
               [&chart](QPainter& p, const QRectF& area) { chart.renderFigure(&p, area); });
        csv(name, chart.toCsv());
    }
    const QStringList& written() const { return m_written; }

private:
    QDir m_dir;
    FigureOptions m_options;
    QStringList m_written;
};

} // namespace atelier::ui
