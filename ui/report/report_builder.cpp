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

ReportSources readReportSources(const QStringList& folders)
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
    ReportSources sources;
    if (isSweepFolder(folders.front().toStdString())) {
        sources.sweepFolder = folders.front();
        return sources;
    }
    for (const QString& folder : folders)
        sources.runs.push_back(loadRun(folder.toStdString()));
    return sources;
}

ReportDocument buildReport(const ReportSources& sources, std::shared_ptr<const FashionMnist> data)
{
    if (!sources.sweepFolder.isEmpty())
        return searchReport(sources.sweepFolder, std::move(data));
    if (sources.runs.size() == 1)
        return runReport(sources.runs.front(), std::move(data));
    return comparisonReport(sources.runs, std::move(data));
}

QString defaultReportPath(const QStringList& folders)
{
    if (folders.size() == 1)
        return QDir(folders.front()).filePath(QStringLiteral("report.html"));
    return QStringLiteral("report.html");
}

} // namespace atelier::ui
