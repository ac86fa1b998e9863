// The Evaluate view of one run: test loss and accuracy, the confusion-matrix heatmap (the
// test set once finished; the dev set after every epoch while it trains), per-class
// precision / recall / F1 with macro averages, the most confused pairs, and the images
// behind a clicked cell.
#pragma once

#include "ui/runs/run_data.h"

#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace atelier::ui {

class ConfusionMatrixWidget;
class DatasetController;
class ImageGridWidget;
class ImageTrialsFigure;
struct ImageTrial;

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

    // Classifies the images in the background with the shown run's model and shows them in
    // the "Your images" tab (newest first); files that cannot be read are listed above it.
    void tryImages(const QStringList& paths);
    ImageTrialsFigure* trialsFigure() const { return m_trials; }
    QLabel* trialsNote() const { return m_trialsNote; }
    QTabWidget* bottomTabs() const { return m_bottomTabs; }
    QPushButton* tryImagesButton() const { return m_tryImages; }
    QPushButton* exportModelButton() const { return m_exportModel; }

Q_SIGNALS:
    void statusMessage(const QString& message);
    // A batch of tried images has been classified (or refused).
    void imagesTried();

protected:
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void refresh();
    void refreshPerClass(const ClassificationReport& report);
    void refreshPairs(const ConfusionMatrix& matrix);
    QWidget* buildTrialsTab();
    void updateModelButtons();
    void classifyTriedImages();
    void showTrialsNote(const QString& html); // rich text; empty hides it
    void showTriedImages(std::vector<ImageTrial> trials, const QString& modelName,
                         const QStringList& problems);

    DatasetController* m_data;
    std::shared_ptr<RunData> m_run;
    QLabel* m_headline = nullptr;
    QCheckBox* m_percent = nullptr;
    ConfusionMatrixWidget* m_matrix = nullptr;
    QTableWidget* m_perClass = nullptr;
    QListWidget* m_pairs = nullptr;
    QLabel* m_errorsTitle = nullptr;
    ImageGridWidget* m_errors = nullptr;
    QTabWidget* m_bottomTabs = nullptr;
    ImageTrialsFigure* m_trials = nullptr;
    QLabel* m_trialsNote = nullptr;
    QPushButton* m_tryImages = nullptr;
    QPushButton* m_exportModel = nullptr;
    QStringList m_triedPaths; // newest first; tried again with another run's model
    int m_trialRequest = 0;   // results of an older request (another run) are dropped
    // The tried images were classified (or set aside) for the run shown, as it is now: a run
    // that finishes meanwhile classifies them again.
    bool m_trialsUpToDate = false;
    bool m_trialsForFinishedRun = false;
    bool m_showingTest = false;
    bool m_stale = false; // a run update arrived while hidden
};

} // namespace atelier::ui
