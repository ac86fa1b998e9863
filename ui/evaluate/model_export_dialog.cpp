// Export Model…: the dialog around core's exportRunModel.
#include "ui/evaluate/model_export_dialog.h"

#include "ui/evaluate/model_cli_job.h"
#include "ui/runs/run_data.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>

namespace atelier::ui {
namespace {

const QString kOnnxFilter = QStringLiteral("ONNX model for OpenCV, ONNX Runtime, … (*.onnx)");
const QString kTorchScriptFilter = QStringLiteral("TorchScript model for PyTorch (*.pt)");

} // namespace

bool canExportModel(const RunData* run, QString* reason)
{
    QString why;
    if (!run)
        why = QStringLiteral("No run selected");
    else if (!run->hasResult || run->folder.isEmpty())
        why = QStringLiteral("%1 has no finished model yet").arg(run->name);
    if (reason)
        *reason = why.isEmpty() ? QStringLiteral("Save this run's trained model as ONNX or "
                                                 "TorchScript, to use it in other programs")
                                : why;
    return why.isEmpty();
}

std::optional<ModelFormat> modelFormatForFile(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("onnx"))
        return ModelFormat::Onnx;
    if (suffix == QStringLiteral("pt") || suffix == QStringLiteral("pth"))
        return ModelFormat::TorchScript;
    return std::nullopt;
}

void startModelExport(QObject* owner, const RunData& run, const QString& path,
                      std::function<void(const QString& error)> done)
{
    const std::optional<ModelFormat> format = modelFormatForFile(path);
    if (!format) {
        done(QStringLiteral("%1: name the file .onnx (ONNX) or .pt (TorchScript)").arg(path));
        return;
    }
    runCliJob(
        owner,
        {QStringLiteral("export-model"), run.folder, QStringLiteral("--format"),
         QString::fromStdString(modelFormatName(*format)), QStringLiteral("--out"), path},
        [done](const CliOutcome& outcome) { done(outcome.ok ? QString() : outcome.message); });
}

void exportModelWithDialog(QWidget* parent, const RunData& run,
                           std::function<void(const QString& path)> written)
{
    const bool onnx = modelFormatAvailable(ModelFormat::Onnx);
    QString filter = onnx ? kOnnxFilter : kTorchScriptFilter;
    const QString suggested = QDir(run.folder)
                                  .filePath(QString::fromStdString(defaultModelFileName(
                                      onnx ? ModelFormat::Onnx : ModelFormat::TorchScript)));
    QString path = QFileDialog::getSaveFileName(
        parent, QStringLiteral("Export Model of %1").arg(run.name), suggested,
        onnx ? kOnnxFilter + QStringLiteral(";;") + kTorchScriptFilter : kTorchScriptFilter,
        &filter);
    if (path.isEmpty())
        return;
    if (!modelFormatForFile(path)) // no suffix typed: the chosen filter's
        path += filter == kOnnxFilter ? QStringLiteral(".onnx") : QStringLiteral(".pt");
    QPointer<QWidget> dialogParent = parent;
    startModelExport(parent, run, path, [dialogParent, path, written](const QString& error) {
        if (error.isEmpty()) {
            written(path);
            return;
        }
        QMessageBox::warning(dialogParent, QStringLiteral("Export Model"),
                             QStringLiteral("The model was not exported.\n\n%1").arg(error));
    });
}

} // namespace atelier::ui
