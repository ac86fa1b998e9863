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
#include "ui/widgets/class_text.h"
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

QString mistakeCaption(const Misclassification& mistake)
{
    return QStringLiteral("%1\n→ %2 %3")
        .arg(className(mistake.trueLabel), className(mistake.predicted),
             confidenceText(mistake.confidence));
}

std::vector<PreparedFigure> prepareRunFigures(const RunData& run,
                                              std::shared_ptr<const FashionMnist> data,
                                              const FigureOptions& options)
{
    std::vector<PreparedFigure> figures;
    const QString subject = run.name;
    auto add = [&figures](QString name, QString title, FigurePainter paint, QString csv,
                          QSize size = {}) {
        figures.push_back(
            {std::move(name), std::move(title), size, std::move(paint), std::move(csv)});
    };
    // Each chart is its own widget, kept alive by the painter that draws it.
    auto curveFigure = [&](const QString& name, const QString& title,
                           const std::function<void(CurveChart*)>& setUp) {
        auto chart = std::make_shared<CurveChart>();
        chart->resize(options.size);
        setUp(chart.get());
        add(
            name, title,
            [chart](QPainter& p, const QRectF& area) { chart->renderFigure(&p, area); },
            chart->toCsv());
    };

    const TrainingCurves curves = trainingCurves({&run}, options.smoothing);
    curveFigure(QStringLiteral("loss"), QStringLiteral("%1: loss").arg(subject),
                [&](CurveChart* chart) {
                    titleLossChart(chart);
                    chart->setCurves(curves.loss, curves.markers);
                });
    curveFigure(QStringLiteral("accuracy"), QStringLiteral("%1: accuracy").arg(subject),
                [&](CurveChart* chart) {
                    titleAccuracyChart(chart);
                    chart->setCurves(curves.accuracy, curves.markers);
                });
    if (!run.batchLosses.empty())
        curveFigure(QStringLiteral("batch_loss"), QStringLiteral("%1: loss per batch").arg(subject),
                    [&](CurveChart* chart) {
                        titleBatchChart(chart);
                        chart->setCurves(curves.batchLoss);
                    });

    if (run.hasResult) {
        const QSize square(std::min(options.size.width(), options.size.height()) * 5 / 4,
                           std::min(options.size.width(), options.size.height()));
        for (const bool percent : {false, true}) {
            auto matrix = std::make_shared<ConfusionMatrixWidget>();
            matrix->setMatrix(run.test.confusion,
                              QStringLiteral("Confusion matrix, test set (%1)").arg(subject));
            matrix->setRowNormalized(percent);
            add(
                percent ? QStringLiteral("confusion_percent") : QStringLiteral("confusion"),
                percent ? QStringLiteral("%1: confusion matrix, row %").arg(subject)
                        : QStringLiteral("%1: confusion matrix").arg(subject),
                [matrix](QPainter& p, const QRectF& area) { matrix->paintMatrix(p, area); },
                percent ? QString() : matrix->toCsv(), square);
        }
    }

    const auto spec = std::make_shared<ModelSpec>(run.preset.model);
    const auto report = std::make_shared<ModelReport>(analyzeModel(*spec, kNumClasses));
    add(
        QStringLiteral("model"), QStringLiteral("%1: model").arg(subject),
        [spec, report](QPainter& p, const QRectF& area) {
            paintModelDiagram(p, area.adjusted(0, 10, 0, -10), *spec, *report,
                              QApplication::palette());
        },
        modelCsv(*spec),
        QSize(std::max(640, options.size.width() / 2), modelDiagramHeight(*spec) + 20));

    if (data && run.hasResult && !run.test.misclassified.empty()) {
        std::vector<Misclassification> errors = run.test.misclassified;
        std::stable_sort(errors.begin(), errors.end(), moreConfident);
        errors.resize(std::min<std::size_t>(errors.size(), kErrorColumns * kErrorRows));
        std::vector<GridEntry> entries;
        QString csv = QStringLiteral("index,true,predicted,confidence\n");
        for (const Misclassification& e : errors) {
            entries.push_back({e.index, mistakeCaption(e)});
            csv += QStringLiteral("%1,%2,%3,%4\n")
                       .arg(e.index)
                       .arg(className(e.trueLabel), className(e.predicted))
                       .arg(double(e.confidence), 0, 'f', 4);
        }
        auto grid = std::make_shared<ImageGridWidget>();
        grid->setImages(data, &data->test, std::move(entries), kErrorColumns,
                        QStringLiteral("test"));
        add(
            QStringLiteral("misclassified"),
            QStringLiteral("%1: most confident mistakes (true→predicted)").arg(subject),
            [grid](QPainter& p, const QRectF& area) {
                grid->paintGrid(p, area.toRect().adjusted(8, 8, -8, -8));
            },
            csv);
    }

    if (data) {
        const TrainDevSplit split = stratifiedSplit(data->train.labels, run.preset.data.devFraction,
                                                    run.preset.data.splitSeed);
        QStringList classes;
        for (const std::string& name : fashionMnistClassNames())
            classes << qs(name);
        auto counts = [](const ClassCounts& c) { return QList<qint64>(c.begin(), c.end()); };
        auto bars = std::make_shared<ClassDistributionChart>();
        bars->resize(options.size);
        bars->setData(
            QStringLiteral("Images per class"), classes,
            {{QStringLiteral("train"), counts(classCounts(data->train.labels, split.train))},
             {QStringLiteral("dev"), counts(classCounts(data->train.labels, split.dev))},
             {QStringLiteral("test"), counts(classCounts(data->test.labels))}});
        add(
            QStringLiteral("class_distribution"), QStringLiteral("Images per class"),
            [bars](QPainter& p, const QRectF& area) { bars->renderFigure(&p, area); },
            bars->toCsv());
    }
    return figures;
}

QStringList exportRunFigures(const RunData& run, std::shared_ptr<const FashionMnist> data,
                             const QString& directory, const FigureOptions& options)
{
    if (!QDir().mkpath(directory))
        throw InputError(directory.toStdString() + ": cannot create the folder");
    FigureWriter out(directory, options);
    for (const PreparedFigure& figure : prepareRunFigures(run, data, options)) {
        out.figure(figure.name, figure.title, figure.paint, figure.size);
        if (!figure.csv.isEmpty())
            out.csv(figure.name, figure.csv);
    }
    // The Inside view's figures (nothing when the run has no layer statistics).
    return out.written() + exportInsideFigures(run, directory, options);
}

} // namespace atelier::ui
