// Export Model…: the dialog around core's exportRunModel.
#include "ui/evaluate/model_export_dialog.h"

#include "ui/runs/run_data.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <exception>

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

QString exportModelToFile(const RunData& run, const QString& path)
{
    const std::optional<ModelFormat> format = modelFormatForFile(path);
    if (!format)
        return QStringLiteral("%1: name the file .onnx (ONNX) or .pt (TorchScript)").arg(path);
    try {
        exportRunModel(run.folder.toStdString(), *format, path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString exportModelWithDialog(QWidget* parent, const RunData& run)
{
    const bool onnx = modelFormatAvailable(ModelFormat::Onnx);
    QString filter = onnx ? kOnnxFilter : kTorchScriptFilter;
    const QString suggested = QDir(run.folder).filePath(QString::fromStdString(
        defaultModelFileName(onnx ? ModelFormat::Onnx : ModelFormat::TorchScript)));
    QString path = QFileDialog::getSaveFileName(
        parent, QStringLiteral("Export Model of %1").arg(run.name), suggested,
        onnx ? kOnnxFilter + QStringLiteral(";;") + kTorchScriptFilter : kTorchScriptFilter,
        &filter);
    if (path.isEmpty())
        return {};
    if (!modelFormatForFile(path)) // no suffix typed: the chosen filter's
        path += filter == kOnnxFilter ? QStringLiteral(".onnx") : QStringLiteral(".pt");
    const QString error = exportModelToFile(run, path);
    if (!error.isEmpty()) {
        QMessageBox::warning(parent, QStringLiteral("Export Model"),
                             QStringLiteral("The model was not exported.\n\n%1").arg(error));
        return {};
    }
    return path;
}

} // namespace atelier::ui
