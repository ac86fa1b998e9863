// Lists the problems of a preset file at their lines, next to the file's text.
#include "ui/preset/preset_problems_panel.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextBlock>
#include <QVBoxLayout>

namespace atelier::ui {

PresetProblemsPanel::PresetProblemsPanel(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel), m_list(new QListWidget), m_source(new QPlainTextEdit)
{
    auto* layout = new QVBoxLayout(this);
    m_summary->setWordWrap(true);
    m_source->setReadOnly(true);
    m_source->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_source->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_list);
    splitter->addWidget(m_source);
    splitter->setSizes({520, 520});
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    connect(m_list, &QListWidget::currentRowChanged, this, &PresetProblemsPanel::selectProblem);
}

void PresetProblemsPanel::showProblems(const QString& filePath, const QString& text,
                                       const std::vector<PresetProblem>& problems)
{
    m_problems = problems;
    m_summary->setText(
        QStringLiteral("<b>%1</b> has %2 %3. It was opened with defaults in their place; fix "
                       "them in the editor and save it (under a new name, so the original stays "
                       "as it was).")
            .arg(QFileInfo(filePath).fileName().toHtmlEscaped())
            .arg(problems.size())
            .arg(problems.size() == 1 ? QStringLiteral("problem") : QStringLiteral("problems")));
    m_source->setPlainText(text);
    m_list->clear();
    for (const PresetProblem& problem : problems) {
        QString location =
            problem.line > 0 ? QStringLiteral("line %1").arg(problem.line) : QStringLiteral("file");
        if (problem.column > 0)
            location += QStringLiteral(", column %1").arg(problem.column);
        QString item = location + QStringLiteral(": ");
        if (!problem.keyPath.empty())
            item += QString::fromStdString(problem.keyPath) + QStringLiteral(": ");
        item += QString::fromStdString(problem.message);
        m_list->addItem(item);
    }
    markLines();
    if (!problems.empty())
        m_list->setCurrentRow(0);
}

void PresetProblemsPanel::clear()
{
    m_problems.clear();
    m_list->clear();
    m_source->clear();
    m_summary->clear();
}

int PresetProblemsPanel::problemCount() const
{
    return m_list->count();
}

QString PresetProblemsPanel::problemText(int row) const
{
    return m_list->item(row) ? m_list->item(row)->text() : QString();
}

int PresetProblemsPanel::currentSourceLine() const
{
    return m_source->textCursor().blockNumber() + 1;
}

void PresetProblemsPanel::markLines()
{
    QList<QTextEdit::ExtraSelection> selections;
    for (const PresetProblem& problem : m_problems) {
        if (problem.line <= 0)
            continue;
        const QTextBlock block = m_source->document()->findBlockByNumber(problem.line - 1);
        if (!block.isValid())
            continue;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        selection.format.setBackground(QColor(220, 50, 47, 60));
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections << selection;
    }
    m_source->setExtraSelections(selections);
}

void PresetProblemsPanel::selectProblem(int row)
{
    if (row < 0 || row >= int(m_problems.size()))
        return;
    const PresetProblem& problem = m_problems[std::size_t(row)];
    if (problem.line <= 0)
        return;
    const QTextBlock block = m_source->document()->findBlockByNumber(problem.line - 1);
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                        std::max(0, problem.column - 1));
    m_source->setTextCursor(cursor);
    m_source->centerCursor();
}

} // namespace atelier::ui
