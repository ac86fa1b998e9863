// The palette of layer types the user drags into the stack.
#pragma once

#include "core/model_spec.h"

#include <QAbstractListModel>

namespace atelier::ui {

class LayerPaletteModel : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit LayerPaletteModel(QObject* parent = nullptr);

    LayerType typeAt(int row) const { return m_types.at(std::size_t(row)); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override;

private:
    std::vector<LayerType> m_types;
};

} // namespace atelier::ui
