// The property editor of the builder: the settings of the selected layer, each with its
// range and unit. Every change is reported as a whole new LayerSpec plus the field that
// changed, so that the document can make it one undoable (and mergeable) edit. Each field's
// right-click menu offers "Search over values…" for its preset key (searchRequested).
#pragma once

#include "core/model_spec.h"

#include <QWidget>
#include <map>

class QFormLayout;
class QLabel;

namespace atelier::ui {

struct SearchTarget;

class LayerPropertyEditor : public QWidget
{
    Q_OBJECT

public:
    enum Field
    {
        NameField = 1,
        UnitsField,
        FiltersField,
        KernelField,
        StrideField,
        DilationField,
        PoolField,
        PaddingField,
        ActivationField,
        KernelInitField,
        BiasInitField,
        UseBiasField,
        RateField,
        MomentumField,
        EpsilonField,
    };

    explicit LayerPropertyEditor(QWidget* parent = nullptr);

    // Shows `layer` (row -1: nothing selected). `autoName` is shown as the name's placeholder,
    // `error` (if any) under the title.
    void showLayer(int row, const LayerSpec& layer, const QString& autoName, const QString& error);
    int row() const { return m_row; }
    // The editor widget of a field (for tests and keyboard focus).
    QWidget* editor(Field field) const;
    // What "Search over values…" on a field offers: the key path in the shown layer
    // (model.layers[3].units, layers counted from 1) and the current value as YAML; an empty
    // path for a field that is not searched (the name) or when no layer is shown.
    SearchTarget searchTarget(Field field) const;

Q_SIGNALS:
    void layerEdited(int row, const atelier::LayerSpec& layer, int field);
    // "Search over values…" chosen on a field: its key path and current value as YAML.
    void searchRequested(const QString& keyPath, const QString& currentValueYaml);

private:
    void buildFields();
    void addRow(Field field, const QString& label, QWidget* editor, const QString& hint);
    void setValues();
    void edit(Field field, const std::function<void(LayerSpec&)>& change);

    QFormLayout* m_form = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_help = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_empty = nullptr;
    std::map<Field, QWidget*> m_rows;    // the row's field widget (editor plus hint)
    std::map<Field, QWidget*> m_editors; // the editor itself
    int m_row = -1;
    LayerSpec m_layer;
};

} // namespace atelier::ui
