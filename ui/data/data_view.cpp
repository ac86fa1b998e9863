// The Data view: Fashion-MNIST as the current preset splits it.
#include "ui/data/data_view.h"

#include "core/text_format.h"
#include "ui/charts/class_distribution_chart.h"
#include "ui/data/dataset_controller.h"
#include "ui/data/image_grid_widget.h"
#include "ui/export/figure_export.h"
#include "ui/preset/preset_document.h"
#include "ui/widgets/layer_text.h"
#include "ui/widgets/value_editors.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <numeric>
#include <random>

namespace atelier::ui {
namespace {

enum Page
{
    kLoadingPage,
    kErrorPage,
    kContentPage,
};

QStringList classNames()
{
    QStringList names;
    for (const std::string& name : fashionMnistClassNames())
        names << qs(name);
    return names;
}

QList<qint64> toList(const ClassCounts& counts)
{
    return QList<qint64>(counts.begin(), counts.end());
}

QString thousands(std::int64_t value)
{
    return qs(withThousands(value));
}

} // namespace

DataView::DataView(DatasetController* data, PresetDocument* document, QWidget* parent)
    : QWidget(parent), m_data(data), m_document(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QStackedWidget;
    m_pages->insertWidget(kLoadingPage, buildLoadingPage());
    m_pages->insertWidget(kErrorPage, buildErrorPage());
    m_pages->insertWidget(kContentPage, buildContentPage());
    layout->addWidget(m_pages);

    addExportActions(
        m_grid, QStringLiteral("images"), QSize(1000, 700),
        [this](QPainter& p, const QRectF& area) { m_grid->paintGrid(p, area.toRect()); },
        [this] { return m_grid->toCsv(); });
    addExportActions(
        m_chart, QStringLiteral("class_distribution"), QSize(1000, 700),
        [this](QPainter& p, const QRectF& area) { m_chart->renderFigure(&p, area); },
        [this] { return m_chart->toCsv(); });
    connect(m_data, &DatasetController::loadingStarted, this, &DataView::showState);
    connect(m_data, &DatasetController::failed, this, &DataView::showState);
    connect(m_data, &DatasetController::loaded, this, [this] {
        showState();
        refreshAll();
    });
    connect(m_data, &DatasetController::splitChanged, this, &DataView::refreshAll);
    connect(m_document, &PresetDocument::dataConfigChanged, this, &DataView::applyDocumentSplit);
    applyDocumentSplit();
    showState();
    if (m_data->state() == DatasetController::State::Ready)
        refreshAll();
}

QWidget* DataView::buildLoadingPage()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    m_loadingLabel = new QLabel;
    m_loadingLabel->setAlignment(Qt::AlignCenter);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0); // busy indicator: the loader reports no fraction
    m_busy->setMaximumWidth(360);
    layout->addWidget(m_loadingLabel);
    layout->addWidget(m_busy, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    return page;
}

QWidget* DataView::buildErrorPage()
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    m_errorLabel = new QLabel;
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextFormat(Qt::RichText);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setMaximumWidth(760);
    auto* buttons = new QHBoxLayout;
    auto* choose = new QPushButton(QStringLiteral("Choose Data Folder…"));
    auto* retry = new QPushButton(QStringLiteral("Try Again"));
    connect(choose, &QPushButton::clicked, this, &DataView::chooseFolder);
    connect(retry, &QPushButton::clicked, this, [this] { m_data->load(m_data->directory()); });
    buttons->addStretch(1);
    buttons->addWidget(choose);
    buttons->addWidget(retry);
    buttons->addStretch(1);
    layout->addWidget(m_errorLabel, 0, Qt::AlignHCenter);
    layout->addLayout(buttons);
    layout->addStretch(1);
    return page;
}

QWidget* DataView::buildContentPage()
{
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(buildGridPanel());
    splitter->addWidget(buildSidePanel());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({900, 600});
    splitter->setChildrenCollapsible(false);
    return splitter;
}

QWidget* DataView::buildGridPanel()
{
    auto* box = new QGroupBox(QStringLiteral("Images"));
    auto* layout = new QVBoxLayout(box);
    auto* controls = new QHBoxLayout;
    m_split = new QComboBox;
    m_split->addItems({QStringLiteral("Train"), QStringLiteral("Dev"), QStringLiteral("Test")});
    m_class = new QComboBox;
    m_class->addItem(QStringLiteral("All classes"));
    m_class->addItems(classNames());
    m_columns = new QSpinBox;
    m_columns->setRange(1, 20);
    m_columns->setValue(8);
    m_columns->setSuffix(QStringLiteral(" columns"));
    m_rows = new QSpinBox;
    m_rows->setRange(1, 12);
    m_rows->setValue(5);
    m_rows->setSuffix(QStringLiteral(" rows"));
    auto* first = new QPushButton(QStringLiteral("First Images"));
    first->setToolTip(QStringLiteral("The first images of the split, in file order"));
    auto* random = new QPushButton(QStringLiteral("Random Sample"));
    random->setToolTip(QStringLiteral("A new random draw from the split (and class)"));
    connect(m_split, &QComboBox::currentIndexChanged, this, &DataView::refreshGrid);
    connect(m_class, &QComboBox::currentIndexChanged, this, &DataView::refreshGrid);
    connect(m_columns, &QSpinBox::valueChanged, this, &DataView::refreshGrid);
    connect(m_rows, &QSpinBox::valueChanged, this, &DataView::refreshGrid);
    connect(first, &QPushButton::clicked, this, [this] { showSample(Sample::First); });
    connect(random, &QPushButton::clicked, this, [this] { showSample(Sample::Random); });
    controls->addWidget(new QLabel(QStringLiteral("Split")));
    controls->addWidget(m_split);
    controls->addWidget(new QLabel(QStringLiteral("Class")));
    controls->addWidget(m_class);
    controls->addSpacing(8);
    controls->addWidget(m_columns);
    controls->addWidget(m_rows);
    controls->addStretch(1);
    controls->addWidget(first);
    controls->addWidget(random);
    m_gridCaption = new QLabel;
    m_gridCaption->setForegroundRole(QPalette::PlaceholderText);
    m_grid = new ImageGridWidget;
    layout->addLayout(controls);
    layout->addWidget(m_gridCaption);
    layout->addWidget(m_grid, 1);
    return box;
}

QWidget* DataView::buildSidePanel()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    m_chart = new ClassDistributionChart;
    m_chart->setMinimumHeight(340);

    auto* shapesBox = new QGroupBox(QStringLiteral("Shapes"));
    auto* shapesLayout = new QVBoxLayout(shapesBox);
    m_shapes = new QTableWidget(0, 3);
    m_shapes->setHorizontalHeaderLabels(
        {QStringLiteral("Set"), QStringLiteral("Images"), QStringLiteral("As a tensor")});
    m_shapes->verticalHeader()->hide();
    m_shapes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_shapes->setSelectionMode(QAbstractItemView::NoSelection);
    m_shapes->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_shapes->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_shapes->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    shapesLayout->addWidget(m_shapes);

    auto* splitBox = new QGroupBox(QStringLiteral("Split and location"));
    auto* form = new QFormLayout(splitBox);
    m_devFraction = new QDoubleSpinBox;
    m_devFraction->setSingleStep(0.05);
    m_devFraction->setDecimals(2);
    setSpinBoxRange(m_devFraction, limits::kDevFraction); // (0, 0.9]: 0.01 – 0.9
    m_devFraction->setToolTip(QStringLiteral(
        "Share of each class of the 60,000 training images held out as the dev set, 0.01 – 0.9"));
    m_splitSeed = makeSpinBox(limits::kSeed); // up to INT_MAX: what a QSpinBox holds
    m_splitSeed->setToolTip(QStringLiteral("Which images go to dev; the same seed gives the "
                                           "same dev set on every machine"));
    connect(m_devFraction, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        DataConfig config = m_document->dataConfig();
        config.devFraction = value;
        m_document->setDataConfig(config);
    });
    connect(m_splitSeed, &QSpinBox::valueChanged, this, [this](int value) {
        DataConfig config = m_document->dataConfig();
        config.splitSeed = std::uint64_t(value);
        m_document->setDataConfig(config);
    });
    m_location = new QLabel;
    m_location->setWordWrap(true);
    m_location->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* change = new QPushButton(QStringLiteral("Choose…"));
    connect(change, &QPushButton::clicked, this, &DataView::chooseFolder);
    auto* locationRow = new QHBoxLayout;
    locationRow->addWidget(m_location, 1);
    locationRow->addWidget(change);
    form->addRow(QStringLiteral("Dev fraction"), m_devFraction);
    form->addRow(QStringLiteral("Split seed"), m_splitSeed);
    form->addRow(QStringLiteral("Folder"), locationRow);

    layout->addWidget(m_chart, 3);
    layout->addWidget(shapesBox, 0);
    layout->addWidget(splitBox, 0);
    return panel;
}

void DataView::chooseFolder()
{
    const QString directory = QFileDialog::getExistingDirectory(
        this, QStringLiteral("Folder with the Fashion-MNIST files"), m_data->directory());
    if (directory.isEmpty())
        return;
    m_data->load(directory);
    Q_EMIT dataFolderChosen(directory);
}

QString DataView::errorText() const
{
    return m_data->state() == DatasetController::State::Failed ? m_errorLabel->text() : QString();
}

bool DataView::isBusy() const
{
    return m_pages->currentIndex() == kLoadingPage;
}

void DataView::showState()
{
    switch (m_data->state()) {
    case DatasetController::State::Empty:
    case DatasetController::State::Loading:
        m_loadingLabel->setText(
            QStringLiteral("Loading Fashion-MNIST from %1 …").arg(m_data->directory()));
        m_pages->setCurrentIndex(kLoadingPage);
        break;
    case DatasetController::State::Failed:
        m_errorLabel->setText(
            QStringLiteral("<h3>The dataset could not be loaded</h3>"
                           "<p>%1</p><p>%2</p>")
                .arg(m_data->errorMessage().toHtmlEscaped(), DatasetController::fixHint()));
        m_pages->setCurrentIndex(kErrorPage);
        break;
    case DatasetController::State::Ready:
        m_pages->setCurrentIndex(kContentPage);
        break;
    }
}

void DataView::applyDocumentSplit()
{
    const DataConfig& config = m_document->dataConfig();
    {
        const QSignalBlocker blockFraction(m_devFraction);
        const QSignalBlocker blockSeed(m_splitSeed);
        m_devFraction->setValue(config.devFraction);
        m_splitSeed->setValue(
            int(std::min<std::uint64_t>(config.splitSeed, std::numeric_limits<int>::max())));
    }
    m_data->setSplitConfig(config);
}

void DataView::setSplit(Split split)
{
    m_split->setCurrentIndex(int(split));
}

void DataView::setClassFilter(int classIndex)
{
    m_class->setCurrentIndex(classIndex + 1);
}

void DataView::setGridSize(int columns, int rows)
{
    m_columns->setValue(columns);
    m_rows->setValue(rows);
}

void DataView::showSample(Sample sample)
{
    m_sample = sample;
    if (sample == Sample::Random)
        ++m_randomDraw;
    refreshGrid();
}

void DataView::refreshAll()
{
    if (m_data->state() != DatasetController::State::Ready)
        return;
    m_location->setText(m_data->directory());
    refreshShapes();
    refreshDistribution();
    refreshGrid();
}

void DataView::refreshGrid()
{
    const auto dataset = m_data->dataset();
    if (!dataset)
        return;
    const auto split = Split(m_split->currentIndex());
    const ImageSet& set = split == Split::Test ? dataset->test : dataset->train;
    IndexList candidates = split == Split::Train ? m_data->split().train
                           : split == Split::Dev ? m_data->split().dev
                                                 : allIndices(std::size_t(set.count));
    const int classFilter = m_class->currentIndex() - 1;
    if (classFilter >= 0) {
        candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                        [&](std::int32_t i) {
                                            return set.labels[std::size_t(i)] != classFilter;
                                        }),
                         candidates.end());
    }
    const std::size_t wanted = std::size_t(m_columns->value() * m_rows->value());
    if (m_sample == Sample::Random) {
        // A partial shuffle: `wanted` distinct images, another set with each draw.
        std::mt19937_64 random(0x5eed + m_randomDraw);
        for (std::size_t i = 0; i < std::min(wanted, candidates.size()); ++i) {
            std::uniform_int_distribution<std::size_t> pick(i, candidates.size() - 1);
            std::swap(candidates[i], candidates[pick(random)]);
        }
    }
    candidates.resize(std::min(wanted, candidates.size()));
    const auto& names = fashionMnistClassNames();
    std::vector<GridEntry> entries;
    for (std::int32_t index : candidates)
        entries.push_back({index, qs(names[set.labels[std::size_t(index)]])});
    const QString splitName = m_split->currentText().toLower();
    m_grid->setImages(dataset, &set, std::move(entries), m_columns->value(),
                      split == Split::Test ? QStringLiteral("test") : QStringLiteral("training"));
    m_gridCaption->setText(
        QStringLiteral("%1 %2 images of the %3 split%4")
            .arg(m_sample == Sample::First ? QStringLiteral("The first")
                                           : QStringLiteral("A random sample of"))
            .arg(candidates.size())
            .arg(splitName)
            .arg(classFilter >= 0 ? QStringLiteral(", class %1").arg(m_class->currentText())
                                  : QString()));
}

void DataView::refreshDistribution()
{
    const auto dataset = m_data->dataset();
    const TrainDevSplit& split = m_data->split();
    m_chart->setData(
        QStringLiteral("Images per class"), classNames(),
        {{QStringLiteral("train"), toList(classCounts(dataset->train.labels, split.train))},
         {QStringLiteral("dev"), toList(classCounts(dataset->train.labels, split.dev))},
         {QStringLiteral("test"), toList(classCounts(dataset->test.labels))}});
}

void DataView::refreshShapes()
{
    const auto dataset = m_data->dataset();
    const TrainDevSplit& split = m_data->split();
    const int pixels = dataset->train.pixelsPerImage();
    const QString imageSize =
        QStringLiteral("%1×%2").arg(dataset->train.rows).arg(dataset->train.cols);
    struct Row
    {
        QString name;
        std::int64_t count;
        QString tensor;
    };
    auto flat = [pixels](std::int64_t n) {
        return QStringLiteral("%1 × %2").arg(thousands(n)).arg(pixels);
    };
    const std::vector<Row> rows = {
        {QStringLiteral("Training file (raw)"), dataset->train.count,
         QStringLiteral("%1 × %2").arg(thousands(dataset->train.count), imageSize)},
        {QStringLiteral("Test file (raw)"), dataset->test.count,
         QStringLiteral("%1 × %2").arg(thousands(dataset->test.count), imageSize)},
        {QStringLiteral("Train (after split)"), std::int64_t(split.train.size()),
         flat(std::int64_t(split.train.size()))},
        {QStringLiteral("Dev (after split)"), std::int64_t(split.dev.size()),
         flat(std::int64_t(split.dev.size()))},
        {QStringLiteral("Test"), dataset->test.count, flat(dataset->test.count)},
    };
    m_shapes->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const Row& row = rows[std::size_t(r)];
        m_shapes->setItem(r, 0, new QTableWidgetItem(row.name));
        auto* count = new QTableWidgetItem(thousands(row.count));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_shapes->setItem(r, 1, count);
        m_shapes->setItem(r, 2, new QTableWidgetItem(row.tensor));
    }
}

} // namespace atelier::ui
