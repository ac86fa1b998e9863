// Turns runs into the curves of the training charts.
#include "ui/train/training_curves.h"

#include "ui/charts/chart_style.h"
#include "ui/train/curve_math.h"

#include <QApplication>
#include <QFileInfo>
#include <QPalette>

namespace atelier::ui {
namespace {

// Tableau-like colours for overlaid runs: distinct, and readable on light and dark.
QColor runColor(std::size_t index)
{
    static const QColor colours[] = {QColor(0x4c, 0x78, 0xa8), QColor(0xf5, 0x85, 0x18),
                                     QColor(0x54, 0xa2, 0x4b), QColor(0xe4, 0x57, 0x56),
                                     QColor(0xb2, 0x79, 0xa2), QColor(0x9d, 0x75, 0x5d),
                                     QColor(0x72, 0xb7, 0xb2), QColor(0xee, 0xca, 0x3b)};
    return colours[index % (sizeof colours / sizeof colours[0])];
}

std::vector<QPointF> epochPoints(const RunData& run, double EpochRecord::*field)
{
    std::vector<QPointF> points;
    for (const EpochRecord& r : run.history)
        points.emplace_back(r.epoch, r.*field);
    return points;
}

// Batches on the epoch axis: batch b of epoch e sits at e − 1 + b / batchesPerEpoch.
std::vector<QPointF> batchPoints(const RunData& run, const std::vector<double>& values)
{
    std::vector<QPointF> points;
    points.reserve(values.size());
    const double perEpoch = std::max(run.batchesPerEpoch, 1);
    for (std::size_t i = 0; i < values.size() && i < run.batchLosses.size(); ++i) {
        const BatchLoss& b = run.batchLosses[i];
        // The run folder's reader refuses such rows; a chart never trusts that alone.
        if (b.epoch < 1 || b.batch < 1 || b.batch > perEpoch)
            continue;
        points.emplace_back(b.epoch - 1 + b.batch / perEpoch, values[i]);
    }
    return points;
}

// Names that tell overlaid runs apart: the preset name, plus the folder's time stamp when
// two runs share it.
std::vector<QString> labels(const std::vector<const RunData*>& runs)
{
    std::vector<QString> names;
    for (const RunData* run : runs) {
        const bool shared = std::count_if(runs.begin(), runs.end(), [&](const RunData* other) {
                                return other->name == run->name;
                            }) > 1;
        const QString stamp = QFileInfo(run->folder).fileName().section('-', -2);
        names.push_back(shared ? QStringLiteral("%1 (%2)").arg(run->name, stamp) : run->name);
    }
    return names;
}

} // namespace

TrainingCurves trainingCurves(const std::vector<const RunData*>& runs, double smoothing)
{
    TrainingCurves curves;
    const std::vector<QString> names = labels(runs);
    const bool single = runs.size() == 1;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunData& run = *runs[i];
        const QColor train = single ? splitColor(0) : runColor(i);
        const QColor dev = single ? splitColor(1) : runColor(i);
        const Qt::PenStyle devStyle = single ? Qt::SolidLine : Qt::DashLine;
        const QString prefix = single ? QString() : names[i] + QStringLiteral(" ");
        curves.loss.push_back({prefix + QStringLiteral("loss"), train, Qt::SolidLine, 2.0,
                               epochPoints(run, &EpochRecord::loss)});
        curves.loss.push_back({prefix + QStringLiteral("val_loss"), dev, devStyle, 2.0,
                               epochPoints(run, &EpochRecord::valLoss)});
        curves.accuracy.push_back({prefix + QStringLiteral("accuracy"), train, Qt::SolidLine, 2.0,
                                   epochPoints(run, &EpochRecord::accuracy)});
        curves.accuracy.push_back({prefix + QStringLiteral("val_accuracy"), dev, devStyle, 2.0,
                                   epochPoints(run, &EpochRecord::valAccuracy)});

        std::vector<double> raw;
        raw.reserve(run.batchLosses.size());
        for (const BatchLoss& b : run.batchLosses)
            raw.push_back(b.loss);
        const QString smoothName =
            QStringLiteral("%1smoothed (%2)").arg(prefix).arg(smoothing, 0, 'f', 2);
        if (single) {
            QColor light = train;
            light.setAlpha(90);
            curves.batchLoss.push_back(
                {QStringLiteral("batch loss"), light, Qt::SolidLine, 1.0, batchPoints(run, raw)});
        }
        // The smoothed line stands out from the raw one: darker on light, lighter on dark.
        const bool darkPalette = QApplication::palette().color(QPalette::Window).lightness() < 128;
        const QColor smoothColor = !single       ? train
                                   : darkPalette ? train.lighter(140)
                                                 : train.darker(130);
        curves.batchLoss.push_back({single ? smoothName : names[i], smoothColor, Qt::SolidLine, 2.0,
                                    batchPoints(run, smoothed(raw, smoothing))});
    }
    if (single) {
        const RunData& run = *runs.front();
        if (const int best = run.bestEpoch(); best > 0) {
            curves.markers.bestX = best;
            curves.markers.bestLabel = QStringLiteral("best epoch (%1)").arg(best);
        }
        if (const auto window = run.patienceWindow()) {
            curves.markers.window = std::pair<double, double>(window->first, window->second);
            curves.markers.windowLabel =
                QStringLiteral("patience window (%1 epochs)").arg(window->second - window->first);
        }
    }
    return curves;
}

void titleLossChart(CurveChart* chart)
{
    chart->setTitles(QStringLiteral("Loss"), QStringLiteral("Epoch"),
                     QStringLiteral("Cross-entropy loss"));
    chart->setYLimits(0.0, std::nullopt);
}

void titleAccuracyChart(CurveChart* chart)
{
    chart->setTitles(QStringLiteral("Accuracy"), QStringLiteral("Epoch"),
                     QStringLiteral("Accuracy"));
    chart->setYLimits(0.0, 1.0);
}

void titleBatchChart(CurveChart* chart)
{
    chart->setTitles(QStringLiteral("Training loss per batch"), QStringLiteral("Epoch"),
                     QStringLiteral("Loss"));
    chart->setYLimits(0.0, std::nullopt);
}

} // namespace atelier::ui
