// The Evaluate view of one run: test loss and accuracy, the confusion-matrix heatmap (the
// test set once finished; the dev set after every epoch while it trains), per-class
// precision / recall / F1 with macro averages, the most confused pairs, and the images
// behind a clicked cell.
#pragma once

#include "ui/runs/run_data.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QLabel;
class QListWidget;
class QTableWidget;

namespace atelier::ui {

class ConfusionMatrixWidget;
class DatasetController;
class ImageGridWidget;

class EvaluateView : public QWidget
{
    Q_OBJECT

public:
    EvaluateView(DatasetController* data, QWidget* parent = nullptr);

    void setRun(std::shared_ptr<RunData> run);
    const RunData* run() const { return m_run.get(); }
    // Called when a run's data changed; refreshes if it is the one shown.
    void runUpdated(const RunData* run);
    // Shows the misclassified test images of one cell (as a click on it does).
    void showCell(int trueClass, int predicted);

    ConfusionMatrixWidget* matrix() const { return m_matrix; }
    QTableWidget* perClassTable() const { return m_perClass; }
    QListWidget* confusedPairs() const { return m_pairs; }
    ImageGridWidget* errorGrid() const { return m_errors; }
    QCheckBox* rowPercentToggle() const { return m_percent; }
    QString headline() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void refreshPerClass(const ClassificationReport& report);
    void refreshPairs(const ConfusionMatrix& matrix);

    DatasetController* m_data;
    std::shared_ptr<RunData> m_run;
    QLabel* m_headline = nullptr;
    QCheckBox* m_percent = nullptr;
    ConfusionMatrixWidget* m_matrix = nullptr;
    QTableWidget* m_perClass = nullptr;
    QListWidget* m_pairs = nullptr;
    QLabel* m_errorsTitle = nullptr;
    ImageGridWidget* m_errors = nullptr;
    bool m_showingTest = false;
    bool m_stale = false; // a run update arrived while hidden
};

} // namespace atelier::ui
