// Where presets come from: the shipped folder and the recently used files.
#include "ui/preset/preset_library.h"

#include "ui/studio/settings_keys.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace atelier::ui {
QString shippedPresetsDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("ATELIER_PRESETS_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("../share/atelier/presets"));
    if (QFileInfo(installed).isDir())
        return QDir::cleanPath(installed);
    return QStringLiteral(ATELIER_SOURCE_PRESETS_DIR);
}

QStringList shippedPresets()
{
    const QDir dir(shippedPresetsDirectory());
    QStringList paths;
    for (const QString& name : dir.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name))
        paths << dir.filePath(name);
    return paths;
}

QStringList recentPresetFiles()
{
    QStringList existing;
    for (const QString& path : QSettings().value(settings::kRecentPresets).toStringList())
        if (QFileInfo::exists(path) && !existing.contains(path))
            existing << path;
    return existing.mid(0, kMaxRecentFiles);
}

void addRecentPresetFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentPresetFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    QSettings().setValue(settings::kRecentPresets, files.mid(0, kMaxRecentFiles));
}

} // namespace atelier::ui
