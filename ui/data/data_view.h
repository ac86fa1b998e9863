// The Data view: Fashion-MNIST as the current preset splits it. An image grid (split, class
// filter, first or random images, grid size), class-distribution bars for train, dev and
// test, a shapes table, the dataset location and the split settings, which edit the preset.
#pragma once

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace atelier::ui {

class ClassDistributionChart;
class DatasetController;
class ImageGridWidget;
class PresetDocument;

class DataView : public QWidget
{
    Q_OBJECT

public:
    enum class Split
    {
        Train,
        Dev,
        Test,
    };
    enum class Sample
    {
        First,  // the first images of the split, like a report figure
        Random, // a new random draw each time it is asked for
    };

    DataView(DatasetController* data, PresetDocument* document, QWidget* parent = nullptr);

    void setSplit(Split split);
    void setClassFilter(int classIndex); // -1: all classes
    void setGridSize(int columns, int rows);
    void showSample(Sample sample);

    ImageGridWidget* grid() const { return m_grid; }
    ClassDistributionChart* distributionChart() const { return m_chart; }
    QTableWidget* shapesTable() const { return m_shapes; }
    // The message shown when loading failed ("" otherwise).
    QString errorText() const;
    bool isBusy() const;

Q_SIGNALS:
    // The user picked another data folder (the window remembers it).
    void dataFolderChosen(const QString& directory);

private:
    QWidget* buildLoadingPage();
    QWidget* buildErrorPage();
    QWidget* buildContentPage();
    QWidget* buildGridPanel();
    QWidget* buildSidePanel();
    void chooseFolder();
    void showState();
    void applyDocumentSplit();
    void refreshAll();
    void refreshGrid();
    void refreshDistribution();
    void refreshShapes();

    DatasetController* m_data;
    PresetDocument* m_document;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_loadingLabel = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_errorLabel = nullptr;
    QComboBox* m_split = nullptr;
    QComboBox* m_class = nullptr;
    QSpinBox* m_columns = nullptr;
    QSpinBox* m_rows = nullptr;
    QLabel* m_gridCaption = nullptr;
    ImageGridWidget* m_grid = nullptr;
    ClassDistributionChart* m_chart = nullptr;
    QTableWidget* m_shapes = nullptr;
    QLabel* m_location = nullptr;
    QDoubleSpinBox* m_devFraction = nullptr;
    QSpinBox* m_splitSeed = nullptr;
    Sample m_sample = Sample::First;
    unsigned m_randomDraw = 0; // advances with each "Random sample"
};

} // namespace atelier::ui
