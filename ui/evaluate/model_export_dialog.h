// "Export Model…" of the Evaluate view and the run list: asks for a file (its suffix or the
// chosen filter picks ONNX or TorchScript) and writes the run's model there.
#pragma once

#include "core/model_export.h"

#include <QString>

class QWidget;

namespace atelier::ui {

struct RunData;

// Whether `run` has a model to export (a finished run read from or written to a folder); when
// not, `reason` says why, for a tooltip.
bool canExportModel(const RunData* run, QString* reason = nullptr);

// The format a file name asks for: .onnx → ONNX, .pt/.pth → TorchScript.
std::optional<ModelFormat> modelFormatForFile(const QString& path);

// Writes the model to `path` (format from its suffix); returns the error's text, or empty.
QString exportModelToFile(const RunData& run, const QString& path);

// Asks where, writes, and reports a failure in a message box; returns the path written, or
// empty when cancelled or failed.
QString exportModelWithDialog(QWidget* parent, const RunData& run);

} // namespace atelier::ui
