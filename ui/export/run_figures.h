// Every figure of a run, written into one folder with the CSV behind each: the loss,
// accuracy and batch-loss curves, the confusion matrix (counts and row percentages), the
// most confident mistakes, the model diagram, with the dataset the class distribution, and
// with layer statistics the Inside view's figures (inside_figures.h). The studio's "Export
// All Figures" and `atelier-cli export` both call this; it needs a QApplication (the CLI
// runs one on the offscreen platform) but no window.
#pragma once

#include "core/dataset.h"
#include "ui/export/figure_export.h"
#include "ui/runs/run_data.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace atelier::ui {

struct FigureOptions
{
    FigureFormat format = FigureFormat::Png;
    QSize size{1200, 800};
    double smoothing = 0.9; // of the batch-loss curve, as the Train view starts
};

// A figure ready to write: what it is called (its file name without suffix), its title, its
// size (invalid: FigureOptions::size), the painter (which keeps what it draws alive) and the
// CSV behind it (empty: none).
struct PreparedFigure
{
    QString name;
    QString title;
    QSize size;
    FigurePainter paint;
    QString csv;
};

// The run's own figures, in the order exportRunFigures writes them: loss, accuracy,
// batch_loss (when recorded), confusion and confusion_percent (with a result), model,
// misclassified and class_distribution (with `data`). Reports pick from these.
std::vector<PreparedFigure> prepareRunFigures(const RunData& run,
                                              std::shared_ptr<const FashionMnist> data,
                                              const FigureOptions& options);

// "Shirt\n→ T-shirt/top 97%": a mistake's caption under its image.
QString mistakeCaption(const Misclassification& mistake);

// Returns the files written, figures and CSVs. `data` may be null: the figures that show
// images or class counts are then left out. Throws InputError when a file cannot be written.
QStringList exportRunFigures(const RunData& run, std::shared_ptr<const FashionMnist> data,
                             const QString& directory, const FigureOptions& options);

} // namespace atelier::ui
