// Tables and facts of a run's report.
#include "ui/report/run_report_parts.h"

#include "core/model_analysis.h"
#include "core/text_format.h"
#include "ui/export/run_figures.h"
#include "ui/report/report_format.h"
#include "ui/widgets/class_text.h"
#include "ui/widgets/layer_text.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

QString optimizerText(const OptimizerConfig& o)
{
    QString text;
    if (o.kind == OptimizerKind::Adam)
        text = QStringLiteral("Adam, learning rate %1 (β₁ %2, β₂ %3, ε %4)")
                   .arg(o.learningRate)
                   .arg(o.beta1)
                   .arg(o.beta2)
                   .arg(o.epsilon);
    else
        text = QStringLiteral("SGD, learning rate %1, momentum %2%3")
                   .arg(o.learningRate)
                   .arg(o.momentum)
                   .arg(o.nesterov ? QStringLiteral(", Nesterov") : QString());
    if (o.weightDecay > 0)
        text += QStringLiteral(", weight decay %1").arg(o.weightDecay);
    return text;
}

QString earlyStoppingText(const EarlyStopping& e)
{
    if (!e.enabled)
        return QStringLiteral("off");
    return QStringLiteral("on %1, patience %2 epochs, min Δ %3; %4")
        .arg(qs(monitorName(e.monitor)))
        .arg(e.patience)
        .arg(e.minDelta)
        .arg(e.restoreBest ? QStringLiteral("keeps the best epoch's weights")
                           : QStringLiteral("keeps the last epoch's weights"));
}

QString scheduleText(const LrSchedule& s)
{
    switch (s.kind) {
    case LrScheduleKind::Constant:
        return QStringLiteral("constant");
    case LrScheduleKind::Step:
        return QStringLiteral("step: ×%1 every %2 epochs, at least %3")
            .arg(s.factor)
            .arg(s.every)
            .arg(s.minLearningRate);
    case LrScheduleKind::Plateau:
        return QStringLiteral("on plateau: ×%1 after %2 epochs without a better val_loss, at "
                              "least %3")
            .arg(s.factor)
            .arg(s.patience)
            .arg(s.minLearningRate);
    case LrScheduleKind::OneCycle:
        return QStringLiteral("one cycle, per batch: up from ÷25 over the first %1% of the "
                              "batches, then down along a cosine to ÷250,000")
            .arg(s.warmupFraction * 100);
    }
    return {};
}

QString augmentationText(const Augmentation& a)
{
    QStringList parts;
    if (a.horizontalFlip)
        parts << QStringLiteral("horizontal flips");
    if (a.shiftPixels > 0)
        parts << QStringLiteral("shifts of up to %1 px").arg(a.shiftPixels);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

} // namespace

QString runFolderName(const RunRecord& run)
{
    // "runs/x/" (as shell completion writes it) and "." name the folder too.
    const QString name =
        QFileInfo(QDir::cleanPath(QDir(QString::fromStdString(run.folder)).absolutePath()))
            .fileName();
    return name.isEmpty() ? QString::fromStdString(run.folder) : name;
}

ReportFacts summaryFacts(const RunRecord& run)
{
    const RunMetrics& m = run.metrics;
    ReportFacts facts;
    QString preset = qs(run.preset.name);
    if (!run.preset.description.empty())
        preset += QStringLiteral(": ") + qs(run.preset.description);
    facts.emplace_back(QStringLiteral("Preset"), preset);
    QString status = qs(m.status);
    if (!m.message.empty())
        status += QStringLiteral(" (%1)").arg(qs(m.message));
    facts.emplace_back(QStringLiteral("Status"), status);
    facts.emplace_back(QStringLiteral("Test accuracy"),
                       QStringLiteral("%1 of %2 test images")
                           .arg(percentText(m.testAccuracy), countText(m.testCount)));
    facts.emplace_back(QStringLiteral("Test loss"), decimalText(m.testLoss, 4));
    facts.emplace_back(QStringLiteral("Macro F1"), decimalText(run.test.report.macroF1, 4));
    facts.emplace_back(
        QStringLiteral("Dev accuracy"),
        QStringLiteral("%1 (loss %2)").arg(percentText(m.devAccuracy), decimalText(m.devLoss, 4)));
    QString epochs = QStringLiteral("%1 of %2; best %3")
                         .arg(m.epochsRun)
                         .arg(run.preset.training.epochs)
                         .arg(m.bestEpoch);
    if (m.stoppedEarly)
        epochs += QStringLiteral("; stopped early");
    facts.emplace_back(QStringLiteral("Epochs"), epochs);
    // Which weights the dev and test figures above belong to.
    const bool restored = m.restoredBest && m.bestEpoch > 0 && m.bestEpoch != m.epochsRun;
    facts.emplace_back(
        QStringLiteral("Weights tested"),
        restored
            ? QStringLiteral("epoch %1's (the best, restored at the end)").arg(m.bestEpoch)
            : QStringLiteral("epoch %1's (the last%2)")
                  .arg(m.epochsRun)
                  .arg(m.bestEpoch == m.epochsRun ? QStringLiteral(", also the best") : QString()));
    QString time = secondsText(m.trainSeconds);
    if (m.epochsRun > 0)
        time += QStringLiteral(" (%1 per epoch, validation excluded)")
                    .arg(secondsText(m.trainSeconds / m.epochsRun));
    facts.emplace_back(QStringLiteral("Training time"), time);
    QString speed = QStringLiteral("training %1").arg(rateText(m.samplesPerSecond));
    if (m.evalSamplesPerSecond > 0)
        speed += QStringLiteral(", evaluation %1").arg(rateText(m.evalSamplesPerSecond));
    facts.emplace_back(QStringLiteral("Throughput"), speed);
    return facts;
}

ReportFacts settingsFacts(const RunRecord& run)
{
    const TrainConfig& t = run.preset.training;
    const DataConfig& d = run.preset.data;
    const RunMetrics& m = run.metrics;
    ReportFacts facts;
    facts.emplace_back(QStringLiteral("Optimizer"), optimizerText(t.optimizer));
    facts.emplace_back(QStringLiteral("Batch size"), QString::number(t.batchSize));
    facts.emplace_back(QStringLiteral("Epochs planned"), QString::number(t.epochs));
    facts.emplace_back(QStringLiteral("Early stopping"), earlyStoppingText(t.earlyStopping));
    facts.emplace_back(QStringLiteral("Learning-rate schedule"), scheduleText(t.lrSchedule));
    facts.emplace_back(QStringLiteral("Augmentation"), augmentationText(t.augmentation));
    facts.emplace_back(QStringLiteral("Precision"),
                       t.precision == Precision::BFloat16Mixed
                           ? QStringLiteral("bf16 mixed: convolutions and matrix products in "
                                            "bfloat16, weights and loss in float32")
                           : QStringLiteral("fp32"));
    facts.emplace_back(QStringLiteral("Seeds"),
                       QStringLiteral("training %1, dev split %2").arg(m.seed).arg(d.splitSeed));
    QString split = QStringLiteral("train %1, dev %2 (%3 of the training images), test %4")
                        .arg(countText(m.trainCount), countText(m.devCount),
                             percentText(d.devFraction), countText(m.testCount));
    if (m.limit > 0)
        split +=
            QStringLiteral("; limited to %1 training images").arg(countText(std::int64_t(m.limit)));
    facts.emplace_back(QStringLiteral("Images"), QStringLiteral("Fashion-MNIST: ") + split);
    // Scale mode's 1/255 reads better as a division.
    const bool byteScale =
        m.transform.shift == 0 && std::abs(double(m.transform.scale) * 255.0 - 1.0) < 1e-6;
    facts.emplace_back(
        QStringLiteral("Normalization"),
        byteScale
            ? QStringLiteral("%1: value = pixel / 255").arg(qs(normalizationName(d.normalization)))
            : QStringLiteral("%1: value = pixel × %2 + %3")
                  .arg(qs(normalizationName(d.normalization)))
                  .arg(double(m.transform.scale), 0, 'g', 6)
                  .arg(double(m.transform.shift), 0, 'g', 6));
    return facts;
}

ReportFacts environmentFacts(const RunRecord& run)
{
    const RunMetrics& m = run.metrics;
    auto known = [](const std::string& text) {
        return text.empty() ? QStringLiteral("not recorded") : qs(text);
    };
    ReportFacts facts;
    QString device = qs(m.device);
    if (!m.deviceName.empty())
        device += QStringLiteral(": ") + qs(m.deviceName);
    facts.emplace_back(QStringLiteral("Device"), device);
    facts.emplace_back(QStringLiteral("Threads"),
                       m.threads > 0 ? QString::number(m.threads) : QStringLiteral("not recorded"));
    facts.emplace_back(QStringLiteral("LibTorch"), known(m.torchVersion));
    facts.emplace_back(QStringLiteral("Atelier"), known(m.atelierVersion));
    facts.emplace_back(QStringLiteral("Data folder"), known(m.dataDirectory));
    facts.emplace_back(QStringLiteral("Run folder"), QDir(qs(run.folder)).absolutePath());
    return facts;
}

QString architectureText(const ModelSpec& model)
{
    QStringList layers;
    for (const LayerSpec& layer : model.layers) {
        QString text = qs(layerTypeDisplayName(layer.type));
        switch (layer.type) {
        case LayerType::Dense:
            text += QStringLiteral("(%1)").arg(layer.units);
            break;
        case LayerType::Conv2D:
        case LayerType::Residual:
            text += QStringLiteral("(%1, %2").arg(layer.filters).arg(sizeText(layer.kernel));
            if (layer.stride != Size2::square(1))
                text += QStringLiteral(", stride %1").arg(sizeText(layer.stride));
            text += QStringLiteral(")");
            break;
        case LayerType::MaxPool2D:
        case LayerType::AvgPool2D:
            text += QStringLiteral("(%1)").arg(sizeText(layer.pool));
            break;
        case LayerType::Dropout:
            text += QStringLiteral("(%1)").arg(layer.rate);
            break;
        default:
            break;
        }
        layers << text;
    }
    return layers.join(QStringLiteral(" → "));
}

QString modelTotalsText(const ModelSpec& model)
{
    const ModelReport report = analyzeModel(model, kNumClasses);
    return QStringLiteral("%1 layers, %2 parameters (%3 trainable), %4FLOPs per image for the "
                          "forward pass (a training step costs about three times that).")
        .arg(report.layers.size())
        .arg(countText(report.totalParams()), countText(report.trainableParams()),
             flopsText(report.forwardFlops()));
}

ReportTable modelTable(const ModelSpec& model)
{
    const ModelReport report = analyzeModel(model, kNumClasses);
    ReportTable table;
    table.header = {QStringLiteral("#"),          QStringLiteral("Layer"),
                    QStringLiteral("Type"),       QStringLiteral("Settings"),
                    QStringLiteral("Output"),     QStringLiteral("Parameters"),
                    QStringLiteral("FLOPs/image")};
    table.numeric = {true, false, false, false, false, true, true};
    table.rows.push_back({QString(), QStringLiteral("input"), QString(), QString(),
                          qs(report.input.toString()), QString(), QString()});
    for (std::size_t i = 0; i < report.layers.size(); ++i) {
        const LayerReport& layer = report.layers[i];
        table.rows.push_back(
            {QString::number(layer.number), qs(layer.name), qs(layerTypeDisplayName(layer.type)),
             i < model.layers.size() ? layerSettingsText(model.layers[i]) : QString(),
             qs(layer.output.toString()),
             countText(layer.trainableParams + layer.nonTrainableParams),
             layer.forwardFlops > 0 ? flopsText(layer.forwardFlops) : QString()});
    }
    table.rows.push_back({QString(), QStringLiteral("total"), QString(), QString(), QString(),
                          countText(report.totalParams()), flopsText(report.forwardFlops())});
    return table;
}

ReportTable perClassTable(const RunRecord& run)
{
    const ConfusionMatrix& confusion = run.test.confusion;
    const ClassificationReport& metrics = run.test.report;
    ReportTable table;
    table.header = {QStringLiteral("Class"),  QStringLiteral("Precision"),
                    QStringLiteral("Recall"), QStringLiteral("F1"),
                    QStringLiteral("Images"), QStringLiteral("Most often taken for")};
    table.numeric = {false, true, true, true, true, false};
    for (int c = 0; c < kNumClasses; ++c) {
        const ClassMetrics& m = metrics.perClass[std::size_t(c)];
        int worst = -1;
        for (int p = 0; p < kNumClasses; ++p)
            if (p != c && confusion[c][p] > 0 &&
                (worst < 0 || confusion[c][p] > confusion[c][worst]))
                worst = p;
        const QString mistaken =
            worst < 0
                ? QStringLiteral("–")
                : QStringLiteral("%1 (%2)").arg(
                      className(worst),
                      percentText(m.support > 0 ? double(confusion[c][worst]) / double(m.support)
                                                : 0.0));
        table.rows.push_back({className(c), decimalText(m.precision, 3), decimalText(m.recall, 3),
                              decimalText(m.f1, 3), countText(m.support), mistaken});
    }
    table.rows.push_back({QStringLiteral("macro average"), decimalText(metrics.macroPrecision, 3),
                          decimalText(metrics.macroRecall, 3), decimalText(metrics.macroF1, 3),
                          countText(run.metrics.testCount), QString()});
    table.caption = QStringLiteral("Precision: of the images predicted as the class, the share "
                                   "that are. Recall: of the class's images, the share found. "
                                   "The last column: the wrong class its images get most often, "
                                   "as a share of the class's images.");
    return table;
}

std::vector<ConfusedPair> mostConfusedPairs(const ConfusionMatrix& confusion, int count)
{
    std::vector<ConfusedPair> pairs;
    for (int t = 0; t < kNumClasses; ++t)
        for (int p = 0; p < kNumClasses; ++p)
            if (t != p && confusion[t][p] > 0)
                pairs.push_back({t, p, confusion[t][p]});
    std::stable_sort(pairs.begin(), pairs.end(), [](const ConfusedPair& a, const ConfusedPair& b) {
        return a.count > b.count;
    });
    pairs.resize(std::min(pairs.size(), std::size_t(std::max(0, count))));
    return pairs;
}

} // namespace atelier::ui
