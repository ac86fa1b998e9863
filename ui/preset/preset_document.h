// The preset being edited in the studio: its layer stack (as a table model), its training
// and data settings, the file it came from, and the undo history of every edit. All edits
// from the views go through the methods here so that each one can be undone.
#pragma once

#include "core/preset.h"
#include "ui/model/layer_stack_model.h"

#include <QObject>
#include <QUndoStack>

namespace atelier::ui {

class PresetDocument : public QObject
{
    Q_OBJECT

public:
    explicit PresetDocument(QObject* parent = nullptr);
    // Silent: a document never signals while it is being destroyed.
    ~PresetDocument() override;

    // The whole preset as it would be saved.
    Preset preset() const;
    LayerStackModel* layers() { return &m_layers; }
    const LayerStackModel* layers() const { return &m_layers; }
    QUndoStack* undoStack() { return &m_undo; }
    const DataConfig& dataConfig() const { return m_rest.data; }
    const TrainConfig& trainConfig() const { return m_rest.training; }

    // "" for a preset that has never been saved (or that was opened with problems).
    QString filePath() const { return m_filePath; }
    bool isModified() const { return !m_undo.isClean(); }
    // Why the stack cannot be trained ("" when it can).
    QString invalidReason() const;

    // Replaces everything and forgets the undo history (New, Open).
    void reset(const Preset& preset, const QString& filePath);
    // After a successful save: this state is the clean one.
    void markSaved(const QString& filePath);

    // Undoable edits.
    void addLayer(LayerType type, int row);
    void insertLayer(int row, const LayerSpec& layer, const QString& actionText);
    void removeLayer(int row);
    void duplicateLayer(int row);
    void moveLayer(int from, int to);
    // `field` names what changed: consecutive edits of the same field of the same layer
    // (spin box steps) merge into one undo step.
    void editLayer(int row, const LayerSpec& layer, int field);
    void setInputShape(const std::vector<int>& shape);
    void setDataConfig(const DataConfig& data);
    // `field` (any small number per form field) merges repeated edits of one field.
    void setTrainConfig(const TrainConfig& training, int field);
    void setName(const QString& name);
    void setDescription(const QString& description);

Q_SIGNALS:
    void dataConfigChanged();
    void trainConfigChanged();
    void detailsChanged(); // name or description
    void filePathChanged();
    void modifiedChanged(bool modified);
    void documentReset();

private:
    void applyDataConfig(const DataConfig& data);
    void applyTrainConfig(const TrainConfig& training);
    void applyDetails(const std::string& name, const std::string& description);

    LayerStackModel m_layers;
    Preset m_rest; // everything but the model, which lives in m_layers
    QUndoStack m_undo;
    QString m_filePath;
};

} // namespace atelier::ui
