// The study's matrix experiment as a panel a student plays with: three cases side by side
// (by default one that vanishes to 0, one that explodes to inf, and He + ReLU, which stays
// finite), each an init, an activation after every factor and a matrix size; a shared depth
// and seed. Any change recomputes after a short pause, off the GUI thread; the chart shows
// the norm of the product by depth on a log scale with bands for 0 and inf/NaN, a line per
// case says what happened in words, and a paragraph says why.
#pragma once

#include "core/matrix_lab.h"

#include <QString>
#include <QWidget>
#include <array>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTimer;

namespace atelier::ui {

class MatrixLabChart;
class MatrixLabRunner;

class MatrixLabPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kCaseCount = 3;

    explicit MatrixLabPanel(QWidget* parent = nullptr);
    ~MatrixLabPanel() override;

    int caseCount() const { return kCaseCount; }
    // What case `index` (from 0) computes, as the controls say now.
    MatrixLabOptions caseOptions(int index) const;
    // The latest results, one per case, as shown; empty before the first and while a case
    // cannot be computed.
    const std::vector<MatrixLabResult>& results() const { return m_results; }
    // "uniform [0, 0.1], 4×4: every entry is 0 from depth 65 (vanished)"; empty without a
    // result.
    QString resultLine(int index) const;
    // Why nothing is computed, naming the case; empty when every case can be.
    QString problem() const { return m_problem; }
    // Whether results for the controls as they are now are on their way.
    bool isComputing() const;
    // Results shown so far (each one after the debounce of a burst of changes).
    int computations() const { return m_computations; }
    MatrixLabChart* chart() const { return m_chart; }

    // The chart with the result lines under it: what exports draw.
    void renderFigure(QPainter* painter, const QRectF& target);
    // The chart's data: case,depth,mean,std,norm, one row per case and depth.
    QString toCsv() const;

Q_SIGNALS:
    void resultsChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct CaseControls
    {
        QLabel* title = nullptr;
        QComboBox* init = nullptr;
        QDoubleSpinBox* low = nullptr;
        QDoubleSpinBox* high = nullptr;
        QComboBox* activation = nullptr;
        QSpinBox* size = nullptr;
        QLabel* result = nullptr;
    };

    QWidget* makeCaseBox(int index, const MatrixLabOptions& defaults);
    void controlsChanged();
    void recompute();
    void showResults(const std::vector<MatrixLabResult>& results);
    void showFailure(const QString& message);
    void refreshTexts();
    void refreshStatus();

    QSpinBox* m_depth = nullptr;
    QSpinBox* m_seed = nullptr;
    std::array<CaseControls, kCaseCount> m_cases;
    MatrixLabChart* m_chart = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_explanation = nullptr;
    QTimer* m_debounce = nullptr;
    QTimer* m_progress = nullptr; // refreshes "Computing… case 2 of 3" on long runs
    MatrixLabRunner* m_runner = nullptr;
    std::vector<MatrixLabResult> m_results;
    std::vector<MatrixLabOptions> m_requested; // what the runner computes now
    std::vector<MatrixLabOptions> m_computed;  // what m_results were computed with
    QString m_problem;
    int m_computations = 0;
};

} // namespace atelier::ui
