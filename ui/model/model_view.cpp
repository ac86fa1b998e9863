// The Model view: the visual layer-stack builder.
#include "ui/model/model_view.h"

#include "core/preset.h"
#include "core/text_format.h"
#include "ui/export/figure_export.h"
#include "ui/model/layer_palette_model.h"
#include "ui/model/layer_property_editor.h"
#include "ui/model/model_diagram.h"
#include "ui/preset/preset_document.h"
#include "ui/widgets/layer_text.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace atelier::ui {
namespace {

// The two inputs the built-in dataset offers, as shown in the input selector.
const std::vector<int> kImageInput = {1, 28, 28};
const std::vector<int> kFlatInput = {784};

QString shapeText(const std::vector<int>& shape)
{
    QStringList parts;
    for (int d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral("×"));
}

} // namespace

ModelView::ModelView(PresetDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document)
{
    createActions();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildHeader());
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(buildPalette());
    splitter->addWidget(buildStack());
    splitter->addWidget(buildSide());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({170, 760, 520});
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    LayerStackModel* layers = m_document->layers();
    connect(layers, &LayerStackModel::reportChanged, this, &ModelView::refreshReport);
    connect(layers, &QAbstractItemModel::modelReset, this, &ModelView::refreshReport);
    // Follow the edited layer: a new or moved layer becomes the selection.
    connect(layers, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int) { selectRow(first); });
    connect(layers, &QAbstractItemModel::rowsMoved, this,
            [this](const QModelIndex&, int start, int, const QModelIndex&, int destination) {
                selectRow(destination > start ? destination - 1 : destination);
            });
    connect(m_stack->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        refreshProperties();
        updateActions();
    });
    connect(m_properties, &LayerPropertyEditor::layerEdited, m_document,
            &PresetDocument::editLayer);
    connect(m_document, &PresetDocument::detailsChanged, this, &ModelView::refreshDetails);
    addExportActions(m_diagram, QStringLiteral("model"), QSize(700, 600),
                     [this](QPainter& p, const QRectF& area) {
                         const LayerStackModel* layers = m_document->layers();
                         paintModelDiagram(p, area, layers->spec(), layers->report(), palette());
                     },
                     {});
    refreshDetails();
    refreshReport();
}

void ModelView::createActions()
{
    auto make = [this](const QString& text, const QKeySequence& key, const QString& tip) {
        auto* action = new QAction(text, this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString()));
        addAction(action);
        return action;
    };
    m_delete = make(QStringLiteral("Delete Layer"), QKeySequence::Delete,
                    QStringLiteral("Delete the selected layer"));
    m_duplicate = make(QStringLiteral("Duplicate Layer"), QKeySequence(Qt::CTRL | Qt::Key_D),
                       QStringLiteral("Insert a copy below the selected layer"));
    m_moveUp = make(QStringLiteral("Move Layer Up"), QKeySequence(Qt::ALT | Qt::Key_Up),
                    QStringLiteral("Move the selected layer up"));
    m_moveDown = make(QStringLiteral("Move Layer Down"), QKeySequence(Qt::ALT | Qt::Key_Down),
                      QStringLiteral("Move the selected layer down"));
    m_add = make(QStringLiteral("Add Layer From Palette"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                 QStringLiteral("Add the palette's current layer type below the selection"));
    connect(m_delete, &QAction::triggered, this, [this] {
        const int row = selectedRow();
        m_document->removeLayer(row);
        selectRow(std::min(row, m_document->layers()->rowCount() - 1));
    });
    connect(m_duplicate, &QAction::triggered, this,
            [this] { m_document->duplicateLayer(selectedRow()); });
    connect(m_moveUp, &QAction::triggered, this, [this] {
        const int row = selectedRow();
        m_document->moveLayer(row, row - 1);
    });
    connect(m_moveDown, &QAction::triggered, this, [this] {
        const int row = selectedRow();
        m_document->moveLayer(row, row + 1);
    });
    connect(m_add, &QAction::triggered, this, &ModelView::addSelectedPaletteLayer);
}

QList<QAction*> ModelView::layerActions() const
{
    return {m_add, m_duplicate, m_delete, m_moveUp, m_moveDown};
}

QWidget* ModelView::buildHeader()
{
    auto* header = new QWidget;
    auto* layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    m_name = new QLineEdit;
    m_name->setPlaceholderText(QStringLiteral("name"));
    m_name->setMaximumWidth(220);
    // The rule of presetNameProblem (it names run folders): a name typed here must load back.
    m_name->setMaxLength(int(kMaxPresetNameBytes));
    m_name->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("([A-Za-z0-9_-][A-Za-z0-9 _.-]*)?")), m_name));
    m_name->setToolTip(QStringLiteral("Letters a–z, digits, '-', '_', '.' and spaces; it starts "
                                      "the name of every run folder"));
    m_description = new QLineEdit;
    m_description->setPlaceholderText(QStringLiteral("What this preset is for"));
    // UTF-16 units: each is at most 3 bytes in the file (a pair, 4), within the preset limit.
    m_description->setMaxLength(int(kMaxPresetDescriptionBytes / 4));
    m_input = new QComboBox;
    m_input->addItem(QStringLiteral("Image 1×28×28 (for Conv2D)"));
    m_input->addItem(QStringLiteral("Flat 784 (for Dense)"));
    m_input->setToolTip(QStringLiteral("What the first layer receives: the image as one channel "
                                       "of 28×28 pixels, or as a vector of 784 values"));
    connect(m_name, &QLineEdit::editingFinished, this,
            [this] { m_document->setName(m_name->text().trimmed()); });
    connect(m_description, &QLineEdit::editingFinished, this,
            [this] { m_document->setDescription(m_description->text().trimmed()); });
    connect(m_input, &QComboBox::activated, this, [this](int index) {
        if (index == 0)
            m_document->setInputShape(kImageInput);
        else if (index == 1)
            m_document->setInputShape(kFlatInput);
    });
    layout->addWidget(new QLabel(QStringLiteral("Preset")));
    layout->addWidget(m_name);
    layout->addWidget(m_description, 1);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(QStringLiteral("Input")));
    layout->addWidget(m_input);
    return header;
}

QWidget* ModelView::buildPalette()
{
    auto* box = new QGroupBox(QStringLiteral("Layers"));
    auto* layout = new QVBoxLayout(box);
    m_paletteModel = new LayerPaletteModel(this);
    m_palette = new QListView;
    m_palette->setModel(m_paletteModel);
    m_palette->setDragEnabled(true);
    m_palette->setDragDropMode(QAbstractItemView::DragOnly);
    m_palette->setDefaultDropAction(Qt::CopyAction);
    m_palette->setSpacing(2);
    m_palette->setCurrentIndex(m_paletteModel->index(0));
    connect(m_palette, &QListView::activated, this, &ModelView::addSelectedPaletteLayer);
    auto* hint = new QLabel(QStringLiteral("Drag a layer into the stack, or double-click it to "
                                           "add it below the selected layer."));
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_palette, 1);
    layout->addWidget(hint);
    box->setMinimumWidth(150);
    return box;
}

QWidget* ModelView::buildStack()
{
    auto* box = new QGroupBox(QStringLiteral("Stack"));
    auto* layout = new QVBoxLayout(box);
    m_stack = new QTableView;
    m_stack->setModel(m_document->layers());
    m_stack->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stack->setSelectionMode(QAbstractItemView::SingleSelection);
    m_stack->setDragEnabled(true);
    m_stack->setAcceptDrops(true);
    m_stack->setDropIndicatorShown(true);
    m_stack->setDragDropMode(QAbstractItemView::DragDrop);
    m_stack->setDragDropOverwriteMode(false);
    m_stack->setDefaultDropAction(Qt::MoveAction);
    m_stack->setAlternatingRowColors(true);
    m_stack->setWordWrap(false);
    m_stack->verticalHeader()->setDefaultAlignment(Qt::AlignCenter);
    QHeaderView* header = m_stack->horizontalHeader();
    header->setSectionResizeMode(LayerStackModel::LayerColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LayerStackModel::SettingsColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(LayerStackModel::OutputColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LayerStackModel::ParamsColumn, QHeaderView::ResizeToContents);
    m_totals = new QLabel;
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems = new QLabel;
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::RichText);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_totals);
    layout->addWidget(m_problems);
    return box;
}

QWidget* ModelView::buildSide()
{
    auto* splitter = new QSplitter(Qt::Vertical);
    auto* propertiesBox = new QGroupBox(QStringLiteral("Properties"));
    auto* propertiesLayout = new QVBoxLayout(propertiesBox);
    m_properties = new LayerPropertyEditor;
    propertiesLayout->addWidget(m_properties);
    auto* diagramBox = new QGroupBox(QStringLiteral("Diagram"));
    auto* diagramLayout = new QVBoxLayout(diagramBox);
    m_diagram = new ModelDiagramWidget;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_diagram);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    diagramLayout->addWidget(scroll);
    splitter->addWidget(propertiesBox);
    splitter->addWidget(diagramBox);
    splitter->setSizes({420, 480});
    splitter->setChildrenCollapsible(false);
    return splitter;
}

int ModelView::selectedRow() const
{
    const QModelIndexList rows = m_stack->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void ModelView::selectRow(int row)
{
    if (row < 0 || row >= m_document->layers()->rowCount()) {
        m_stack->clearSelection();
        return;
    }
    m_stack->selectRow(row);
    m_stack->scrollTo(m_document->layers()->index(row, 0));
}

void ModelView::addSelectedPaletteLayer()
{
    const QModelIndex current = m_palette->currentIndex();
    if (!current.isValid())
        return;
    const int selected = selectedRow();
    const int row = selected < 0 ? m_document->layers()->rowCount() : selected + 1;
    m_document->addLayer(m_paletteModel->typeAt(current.row()), row);
}

void ModelView::refreshReport()
{
    const LayerStackModel* layers = m_document->layers();
    const ModelReport& report = layers->report();
    m_diagram->setModel(layers->spec(), report);
    const std::vector<int>& input = layers->spec().inputShape;
    m_input->setCurrentIndex(input == kImageInput ? 0 : input == kFlatInput ? 1 : -1);
    if (m_input->currentIndex() < 0)
        m_input->setPlaceholderText(shapeText(input));

    QString totals =
        QStringLiteral("<b>%1</b> parameters").arg(qs(withThousands(report.totalParams())));
    if (report.nonTrainableParams() > 0)
        totals +=
            QStringLiteral(" (%1 trainable)").arg(qs(withThousands(report.trainableParams())));
    totals += QStringLiteral(" · %1 layers · %2 MFLOP per image (forward)")
                  .arg(report.layers.size())
                  .arg(double(report.forwardFlops()) / 1e6, 0, 'f', 2);
    m_totals->setText(totals);

    const QString reason = m_document->invalidReason();
    if (reason.isEmpty()) {
        m_problems->setText(
            QStringLiteral("<span style='color:#3c9a3c'>✔ Valid: ready to train.</span>"));
    } else {
        QStringList lines;
        for (const std::string& error : report.errors())
            lines << qs(error).toHtmlEscaped();
        if (lines.isEmpty())
            lines << reason.toHtmlEscaped();
        m_problems->setText(QStringLiteral("<span style='color:#d9534f'>✖ %1</span>")
                                .arg(lines.join(QStringLiteral("<br>✖ "))));
    }
    refreshProperties();
    updateActions();
}

void ModelView::refreshDetails()
{
    const Preset preset = m_document->preset();
    if (!m_name->hasFocus())
        m_name->setText(qs(preset.name));
    if (!m_description->hasFocus())
        m_description->setText(qs(preset.description));
    m_description->setCursorPosition(0);
}

void ModelView::refreshProperties()
{
    const int row = selectedRow();
    if (row < 0) {
        m_properties->showLayer(-1, {}, {}, {});
        return;
    }
    const LayerReport& report = m_document->layers()->report().layers.at(std::size_t(row));
    m_properties->showLayer(row, m_document->layers()->layer(row), qs(report.name),
                            qs(report.error));
}

void ModelView::updateActions()
{
    const int row = selectedRow();
    const int rows = m_document->layers()->rowCount();
    m_delete->setEnabled(row >= 0);
    m_duplicate->setEnabled(row >= 0);
    m_moveUp->setEnabled(row > 0);
    m_moveDown->setEnabled(row >= 0 && row + 1 < rows);
}

} // namespace atelier::ui
