// The HTML rendering: one file, the style sheet inside, each figure an inline SVG drawing
// (images in it as data: URIs), no script and no external reference. Written as polyglot
// XHTML (every element closed), so an XML parser reads it as well as a browser does.
#include "core/version_info.h"
#include "ui/report/report_writer.h"

#include <QBuffer>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>

namespace atelier::ui {
namespace {

constexpr int kDotsPerInch = 96;

// Screen: a centred column as wide as the figures; print: A4 pages, sections from a new
// page, nothing split across a page break that need not be.
const char* const kStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #1d2026;
  font: 15px/1.5 "Noto Sans", "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 32px 40px 48px; background: #fff; }
header h1 { font-size: 28px; margin: 0 0 4px; }
.subtitle { color: #5b616e; margin: 0 0 20px; }
h2 { font-size: 22px; margin: 40px 0 8px; padding-top: 12px; border-top: 3px solid #2f6fd0; }
h3 { font-size: 17px; margin: 28px 0 6px; color: #24467d; }
p { margin: 6px 0 10px; }
nav.contents { background: #f0f4fb; border-radius: 6px; padding: 10px 20px; margin: 0 0 16px; }
nav.contents h2 { border: 0; margin: 4px 0; padding: 0; font-size: 16px; }
nav.contents ol { margin: 4px 0; padding-left: 22px; }
nav.contents a { color: #24467d; text-decoration: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 8px 0 14px; }
dl.facts dt { color: #5b616e; }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
figure { margin: 14px 0 20px; }
figure svg { display: block; width: 100%; height: auto; margin: 0 auto; }
figcaption { color: #5b616e; font-size: 13px; margin-top: 4px; }
figure.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; width: auto; }
table.wide { font-size: 11.5px; }
table.wide th, table.wide td { padding: 2px 6px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e2e5ea; text-align: left; vertical-align: top; }
th { background: #eef1f5; border-bottom: 2px solid #c9ced6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td:first-child { white-space: nowrap; }
tbody tr:nth-child(even) { background: #f8f9fb; }
tr.best td { font-weight: bold; background: #e6f0ff; }
footer { margin-top: 40px; color: #8a909c; font-size: 12px; border-top: 1px solid #e2e5ea; padding-top: 8px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; }
  nav.contents h2, nav.contents + h2 { break-before: auto; }
  h2, h3 { break-after: avoid; }
  figure, tr, dl.facts { break-inside: avoid; }
}
)css";

QString escaped(const QString& text)
{
    return text.toHtmlEscaped();
}

// The figure as an SVG element. Every figure's generator numbers its ids from 1 again, so
// they get the figure's own prefix: in one document, ids must be unique.
QString inlineSvg(const ReportFigure& figure, int number)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(figure.size);
        svg.setViewBox(QRect(QPoint(0, 0), figure.size));
        svg.setResolution(kDotsPerInch);
        // No setTitle: Qt 6.4 writes it unescaped (a run named "A&B" would break the file).
        QPainter painter(&svg);
        paintOn(painter, figure.size, figure.paint);
    }
    QString text = QString::fromUtf8(buffer.data());
    text = text.mid(std::max<qsizetype>(0, text.indexOf(QStringLiteral("<svg")))); // no prolog
    const QString prefix = QStringLiteral("f%1-").arg(number);
    text.replace(QRegularExpression(QStringLiteral("\\bid=\"")), QStringLiteral("id=\"") + prefix);
    text.replace(QStringLiteral("url(#"), QStringLiteral("url(#") + prefix);
    text.replace(QStringLiteral("href=\"#"), QStringLiteral("href=\"#") + prefix);
    // The figure's own size as the most it is drawn at; CSS scales it to the column.
    text.replace(QRegularExpression(QStringLiteral("^<svg width=\"[^\"]*\" height=\"[^\"]*\"")),
                 QStringLiteral("<svg style=\"max-width:%1px\"").arg(figure.size.width()));
    const qsizetype opened = text.indexOf(QLatin1Char('>')) + 1; // after the <svg ...> tag
    text.insert(opened, QStringLiteral("<title>%1</title>").arg(escaped(figure.title)));
    return text;
}

QString tableHtml(const ReportTable& table)
{
    auto cellClass = [&table](int column) {
        return std::size_t(column) < table.numeric.size() && table.numeric[std::size_t(column)]
                   ? QStringLiteral(" class=\"num\"")
                   : QString();
    };
    // Many columns (a search's parameters): a smaller type keeps them on the page.
    QString html = table.header.size() > 9
                       ? QStringLiteral("<figure class=\"table\"><table class=\"wide\"><thead><tr>")
                       : QStringLiteral("<figure class=\"table\"><table><thead><tr>");
    for (int c = 0; c < table.header.size(); ++c)
        html += QStringLiteral("<th%1>%2</th>").arg(cellClass(c), escaped(table.header[c]));
    html += QStringLiteral("</tr></thead><tbody>\n");
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        html += int(r) == table.highlightedRow ? QStringLiteral("<tr class=\"best\">")
                                               : QStringLiteral("<tr>");
        for (int c = 0; c < table.rows[r].size(); ++c)
            html += QStringLiteral("<td%1>%2</td>").arg(cellClass(c), escaped(table.rows[r][c]));
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</tbody></table>");
    if (!table.caption.isEmpty())
        html += QStringLiteral("<figcaption>%1</figcaption>").arg(escaped(table.caption));
    return html + QStringLiteral("</figure>\n");
}

QString contentsHtml(const ReportDocument& report)
{
    QString html = QStringLiteral("<nav class=\"contents\"><h2>Contents</h2><ol>");
    bool inner = false; // a level-2 list is open
    bool any = false;
    for (const ReportBlock& block : report.blocks()) {
        if (block.kind != ReportBlock::Kind::Heading)
            continue;
        const QString link =
            QStringLiteral("<a href=\"#%1\">%2</a>").arg(block.anchor, escaped(block.text));
        if (block.level == 1) {
            html +=
                inner ? QStringLiteral("</ol></li>") : (any ? QStringLiteral("</li>") : QString());
            html += QStringLiteral("<li>") + link;
            inner = false;
        } else {
            html += inner ? QString() : QStringLiteral("<ol>");
            html += QStringLiteral("<li>%1</li>").arg(link);
            inner = true;
        }
        any = true;
    }
    if (inner)
        html += QStringLiteral("</ol>");
    if (any)
        html += QStringLiteral("</li>");
    return html + QStringLiteral("</ol></nav>\n");
}

} // namespace

QByteArray reportHtml(const ReportDocument& report)
{
    const QString version = QString::fromStdString(versionInfo().atelier);
    QString html = QStringLiteral("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                                  "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                                  "<meta name=\"viewport\" content=\"width=device-width\"/>\n");
    html += QStringLiteral("<meta name=\"generator\" content=\"Atelier %1\"/>\n").arg(version);
    html += QStringLiteral("<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n<main>\n")
                .arg(escaped(report.title), QString::fromUtf8(kStyle));
    html += QStringLiteral("<header><h1>%1</h1>").arg(escaped(report.title));
    if (!report.subtitle.isEmpty())
        html += QStringLiteral("<p class=\"subtitle\">%1</p>").arg(escaped(report.subtitle));
    html += QStringLiteral("</header>\n") + contentsHtml(report);
    int figures = 0;
    for (const ReportBlock& block : report.blocks()) {
        switch (block.kind) {
        case ReportBlock::Kind::Heading:
            html += QStringLiteral("<h%1 id=\"%2\">%3</h%1>\n")
                        .arg(block.level + 1)
                        .arg(block.anchor, escaped(block.text));
            break;
        case ReportBlock::Kind::Paragraph:
            html += QStringLiteral("<p>%1</p>\n").arg(escaped(block.text));
            break;
        case ReportBlock::Kind::Facts:
            html += QStringLiteral("<dl class=\"facts\">");
            for (const auto& [label, value] : block.facts)
                html +=
                    QStringLiteral("<dt>%1</dt><dd>%2</dd>").arg(escaped(label), escaped(value));
            html += QStringLiteral("</dl>\n");
            break;
        case ReportBlock::Kind::Table:
            html += tableHtml(block.table);
            break;
        case ReportBlock::Kind::Figure:
            html += QStringLiteral("<figure class=\"chart\">") + inlineSvg(block.figure, ++figures);
            if (!block.figure.caption.isEmpty())
                html += QStringLiteral("<figcaption>%1</figcaption>")
                            .arg(escaped(block.figure.caption));
            html += QStringLiteral("</figure>\n");
            break;
        }
    }
    html += QStringLiteral("<footer>Written by Atelier %1 from the run and sweep folders named "
                           "above; every number is read from their files.</footer>\n"
                           "</main>\n</body>\n</html>\n")
                .arg(version);
    return html.toUtf8();
}

} // namespace atelier::ui
