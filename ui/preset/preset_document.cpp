// The preset being edited in the studio, with the undo history of every edit.
#include "ui/preset/preset_document.h"

#include "ui/preset/undo_commands.h"
#include "ui/widgets/layer_text.h"

namespace atelier::ui {
namespace {

// Merge ids of ValueCommand edits (typing a name merges into one step, for example).
enum MergeId
{
    kNameMergeId = 1,
    kDescriptionMergeId,
    kDataConfigMergeId,
    kTrainConfigMergeIdBase = 100, // + the form's field number
};

} // namespace

PresetDocument::PresetDocument(QObject* parent) : QObject(parent)
{
    connect(&m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
    // Drops on the table arrive as requests so that they are undoable too.
    connect(&m_layers, &LayerStackModel::moveRequested, this, &PresetDocument::moveLayer);
    connect(&m_layers, &LayerStackModel::insertRequested, this, &PresetDocument::addLayer);
}

PresetDocument::~PresetDocument()
{
    // The undo stack clears itself when it is destroyed, after m_filePath, and reports "clean":
    // without this the document would announce a change while it is half destroyed.
    m_undo.disconnect(this);
}

Preset PresetDocument::preset() const
{
    Preset preset = m_rest;
    preset.model = m_layers.spec();
    return preset;
}

QString PresetDocument::invalidReason() const
{
    const ModelReport& report = m_layers.report();
    if (report.layers.empty())
        return QStringLiteral("The stack is empty: add layers from the palette.");
    const auto errors = report.errors();
    if (errors.empty())
        return {};
    QString reason = qs(errors.front());
    if (errors.size() > 1)
        reason += QStringLiteral(" (and %1 more)").arg(errors.size() - 1);
    return reason;
}

void PresetDocument::reset(const Preset& preset, const QString& filePath)
{
    m_undo.clear();
    m_rest = preset;
    m_rest.model = {};
    m_layers.setSpec(preset.model);
    m_filePath = filePath;
    Q_EMIT documentReset();
    Q_EMIT dataConfigChanged();
    Q_EMIT trainConfigChanged();
    Q_EMIT detailsChanged();
    Q_EMIT filePathChanged();
    Q_EMIT modifiedChanged(false);
}

void PresetDocument::markSaved(const QString& filePath)
{
    m_undo.setClean();
    if (filePath != m_filePath) {
        m_filePath = filePath;
        Q_EMIT filePathChanged();
    }
}

void PresetDocument::addLayer(LayerType type, int row)
{
    insertLayer(row, layerDefaults(type),
                QStringLiteral("Add %1").arg(qs(layerTypeDisplayName(type))));
}

void PresetDocument::insertLayer(int row, const LayerSpec& layer, const QString& actionText)
{
    row = std::clamp(row, 0, m_layers.rowCount());
    m_undo.push(new InsertLayerCommand(&m_layers, row, layer, actionText));
}

void PresetDocument::removeLayer(int row)
{
    if (row < 0 || row >= m_layers.rowCount())
        return;
    m_undo.push(new RemoveLayerCommand(&m_layers, row));
}

void PresetDocument::duplicateLayer(int row)
{
    if (row < 0 || row >= m_layers.rowCount())
        return;
    LayerSpec copy = m_layers.layer(row);
    // Two layers with one explicit name would clash in the saved preset.
    if (!copy.name.empty())
        copy.name += "_copy";
    insertLayer(row + 1, copy,
                QStringLiteral("Duplicate %1").arg(qs(layerTypeDisplayName(copy.type))));
}

void PresetDocument::moveLayer(int from, int to)
{
    const int rows = m_layers.rowCount();
    if (from == to || from < 0 || from >= rows || to < 0 || to >= rows)
        return;
    m_undo.push(new MoveLayerCommand(&m_layers, from, to));
}

void PresetDocument::editLayer(int row, const LayerSpec& layer, int field)
{
    if (row < 0 || row >= m_layers.rowCount() || m_layers.layer(row) == layer)
        return;
    m_undo.push(new EditLayerCommand(&m_layers, row, layer, field));
}

void PresetDocument::setInputShape(const std::vector<int>& shape)
{
    if (shape == m_layers.spec().inputShape)
        return;
    m_undo.push(new ValueCommand<std::vector<int>>(
        QStringLiteral("Change input shape"), m_layers.spec().inputShape, shape,
        [this](const std::vector<int>& value) { m_layers.setInputShape(value); }));
}

void PresetDocument::setDataConfig(const DataConfig& data)
{
    if (data == m_rest.data)
        return;
    m_undo.push(new ValueCommand<DataConfig>(
        QStringLiteral("Change data split"), m_rest.data, data,
        [this](const DataConfig& value) { applyDataConfig(value); }, kDataConfigMergeId));
}

void PresetDocument::setTrainConfig(const TrainConfig& training, int field)
{
    if (training == m_rest.training)
        return;
    m_undo.push(new ValueCommand<TrainConfig>(
        QStringLiteral("Change training settings"), m_rest.training, training,
        [this](const TrainConfig& value) { applyTrainConfig(value); },
        kTrainConfigMergeIdBase + field));
}

void PresetDocument::applyTrainConfig(const TrainConfig& training)
{
    m_rest.training = training;
    Q_EMIT trainConfigChanged();
}

void PresetDocument::applyDataConfig(const DataConfig& data)
{
    m_rest.data = data;
    Q_EMIT dataConfigChanged();
}

void PresetDocument::setName(const QString& name)
{
    const std::string value = name.toStdString();
    if (value == m_rest.name)
        return;
    m_undo.push(new ValueCommand<std::string>(
        QStringLiteral("Rename preset"), m_rest.name, value,
        [this](const std::string& v) { applyDetails(v, m_rest.description); }, kNameMergeId));
}

void PresetDocument::setDescription(const QString& description)
{
    const std::string value = description.toStdString();
    if (value == m_rest.description)
        return;
    m_undo.push(new ValueCommand<std::string>(
        QStringLiteral("Change description"), m_rest.description, value,
        [this](const std::string& v) { applyDetails(m_rest.name, v); }, kDescriptionMergeId));
}

void PresetDocument::applyDetails(const std::string& name, const std::string& description)
{
    m_rest.name = name;
    m_rest.description = description;
    Q_EMIT detailsChanged();
}

} // namespace atelier::ui
