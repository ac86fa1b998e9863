// Every key the studio keeps in QSettings between sessions, with its default, in one place:
// a key spelled twice differently would silently lose a setting.
#pragma once

#include <QString>

namespace atelier::ui::settings {

// The main window.
inline const QString kGeometry = QStringLiteral("window/geometry");
inline const QString kWindowState = QStringLiteral("window/state");
inline const QString kTab = QStringLiteral("window/tab"); // default: the first tab
inline const QString kTheme = QStringLiteral("theme");    // "light" (default) or "dark"

// Files.
inline const QString kDataFolder = QStringLiteral("dataFolder");       // default: the package's
inline const QString kLastPreset = QStringLiteral("lastPreset");       // default: kFirstPreset
inline const QString kFirstPreset = QStringLiteral("cnn_medium.yaml"); // a shipped preset
inline const QString kRecentPresets = QStringLiteral("recentPresets"); // kMaxRecentFiles
inline const QString kRunsFolder = QStringLiteral("runsFolder"); // default: defaultRunsFolder()

// The Search view.
inline const QString kSearchJobs = QStringLiteral("search/jobs"); // default: 1

// Where the studio keeps run folders unless told otherwise: ./runs when it exists (the CLI's
// default, so both list the same runs), else ~/atelier-runs.
QString defaultRunsFolder();

} // namespace atelier::ui::settings
