// Picks the rendering by the file's suffix and writes it atomically.
#include "ui/report/report_writer.h"

#include "core/atomic_file.h"
#include "core/errors.h"

#include <QFileInfo>

namespace atelier::ui {

std::optional<ReportFormat> reportFormatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("html") || suffix == QStringLiteral("htm"))
        return ReportFormat::Html;
    if (suffix == QStringLiteral("pdf"))
        return ReportFormat::Pdf;
    return std::nullopt;
}

void writeReport(const ReportDocument& report, const QString& path)
{
    const std::optional<ReportFormat> format = reportFormatForPath(path);
    if (!format)
        throw InputError(path.toStdString() +
                         ": a report is written as .html or .pdf; name the file with one of "
                         "those suffixes");
    const QByteArray bytes = *format == ReportFormat::Html ? reportHtml(report) : reportPdf(report);
    writeFileAtomically(path.toStdString(), bytes.toStdString());
}

} // namespace atelier::ui
