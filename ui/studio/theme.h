// Light and dark palettes on the Fusion style (Qt 6.4 has no API for the system's colour
// scheme, so the user picks one and the choice is remembered).
#pragma once

#include <QString>

namespace atelier::ui {

enum class Theme
{
    Light,
    Dark,
};

void applyTheme(Theme theme);
QString themeName(Theme theme);           // "light", "dark" (as stored in the settings)
Theme themeFromName(const QString& name); // light for anything unknown

} // namespace atelier::ui
