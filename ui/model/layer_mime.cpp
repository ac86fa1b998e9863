// Drag-and-drop payloads of the model builder.
#include "ui/model/layer_mime.h"

namespace atelier::ui {

QMimeData* layerTypeMimeData(LayerType type)
{
    auto* data = new QMimeData;
    data->setData(kLayerTypeMime, QByteArray::fromStdString(layerTypeName(type)));
    return data;
}

std::optional<LayerType> layerTypeFromMime(const QMimeData* data)
{
    if (!data || !data->hasFormat(kLayerTypeMime))
        return std::nullopt;
    return layerTypeFromName(data->data(kLayerTypeMime).toStdString());
}

QMimeData* layerRowMimeData(int row)
{
    auto* data = new QMimeData;
    data->setData(kLayerRowMime, QByteArray::number(row));
    return data;
}

std::optional<int> layerRowFromMime(const QMimeData* data)
{
    if (!data || !data->hasFormat(kLayerRowMime))
        return std::nullopt;
    bool ok = false;
    const int row = data->data(kLayerRowMime).toInt(&ok);
    if (!ok)
        return std::nullopt;
    return row;
}

} // namespace atelier::ui
