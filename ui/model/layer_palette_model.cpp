// The palette of layer types the user drags into the stack.
#include "ui/model/layer_palette_model.h"

#include "ui/model/layer_mime.h"
#include "ui/widgets/icons.h"
#include "ui/widgets/layer_text.h"

namespace atelier::ui {
LayerPaletteModel::LayerPaletteModel(QObject* parent) : QAbstractListModel(parent)
{
    for (LayerType type : allLayerTypes())
        if (type != LayerType::Invalid)
            m_types.push_back(type);
}

int LayerPaletteModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_types.size());
}

QVariant LayerPaletteModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LayerType type = typeAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return qs(layerTypeDisplayName(type));
    case Qt::ToolTipRole:
        return layerTypeHelp(type);
    case Qt::DecorationRole:
        // The type's own icon (resources/icons/layer-<type>.svg) in its diagram colour.
        return atelierIcon(QStringLiteral("layer-") + qs(layerTypeName(type)),
                           layerTypeColor(type));
    }
    return {};
}

Qt::ItemFlags LayerPaletteModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList LayerPaletteModel::mimeTypes() const
{
    return {kLayerTypeMime};
}

QMimeData* LayerPaletteModel::mimeData(const QModelIndexList& indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    return layerTypeMimeData(typeAt(indexes.first().row()));
}

Qt::DropActions LayerPaletteModel::supportedDragActions() const
{
    // The palette keeps its entry: a drag copies the type into the stack.
    return Qt::CopyAction;
}

} // namespace atelier::ui
