// A report's blocks.
#include "ui/report/report_document.h"

#include <algorithm>

namespace atelier::ui {

void ReportDocument::heading(int level, const QString& text)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Heading;
    block.level = std::clamp(level, 1, 2);
    block.text = text;
    // Unique within the document: the contents link to it.
    block.anchor = QStringLiteral("section-%1").arg(m_blocks.size() + 1);
    m_blocks.push_back(std::move(block));
}

void ReportDocument::paragraph(const QString& text)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Paragraph;
    block.text = text;
    m_blocks.push_back(std::move(block));
}

void ReportDocument::facts(ReportFacts facts)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Facts;
    block.facts = std::move(facts);
    m_blocks.push_back(std::move(block));
}

void ReportDocument::table(ReportTable table)
{
    ReportBlock block;
    block.kind = ReportBlock::Kind::Table;
    table.numeric.resize(std::size_t(table.header.size()), false);
    block.table = std::move(table);
    m_blocks.push_back(std::move(block));
}

void ReportDocument::figure(ReportFigure figure)
{
    if (figure.size.isEmpty() || !figure.paint)
        return; // nothing a page could hold
    ReportBlock block;
    block.kind = ReportBlock::Kind::Figure;
    block.figure = std::move(figure);
    m_blocks.push_back(std::move(block));
}

} // namespace atelier::ui
