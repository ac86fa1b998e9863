// Drag-and-drop payloads of the model builder: a layer type from the palette, or a row of
// the stack being moved.
#pragma once

#include "core/model_spec.h"

#include <QMimeData>
#include <optional>

namespace atelier::ui {

// Payload: the preset name of the layer type ("conv2d").
inline const QString kLayerTypeMime = QStringLiteral("application/x-atelier-layer-type");
// Payload: the decimal row number of the layer being dragged.
inline const QString kLayerRowMime = QStringLiteral("application/x-atelier-layer-row");

QMimeData* layerTypeMimeData(LayerType type);
std::optional<LayerType> layerTypeFromMime(const QMimeData* data);
QMimeData* layerRowMimeData(int row);
std::optional<int> layerRowFromMime(const QMimeData* data);

} // namespace atelier::ui
