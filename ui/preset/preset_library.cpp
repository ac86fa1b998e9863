// Where presets come from: the shipped folder and the recently used files.
#include "ui/preset/preset_library.h"

#include "ui/studio/settings_keys.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace atelier::ui {
namespace {

// One lookup for every shipped folder (`name` is "presets" or "sweeps"):
// 1. the environment variable, for a relocated or hand-made collection;
// 2. <executable dir>/../share/atelier/<name>, where `cmake --install` and the Debian package
//    put them (/usr/bin/atelier finds /usr/share/atelier/presets), so an installed studio
//    needs no source tree;
// 3. the source tree the binary was built from, so that ./build/app/atelier works before any
//    install. Installed copies come first: a package must not read a stale checkout.
QString shippedDirectory(const char* variable, const QString& name)
{
    const QString fromEnvironment = qEnvironmentVariable(variable);
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("../share/atelier/") + name);
    if (QFileInfo(installed).isDir())
        return QDir::cleanPath(installed);
    // presets/ and sweeps/ sit side by side at the root of the source tree.
    return QDir::cleanPath(QStringLiteral(ATELIER_SOURCE_PRESETS_DIR "/../") + name);
}

} // namespace

QString shippedPresetsDirectory()
{
    return shippedDirectory("ATELIER_PRESETS_DIR", QStringLiteral("presets"));
}

QString shippedSweepsDirectory()
{
    return shippedDirectory("ATELIER_SWEEPS_DIR", QStringLiteral("sweeps"));
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
