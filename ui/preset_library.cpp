// Where presets come from: the shipped folder and the recently used files.
#include "preset_library.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace atelier::ui {
namespace {

const QString kRecentKey = QStringLiteral("recentPresets");

} // namespace

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
    for (const QString& path : QSettings().value(kRecentKey).toStringList())
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
    QSettings().setValue(kRecentKey, files.mid(0, kMaxRecentFiles));
}

} // namespace atelier::ui
