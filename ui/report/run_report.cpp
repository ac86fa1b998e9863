// The report of one run, or of several side by side.
#include "ui/report/run_report.h"

#include "core/model_analysis.h"
#include "ui/charts/curve_chart.h"
#include "ui/data/image_grid_widget.h"
#include "ui/export/run_figures.h"
#include "ui/report/report_format.h"
#include "ui/report/run_report_parts.h"
#include "ui/train/training_curves.h"
#include "ui/widgets/class_text.h"
#include "ui/widgets/layer_text.h"

#include <QDir>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

// A report's column is about 900 px wide on screen; figures are drawn at that size, so their
// text reads at the studio's size (the PDF scales them to its 680 px text width).
constexpr int kFigureWidth = 880;
constexpr int kCurveHeight = 420;
constexpr int kConfusedPairs = 5;
constexpr int kExamplesPerPair = 8;
// Ten class names along each axis and a number in each of 100 cells need more room than a
// curve; the 40 mistakes need five rows of images with two caption lines each.
constexpr QSize kMatrixSize(700, 560);
constexpr QSize kMistakesSize(kFigureWidth, 800);

FigureOptions reportFigureOptions()
{
    FigureOptions options;
    options.format = FigureFormat::Svg;
    options.size = QSize(kFigureWidth, kCurveHeight);
    return options;
}

// The prepared figure called `name`, moved into the report with `caption`; nothing when the
// run has no such figure (no batch losses, no dataset).
bool addFigure(ReportDocument& report, std::vector<PreparedFigure>& figures, const QString& name,
               const QString& caption, QSize size = {})
{
    const auto found = std::find_if(figures.begin(), figures.end(),
                                    [&name](const PreparedFigure& f) { return f.name == name; });
    if (found == figures.end())
        return false;
    if (!size.isValid())
        size = found->size.isValid() ? found->size : reportFigureOptions().size;
    report.figure({found->title, size, found->paint, caption});
    return true;
}

std::int64_t correctCount(const ConfusionMatrix& confusion)
{
    std::int64_t correct = 0;
    for (int c = 0; c < kNumClasses; ++c)
        correct += confusion[c][c];
    return correct;
}

bool hasActiveDropout(const ModelSpec& model)
{
    return std::any_of(model.layers.begin(), model.layers.end(), [](const LayerSpec& layer) {
        return layer.type == LayerType::Dropout && layer.rate > 0;
    });
}

QString bestEpochCaption(const RunRecord& run)
{
    QString text = QStringLiteral("Blue: training, the mean over each epoch%1; orange: the dev "
                                  "set, measured after each epoch.")
                       .arg(hasActiveDropout(run.preset.model)
                                ? QStringLiteral(" (with dropout active, so it can lie above "
                                                 "the dev loss)")
                                : QString());
    if (run.metrics.bestEpoch > 0)
        text += QStringLiteral(" The vertical line marks epoch %1, the best by %2%3.")
                    .arg(run.metrics.bestEpoch)
                    .arg(qs(monitorName(run.preset.training.earlyStopping.monitor)))
                    .arg(run.metrics.restoredBest ? QStringLiteral(", whose weights the run kept")
                                                  : QString());
    return text;
}

void addConfusedPairs(ReportDocument& report, const RunRecord& run,
                      const std::shared_ptr<const FashionMnist>& data)
{
    report.heading(2, QStringLiteral("Classes mixed up most"));
    const std::vector<ConfusedPair> pairs = mostConfusedPairs(run.test.confusion, kConfusedPairs);
    if (pairs.empty()) {
        report.paragraph(QStringLiteral("No test image was misclassified."));
        return;
    }
    report.paragraph(
        data ? QStringLiteral("The %1 most frequent mistakes, each with up to %2 examples, the "
                              "most confident first: under each image, its number in the test "
                              "set and the probability the model gave the wrong class.")
                   .arg(pairs.size())
                   .arg(kExamplesPerPair)
             : QStringLiteral("The dataset was not found, so the examples are left out; the "
                              "counts come from confusion.csv."));
    for (const ConfusedPair& pair : pairs) {
        const std::int64_t classImages =
            run.test.report.perClass[std::size_t(pair.trueClass)].support;
        const QString text =
            QStringLiteral("%1 taken for %2: %3 of %4 images (%5)")
                .arg(className(pair.trueClass), className(pair.predicted), countText(pair.count),
                     countText(classImages),
                     percentText(classImages > 0 ? double(pair.count) / double(classImages) : 0));
        report.paragraph(text);
        if (!data)
            continue;
        std::vector<Misclassification> examples;
        for (const Misclassification& m : run.test.misclassified)
            if (m.trueLabel == pair.trueClass && m.predicted == pair.predicted)
                examples.push_back(m);
        std::stable_sort(examples.begin(), examples.end(), moreConfident);
        examples.resize(std::min<std::size_t>(examples.size(), kExamplesPerPair));
        std::vector<GridEntry> entries;
        for (const Misclassification& e : examples)
            entries.push_back({e.index, QStringLiteral("#%1\n%2").arg(e.index).arg(
                                            confidenceText(e.confidence))});
        auto grid = std::make_shared<ImageGridWidget>();
        grid->setImages(data, &data->test, std::move(entries), kExamplesPerPair,
                        QStringLiteral("test"));
        report.figure({text, QSize(kFigureWidth, 190),
                       [grid](QPainter& p, const QRectF& area) {
                           grid->paintGrid(p, area.toRect().adjusted(4, 4, -4, -4));
                       },
                       QString()});
    }
}

// The settings every run shares, once, and a table of those that differ: what the comparison
// actually varies.
void addSettingsComparison(ReportDocument& report, const std::vector<RunRecord>& runs,
                           const QStringList& names)
{
    std::vector<ReportFacts> perRun;
    for (const RunRecord& run : runs) {
        ReportFacts facts;
        facts.emplace_back(QStringLiteral("Model"), architectureText(run.preset.model));
        for (const ReportFacts& part : {settingsFacts(run), environmentFacts(run)})
            for (const auto& fact : part)
                if (fact.first != QStringLiteral("Run folder"))
                    facts.push_back(fact);
        perRun.push_back(std::move(facts));
    }
    ReportFacts shared;
    ReportTable differ;
    differ.header = QStringList{QStringLiteral("Setting")} + names;
    for (std::size_t f = 0; f < perRun.front().size(); ++f) {
        const QString& label = perRun.front()[f].first;
        QStringList row{label};
        for (const ReportFacts& facts : perRun)
            row << (f < facts.size() && facts[f].first == label ? facts[f].second : QString());
        const QStringList values = row.mid(1);
        if (std::all_of(values.begin(), values.end(),
                        [&values](const QString& value) { return value == values.front(); }))
            shared.emplace_back(label, values.front());
        else
            differ.rows.push_back(row);
    }
    report.heading(2, QStringLiteral("What differs between the runs"));
    if (differ.rows.empty())
        report.paragraph(QStringLiteral("Nothing: the runs share every setting below (they may "
                                        "still differ by chance, e.g. in thread timing)."));
    else
        report.table(differ);
    report.heading(2, QStringLiteral("What they share"));
    report.facts(shared);
}

std::shared_ptr<CurveChart> overlayChart(const std::vector<const RunData*>& runs, bool loss)
{
    const TrainingCurves curves = trainingCurves(runs, 0.9);
    auto chart = std::make_shared<CurveChart>();
    chart->resize(reportFigureOptions().size);
    if (loss) {
        titleLossChart(chart.get());
        chart->setCurves(curves.loss);
    } else {
        titleAccuracyChart(chart.get());
        chart->setCurves(curves.accuracy);
    }
    return chart;
}

} // namespace

void addRunSections(ReportDocument& report, const RunRecord& run,
                    std::shared_ptr<const FashionMnist> data, RunDetail detail,
                    const QString& heading, const ReportFacts& searched)
{
    const bool full = detail == RunDetail::Full;
    RunData runData = RunData::fromRecord(run);
    std::vector<PreparedFigure> figures = prepareRunFigures(runData, data, reportFigureOptions());

    report.heading(1, heading);
    if (!searched.empty()) {
        report.paragraph(QStringLiteral("The searched parameters' values in this trial:"));
        report.facts(searched);
    }
    report.facts(summaryFacts(run));
    report.heading(2, QStringLiteral("Model"));
    report.paragraph(modelTotalsText(run.preset.model));
    report.table(modelTable(run.preset.model));
    if (full) {
        // A comparison lists the settings once, with where the runs differ.
        report.heading(2, QStringLiteral("Training settings"));
        report.facts(settingsFacts(run));
        report.heading(2, QStringLiteral("Environment"));
        report.facts(environmentFacts(run));
        report.heading(2, QStringLiteral("Curves"));
        addFigure(report, figures, QStringLiteral("loss"), bestEpochCaption(run));
        addFigure(report, figures, QStringLiteral("accuracy"), bestEpochCaption(run));
        addFigure(report, figures, QStringLiteral("batch_loss"),
                  QStringLiteral("The training loss of every batch (light) and its exponential "
                                 "moving average (smoothing 0.9)."));
    }
    report.heading(2, QStringLiteral("Test results"));
    const QString matrixCaption =
        QStringLiteral("Rows: the true class; columns: the predicted one; the diagonal holds the "
                       "images classified correctly (%1 of %2).")
            .arg(countText(correctCount(run.test.confusion)), countText(run.metrics.testCount));
    if (full)
        addFigure(report, figures, QStringLiteral("confusion"),
                  QStringLiteral("Counts. ") + matrixCaption, kMatrixSize);
    addFigure(report, figures, QStringLiteral("confusion_percent"),
              QStringLiteral("Each row as a share of the class's images. ") + matrixCaption,
              kMatrixSize);
    report.table(perClassTable(run));
    if (!full)
        return;
    addConfusedPairs(report, run, data);
    report.heading(2, QStringLiteral("Most confident mistakes"));
    if (!addFigure(report, figures, QStringLiteral("misclassified"),
                   QStringLiteral("The misclassified test images the model was surest of: true "
                                  "class, then → the predicted class and its probability."),
                   kMistakesSize))
        report.paragraph(run.test.misclassified.empty()
                             ? QStringLiteral("No test image was misclassified.")
                             : QStringLiteral("The dataset was not found, so the images are "
                                              "left out (misclassified.csv lists them)."));
}

ReportDocument runReport(const RunRecord& run, std::shared_ptr<const FashionMnist> data)
{
    ReportDocument report;
    report.title = QStringLiteral("Training report: %1")
                       .arg(run.preset.name.empty() ? runFolderName(run) : qs(run.preset.name));
    report.subtitle =
        QStringLiteral("Fashion-MNIST · test accuracy %1 · %2")
            .arg(percentText(run.metrics.testAccuracy), QDir(qs(run.folder)).absolutePath());
    addRunSections(report, run, std::move(data), RunDetail::Full, runFolderName(run));
    return report;
}

ReportDocument comparisonReport(const std::vector<RunRecord>& runs,
                                std::shared_ptr<const FashionMnist> data)
{
    ReportDocument report;
    report.title = QStringLiteral("Comparison of %1 runs").arg(runs.size());
    QStringList names;
    for (const RunRecord& run : runs)
        names << runFolderName(run);
    report.subtitle = names.join(QStringLiteral(" · "));

    report.heading(1, QStringLiteral("Comparison"));
    ReportTable table;
    table.header = {QStringLiteral("Run"),         QStringLiteral("Parameters"),
                    QStringLiteral("FLOPs/image"), QStringLiteral("Epochs (best)"),
                    QStringLiteral("Train time"),  QStringLiteral("Images/s"),
                    QStringLiteral("Dev acc."),    QStringLiteral("Test acc."),
                    QStringLiteral("Test loss"),   QStringLiteral("Macro F1")};
    table.numeric = {false, true, true, true, true, true, true, true, true, true};
    int best = 0; // by dev accuracy: what a choice between runs may look at
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const RunMetrics& m = runs[i].metrics;
        // A diverged run's NaN never wins.
        const double bestSoFar = runs[std::size_t(best)].metrics.devAccuracy;
        if (std::isfinite(m.devAccuracy) &&
            (!std::isfinite(bestSoFar) || m.devAccuracy > bestSoFar))
            best = int(i);
        const ModelReport model = analyzeModel(runs[i].preset.model, kNumClasses);
        table.rows.push_back(
            {names[int(i)], countText(model.totalParams()), flopsText(model.forwardFlops()),
             QStringLiteral("%1 (%2)").arg(m.epochsRun).arg(m.bestEpoch),
             secondsText(m.trainSeconds), countText(std::llround(m.samplesPerSecond)),
             percentText(m.devAccuracy), percentText(m.testAccuracy), decimalText(m.testLoss, 4),
             decimalText(runs[i].test.report.macroF1, 4)});
    }
    table.highlightedRow = best;
    const RunMetrics& leader = runs[std::size_t(best)].metrics;
    const double standardError =
        leader.testCount > 0
            ? std::sqrt(leader.testAccuracy * (1 - leader.testAccuracy) / double(leader.testCount))
            : 0.0;
    table.caption =
        QStringLiteral("Bold: the highest dev accuracy, the fair way to pick a run (the test set "
                       "only reports). One standard error of a test accuracy near %1 on %2 "
                       "images is about %3 points: differences smaller than about twice that "
                       "are within chance. Train time excludes validation; images/s is training "
                       "throughput.")
            .arg(percentText(leader.testAccuracy), countText(leader.testCount),
                 QString::number(standardError * 100, 'f', 2));
    report.table(table);
    addSettingsComparison(report, runs, names);

    ReportTable f1;
    f1.header = {QStringLiteral("Class")};
    f1.numeric = {false};
    for (const QString& name : names) {
        f1.header << name;
        f1.numeric.push_back(true);
    }
    for (int c = 0; c < kNumClasses; ++c) {
        QStringList row{className(c)};
        for (const RunRecord& run : runs)
            row << decimalText(run.test.report.perClass[std::size_t(c)].f1, 3);
        f1.rows.push_back(row);
    }
    f1.caption = QStringLiteral("F1 score per class on the test set: where the runs differ.");
    report.heading(2, QStringLiteral("Per-class F1"));
    report.table(f1);

    std::vector<RunData> runData;
    for (const RunRecord& run : runs)
        runData.push_back(RunData::fromRecord(run));
    std::vector<const RunData*> shown;
    for (const RunData& run : runData)
        shown.push_back(&run);
    report.heading(2, QStringLiteral("Curves"));
    const QString caption = QStringLiteral("One colour per run; solid: training, dashed: dev.");
    for (const bool loss : {true, false}) {
        const std::shared_ptr<CurveChart> chart = overlayChart(shown, loss);
        report.figure(
            {loss ? QStringLiteral("Loss") : QStringLiteral("Accuracy"), reportFigureOptions().size,
             [chart](QPainter& p, const QRectF& area) { chart->renderFigure(&p, area); }, caption});
    }
    for (const RunRecord& run : runs)
        addRunSections(report, run, data, RunDetail::Brief, runFolderName(run));
    return report;
}

} // namespace atelier::ui
