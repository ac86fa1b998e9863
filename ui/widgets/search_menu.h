// "Search over values…" in the right-click menu of a form field that edits a preset key: the
// studio's forms (Train settings, layer properties) offer to search that key in the Search
// view, starting from the field's current value.
#pragma once

#include "core/preset.h"

#include <QString>
#include <functional>

class QWidget;

namespace atelier::ui {

// The text of the action, for tests that look for it in a menu.
inline QString searchOverValuesText()
{
    return QStringLiteral("Search over values…");
}

// What a field would search: its key path as docs/sweeps.md spells it
// ("model.layers[3].units", layers counted from 1) and its current value as one line of YAML
// ("0.001", "relu", "{type: adam, learning_rate: 0.001}"). An empty path offers no action.
struct SearchTarget
{
    QString keyPath;
    QString valueYaml;
};

enum class SearchMenuScope
{
    FieldOnly,    // a container (a group box) whose inner fields have menus of their own
    WithChildren, // a field made of several widgets (a spin box and its line edit, a pair)
};

// Adds the action to `field`'s context menu, after its own entries (Copy, Paste in a spin
// box or line edit). `target` is asked when the menu opens, `request` runs when the action
// is chosen. The menu is shown with popup(), never exec(): nothing blocks.
void addSearchOverValuesAction(QWidget* field, std::function<SearchTarget()> target,
                               std::function<void(const SearchTarget&)> request,
                               SearchMenuScope scope = SearchMenuScope::WithChildren);

// Preset values as one line of YAML, as a preset file writes them (SearchTarget::valueYaml).
QString numberYaml(double value);    // shortest text that reads back the same: "0.001"
QString booleanYaml(bool value);     // "true"
QString sizeYaml(const Size2& size); // "3", or "[3, 5]" when not square
QString
initializerYaml(const Initializer& init); // "he_uniform", "{type: normal, mean: 0, std: 0.05}"
QString optimizerYaml(const OptimizerConfig& optimizer);  // the keys of its type, as saved
QString earlyStoppingYaml(const EarlyStopping& stopping); // "false" when switched off

} // namespace atelier::ui
