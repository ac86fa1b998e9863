// The Inside view's figures of one run, written to a folder (see inside_figures.h).
#include "ui/export/inside_figures.h"

#include "core/errors.h"
#include "ui/inside/distribution_chart.h"
#include "ui/inside/inside_plot.h"
#include "ui/inside/layer_heatmap.h"
#include "ui/inside/layer_time_chart.h"

#include <QDir>
#include <QPainter>

namespace atelier::ui {
namespace {

class InsideWriter
{
public:
    InsideWriter(const QString& directory, const FigureOptions& options)
        : m_dir(directory), m_options(options)
    {}
    template <typename Chart> void write(const QString& name, const QString& title, Chart& chart)
    {
        const QString figure =
            m_dir.filePath(name + QStringLiteral(".") + figureSuffix(m_options.format));
        writeFigure(figure, m_options.format, m_options.size, title,
                    [&chart](QPainter& p, const QRectF& area) { chart.renderFigure(&p, area); });
        const QString csv = m_dir.filePath(name + QStringLiteral(".csv"));
        writeCsv(csv, chart.toCsv());
        m_written << figure << csv;
    }
    const QStringList& written() const { return m_written; }

private:
    QDir m_dir;
    FigureOptions m_options;
    QStringList m_written;
};

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
    InsideWriter out(directory, options);
    const std::vector<const RunData*> runs{&run};
    const QString subject = runLabel(run);

    if (!log.samples.empty()) {
        LayerTimeChart gradients(LayerQuantity::GradientNorm);
        gradients.setTitle(QStringLiteral("%1: %2").arg(subject, gradients.title()));
        gradients.setRuns(runs);
        out.write(QStringLiteral("layer_gradient_norms"),
                  QStringLiteral("%1: gradient norm per layer").arg(subject), gradients);
        LayerHeatmap heatmap;
        heatmap.setRuns(runs);
        out.write(QStringLiteral("layer_gradient_heatmap"),
                  QStringLiteral("%1: gradient norm by layer and time").arg(subject), heatmap);
    }
    if (!log.histograms.empty()) {
        DistributionChart distributions;
        distributions.setRuns(runs);
        distributions.setLayers(endLayers(log));
        distributions.setTensor(HistogramTensor::Weights);
        out.write(QStringLiteral("layer_weight_distributions"),
                  QStringLiteral("%1: weight distributions").arg(subject), distributions);
        distributions.setTensor(HistogramTensor::Gradients);
        out.write(QStringLiteral("layer_gradient_distributions"),
                  QStringLiteral("%1: gradient distributions").arg(subject), distributions);
    }
    LayerTimeChart saturation(LayerQuantity::InactiveShare);
    saturation.setTitle(QStringLiteral("%1: %2").arg(subject, saturation.title()));
    saturation.setRuns(runs);
    if (!log.samples.empty() && saturation.lineCount() > 0)
        out.write(QStringLiteral("layer_saturation"),
                  QStringLiteral("%1: saturated or dead units per layer").arg(subject), saturation);
    return out.written();
}

} // namespace atelier::ui
