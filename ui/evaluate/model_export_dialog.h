// "Export Model…" of the Evaluate view and the run list: asks for a file (its suffix or the
// chosen filter picks ONNX or TorchScript) and writes the run's model there.
#pragma once

#include "core/model_export.h"

#include <QString>
#include <functional>

class QObject;
class QWidget;

namespace atelier::ui {

struct RunData;

// Whether `run` has a model to export (a finished run read from or written to a folder); when
// not, `reason` says why, for a tooltip.
bool canExportModel(const RunData* run, QString* reason = nullptr);

// The format a file name asks for: .onnx → ONNX, .pt/.pth → TorchScript.
std::optional<ModelFormat> modelFormatForFile(const QString& path);

// Writes the model to `path` (format from its suffix) with atelier-cli export-model in the
// background (model_cli_job.h says why not here); `done` gets the error's text, or empty.
void startModelExport(QObject* owner, const RunData& run, const QString& path,
                      std::function<void(const QString& error)> done);

// Asks where, then writes in the background: a failure gets a message box, a success calls
// `written` with the path. Nothing happens when the dialog is cancelled.
void exportModelWithDialog(QWidget* parent, const RunData& run,
                           std::function<void(const QString& path)> written);

} // namespace atelier::ui
