// The studio's own icons: single-colour SVGs in resources/icons/, coloured from the palette.
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace atelier::ui {

// How an icon takes its colour.
enum class IconTone
{
    Text,   // the palette's ButtonText (Disabled group when disabled): follows the theme
    Accent, // the studio's green, for the one action that starts work (Train, Run Search)
    Warning // amber, for a problem marker in a list
};

// `name` is a file in resources/icons/ without ".svg" (":/icons/<name>.svg"). The SVG is drawn
// with the placeholder colour #000000 and recoloured each time a pixmap is made, from the
// application palette of that moment: an icon made once keeps reading right after the theme
// changes, with no code to re-apply it. A missing name gives a null icon (tests check that).
QIcon atelierIcon(const QString& name, IconTone tone = IconTone::Text);

// The same drawn in `color` (a layer type's colour in the palette, chosen to read in both
// themes), except on a selection's highlight and when disabled, where the palette decides.
QIcon atelierIcon(const QString& name, const QColor& color);

// The colour `tone` has in `mode` with the current application palette (for tests and for
// code that draws an icon's shape itself).
QColor atelierIconColor(IconTone tone, QIcon::Mode mode);

// The application icon (resources/icons/atelier.svg, full colour), as the window icon.
QIcon atelierAppIcon();

} // namespace atelier::ui
