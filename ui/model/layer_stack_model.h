// The layer stack as a table for the builder: one row per layer with its settings, output
// shape and parameters, recomputed by core's shape inference after every change. Invalid
// layers carry the reason. Drops do not edit the stack themselves: they ask (signals) so
// that the document can make every edit undoable.
#pragma once

#include "core/model_analysis.h"

#include <QAbstractTableModel>

namespace atelier::ui {

class LayerStackModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The layer's number (1-based) is the vertical header.
    enum Column
    {
        LayerColumn,
        SettingsColumn,
        OutputColumn,
        ParamsColumn,
        ColumnCount,
    };
    // The row's error text ("" when the layer is fine).
    static constexpr int ErrorRole = Qt::UserRole + 1;

    explicit LayerStackModel(QObject* parent = nullptr);

    const ModelSpec& spec() const { return m_spec; }
    const ModelReport& report() const { return m_report; }
    const LayerSpec& layer(int row) const { return m_spec.layers.at(std::size_t(row)); }

    // Direct edits (the undo commands call these).
    void setSpec(const ModelSpec& spec);
    void setInputShape(const std::vector<int>& shape);
    void insertLayer(int row, const LayerSpec& layer);
    LayerSpec takeLayer(int row);
    void moveLayer(int from, int to); // `to` is the row the layer ends up in
    void replaceLayer(int row, const LayerSpec& layer);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

Q_SIGNALS:
    // A drop asks to move the layer at `from` so that it ends up at `to`.
    void moveRequested(int from, int to);
    // A palette drop asks for a new layer of `type` at `row`.
    void insertRequested(LayerType type, int row);
    // Shapes, parameters or errors may have changed.
    void reportChanged();

private:
    void analyze();
    void announceChanges();
    QVariant displayData(const LayerSpec& layer, const LayerReport& report, int column) const;

    ModelSpec m_spec;
    ModelReport m_report;
};

} // namespace atelier::ui
