// Defaults of the studio's settings that are computed, not constant.
#include "ui/studio/settings_keys.h"

#include <QDir>
#include <QFileInfo>

namespace atelier::ui {

QString settings::defaultRunsFolder()
{
    const QString local = QDir::current().filePath(QStringLiteral("runs"));
    if (QFileInfo(local).isDir())
        return QFileInfo(local).absoluteFilePath();
    return QDir::home().filePath(QStringLiteral("atelier-runs"));
}

} // namespace atelier::ui
