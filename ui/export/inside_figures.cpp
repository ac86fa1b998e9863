// The Inside view's figures of one run, written to a folder (see inside_figures.h).
#include "ui/export/inside_figures.h"

#include "core/errors.h"
#include "ui/export/figure_writer.h"
#include "ui/inside/distribution_chart.h"
#include "ui/inside/inside_plot.h"
#include "ui/inside/layer_heatmap.h"
#include "ui/inside/layer_time_chart.h"

#include <QDir>
#include <QPainter>

namespace atelier::ui {
namespace {

// The first and last layers with parameters: the two ends of the path the gradient takes
// back, where a vanishing gradient differs most. All layers as small multiples would each
// need their own scale and read alike.
QStringList endLayers(const LayerStatsLog& log)
{
    QStringList names;
    for (const ObservedLayer& layer : log.layers)
        if (layer.hasParameters)
            names << QString::fromStdString(layer.name);
    if (names.size() > 2)
        names = QStringList{names.front(), names.back()};
    return names;
}

} // namespace

QStringList exportInsideFigures(const RunData& run, const QString& directory,
                                const FigureOptions& options)
{
    const LayerStatsLog& log = run.layerStats;
    if (log.empty())
        return {};
    if (!QDir().mkpath(directory))
        throw InputError(directory.toStdString() + ": cannot create the folder");
    FigureWriter out(directory, options);
    const std::vector<const RunData*> runs{&run};
    const QString subject = runLabel(run);

    if (!log.samples.empty()) {
        LayerTimeChart gradients(LayerQuantity::GradientNorm);
        gradients.setTitle(QStringLiteral("%1: %2").arg(subject, gradients.title()));
        gradients.setRuns(runs);
        out.chart(QStringLiteral("layer_gradient_norms"),
                  QStringLiteral("%1: gradient norm per layer").arg(subject), gradients);
        LayerHeatmap heatmap;
        heatmap.setRuns(runs);
        out.chart(QStringLiteral("layer_gradient_heatmap"),
                  QStringLiteral("%1: gradient norm by layer and time").arg(subject), heatmap);
    }
    if (!log.histograms.empty()) {
        DistributionChart distributions;
        distributions.setRuns(runs);
        distributions.setLayers(endLayers(log));
        distributions.setTensor(HistogramTensor::Weights);
        out.chart(QStringLiteral("layer_weight_distributions"),
                  QStringLiteral("%1: weight distributions").arg(subject), distributions);
        distributions.setTensor(HistogramTensor::Gradients);
        out.chart(QStringLiteral("layer_gradient_distributions"),
                  QStringLiteral("%1: gradient distributions").arg(subject), distributions);
    }
    LayerTimeChart saturation(LayerQuantity::InactiveShare);
    saturation.setTitle(QStringLiteral("%1: %2").arg(subject, saturation.title()));
    saturation.setRuns(runs);
    if (!log.samples.empty() && saturation.lineCount() > 0)
        out.chart(QStringLiteral("layer_saturation"),
                  QStringLiteral("%1: saturated or dead units per layer").arg(subject), saturation);
    return out.written();
}

} // namespace atelier::ui
