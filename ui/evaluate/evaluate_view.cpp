// The Evaluate view of one run.
#include "ui/evaluate/evaluate_view.h"

#include "ui/data/dataset_controller.h"
#include "ui/data/image_grid_widget.h"
#include "ui/evaluate/confusion_matrix_widget.h"
#include "ui/evaluate/image_trials_figure.h"
#include "ui/evaluate/model_export_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/widgets/class_text.h"
#include "ui/widgets/layer_text.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

namespace atelier::ui {
namespace {

// Pairs listed under "most confused".
constexpr int kConfusedPairs = 10;
// Misclassified images shown for a cell: the most confident mistakes first.
constexpr int kErrorColumns = 12;
constexpr int kErrorRows = 3;

} // namespace

EvaluateView::EvaluateView(DatasetController* data, QWidget* parent) : QWidget(parent), m_data(data)
{
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_headline = new QLabel;
    m_headline->setTextFormat(Qt::RichText);
    m_percent = new QCheckBox(QStringLiteral("Row percentages"));
    m_percent->setToolTip(QStringLiteral("Each row as a share of its true class's images"));
    m_tryImages = new QPushButton(QStringLiteral("Try Images…")); // tooltips: updateModelButtons
    m_exportModel = new QPushButton(QStringLiteral("Export Model…"));
    top->addWidget(m_headline, 1);
    top->addWidget(m_percent);
    top->addWidget(m_tryImages);
    top->addWidget(m_exportModel);
    layout->addLayout(top);

    auto* splitter = new QSplitter(Qt::Horizontal);
    m_matrix = new ConfusionMatrixWidget;
    splitter->addWidget(m_matrix);
    auto* side = new QSplitter(Qt::Vertical);
    auto* perClassBox = new QGroupBox(QStringLiteral("Per class"));
    auto* perClassLayout = new QVBoxLayout(perClassBox);
    m_perClass = new QTableWidget(0, 5);
    m_perClass->setHorizontalHeaderLabels({QStringLiteral("Class"), QStringLiteral("Precision"),
                                           QStringLiteral("Recall"), QStringLiteral("F1"),
                                           QStringLiteral("Support")});
    m_perClass->verticalHeader()->hide();
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_perClass->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // Compact rows: all ten classes and the macro average fit without scrolling.
    m_perClass->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    perClassLayout->addWidget(m_perClass);
    auto* pairsBox = new QGroupBox(QStringLiteral("Most confused pairs (click to see them)"));
    auto* pairsLayout = new QVBoxLayout(pairsBox);
    m_pairs = new QListWidget;
    pairsLayout->addWidget(m_pairs);
    side->addWidget(perClassBox);
    side->addWidget(pairsBox);
    side->setSizes({400, 220});
    splitter->addWidget(side);
    splitter->setSizes({820, 560});

    auto* errorsBox = new QWidget;
    auto* errorsLayout = new QVBoxLayout(errorsBox);
    m_errorsTitle = new QLabel(QStringLiteral("Click a cell of the matrix to see its images."));
    m_errors = new ImageGridWidget;
    m_errors->setMinimumHeight(120);
    errorsLayout->addWidget(m_errorsTitle);
    errorsLayout->addWidget(m_errors, 1);

    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(splitter);
    m_bottomTabs = new QTabWidget;
    m_bottomTabs->addTab(errorsBox, QStringLiteral("Misclassified test images"));
    m_bottomTabs->addTab(buildTrialsTab(), QStringLiteral("Your images"));
    vertical->addWidget(m_bottomTabs);
    vertical->setSizes({520, 380});
    layout->addWidget(vertical, 1);

    addExportActions(
        m_matrix, QStringLiteral("confusion"), QSize(1000, 800),
        [this](QPainter& p, const QRectF& area) { m_matrix->paintMatrix(p, area); },
        [this] { return m_matrix->toCsv(); });
    addExportActions(
        m_errors, QStringLiteral("misclassified"), QSize(1200, 700),
        [this](QPainter& p, const QRectF& area) { m_errors->paintGrid(p, area.toRect()); },
        [this] { return m_errors->toCsv(); });
    addExportActions(
        m_trials, QStringLiteral("your-images"), QSize(1200, 700),
        [this](QPainter& p, const QRectF& area) { m_trials->renderFigure(&p, area); },
        [this] { return m_trials->toCsv(); });
    connect(m_percent, &QCheckBox::toggled, m_matrix, &ConfusionMatrixWidget::setRowNormalized);
    connect(m_matrix, &ConfusionMatrixWidget::cellClicked, this, &EvaluateView::showCell);
    connect(m_pairs, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        const QStringList cell = m_pairs->item(row)->data(Qt::UserRole).toStringList();
        if (cell.size() == 2)
            showCell(cell[0].toInt(), cell[1].toInt());
    });
    refresh();
}

void EvaluateView::setRun(std::shared_ptr<RunData> run)
{
    m_run = std::move(run);
    m_matrix->setSelectedCell(std::nullopt);
    m_errors->setImages(nullptr, nullptr, {}, kErrorColumns, {});
    m_errorsTitle->setText(QStringLiteral("Click a cell of the matrix to see its images."));
    m_trialsUpToDate = false;
    refresh(); // the same pictures, now through this run's model
}

void EvaluateView::runUpdated(const RunData* run)
{
    if (run != m_run.get())
        return;
    // Hidden, it catches up when shown: rebuilding tables while another tab is on screen
    // would only take time from the training threads.
    if (isVisible())
        refresh();
    else
        m_stale = true;
}

void EvaluateView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

QString EvaluateView::headline() const
{
    return m_headline->text();
}

void EvaluateView::refresh()
{
    m_stale = false;
    m_showingTest = false;
    updateModelButtons();
    // Another run, or one that has just finished: the pictures go through its model.
    if (!m_triedPaths.isEmpty() &&
        (!m_trialsUpToDate || m_trialsForFinishedRun != canExportModel(m_run.get())))
        classifyTriedImages();
    if (!m_run) {
        m_headline->setText(QStringLiteral("No run selected: train one, or pick one in the "
                                           "Train view's run list."));
        m_matrix->clear(QStringLiteral("No run selected"));
        m_perClass->setRowCount(0);
        m_pairs->clear();
        return;
    }
    const RunData& run = *m_run;
    if (run.hasResult) {
        m_showingTest = true;
        m_headline->setText(QStringLiteral("<b>%1</b> (%2) · test loss <b>%3</b> · test accuracy "
                                           "<b>%4</b> · macro F1 %5 · %6 test images")
                                .arg(run.name.toHtmlEscaped(), run.status)
                                .arg(run.testLoss, 0, 'f', 4)
                                .arg(run.testAccuracy, 0, 'f', 4)
                                .arg(run.test.report.macroF1, 0, 'f', 4)
                                .arg(run.test.count));
        m_matrix->setMatrix(run.test.confusion,
                            QStringLiteral("Confusion matrix, test set (%1)").arg(run.name));
        refreshPerClass(run.test.report);
        refreshPairs(run.test.confusion);
    } else if (run.devConfusion) {
        const ClassificationReport report = classificationReport(*run.devConfusion);
        m_headline->setText(QStringLiteral("<b>%1</b> is training · dev set after epoch %2 · dev "
                                           "accuracy <b>%3</b> (the test set is evaluated at the "
                                           "end)")
                                .arg(run.name.toHtmlEscaped())
                                .arg(run.devConfusionEpoch)
                                .arg(report.accuracy, 0, 'f', 4));
        m_matrix->setMatrix(
            *run.devConfusion,
            QStringLiteral("Confusion matrix, dev set, epoch %1").arg(run.devConfusionEpoch));
        refreshPerClass(report);
        refreshPairs(*run.devConfusion);
    } else {
        m_headline->setText(
            QStringLiteral("<b>%1</b>: waiting for the first epoch").arg(run.name.toHtmlEscaped()));
        m_matrix->clear(QStringLiteral("The matrix appears after the first epoch."));
        m_perClass->setRowCount(0);
        m_pairs->clear();
    }
}

void EvaluateView::refreshPerClass(const ClassificationReport& report)
{
    m_perClass->setRowCount(kNumClasses + 1);
    auto set = [this](int row, int column, const QString& text, bool bold = false) {
        auto* item = new QTableWidgetItem(text);
        if (column > 0)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (bold) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
        m_perClass->setItem(row, column, item);
    };
    std::int64_t support = 0;
    for (int c = 0; c < kNumClasses; ++c) {
        const ClassMetrics& m = report.perClass[std::size_t(c)];
        set(c, 0, className(c));
        set(c, 1, QString::number(m.precision, 'f', 4));
        set(c, 2, QString::number(m.recall, 'f', 4));
        set(c, 3, QString::number(m.f1, 'f', 4));
        set(c, 4, QString::number(m.support));
        support += m.support;
    }
    set(kNumClasses, 0, QStringLiteral("macro average"), true);
    set(kNumClasses, 1, QString::number(report.macroPrecision, 'f', 4), true);
    set(kNumClasses, 2, QString::number(report.macroRecall, 'f', 4), true);
    set(kNumClasses, 3, QString::number(report.macroF1, 'f', 4), true);
    set(kNumClasses, 4, QString::number(support), true);
}

void EvaluateView::refreshPairs(const ConfusionMatrix& matrix)
{
    struct Pair
    {
        int t, p;
        std::int64_t count;
    };
    std::vector<Pair> pairs;
    for (int t = 0; t < kNumClasses; ++t)
        for (int p = 0; p < kNumClasses; ++p)
            if (t != p && matrix[std::size_t(t)][std::size_t(p)] > 0)
                pairs.push_back({t, p, matrix[std::size_t(t)][std::size_t(p)]});
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& a, const Pair& b) { return a.count > b.count; });
    const QSignalBlocker block(m_pairs);
    m_pairs->clear();
    for (std::size_t i = 0; i < pairs.size() && int(i) < kConfusedPairs; ++i) {
        const Pair& pair = pairs[i];
        std::int64_t rowTotal = 0;
        for (std::int64_t count : matrix[std::size_t(pair.t)])
            rowTotal += count;
        auto* item = new QListWidgetItem(
            QStringLiteral("%1 taken for %2: %3 images (%4% of %1)")
                .arg(className(pair.t), className(pair.p))
                .arg(pair.count)
                .arg(100.0 * double(pair.count) / double(std::max<std::int64_t>(rowTotal, 1)), 0,
                     'f', 1));
        item->setData(Qt::UserRole, QStringList{QString::number(pair.t), QString::number(pair.p)});
        m_pairs->addItem(item);
    }
}

void EvaluateView::showCell(int trueClass, int predicted)
{
    if (trueClass < 0 || trueClass >= kNumClasses || predicted < 0 || predicted >= kNumClasses)
        return;
    m_matrix->setSelectedCell(std::pair{trueClass, predicted});
    const QString cell =
        QStringLiteral("true %1, predicted %2").arg(className(trueClass), className(predicted));
    if (!m_run || !m_showingTest) {
        m_errors->setImages(nullptr, nullptr, {}, kErrorColumns, {});
        m_errorsTitle->setText(QStringLiteral("%1: the images are listed for the test set once the "
                                              "run has finished.")
                                   .arg(cell));
        return;
    }
    const auto dataset = m_data->dataset();
    std::vector<Misclassification> errors;
    for (const Misclassification& e : m_run->test.misclassified)
        if (e.trueLabel == trueClass && e.predicted == predicted)
            errors.push_back(e);
    std::stable_sort(errors.begin(), errors.end(), moreConfident);
    const std::size_t total = errors.size();
    if (trueClass == predicted) {
        m_errorsTitle->setText(
            QStringLiteral("%1: correct predictions (%2 images) are not "
                           "listed; pick a cell off the diagonal.")
                .arg(cell)
                .arg(m_run->test.confusion[std::size_t(trueClass)][std::size_t(predicted)]));
        m_errors->setImages(nullptr, nullptr, {}, kErrorColumns, {});
        return;
    }
    errors.resize(std::min<std::size_t>(total, kErrorColumns * kErrorRows));
    std::vector<GridEntry> entries;
    for (const Misclassification& e : errors)
        // Every image of the cell has the same prediction: the caption is its probability.
        entries.push_back({e.index, confidenceText(e.confidence)});
    if (!dataset) {
        m_errorsTitle->setText(QStringLiteral("%1: %2 images (load the dataset in the Data view "
                                              "to see them)")
                                   .arg(cell)
                                   .arg(total));
        m_errors->setImages(nullptr, nullptr, {}, kErrorColumns, {});
        return;
    }
    m_errorsTitle->setText(QStringLiteral("%1: %2 images%3, most confident mistakes first; "
                                          "under each, the probability given to %4")
                               .arg(cell)
                               .arg(total)
                               .arg(total > errors.size()
                                        ? QStringLiteral(" (showing %1)").arg(errors.size())
                                        : QString())
                               .arg(className(predicted)));
    m_errors->setImages(dataset, &dataset->test, std::move(entries), kErrorColumns,
                        QStringLiteral("test"));
}

} // namespace atelier::ui
