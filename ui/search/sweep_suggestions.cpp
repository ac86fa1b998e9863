// Starting values for a searched key (see sweep_suggestions.h).
#include "ui/search/sweep_suggestions.h"

#include "core/preset.h"
#include "core/preset_limits.h"
#include "core/runtime.h"
#include "core/text_format.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <vector>

namespace atelier::ui {
namespace {

// The optimizers a search chooses between, with the reference study's settings.
const QString kSgdNesterov =
    QStringLiteral("{type: sgd, learning_rate: 0.01, momentum: 0.9, nesterov: true}");
const QString kAdam = QStringLiteral("{type: adam, learning_rate: 0.001}");
const QString kEarlyStopping =
    QStringLiteral("{monitor: val_loss, patience: 5, min_delta: 0, restore_best: true}");

QStringList names(const std::vector<std::string>& list)
{
    QStringList out;
    for (const std::string& name : list)
        out << QString::fromStdString(name);
    return out;
}

// The last key of a path, without a list position: "model.layers[3].units" → "units".
QString leafOf(const QString& path)
{
    QString leaf = path.section(QLatin1Char('.'), -1);
    return leaf.left(leaf.indexOf(QLatin1Char('[')) < 0 ? leaf.size()
                                                        : leaf.indexOf(QLatin1Char('[')));
}

// Every choice a key has, or none when it is not a choice.
QStringList choicesOf(const QString& path, const QString& leaf, LayerType layerType)
{
    const bool layer = path.startsWith(QStringLiteral("model.layers["));
    if (path == QStringLiteral("training.optimizer.type"))
        return {QString::fromStdString(optimizerName(OptimizerKind::Sgd)),
                QString::fromStdString(optimizerName(OptimizerKind::Adam))};
    if (path == QStringLiteral("training.early_stopping.monitor"))
        return {QString::fromStdString(monitorName(Monitor::ValLoss)),
                QString::fromStdString(monitorName(Monitor::ValAccuracy))};
    if (path == QStringLiteral("training.lr_schedule.type"))
        return {QStringLiteral("constant"), QStringLiteral("step"), QStringLiteral("plateau"),
                QStringLiteral("one_cycle")};
    if (path == QStringLiteral("training.precision"))
        return {QString::fromStdString(precisionName(Precision::Float32)),
                QString::fromStdString(precisionName(Precision::BFloat16Mixed))};
    if (path == QStringLiteral("data.normalization"))
        return {QString::fromStdString(normalizationName(Normalization::Scale)),
                QString::fromStdString(normalizationName(Normalization::Standardize))};
    if (path == QStringLiteral("training.device")) {
        // cuda only where it runs: elsewhere every trial would fail.
        QStringList devices = {QStringLiteral("auto"), QStringLiteral("cpu")};
        if (cudaAvailable())
            devices << QStringLiteral("cuda");
        return devices;
    }
    if (layer && (leaf == QStringLiteral("activation") || leaf == QStringLiteral("function")))
        return names(activationNamesFor(layerType));
    if (layer && leaf == QStringLiteral("padding"))
        return {QString::fromStdString(paddingName(Padding::Valid)),
                QString::fromStdString(paddingName(Padding::Same))};
    if (layer && (leaf == QStringLiteral("kernel_init") || leaf == QStringLiteral("bias_init")))
        return names(initKindNames());
    return {};
}

QString numberText(double value, bool integer)
{
    if (integer)
        return QString::number(static_cast<long long>(std::llround(value)));
    // Six significant digits: 0.001 × 10 is 0.01, not 0.010000000000000002.
    return QString::fromStdString(shortestDouble(QString::number(value, 'g', 6).toDouble()));
}

// The neighbours of a number within its key's limits, ascending, without repeats.
QStringList numericNeighbours(const QString& path, const QString& leaf, double value,
                              const KeyLimits& limits)
{
    std::vector<double> candidates;
    const bool logScale =
        leaf == QStringLiteral("learning_rate") || leaf == QStringLiteral("min_lr") ||
        leaf == QStringLiteral("weight_decay") || leaf == QStringLiteral("epsilon");
    const bool seed = leaf == QStringLiteral("seed") || leaf == QStringLiteral("split_seed");
    const bool window = path.startsWith(QStringLiteral("model.layers[")) &&
                        (leaf == QStringLiteral("stride") || leaf == QStringLiteral("pool") ||
                         leaf == QStringLiteral("dilation"));
    if (seed)
        candidates = {value, value + 1, value + 2}; // a few runs of one configuration
    else if (leaf == QStringLiteral("kernel") && path.startsWith(QStringLiteral("model.layers[")))
        candidates = {value - 2, value, value + 2}; // kernels stay odd
    else if (window)
        candidates = {value - 1, value, value + 1};
    else if (value == 0)
        candidates = limits.integer ? std::vector<double>{0, 1, 2}
                     : logScale     ? std::vector<double>{0, 1e-4, 1e-3}
                                    : std::vector<double>{0, 0.1, 0.2};
    else if (logScale)
        candidates = {value / 10, value, value * 10};
    else
        candidates = {limits.integer ? std::floor(value / 2) : value / 2, value, value * 2};

    std::vector<double> kept;
    for (double candidate : candidates) {
        if (!limits.range.contains(candidate)) {
            // Halfway to the bound instead (a momentum of 0.9 doubled is 0.95), if that is
            // a new value inside.
            const double bound = candidate > value ? limits.range.max : limits.range.min;
            candidate = limits.integer ? std::round((value + bound) / 2) : (value + bound) / 2;
            if (!limits.range.contains(candidate))
                continue;
        }
        if (std::find(kept.begin(), kept.end(), candidate) == kept.end())
            kept.push_back(candidate);
    }
    std::sort(kept.begin(), kept.end());
    QStringList values;
    for (double v : kept) {
        const QString text = numberText(v, limits.integer);
        if (!values.contains(text))
            values << text;
    }
    return values;
}

} // namespace

SuggestedParameter suggestParameter(const QString& keyPath, const QString& currentValueYaml,
                                    LayerType layerType)
{
    SuggestedParameter suggestion;
    suggestion.name = keyPath;
    const QString current = currentValueYaml.trimmed();
    const QString leaf = leafOf(keyPath);

    if (keyPath == QStringLiteral("training.optimizer")) {
        // Whole optimizers, named by type: the current one and the other type.
        static const QRegularExpression type(QStringLiteral("type:\\s*([A-Za-z_]+)"));
        const QString kind = type.match(current).captured(1);
        suggestion.name = QStringLiteral("optimizer");
        const bool adam = kind == QStringLiteral("adam");
        suggestion.labels = {adam ? QStringLiteral("adam") : QStringLiteral("sgd"),
                             adam ? QStringLiteral("sgd") : QStringLiteral("adam")};
        suggestion.values = {current, adam ? kSgdNesterov : kAdam};
        return suggestion;
    }
    if (keyPath == QStringLiteral("training.early_stopping")) {
        suggestion.name = QStringLiteral("early_stopping");
        suggestion.values = {current, current == QStringLiteral("false") ? kEarlyStopping
                                                                         : QStringLiteral("false")};
        return suggestion;
    }
    if (current == QStringLiteral("true") || current == QStringLiteral("false")) {
        suggestion.values = {current, current == QStringLiteral("true") ? QStringLiteral("false")
                                                                        : QStringLiteral("true")};
        return suggestion;
    }
    const QStringList choices = choicesOf(keyPath, leaf, layerType);
    if (!choices.isEmpty()) {
        // Every choice; a current value with parameters ({type: normal, std: 0.01}) first,
        // in place of its bare name.
        suggestion.values = choices;
        if (!choices.contains(current) && !current.isEmpty()) {
            static const QRegularExpression type(QStringLiteral("type:\\s*([A-Za-z_]+)"));
            suggestion.values.removeAll(type.match(current).captured(1));
            suggestion.values.prepend(current);
        }
        return suggestion;
    }
    bool isNumber = false;
    const double value = current.toDouble(&isNumber);
    const std::optional<KeyLimits> limits = presetKeyLimits(keyPath.toStdString());
    if (isNumber && limits && std::isfinite(value))
        suggestion.values = numericNeighbours(keyPath, leaf, value, *limits);
    if (suggestion.values.isEmpty())
        suggestion.values = {current}; // a list, a name: the user writes the others
    return suggestion;
}

} // namespace atelier::ui
