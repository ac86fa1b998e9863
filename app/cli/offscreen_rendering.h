// What the drawing commands (export, report) share: Qt on its offscreen platform (no display
// needed) and the dataset for the figures that show images, which they can do without.
#pragma once

#include "core/dataset.h"

#include <QApplication>
#include <memory>
#include <string>

namespace atelier::cli {

// A QApplication on the offscreen platform (unless QT_QPA_PLATFORM names another), with the
// "C" numeric locale core needs. Keep it alive while drawing.
std::unique_ptr<QApplication> startOffscreenApplication();

// The dataset from `directory` (empty: the default), or null with a note on stderr naming
// `leftOut`, what goes missing without it.
std::shared_ptr<const FashionMnist> datasetForFigures(const std::string& directory,
                                                      const std::string& leftOut);

} // namespace atelier::cli
