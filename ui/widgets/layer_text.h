// Short texts about a layer for the builder's table, the diagram and tooltips.
#pragma once

#include "core/model_spec.h"

#include <QColor>
#include <QString>

namespace atelier::ui {

// "32 filters · 3×3 · same · relu", "rate 0.25", "" for Flatten.
QString layerSettingsText(const LayerSpec& layer);

// One line about what the layer type does, for the palette's tooltips.
QString layerTypeHelp(LayerType type);

QString sizeText(const Size2& size); // "3×3"

// The colour of a layer type in the palette and the diagram (readable on light and dark).
QColor layerTypeColor(LayerType type);

inline QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace atelier::ui
