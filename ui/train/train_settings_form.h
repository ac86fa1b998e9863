// The hyperparameters of the current preset as a form (optimizer, batch size, epochs, early
// stopping, seed, device, precision). Every change goes into the preset through the document, so it
// is undoable like a model edit; the form follows undo and newly opened presets. Each field's
// right-click menu offers "Search over values…" for its preset key (searchRequested).
#pragma once

#include "core/preset.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QSpinBox;

namespace atelier::ui {

class PresetDocument;

class TrainSettingsForm : public QWidget
{
    Q_OBJECT

public:
    explicit TrainSettingsForm(PresetDocument* document, QWidget* parent = nullptr);

    QComboBox* optimizer() const { return m_optimizer; }
    QDoubleSpinBox* learningRate() const { return m_learningRate; }
    QSpinBox* epochs() const { return m_epochs; }
    QSpinBox* batchSize() const { return m_batchSize; }
    QGroupBox* earlyStopping() const { return m_earlyStopping; }
    QComboBox* device() const { return m_device; }
    QComboBox* precision() const { return m_precision; }
    QSpinBox* patience() const { return m_patience; }
    QDoubleSpinBox* minDelta() const { return m_minDelta; }
    QDoubleSpinBox* momentum() const { return m_momentum; }
    QDoubleSpinBox* weightDecay() const { return m_weightDecay; }
    QSpinBox* seed() const { return m_seed; }

Q_SIGNALS:
    // "Search over values…" chosen on a field: its key path (training.batch_size) and its
    // current value as YAML.
    void searchRequested(const QString& keyPath, const QString& currentValueYaml);

private:
    void refresh();
    void addDeviceChoices();
    void addPrecisionChoices();
    void labelPrecisionFor(DeviceChoice choice);
    void addSearchActions();

    PresetDocument* m_document;
    QComboBox* m_optimizer = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QDoubleSpinBox* m_momentum = nullptr;
    QCheckBox* m_nesterov = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QSpinBox* m_epochs = nullptr;
    QGroupBox* m_earlyStopping = nullptr;
    QComboBox* m_monitor = nullptr;
    QSpinBox* m_patience = nullptr;
    QDoubleSpinBox* m_minDelta = nullptr;
    QCheckBox* m_restoreBest = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_precision = nullptr;
};

} // namespace atelier::ui
