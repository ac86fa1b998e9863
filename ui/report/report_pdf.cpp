// The PDF rendering: A4 pages laid out top to bottom from the report's blocks, with the
// HTML rendering's colours. A section starts on a new page, a heading never ends a page, a
// table row or a figure is never split (a long table repeats its header on the next page),
// and figures are drawn as vectors, scaled down to the text width where they are wider.
#include "ui/report/report_writer.h"

#include <QBuffer>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <algorithm>

namespace atelier::ui {
namespace {

constexpr int kDotsPerInch = 96; // figures keep their pixel sizes: 1 px = 1/96 inch
constexpr double kMargin = 56;   // 15 mm
constexpr double kFooter = 30;   // below the text area: the page number

const QColor kText(0x1d, 0x20, 0x26);
const QColor kMuted(0x5b, 0x61, 0x6e);
const QColor kAccent(0x2f, 0x6f, 0xd0);
const QColor kHeading(0x24, 0x46, 0x7d);
const QColor kRule(0xe2, 0xe5, 0xea);
const QColor kHeaderFill(0xee, 0xf1, 0xf5);
const QColor kZebra(0xf8, 0xf9, 0xfb);
const QColor kBestFill(0xe6, 0xf0, 0xff);

class PdfFlow
{
public:
    PdfFlow(QPdfWriter& writer, QPainter& painter, QString footer)
        : m_writer(writer), m_painter(painter), m_footer(std::move(footer)),
          m_area(kMargin, kMargin, writer.width() - 2 * kMargin,
                 writer.height() - 2 * kMargin - kFooter),
          m_y(m_area.top())
    {
        m_painter.setRenderHint(QPainter::Antialiasing);
        m_painter.setRenderHint(QPainter::TextAntialiasing);
    }

    void title(const QString& title, const QString& subtitle)
    {
        m_y += text(title, font(20, true), kText) + 4;
        if (!subtitle.isEmpty())
            m_y += text(subtitle, font(10), kMuted);
        m_y += 12;
        m_afterTitle = true;
    }

    // `following`: the height of the block after the heading when that is a figure (a
    // heading stays on the page of what it introduces).
    void heading(const ReportBlock& block, double following)
    {
        if (block.level == 1) {
            // Every section from a new page, but the first one under the title.
            if (!m_afterTitle && m_y > m_area.top())
                newPage();
            m_afterTitle = false;
            m_painter.fillRect(QRectF(m_area.left(), m_y, m_area.width(), 3), kAccent);
            m_y += 10;
            m_y += text(block.text, font(15, true), kText) + 6;
            return;
        }
        const QFont f = font(11.5, true);
        // A heading with no room for a few lines under it goes to the next page with them.
        ensureRoom(measure(block.text, f, m_area.width()) + std::max(90.0, following) + 14);
        m_y += 10;
        m_y += text(block.text, f, kHeading) + 4;
    }

    // `following` as for a heading: a paragraph that introduces a figure stays with it.
    void paragraph(const QString& body, double following)
    {
        const QFont f = font(9.5);
        ensureRoom(measure(body, f, m_area.width()) + following);
        m_y += text(body, f, kText) + 6;
    }

    void facts(const ReportFacts& facts)
    {
        const QFont f = font(9.5);
        double labelWidth = 0;
        for (const auto& [label, value] : facts)
            labelWidth = std::max(labelWidth, QFontMetricsF(f, &m_writer).horizontalAdvance(label));
        // 16 between the columns, and 4 more so that rounding never wraps the widest label.
        labelWidth = std::min(labelWidth + 20, m_area.width() * 0.4);
        const double valueWidth = m_area.width() - labelWidth;
        for (const auto& [label, value] : facts) {
            const double height =
                std::max(measure(label, f, labelWidth - 16), measure(value, f, valueWidth));
            ensureRoom(height);
            draw(QRectF(m_area.left(), m_y, labelWidth - 16, height), label, f, kMuted);
            draw(QRectF(m_area.left() + labelWidth, m_y, valueWidth, height), value, f, kText);
            m_y += height + 1;
        }
        m_y += 8;
    }

    void table(const ReportTable& table)
    {
        const int columns = int(table.header.size());
        if (columns == 0)
            return;
        // The largest of a few type sizes at which every column fits on one line; below the
        // smallest, columns are narrowed and their text wraps.
        QFont f;
        std::vector<double> widths;
        for (const double points : {8.0, 7.0, 6.5, 6.0}) {
            f = font(points);
            widths = naturalWidths(table, f);
            if (totalOf(widths) <= m_area.width())
                break;
        }
        const double total = totalOf(widths);
        for (double& w : widths)
            w *= std::min(1.0, m_area.width() / total);
        // Narrowed columns break anywhere: a number has no space to wrap at.
        m_wrap = total > m_area.width() ? Qt::TextWrapAnywhere : Qt::TextWordWrap;
        const QFont bold = font(f.pointSizeF(), true);
        auto rowHeight = [&](const QStringList& cells, const QFont& rowFont) {
            double height = 0;
            for (int c = 0; c < columns; ++c)
                height = std::max(height, measure(cells.value(c), rowFont,
                                                  widths[std::size_t(c)] - 2 * kCellPadding));
            return height + 2 * kCellPadding;
        };
        const double headerHeight = rowHeight(table.header, bold);
        auto drawRow = [&](const QStringList& cells, const QFont& rowFont, double height,
                           const QColor& fill) {
            double x = m_area.left();
            if (fill.isValid())
                m_painter.fillRect(QRectF(x, m_y, totalOf(widths), height), fill);
            for (int c = 0; c < columns; ++c) {
                const double w = widths[std::size_t(c)];
                const bool numeric = table.numeric[std::size_t(c)];
                draw(QRectF(x + kCellPadding, m_y + kCellPadding, w - 2 * kCellPadding,
                            height - 2 * kCellPadding),
                     cells.value(c), rowFont, kText, numeric ? Qt::AlignRight : Qt::AlignLeft);
                x += w;
            }
            m_painter.fillRect(QRectF(m_area.left(), m_y + height - 0.6, totalOf(widths), 0.6),
                               kRule);
            m_y += height;
        };
        ensureRoom(headerHeight + rowHeight(table.rows.empty() ? QStringList() : table.rows[0], f));
        drawRow(table.header, bold, headerHeight, kHeaderFill);
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const bool best = int(r) == table.highlightedRow;
            const QFont& rowFont = best ? bold : f;
            const double height = rowHeight(table.rows[r], rowFont);
            if (m_y + height > m_area.bottom()) {
                newPage();
                drawRow(table.header, bold, headerHeight, kHeaderFill);
            }
            drawRow(table.rows[r], rowFont, height,
                    best ? kBestFill : (r % 2 == 1 ? kZebra : QColor()));
        }
        m_wrap = Qt::TextWordWrap; // the caption is prose
        if (!table.caption.isEmpty()) {
            const QFont captionFont = font(8, false, true);
            ensureRoom(measure(table.caption, captionFont, m_area.width()) + 4);
            m_y += 4;
            m_y += text(table.caption, captionFont, kMuted);
        }
        m_y += 12;
    }

    double paragraphHeight(const QString& body)
    {
        return measure(body, font(9.5), m_area.width()) + 6;
    }

    // The figure's height on the page, its caption included.
    double figureHeight(const ReportFigure& figure)
    {
        return QSizeF(figure.size).height() * figureScale(figure) + captionHeight(figure);
    }

    void figure(const ReportFigure& figure)
    {
        if (figure.size.isEmpty())
            return; // nothing to draw (ReportDocument refuses such figures too)
        const QFont captionFont = font(8, false, true);
        const double scale = figureScale(figure);
        const QSizeF drawn = QSizeF(figure.size) * scale;
        ensureRoom(drawn.height() + captionHeight(figure));
        m_painter.save();
        m_painter.translate(m_area.left() + (m_area.width() - drawn.width()) / 2, m_y);
        m_painter.scale(scale, scale);
        m_painter.setClipRect(QRectF(QPointF(0, 0), QSizeF(figure.size)));
        paintOn(m_painter, figure.size, figure.paint);
        m_painter.restore();
        m_y += drawn.height();
        if (!figure.caption.isEmpty()) {
            m_y += 4;
            m_y += text(figure.caption, captionFont, kMuted);
        }
        m_y += 14;
    }

    void finish() { pageFooter(); }

private:
    static constexpr double kCellPadding = 3;

    double captionHeight(const ReportFigure& figure)
    {
        return figure.caption.isEmpty()
                   ? 0
                   : measure(figure.caption, font(8, false, true), m_area.width()) + 4;
    }

    // Down to the text width, and to the page's height where a figure is taller; never
    // below a tenth (a caption taller than the page must not flip the figure).
    double figureScale(const ReportFigure& figure)
    {
        const double scale = std::min(1.0, m_area.width() / figure.size.width());
        return std::max(
            0.1, std::min(scale, (m_area.height() - captionHeight(figure)) / figure.size.height()));
    }

    static double totalOf(const std::vector<double>& widths)
    {
        double total = 0;
        for (double w : widths)
            total += w;
        return total;
    }

    std::vector<double> naturalWidths(const ReportTable& table, const QFont& f) const
    {
        const QFontMetricsF metrics(font(f.pointSizeF(), true), &m_writer);
        std::vector<double> widths;
        for (int c = 0; c < table.header.size(); ++c) {
            double w = metrics.horizontalAdvance(table.header[c]);
            for (const QStringList& row : table.rows)
                w = std::max(w, metrics.horizontalAdvance(row.value(c)));
            widths.push_back(w + 2 * kCellPadding + 6);
        }
        return widths;
    }

    QFont font(double points, bool bold = false, bool italic = false) const
    {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setPointSizeF(points);
        f.setBold(bold);
        f.setItalic(italic);
        return f;
    }

    double measure(const QString& body, const QFont& f, double width)
    {
        if (body.isEmpty())
            return QFontMetricsF(f, &m_writer).height();
        m_painter.setFont(f);
        return m_painter.boundingRect(QRectF(0, 0, std::max(1.0, width), 1e6), m_wrap, body)
            .height();
    }

    void draw(const QRectF& rect, const QString& body, const QFont& f, const QColor& color,
              Qt::Alignment align = Qt::AlignLeft)
    {
        m_painter.setFont(f);
        m_painter.setPen(color);
        m_painter.drawText(rect, int(align | Qt::AlignTop) | m_wrap, body);
    }

    // Draws a paragraph of `body` across the text width at the current height; its height.
    double text(const QString& body, const QFont& f, const QColor& color)
    {
        const double height = measure(body, f, m_area.width());
        draw(QRectF(m_area.left(), m_y, m_area.width(), height), body, f, color);
        return height;
    }

    void ensureRoom(double height)
    {
        if (m_y + height > m_area.bottom() && m_y > m_area.top())
            newPage();
    }

    void newPage()
    {
        pageFooter();
        m_writer.newPage();
        ++m_page;
        m_y = m_area.top();
    }

    void pageFooter()
    {
        const QRectF line(m_area.left(), m_area.bottom() + kFooter * 0.4, m_area.width(), kFooter);
        draw(line, m_footer, font(7.5), kMuted);
        draw(line, QStringLiteral("page %1").arg(m_page), font(7.5), kMuted, Qt::AlignRight);
    }

    QPdfWriter& m_writer;
    QPainter& m_painter;
    QString m_footer;
    QRectF m_area;
    double m_y;
    int m_page = 1;
    bool m_afterTitle = false;     // nothing but the title drawn yet
    int m_wrap = Qt::TextWordWrap; // TextWrapAnywhere inside a narrowed table
};

} // namespace

QByteArray reportPdf(const ReportDocument& report)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(report.title);
        writer.setCreator(QStringLiteral("Atelier"));
        writer.setResolution(kDotsPerInch);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter(&writer);
        PdfFlow flow(writer, painter, report.title);
        flow.title(report.title, report.subtitle);
        const std::vector<ReportBlock>& blocks = report.blocks();
        // What must stay on the page with block i: the paragraphs after it up to the first
        // figure, and that figure (a heading, an introduction and the figure they introduce).
        auto figureAfter = [&](std::size_t i) {
            double height = 0;
            for (std::size_t j = i + 1; j < blocks.size(); ++j) {
                if (blocks[j].kind == ReportBlock::Kind::Paragraph) {
                    height += flow.paragraphHeight(blocks[j].text);
                    continue;
                }
                if (blocks[j].kind == ReportBlock::Kind::Figure)
                    return height + flow.figureHeight(blocks[j].figure);
                break;
            }
            return 0.0; // no figure follows: the usual room after a heading will do
        };
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            const ReportBlock& block = blocks[i];
            switch (block.kind) {
            case ReportBlock::Kind::Heading:
                flow.heading(block, figureAfter(i));
                break;
            case ReportBlock::Kind::Paragraph:
                flow.paragraph(block.text, figureAfter(i));
                break;
            case ReportBlock::Kind::Facts:
                flow.facts(block.facts);
                break;
            case ReportBlock::Kind::Table:
                flow.table(block.table);
                break;
            case ReportBlock::Kind::Figure:
                flow.figure(block.figure);
                break;
            }
        }
        flow.finish();
    }
    return buffer.data();
}

} // namespace atelier::ui
