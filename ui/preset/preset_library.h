// Where presets come from: the folder of shipped presets and the recently used files.
#pragma once

#include <QStringList>

namespace atelier::ui {

// The shipped presets: $ATELIER_PRESETS_DIR, else <prefix>/share/atelier/presets next to an
// installed binary, else the source tree's presets/ (running from a build folder).
QString shippedPresetsDirectory();
// The shipped sweeps, found the same way ($ATELIER_SWEEPS_DIR, share/atelier/sweeps, sweeps/).
QString shippedSweepsDirectory();
// Sorted paths of the shipped *.yaml files.
QStringList shippedPresets();

// Most recent first, at most kMaxRecentFiles, existing files only.
QStringList recentPresetFiles();
void addRecentPresetFile(const QString& path);

// How many recent files the File menu lists.
constexpr int kMaxRecentFiles = 8;

} // namespace atelier::ui
