// Writing a report: one self-contained HTML file (figures inlined as SVG, the style sheet
// inside, no script and no external reference, so it opens offline and prints well) or a
// PDF of A4 pages (figures as vector drawings). Written atomically: a half-written report
// never replaces a good one. Needs a QApplication (the CLI runs one offscreen).
#pragma once

#include "ui/report/report_document.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace atelier::ui {

enum class ReportFormat
{
    Html,
    Pdf,
};

// By the file's suffix: .html or .htm, .pdf (any case); nullopt otherwise.
std::optional<ReportFormat> reportFormatForPath(const QString& path);

QByteArray reportHtml(const ReportDocument& report);
QByteArray reportPdf(const ReportDocument& report);

// Throws InputError naming the path when its suffix is neither HTML nor PDF or the file
// cannot be written (the old file, if any, is left as it was).
void writeReport(const ReportDocument& report, const QString& path);

} // namespace atelier::ui
