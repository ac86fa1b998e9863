// The property editor of the builder.
#include "ui/model/layer_property_editor.h"

#include "core/preset_limits.h"
#include "core/text_format.h"
#include "ui/widgets/layer_text.h"
#include "ui/widgets/search_menu.h"
#include "ui/widgets/value_editors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace atelier::ui {
namespace {

using Field = LayerPropertyEditor::Field;

// Which fields each layer type has, in the order they are shown.
std::vector<Field> fieldsOf(LayerType type)
{
    const std::vector<Field> weights = {Field::ActivationField, Field::KernelInitField,
                                        Field::BiasInitField, Field::UseBiasField};
    std::vector<Field> fields = {Field::NameField};
    auto add = [&fields](std::initializer_list<Field> more) { fields.insert(fields.end(), more); };
    switch (type) {
    case LayerType::Dense:
        add({Field::UnitsField});
        fields.insert(fields.end(), weights.begin(), weights.end());
        break;
    case LayerType::Conv2D:
        add({Field::FiltersField, Field::KernelField, Field::StrideField, Field::DilationField,
             Field::PaddingField});
        fields.insert(fields.end(), weights.begin(), weights.end());
        break;
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        add({Field::PoolField, Field::StrideField, Field::PaddingField});
        break;
    case LayerType::Dropout:
        add({Field::RateField});
        break;
    case LayerType::BatchNorm:
        add({Field::MomentumField, Field::EpsilonField});
        break;
    case LayerType::Activation:
        add({Field::ActivationField});
        break;
    case LayerType::Residual: // its convolutions pad "same" and leave the bias to batch norm
        add({Field::FiltersField, Field::KernelField, Field::StrideField, Field::ActivationField,
             Field::KernelInitField, Field::MomentumField, Field::EpsilonField});
        break;
    case LayerType::Flatten:
    case LayerType::Invalid:
        break;
    }
    return fields;
}

// Offers the activations a layer of `type` can take, plus its current one where that does
// not belong (the error line says why), so that the box never shows another layer's value.
void showActivationChoices(QComboBox* box, LayerType type, ActivationKind current)
{
    QStringList choices;
    for (const std::string& name : activationNamesFor(type))
        choices << qs(name);
    const QString currentName = qs(activationName(current));
    if (!choices.contains(currentName))
        choices << currentName;
    QStringList shown;
    for (int i = 0; i < box->count(); ++i)
        shown << box->itemText(i);
    if (shown != choices) {
        box->clear();
        box->addItems(choices);
    }
    box->setCurrentText(currentName);
}

QString range(const IntLimits& limits)
{
    return QStringLiteral("%1 – %2").arg(qs(withThousands(limits.min)),
                                         qs(withThousands(limits.max)));
}

// The preset key a field edits in a layer of `type` ("" for none that a search could vary).
QString keyOf(Field field, LayerType type)
{
    switch (field) {
    case Field::NameField:
        return {};
    case Field::UnitsField:
        return QStringLiteral("units");
    case Field::FiltersField:
        return QStringLiteral("filters");
    case Field::KernelField:
        return QStringLiteral("kernel");
    case Field::StrideField:
        return QStringLiteral("stride");
    case Field::DilationField:
        return QStringLiteral("dilation");
    case Field::PoolField:
        return QStringLiteral("pool");
    case Field::PaddingField:
        return QStringLiteral("padding");
    case Field::ActivationField:
        return type == LayerType::Activation ? QStringLiteral("function")
                                             : QStringLiteral("activation");
    case Field::KernelInitField:
        return QStringLiteral("kernel_init");
    case Field::BiasInitField:
        return QStringLiteral("bias_init");
    case Field::UseBiasField:
        return QStringLiteral("use_bias");
    case Field::RateField:
        return QStringLiteral("rate");
    case Field::MomentumField:
        return QStringLiteral("momentum");
    case Field::EpsilonField:
        return QStringLiteral("epsilon");
    }
    return {};
}

// The field's value in `layer` as a preset file writes it.
QString valueYamlOf(Field field, const LayerSpec& l)
{
    switch (field) {
    case Field::NameField:
        return {};
    case Field::UnitsField:
        return QString::number(l.units);
    case Field::FiltersField:
        return QString::number(l.filters);
    case Field::KernelField:
        return sizeYaml(l.kernel);
    case Field::StrideField:
        return sizeYaml(l.stride);
    case Field::DilationField:
        return sizeYaml(l.dilation);
    case Field::PoolField:
        return sizeYaml(l.pool);
    case Field::PaddingField:
        return qs(paddingName(l.padding));
    case Field::ActivationField:
        return qs(activationName(l.activation));
    case Field::KernelInitField:
        return initializerYaml(l.kernelInit);
    case Field::BiasInitField:
        return initializerYaml(l.biasInit);
    case Field::UseBiasField:
        return booleanYaml(l.useBias);
    case Field::RateField:
        return numberYaml(l.rate);
    case Field::MomentumField:
        return numberYaml(l.momentum);
    case Field::EpsilonField:
        return numberYaml(l.epsilon);
    }
    return {};
}

} // namespace

LayerPropertyEditor::LayerPropertyEditor(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel;
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_help = new QLabel;
    m_help->setWordWrap(true);
    m_help->setForegroundRole(QPalette::PlaceholderText);
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d9534f; font-weight: bold;"));
    m_empty = new QLabel(QStringLiteral("Select a layer in the stack to edit its settings."));
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    layout->addWidget(m_title);
    layout->addWidget(m_help);
    layout->addWidget(m_error);
    layout->addWidget(m_empty);
    layout->addLayout(m_form);
    layout->addStretch(1);
    buildFields();
    showLayer(-1, {}, {}, {});
}

void LayerPropertyEditor::addRow(Field field, const QString& label, QWidget* editor,
                                 const QString& hint)
{
    auto* row = new QWidget;
    auto* rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    rowLayout->addWidget(editor, 1);
    if (!hint.isEmpty()) {
        auto* hintLabel = new QLabel(hint);
        hintLabel->setForegroundRole(QPalette::PlaceholderText);
        hintLabel->setMinimumWidth(hintLabel->sizeHint().width());
        rowLayout->addWidget(hintLabel);
        editor->setToolTip(QStringLiteral("%1: %2").arg(label, hint));
    }
    m_form->addRow(label, row);
    m_rows[field] = row;
    m_editors[field] = editor;
    if (field == NameField)
        return;
    addSearchOverValuesAction(
        row, [this, field] { return searchTarget(field); },
        [this](const SearchTarget& t) { Q_EMIT searchRequested(t.keyPath, t.valueYaml); });
}

void LayerPropertyEditor::buildFields()
{
    auto* name = new QLineEdit;
    connect(name, &QLineEdit::editingFinished, this, [this, name] {
        edit(NameField, [name](LayerSpec& l) { l.name = name->text().trimmed().toStdString(); });
    });
    addRow(NameField, QStringLiteral("Name"), name, QStringLiteral("optional"));

    auto* units = makeSpinBox(limits::kUnits);
    connect(units, &QSpinBox::valueChanged, this,
            [this](int v) { edit(UnitsField, [v](LayerSpec& l) { l.units = v; }); });
    addRow(UnitsField, QStringLiteral("Units"), units, range(limits::kUnits));

    auto* filters = makeSpinBox(limits::kFilters);
    connect(filters, &QSpinBox::valueChanged, this,
            [this](int v) { edit(FiltersField, [v](LayerSpec& l) { l.filters = v; }); });
    addRow(FiltersField, QStringLiteral("Filters"), filters, range(limits::kFilters));

    const QString pixels = QStringLiteral(" px");
    const QString windowRange = QStringLiteral("%1, pixels").arg(range(limits::kWindow));
    auto* kernel = new SizeEditor(limits::kWindow, pixels);
    connect(kernel, &SizeEditor::valueChanged, this,
            [this](Size2 v) { edit(KernelField, [v](LayerSpec& l) { l.kernel = v; }); });
    addRow(KernelField, QStringLiteral("Kernel"), kernel, windowRange);

    auto* pool = new SizeEditor(limits::kWindow, pixels);
    connect(pool, &SizeEditor::valueChanged, this, [this](Size2 v) {
        edit(PoolField, [v](LayerSpec& l) {
            // Keras: the stride follows the pool size unless it was set apart from it.
            if (l.stride == l.pool)
                l.stride = v;
            l.pool = v;
        });
    });
    addRow(PoolField, QStringLiteral("Pool"), pool, windowRange);

    auto* stride = new SizeEditor(limits::kWindow, pixels);
    connect(stride, &SizeEditor::valueChanged, this,
            [this](Size2 v) { edit(StrideField, [v](LayerSpec& l) { l.stride = v; }); });
    addRow(StrideField, QStringLiteral("Stride"), stride, windowRange);

    auto* dilation = new SizeEditor(limits::kWindow, pixels);
    connect(dilation, &SizeEditor::valueChanged, this,
            [this](Size2 v) { edit(DilationField, [v](LayerSpec& l) { l.dilation = v; }); });
    addRow(DilationField, QStringLiteral("Dilation"), dilation, windowRange);

    auto* padding = new QComboBox;
    padding->addItem(QStringLiteral("valid"));
    padding->addItem(QStringLiteral("same"));
    connect(padding, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        const Padding p = paddingFromName(text.toStdString()).value_or(Padding::Valid);
        edit(PaddingField, [p](LayerSpec& l) { l.padding = p; });
    });
    addRow(PaddingField, QStringLiteral("Padding"), padding,
           QStringLiteral("same keeps ⌈size / stride⌉"));

    auto* activation = new QComboBox;
    for (const std::string& n : activationNames())
        activation->addItem(qs(n));
    connect(activation, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        const auto kind = activationFromName(text.toStdString()).value_or(ActivationKind::Linear);
        edit(ActivationField, [kind](LayerSpec& l) { l.activation = kind; });
    });
    addRow(ActivationField, QStringLiteral("Activation"), activation, QString());

    auto* kernelInit = new InitializerEditor;
    connect(kernelInit, &InitializerEditor::valueChanged, this, [this](Initializer v) {
        edit(KernelInitField, [v](LayerSpec& l) { l.kernelInit = v; });
    });
    addRow(KernelInitField, QStringLiteral("Kernel init"), kernelInit, QString());

    auto* biasInit = new InitializerEditor;
    connect(biasInit, &InitializerEditor::valueChanged, this,
            [this](Initializer v) { edit(BiasInitField, [v](LayerSpec& l) { l.biasInit = v; }); });
    addRow(BiasInitField, QStringLiteral("Bias init"), biasInit, QString());

    auto* useBias = new QCheckBox(QStringLiteral("Add a learned bias"));
    connect(useBias, &QCheckBox::toggled, this,
            [this](bool v) { edit(UseBiasField, [v](LayerSpec& l) { l.useBias = v; }); });
    addRow(UseBiasField, QStringLiteral("Bias"), useBias, QString());

    auto* rate = makeDoubleSpinBox(limits::kDropoutRate, 2, 0.05);
    connect(rate, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(RateField, [v](LayerSpec& l) { l.rate = v; }); });
    addRow(RateField, QStringLiteral("Rate"), rate, QStringLiteral("fraction dropped, 0 – 0.99"));

    auto* momentum = makeDoubleSpinBox(limits::kBatchNormMomentum, 3, 0.01);
    connect(momentum, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(MomentumField, [v](LayerSpec& l) { l.momentum = v; }); });
    addRow(MomentumField, QStringLiteral("Momentum"), momentum,
           QStringLiteral("weight of each new batch, 0.001 – 1"));

    auto* epsilon = makeDoubleSpinBox(limits::kBatchNormEpsilon, 8, 1e-5);
    connect(epsilon, &QDoubleSpinBox::valueChanged, this,
            [this](double v) { edit(EpsilonField, [v](LayerSpec& l) { l.epsilon = v; }); });
    addRow(EpsilonField, QStringLiteral("Epsilon"), epsilon,
           QStringLiteral("added to the variance, > 0"));
}

SearchTarget LayerPropertyEditor::searchTarget(Field field) const
{
    const QString key = keyOf(field, m_layer.type);
    if (m_row < 0 || key.isEmpty())
        return {};
    return {QStringLiteral("model.layers[%1].%2").arg(m_row + 1).arg(key),
            valueYamlOf(field, m_layer)};
}

QWidget* LayerPropertyEditor::editor(Field field) const
{
    const auto it = m_editors.find(field);
    return it == m_editors.end() ? nullptr : it->second;
}

void LayerPropertyEditor::showLayer(int row, const LayerSpec& layer, const QString& autoName,
                                    const QString& error)
{
    m_row = row;
    m_layer = layer;
    const bool shown = row >= 0;
    m_empty->setVisible(!shown);
    m_title->setVisible(shown);
    m_help->setVisible(shown);
    m_error->setVisible(shown && !error.isEmpty());
    m_error->setText(error);
    const std::vector<Field> fields = shown ? fieldsOf(layer.type) : std::vector<Field>{};
    for (const auto& [field, widget] : m_rows) {
        const bool visible = std::find(fields.begin(), fields.end(), field) != fields.end();
        m_form->setRowVisible(widget, visible);
    }
    if (!shown)
        return;
    m_title->setText(
        QStringLiteral("Layer %1 · %2").arg(row + 1).arg(qs(layerTypeDisplayName(layer.type))));
    m_help->setText(layerTypeHelp(layer.type));
    static_cast<QLineEdit*>(editor(NameField))->setPlaceholderText(autoName);
    setValues();
}

void LayerPropertyEditor::setValues()
{
    // Showing a value is not an edit: no signals while the widgets catch up.
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (const auto& [field, widget] : m_editors)
        blockers.push_back(std::make_unique<QSignalBlocker>(widget));
    const LayerSpec& l = m_layer;
    auto* name = static_cast<QLineEdit*>(editor(NameField));
    if (name->text().trimmed().toStdString() != l.name)
        name->setText(qs(l.name));
    static_cast<QSpinBox*>(editor(UnitsField))->setValue(std::max(1, l.units));
    static_cast<QSpinBox*>(editor(FiltersField))->setValue(std::max(1, l.filters));
    static_cast<SizeEditor*>(editor(KernelField))->setValue(l.kernel);
    static_cast<SizeEditor*>(editor(PoolField))->setValue(l.pool);
    static_cast<SizeEditor*>(editor(StrideField))->setValue(l.stride);
    static_cast<SizeEditor*>(editor(DilationField))->setValue(l.dilation);
    static_cast<QComboBox*>(editor(PaddingField))->setCurrentText(qs(paddingName(l.padding)));
    showActivationChoices(static_cast<QComboBox*>(editor(ActivationField)), l.type, l.activation);
    static_cast<InitializerEditor*>(editor(KernelInitField))->setValue(l.kernelInit);
    static_cast<InitializerEditor*>(editor(BiasInitField))->setValue(l.biasInit);
    static_cast<QCheckBox*>(editor(UseBiasField))->setChecked(l.useBias);
    static_cast<QDoubleSpinBox*>(editor(RateField))->setValue(l.rate);
    static_cast<QDoubleSpinBox*>(editor(MomentumField))->setValue(l.momentum);
    static_cast<QDoubleSpinBox*>(editor(EpsilonField))->setValue(l.epsilon);
}

void LayerPropertyEditor::edit(Field field, const std::function<void(LayerSpec&)>& change)
{
    if (m_row < 0)
        return;
    LayerSpec changed = m_layer;
    change(changed);
    if (changed == m_layer)
        return;
    m_layer = changed;
    Q_EMIT layerEdited(m_row, changed, field);
}

} // namespace atelier::ui
