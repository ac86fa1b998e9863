// Which report folders ask for.
#include "ui/report/report_builder.h"

#include "core/errors.h"
#include "core/run_folder.h"
#include "core/sweep_folder.h"
#include "ui/report/run_report.h"
#include "ui/report/search_report.h"

#include <QDir>
#include <QFileInfo>
#include <set>

namespace atelier::ui {

ReportDocument reportForFolders(const QStringList& folders,
                                std::shared_ptr<const FashionMnist> data)
{
    if (folders.isEmpty())
        throw InputError("name a run folder, several run folders or a sweep folder");
    std::set<QString> seen;
    for (const QString& folder : folders) {
        if (!QFileInfo(folder).isDir())
            throw InputError(folder.toStdString() + ": no such folder");
        if (!seen.insert(QFileInfo(folder).canonicalFilePath()).second)
            throw InputError(folder.toStdString() + ": named twice");
        if (isSweepFolder(folder.toStdString()) && folders.size() > 1)
            throw InputError(folder.toStdString() +
                             ": a sweep folder gets a report of its own; name it alone");
    }
    if (isSweepFolder(folders.front().toStdString()))
        return searchReport(folders.front(), std::move(data));
    std::vector<RunRecord> runs;
    for (const QString& folder : folders)
        runs.push_back(loadRun(folder.toStdString()));
    if (runs.size() == 1)
        return runReport(runs.front(), std::move(data));
    return comparisonReport(runs, std::move(data));
}

QString defaultReportPath(const QStringList& folders)
{
    if (folders.size() == 1)
        return QDir(folders.front()).filePath(QStringLiteral("report.html"));
    return QStringLiteral("report.html");
}

} // namespace atelier::ui
