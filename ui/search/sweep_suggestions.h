// Where a search of one preset key starts: its current value and sensible neighbours, so
// that "Search over values…" gives a row the user only edits (numbers: half and double;
// rates and other log-scale keys: ×0.1 and ×10; choices: every choice; switches: both).
#pragma once

#include "core/model_spec.h"

#include <QString>
#include <QStringList>

namespace atelier::ui {

struct SuggestedParameter
{
    QString name;       // the key path, or a short name for a whole sub-map (optimizer)
    QStringList values; // YAML, each within the key's limits, without repeats
    QStringList labels; // names of the values when they are whole sub-maps, else empty
};

// `layerType` is the type of the layer a model.layers[K] path names, where known: choices
// that layer cannot take (softmax for a residual block) are left out.
SuggestedParameter suggestParameter(const QString& keyPath, const QString& currentValueYaml,
                                    LayerType layerType = LayerType::Invalid);

} // namespace atelier::ui
