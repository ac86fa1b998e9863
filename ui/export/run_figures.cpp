// Every figure of a run, written into one folder with the CSV behind each.
#include "ui/export/run_figures.h"

#include "core/model_analysis.h"
#include "core/split.h"
#include "ui/charts/class_distribution_chart.h"
#include "ui/charts/curve_chart.h"
#include "ui/data/image_grid_widget.h"
#include "ui/evaluate/confusion_matrix_widget.h"
#include "ui/export/figure_writer.h"
#include "ui/export/inside_figures.h"
#include "ui/model/model_diagram.h"
#include "ui/train/training_curves.h"
#include "ui/widgets/layer_text.h"

#include <QApplication>
#include <QDir>
#include <QPainter>
#include <cmath>

namespace atelier::ui {
namespace {

// The most confident mistakes shown in the misclassified figure.
constexpr int kErrorColumns = 8;
constexpr int kErrorRows = 5;

// A class name for a label read from a file: "?" outside the ten classes (the run folder's
// reader refuses such labels; the figure does not rely on that alone).
QString labelName(int label)
{
    if (label < 0 || label >= kNumClasses)
        return QStringLiteral("?");
    return qs(fashionMnistClassNames()[std::size_t(label)]);
}

QString modelCsv(const ModelSpec& spec)
{
    const ModelReport report = analyzeModel(spec, kNumClasses);
    QString csv = QStringLiteral("number,name,type,output_shape,params\n");
    for (const LayerReport& layer : report.layers)
        csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(layer.number)
                   .arg(qs(layer.name), qs(layerTypeName(layer.type)), qs(layer.output.toString()))
                   .arg(layer.trainableParams + layer.nonTrainableParams);
    return csv;
}

} // namespace

QStringList exportRunFigures(const RunData& run, std::shared_ptr<const FashionMnist> data,
                             const QString& directory, const FigureOptions& options)
{
    if (!QDir().mkpath(directory))
        throw InputError(directory.toStdString() + ": cannot create the folder");
    FigureWriter out(directory, options);
    const QString subject = run.name;

    const TrainingCurves curves = trainingCurves({&run}, options.smoothing);
    CurveChart chart;
    chart.resize(options.size);
    titleLossChart(&chart);
    chart.setCurves(curves.loss, curves.markers);
    out.chart(QStringLiteral("loss"), QStringLiteral("%1: loss").arg(subject), chart);
    titleAccuracyChart(&chart);
    chart.setCurves(curves.accuracy, curves.markers);
    out.chart(QStringLiteral("accuracy"), QStringLiteral("%1: accuracy").arg(subject), chart);
    chart.setYLimits(std::nullopt, std::nullopt);
    if (!run.batchLosses.empty()) {
        titleBatchChart(&chart);
        chart.setCurves(curves.batchLoss);
        out.chart(QStringLiteral("batch_loss"), QStringLiteral("%1: loss per batch").arg(subject),
                  chart);
    }

    if (run.hasResult) {
        ConfusionMatrixWidget matrix;
        matrix.setMatrix(run.test.confusion,
                         QStringLiteral("Confusion matrix, test set (%1)").arg(subject));
        const QSize square(std::min(options.size.width(), options.size.height()) * 5 / 4,
                           std::min(options.size.width(), options.size.height()));
        auto paintMatrix = [&matrix](QPainter& p, const QRectF& area) {
            matrix.paintMatrix(p, area);
        };
        out.figure(QStringLiteral("confusion"), QStringLiteral("%1: confusion matrix").arg(subject),
                   paintMatrix, square);
        out.csv(QStringLiteral("confusion"), matrix.toCsv());
        matrix.setRowNormalized(true);
        out.figure(QStringLiteral("confusion_percent"),
                   QStringLiteral("%1: confusion matrix, row %").arg(subject), paintMatrix, square);
    }

    const ModelSpec& spec = run.preset.model;
    const ModelReport report = analyzeModel(spec, kNumClasses);
    const QSize diagramSize(std::max(640, options.size.width() / 2), modelDiagramHeight(spec) + 20);
    out.figure(
        QStringLiteral("model"), QStringLiteral("%1: model").arg(subject),
        [&](QPainter& p, const QRectF& area) {
            paintModelDiagram(p, area.adjusted(0, 10, 0, -10), spec, report,
                              QApplication::palette());
        },
        diagramSize);
    out.csv(QStringLiteral("model"), modelCsv(spec));

    if (data && run.hasResult && !run.test.misclassified.empty()) {
        std::vector<Misclassification> errors = run.test.misclassified;
        std::stable_sort(errors.begin(), errors.end(), moreConfident);
        errors.resize(std::min<std::size_t>(errors.size(), kErrorColumns * kErrorRows));
        std::vector<GridEntry> entries;
        QString csv = QStringLiteral("index,true,predicted,confidence\n");
        for (const Misclassification& e : errors) {
            const QString percent = std::isfinite(e.confidence)
                                        ? QString::number(std::lround(e.confidence * 100))
                                        : QStringLiteral("?");
            entries.push_back({e.index, QStringLiteral("%1\n→ %2 %3%")
                                            .arg(labelName(e.trueLabel), labelName(e.predicted))
                                            .arg(percent)});
            csv += QStringLiteral("%1,%2,%3,%4\n")
                       .arg(e.index)
                       .arg(labelName(e.trueLabel), labelName(e.predicted))
                       .arg(double(e.confidence), 0, 'f', 4);
        }
        ImageGridWidget grid;
        grid.setImages(data, &data->test, std::move(entries), kErrorColumns,
                       QStringLiteral("test"));
        out.figure(QStringLiteral("misclassified"),
                   QStringLiteral("%1: most confident mistakes (true→predicted)").arg(subject),
                   [&grid](QPainter& p, const QRectF& area) {
                       grid.paintGrid(p, area.toRect().adjusted(8, 8, -8, -8));
                   });
        out.csv(QStringLiteral("misclassified"), csv);
    }

    if (data) {
        const TrainDevSplit split = stratifiedSplit(data->train.labels, run.preset.data.devFraction,
                                                    run.preset.data.splitSeed);
        QStringList classes;
        for (const std::string& name : fashionMnistClassNames())
            classes << qs(name);
        auto counts = [](const ClassCounts& c) { return QList<qint64>(c.begin(), c.end()); };
        ClassDistributionChart bars;
        bars.resize(options.size);
        bars.setData(
            QStringLiteral("Images per class"), classes,
            {{QStringLiteral("train"), counts(classCounts(data->train.labels, split.train))},
             {QStringLiteral("dev"), counts(classCounts(data->train.labels, split.dev))},
             {QStringLiteral("test"), counts(classCounts(data->test.labels))}});
        out.figure(QStringLiteral("class_distribution"), QStringLiteral("Images per class"),
                   [&bars](QPainter& p, const QRectF& area) { bars.renderFigure(&p, area); });
        out.csv(QStringLiteral("class_distribution"), bars.toCsv());
    }
    // The Inside view's figures (nothing when the run has no layer statistics).
    return out.written() + exportInsideFigures(run, directory, options);
}

} // namespace atelier::ui
