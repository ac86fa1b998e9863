// Lists the problems of a preset file at their lines, next to the file's text with those
// lines marked: a broken preset is opened and explained, never refused silently.
#pragma once

#include "core/preset.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace atelier::ui {

class PresetProblemsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PresetProblemsPanel(QWidget* parent = nullptr);

    // `text` is the file's content (may be empty when it could not be read).
    void showProblems(const QString& filePath, const QString& text,
                      const std::vector<PresetProblem>& problems);
    void clear();
    int problemCount() const;
    QString problemText(int row) const;
    // The line (1-based) the source view's cursor is on.
    int currentSourceLine() const;
    void selectProblem(int row);

private:
    void markLines();

    QLabel* m_summary;
    QListWidget* m_list;
    QPlainTextEdit* m_source;
    std::vector<PresetProblem> m_problems;
};

} // namespace atelier::ui
