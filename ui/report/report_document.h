// A report as a list of blocks (headings, paragraphs, facts, tables, figures), built once by
// run_report.h or search_report.h and written as one self-contained HTML file or as a PDF by
// report_writer.h: both renderings come from the same blocks, so they hold the same numbers.
#pragma once

#include "ui/export/figure_export.h"

#include <QSize>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace atelier::ui {

struct ReportTable
{
    QStringList header;
    std::vector<QStringList> rows;
    std::vector<bool> numeric; // per column: right-aligned with even digit widths
    int highlightedRow = -1;   // the best run or trial, drawn in bold
    QString caption;
};

struct ReportFigure
{
    QString title;       // the SVG's title (a browser shows it on hovering the figure)
    QSize size;          // logical pixels the painter draws at (96 per inch)
    FigurePainter paint; // keeps what it draws alive
    QString caption;     // under the figure: what to read in it
};

using ReportFacts = std::vector<std::pair<QString, QString>>; // label, value

struct ReportBlock
{
    enum class Kind
    {
        Heading,
        Paragraph,
        Facts,
        Table,
        Figure,
    };
    Kind kind = Kind::Paragraph;
    int level = 1;  // Heading: 1 (a run, the comparison, the search) or 2 (a section)
    QString text;   // Heading and Paragraph: plain text
    QString anchor; // Heading: the HTML id the contents link to
    ReportFacts facts;
    ReportTable table;
    ReportFigure figure;
};

class ReportDocument
{
public:
    QString title;
    QString subtitle;

    void heading(int level, const QString& text);
    void paragraph(const QString& text);
    void facts(ReportFacts facts);
    void table(ReportTable table);
    void figure(ReportFigure figure); // one without a size or a painter is left out

    const std::vector<ReportBlock>& blocks() const { return m_blocks; }

private:
    std::vector<ReportBlock> m_blocks;
};

} // namespace atelier::ui
