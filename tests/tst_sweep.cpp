// Sweep files and plans: the shipped searches load and have the study's grid sizes and trial
// counts; the seeded draw is deterministic, never repeats a configuration and grows without
// changing its start; tied, sub-map and range parameters put the right values in each trial's
// preset; invalid points are skipped and counted; every schema mistake is reported at its line
// and column; a resolved sweep reads back to the same space and plan.
#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/preset.h"
#include "core/sweep.h"
#include "core/sweep_plan.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <set>

using namespace atelier;

namespace {

// A five-layer MLP base, inline. Lines 1-14; tests append lines from 15 on.
const std::string kBase = R"(name: t
base:
  model:
    input: [784]
    layers:
      - {type: dense, units: 64, activation: relu}
      - {type: dropout, rate: 0.2}
      - {type: dense, units: 32, activation: relu}
      - {type: dropout, rate: 0.2}
      - {type: dense, units: 10, activation: softmax}
  training:
    optimizer: {type: adam, learning_rate: 0.001}
    batch_size: 64
    epochs: 2
)";

SweepParseResult parse(const std::string& yaml, const std::string& baseDirectory = "")
{
    return parseSweep(yaml, "sweep.yaml", baseDirectory);
}

QStringList problemsOf(const std::string& yaml, const std::string& baseDirectory = "")
{
    QStringList lines;
    for (const PresetProblem& problem : parse(yaml, baseDirectory).problems)
        lines << QString::fromStdString(problem.toString());
    return lines;
}

SweepSpec parsedOk(const std::string& yaml, const std::string& baseDirectory = "")
{
    SweepParseResult result = parse(yaml, baseDirectory);
    if (!result.problems.empty()) {
        QStringList lines;
        for (const PresetProblem& problem : result.problems)
            lines << QString::fromStdString(problem.toString());
        qWarning("%s", qPrintable(lines.join("\n")));
    }
    return result.spec;
}

std::string shippedPath(const char* file)
{
    return std::string(ATELIER_SWEEPS_DIR) + "/" + file;
}

QString labelsOf(const TrialConfig& trial)
{
    QStringList labels;
    for (const std::string& label : trial.labels)
        labels << QString::fromStdString(label);
    return labels.join(" | ");
}

std::size_t parameterIndex(const SweepSpec& spec, const std::string& name)
{
    for (std::size_t p = 0; p < spec.parameters.size(); ++p)
        if (spec.parameters[p].name == name)
            return p;
    qFatal("no parameter %s", name.c_str());
    return 0;
}

void writeFile(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Two plans are the same when they give the same trials, in order, with the same presets.
void comparePlans(const SweepPlan& a, const SweepPlan& b)
{
    QCOMPARE(a.gridPoints, b.gridPoints);
    QCOMPARE(a.requested, b.requested);
    QCOMPARE(a.invalid, b.invalid);
    QCOMPARE(a.trials.size(), b.trials.size());
    for (std::size_t i = 0; i < a.trials.size(); ++i) {
        QCOMPARE(a.trials[i].candidate, b.trials[i].candidate);
        QCOMPARE(labelsOf(a.trials[i]), labelsOf(b.trials[i]));
        QCOMPARE(a.trials[i].valueYamls, b.trials[i].valueYamls);
        QVERIFY2(a.trials[i].preset == b.trials[i].preset, qPrintable(labelsOf(a.trials[i])));
    }
}

} // namespace

class TestSweep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedSweepsLoad_data()
    {
        QTest::addColumn<QString>("file");
        const QDir sweeps(ATELIER_SWEEPS_DIR);
        const QStringList files = sweeps.entryList({"*.yaml"}, QDir::Files, QDir::Name);
        QVERIFY(files.contains("mlp_talos.yaml"));
        QVERIFY(files.contains("cnn_talos.yaml"));
        QVERIFY(files.contains("quick.yaml"));
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << sweeps.filePath(file);
    }

    void shippedSweepsLoad()
    {
        QFETCH(QString, file);
        const std::string path = file.toStdString();
        const std::string text = readFileBounded(path, kMaxSweepBytes);
        const QStringList problems = problemsOf(text, ATELIER_SWEEPS_DIR);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
        const SweepSpec spec = loadSweep(path);
        QCOMPARE(QString::fromStdString(spec.name), QFileInfo(file).completeBaseName());
        QVERIFY(!spec.description.empty());
        QVERIFY(!spec.parameters.empty());
        QCOMPARE(spec.objective, SweepObjective::ValAccuracy);
        const SweepPlan plan = planSweep(spec);
        QVERIFY(!plan.trials.empty());
        QCOMPARE(plan.trials.size(), std::size_t(plan.requested));
        QVERIFY2(plan.shortfall.empty(), plan.shortfall.c_str());
    }

    void mlpTalosIs64TrialsOf324()
    {
        const SweepSpec spec = loadSweep(shippedPath("mlp_talos.yaml"));
        QCOMPARE(spec.method, SweepMethod::Random);
        QCOMPARE(spec.fraction, 0.2);
        QCOMPARE(spec.trials, 0);
        const SweepPlan plan = planSweep(spec, InvalidCount::WholeGrid);
        QCOMPARE(plan.gridPoints, std::uint64_t(324));
        QVERIFY(!plan.continuous);
        QCOMPARE(plan.requested, std::uint64_t(64));
        QCOMPARE(plan.trials.size(), std::size_t(64));
        QCOMPARE(plan.invalid, std::uint64_t(0));
        QCOMPARE(plan.examined, std::uint64_t(324));
        for (const TrialConfig& trial : plan.trials) {
            QVERIFY(trial.preset.training.earlyStopping.enabled);
            QCOMPARE(trial.preset.training.earlyStopping.monitor, Monitor::ValLoss);
            QCOMPARE(trial.preset.model.layers.size(), std::size_t(5));
            QVERIFY(trial.parameters > 0);
            QVERIFY(trial.forwardFlops > 0);
        }
    }

    void cnnTalosIs172TrialsOf1728WithInvalidPointsSkipped()
    {
        const SweepSpec spec = loadSweep(shippedPath("cnn_talos.yaml"));
        QCOMPARE(spec.method, SweepMethod::Random);
        QCOMPARE(spec.fraction, 0.1);
        const SweepPlan plan = planSweep(spec);
        QCOMPARE(plan.gridPoints, std::uint64_t(1728));
        QCOMPARE(plan.requested, std::uint64_t(172));
        QCOMPARE(plan.trials.size(), std::size_t(172));
        QVERIFY2(plan.shortfall.empty(), plan.shortfall.c_str());
        // The draw went past the invalid candidates it met.
        QVERIFY(plan.invalid > 0);
        QCOMPARE(plan.examined, std::uint64_t(172) + plan.invalid);
        QVERIFY(plan.trials.back().candidate >= 172);
        for (std::size_t i = 0; i < plan.trials.size(); ++i) {
            QCOMPARE(plan.trials[i].index, int(i));
            if (i > 0)
                QVERIFY(plan.trials[i].candidate > plan.trials[i - 1].candidate);
            QVERIFY(plan.trials[i].preset.training.earlyStopping.enabled);
            QCOMPARE(plan.trials[i].preset.model.layers[1].type, LayerType::BatchNorm);
        }

        // The whole grid: kernel 5 + stride 2 + padding valid (1 point in 8) leaves the second
        // pool a 1×1 map.
        const SweepPlan whole = planSweep(spec, InvalidCount::WholeGrid);
        QCOMPARE(whole.examined, std::uint64_t(1728));
        QCOMPARE(whole.invalid, std::uint64_t(1728 / 8));
        QCOMPARE(whole.trials.size(), std::size_t(172));
        QVERIFY(!whole.invalidReasons.empty());
        std::uint64_t counted = 0;
        for (const InvalidReason& reason : whole.invalidReasons)
            counted += reason.count;
        QCOMPARE(counted, whole.invalid);
        const InvalidReason& first = whole.invalidReasons.front();
        QVERIFY2(QString::fromStdString(first.reason).contains(QRegularExpression("^layer \\d+ ")),
                 first.reason.c_str());
        QVERIFY2(QString::fromStdString(first.reason).startsWith("layer 8 max_pool2d: pool 2×2 "
                                                                 "is larger than its 1×1 input"),
                 first.reason.c_str());
        QCOMPARE(first.example.size(), spec.parameters.size());
        const std::size_t kernel = parameterIndex(spec, "kernel");
        const std::size_t stride = parameterIndex(spec, "stride");
        const std::size_t padding = parameterIndex(spec, "padding");
        QCOMPARE(first.example[kernel], std::string("5"));
        QCOMPARE(first.example[stride], std::string("2"));
        QCOMPARE(first.example[padding], std::string("valid"));
        // No trial is one of them.
        for (const TrialConfig& trial : whole.trials)
            QVERIFY(!(trial.labels[kernel] == "5" && trial.labels[stride] == "2" &&
                      trial.labels[padding] == "valid"));
    }

    void drawIsDeterministicAndNeverRepeats_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("mlp_talos") << "mlp_talos.yaml";
        QTest::newRow("cnn_talos") << "cnn_talos.yaml";
    }

    void drawIsDeterministicAndNeverRepeats()
    {
        QFETCH(QString, file);
        const SweepSpec spec = loadSweep(shippedPath(qPrintable(file)));
        const SweepPlan a = planSweep(spec);
        const SweepPlan b = planSweep(loadSweep(shippedPath(qPrintable(file))));
        comparePlans(a, b);
        std::set<QString> seen;
        std::set<std::uint64_t> candidates;
        for (const TrialConfig& trial : a.trials) {
            QVERIFY2(seen.insert(labelsOf(trial)).second, qPrintable(labelsOf(trial)));
            QVERIFY(candidates.insert(trial.candidate).second);
        }
        // Another seed draws other points.
        SweepSpec reseeded = spec;
        reseeded.seed = spec.seed + 1;
        const SweepPlan c = planSweep(reseeded);
        QCOMPARE(c.trials.size(), a.trials.size());
        int same = 0;
        for (std::size_t i = 0; i < a.trials.size(); ++i)
            same += labelsOf(a.trials[i]) == labelsOf(c.trials[i]);
        QVERIFY(same < int(a.trials.size()) / 2);
    }

    void largerFractionStartsWithTheSmaller()
    {
        SweepSpec spec = loadSweep(shippedPath("mlp_talos.yaml"));
        spec.fraction = 0.1;
        const SweepPlan small = planSweep(spec);
        spec.fraction = 0.2;
        const SweepPlan large = planSweep(spec);
        QCOMPARE(small.trials.size(), std::size_t(32)); // floor(32.4)
        QCOMPARE(large.trials.size(), std::size_t(64));
        for (std::size_t i = 0; i < small.trials.size(); ++i) {
            QCOMPARE(small.trials[i].candidate, large.trials[i].candidate);
            QCOMPARE(labelsOf(small.trials[i]), labelsOf(large.trials[i]));
            QVERIFY(small.trials[i].preset == large.trials[i].preset);
        }
        // Also when invalid points are skipped on the way.
        SweepSpec cnn = loadSweep(shippedPath("cnn_talos.yaml"));
        cnn.fraction = 0.05;
        const SweepPlan cnnSmall = planSweep(cnn);
        cnn.fraction = 0.1;
        const SweepPlan cnnLarge = planSweep(cnn);
        QCOMPARE(cnnSmall.trials.size(), std::size_t(86));
        for (std::size_t i = 0; i < cnnSmall.trials.size(); ++i) {
            QCOMPARE(cnnSmall.trials[i].candidate, cnnLarge.trials[i].candidate);
            QCOMPARE(labelsOf(cnnSmall.trials[i]), labelsOf(cnnLarge.trials[i]));
        }
    }

    void tiedParametersPutOneValueAtEveryPath()
    {
        const SweepSpec spec = loadSweep(shippedPath("mlp_talos.yaml"));
        const std::size_t dropout = parameterIndex(spec, "dropout");
        const std::size_t init = parameterIndex(spec, "kernel_init");
        QCOMPARE(spec.parameters[dropout].paths.size(), std::size_t(2));
        const SweepPlan plan = planSweep(spec);
        std::set<std::string> rates, inits;
        for (const TrialConfig& trial : plan.trials) {
            const auto& layers = trial.preset.model.layers;
            QCOMPARE(layers[1].rate, layers[3].rate);
            QVERIFY(trial.numbers[dropout].has_value());
            QCOMPARE(layers[1].rate, *trial.numbers[dropout]);
            rates.insert(trial.labels[dropout]);
            const Initializer expected = Initializer::of(
                trial.labels[init] == "he_uniform" ? InitKind::HeUniform : InitKind::GlorotUniform);
            QCOMPARE(layers[0].kernelInit, expected);
            QCOMPARE(layers[2].kernelInit, expected);
            inits.insert(trial.labels[init]);
        }
        QCOMPARE(rates.size(), std::size_t(3));
        QCOMPARE(inits.size(), std::size_t(2));

        const SweepSpec cnn = loadSweep(shippedPath("cnn_talos.yaml"));
        const std::size_t kernel = parameterIndex(cnn, "kernel");
        const std::size_t stride = parameterIndex(cnn, "stride");
        for (const TrialConfig& trial : planSweep(cnn).trials) {
            const auto& layers = trial.preset.model.layers;
            const int k = std::stoi(trial.labels[kernel]), s = std::stoi(trial.labels[stride]);
            QCOMPARE(layers[0].kernel, Size2::square(k));
            QCOMPARE(layers[4].kernel, Size2::square(k));
            QCOMPARE(layers[0].stride, Size2::square(s));
            QCOMPARE(layers[4].stride, Size2::square(s));
            QCOMPARE(layers[0].padding, layers[4].padding);
            QCOMPARE(layers[8].rate, layers[11].rate);
        }
    }

    void subMapChoicesReplaceTheOptimizer()
    {
        const SweepSpec spec = loadSweep(shippedPath("mlp_talos.yaml"));
        const std::size_t optimizer = parameterIndex(spec, "optimizer");
        QCOMPARE(spec.parameters[optimizer].paths, std::vector<std::string>{"training.optimizer"});
        QCOMPARE(spec.parameters[optimizer].values.size(), std::size_t(2));
        QCOMPARE(spec.parameters[optimizer].values[0].label, std::string("sgd_nesterov"));
        QVERIFY(!spec.parameters[optimizer].values[0].number);
        std::set<std::string> seen;
        for (const TrialConfig& trial : planSweep(spec).trials) {
            const OptimizerConfig& o = trial.preset.training.optimizer;
            seen.insert(trial.labels[optimizer]);
            if (trial.labels[optimizer] == "sgd_nesterov") {
                QCOMPARE(o.kind, OptimizerKind::Sgd);
                QCOMPARE(o.learningRate, 0.01);
                QCOMPARE(o.momentum, 0.9);
                QVERIFY(o.nesterov);
            } else {
                QCOMPARE(trial.labels[optimizer], std::string("adam"));
                QCOMPARE(o.kind, OptimizerKind::Adam);
                QCOMPARE(o.learningRate, 0.001);
                QCOMPARE(o.momentum, 0.0);
                QVERIFY(!o.nesterov);
            }
        }
        QCOMPARE(seen.size(), std::size_t(2));

        // A later parameter sets a key inside the chosen sub-map.
        const SweepSpec nested = parsedOk(kBase + R"(space:
  optimizer:
    path: training.optimizer
    values:
      sgd: {type: sgd, learning_rate: 0.05}
      adam: {type: adam}
  training.optimizer.learning_rate: [0.01, 0.002]
)");
        const SweepPlan plan = planSweep(nested);
        QCOMPARE(plan.trials.size(), std::size_t(4));
        QCOMPARE(plan.trials[0].preset.training.optimizer.kind, OptimizerKind::Sgd);
        QCOMPARE(plan.trials[0].preset.training.optimizer.learningRate, 0.01);
        QCOMPARE(plan.trials[3].preset.training.optimizer.kind, OptimizerKind::Adam);
        QCOMPARE(plan.trials[3].preset.training.optimizer.learningRate, 0.002);
    }

    void rangesDrawWithinTheirBounds()
    {
        const std::string yaml = kBase + R"(method: random
trials: 60
seed: 7
space:
  training.optimizer.learning_rate: {log_uniform: [0.0001, 0.1]}
  model.layers[1].units: {int: [16, 40]}
  rate:
    paths:
      - model.layers[2].rate
      - model.layers[4].rate
    uniform: [0.1, 0.5]
  training.batch_size: [32, 64]
)";
        const SweepParseResult parsed = parse(yaml);
        QVERIFY2(parsed.problems.empty(), qPrintable(problemsOf(yaml).join("\n")));
        const SweepSpec& spec = parsed.spec;
        QVERIFY(spec.hasRanges());
        QCOMPARE(spec.parameters[0].range->kind, RangeKind::LogUniform);
        QCOMPARE(spec.parameters[1].range->kind, RangeKind::Int);
        QCOMPARE(spec.parameters[2].range->kind, RangeKind::Uniform);
        const SweepPlan plan = planSweep(spec);
        QVERIFY(plan.continuous);
        QCOMPARE(plan.gridPoints, std::uint64_t(2));
        QCOMPARE(plan.trials.size(), std::size_t(60));
        QVERIFY2(plan.shortfall.empty(), plan.shortfall.c_str());
        int belowMilli = 0;
        std::set<int> units;
        std::set<int> batches;
        for (const TrialConfig& trial : plan.trials) {
            const Preset& p = trial.preset;
            const double lr = p.training.optimizer.learningRate;
            QVERIFY2(lr >= 0.0001 && lr <= 0.1, qPrintable(QString::number(lr)));
            QCOMPARE(*trial.numbers[0], lr);
            belowMilli += lr < 0.001;
            const int u = p.model.layers[0].units;
            QVERIFY(u >= 16 && u <= 40);
            QCOMPARE(trial.labels[1], std::to_string(u)); // integral: no decimal point
            QCOMPARE(*trial.numbers[1], double(u));
            units.insert(u);
            const double rate = p.model.layers[1].rate;
            QVERIFY(rate >= 0.1 && rate <= 0.5);
            QCOMPARE(p.model.layers[3].rate, rate);
            batches.insert(p.training.batchSize);
        }
        // Spread over the range: log-uniform puts a third below 0.001 (uniform: 1%).
        QVERIFY2(belowMilli >= 8, qPrintable(QString::number(belowMilli)));
        QVERIFY(units.size() >= 10);
        QCOMPARE(batches, (std::set<int>{32, 64}));
        // Deterministic, and trial k does not depend on how many trials were asked for.
        comparePlans(plan, planSweep(spec));
        SweepSpec fewer = spec;
        fewer.trials = 10;
        const SweepPlan start = planSweep(fewer);
        QCOMPARE(start.trials.size(), std::size_t(10));
        for (std::size_t i = 0; i < 10; ++i)
            QCOMPARE(labelsOf(start.trials[i]), labelsOf(plan.trials[i]));
    }

    void gridRunsEveryPointInOrder()
    {
        const SweepSpec spec = loadSweep(shippedPath("quick.yaml"));
        QCOMPARE(spec.method, SweepMethod::Grid);
        const SweepPlan plan = planSweep(spec);
        QCOMPARE(plan.gridPoints, std::uint64_t(4));
        QCOMPARE(plan.requested, std::uint64_t(4));
        QCOMPARE(plan.trials.size(), std::size_t(4));
        const QStringList expected = {"32 | 64", "32 | 128", "64 | 64", "64 | 128"};
        for (int i = 0; i < 4; ++i) {
            const TrialConfig& trial = plan.trials[std::size_t(i)];
            QCOMPARE(trial.index, i);
            QCOMPARE(trial.candidate, std::uint64_t(i));
            QCOMPARE(labelsOf(trial), expected[i]);
            QCOMPARE(trial.preset.model.layers[0].units, expected[i].section(" | ", 0, 0).toInt());
            QCOMPARE(trial.preset.training.batchSize, expected[i].section(" | ", 1, 1).toInt());
            QVERIFY(trial.preset.training.epochs <= 2);
        }
        QCOMPARE(describeTrial(spec, plan.trials[1]),
                 std::string("model.layers[1].units=32 training.batch_size=128"));
    }

    void invalidPointsAreCountedWithTheirReason()
    {
        const std::string yaml = R"(name: pools
base:
  model:
    input: [1, 28, 28]
    layers:
      - {type: conv2d, filters: 4, kernel: 3, activation: relu}
      - {type: max_pool2d, pool: 2}
      - {type: flatten}
      - {type: dense, units: 10, activation: softmax}
space:
  model.layers[2].pool: [2, 27, 13, 30]
  model.layers[1].filters: [4, 8]
)";
        const SweepSpec spec = parsedOk(yaml);
        QVERIFY(parse(yaml).problems.empty());
        const SweepPlan plan = planSweep(spec);
        QCOMPARE(plan.gridPoints, std::uint64_t(8));
        QCOMPARE(plan.examined, std::uint64_t(8));
        QCOMPARE(plan.invalid, std::uint64_t(4));
        QCOMPARE(plan.trials.size(), std::size_t(4));
        QVERIFY(!plan.shortfall.empty());
        QCOMPARE(plan.invalidReasons.size(), std::size_t(2));
        QCOMPARE(plan.invalidReasons[0].count, std::uint64_t(2));
        QCOMPARE(plan.invalidReasons[1].count, std::uint64_t(2));
        QStringList reasons;
        for (const InvalidReason& reason : plan.invalidReasons)
            reasons << QString::fromStdString(reason.reason);
        QVERIFY2(reasons.contains("layer 2 max_pool2d: pool 27×27 is larger than its 26×26 input"),
                 qPrintable(reasons.join("\n")));
        QVERIFY2(reasons.contains("layer 2 max_pool2d: pool 30×30 is larger than its 26×26 input"),
                 qPrintable(reasons.join("\n")));
        // Trials keep grid order, skipping the invalid points; indices stay contiguous.
        QStringList trials;
        for (const TrialConfig& trial : plan.trials)
            trials << QString::number(trial.index) + ":" + QString::number(trial.candidate) + ":" +
                          labelsOf(trial);
        QCOMPARE(trials, QStringList({"0:0:2 | 4", "1:1:2 | 8", "2:4:13 | 4", "3:5:13 | 8"}));
    }

    void moreTrialsThanPointsRunsThemAll()
    {
        const std::string yaml = kBase + R"(method: random
trials: 1000
space:
  model.layers[1].units: [16, 32]
  training.batch_size: [32, 64]
)";
        const SweepSpec spec = parsedOk(yaml);
        QVERIFY(parse(yaml).problems.empty());
        const SweepPlan plan = planSweep(spec);
        QCOMPARE(plan.gridPoints, std::uint64_t(4));
        QCOMPARE(plan.requested, std::uint64_t(1000));
        QCOMPARE(plan.trials.size(), std::size_t(4));
        QVERIFY(!plan.shortfall.empty());
        QVERIFY2(QString::fromStdString(plan.shortfall).contains("1,000"), plan.shortfall.c_str());
        std::set<std::uint64_t> points;
        std::set<QString> labels;
        for (const TrialConfig& trial : plan.trials)
            labels.insert(labelsOf(trial));
        QCOMPARE(labels.size(), std::size_t(4));
    }

    void baseFromAFileRelativeToTheSweep()
    {
        const std::string yaml = R"(base: mlp_tuned.yaml
space:
  training.batch_size: [32, 64]
)";
        const SweepParseResult result = parse(yaml, ATELIER_PRESETS_DIR);
        QVERIFY2(result.problems.empty(), qPrintable(problemsOf(yaml, ATELIER_PRESETS_DIR).join("\n")));
        const SweepPlan plan = planSweep(result.spec);
        QCOMPARE(plan.trials.size(), std::size_t(2));
        Preset expected = loadPreset(std::string(ATELIER_PRESETS_DIR) + "/mlp_tuned.yaml");
        Preset trial = plan.trials[1].preset;
        QCOMPARE(trial.training.batchSize, 64);
        trial.name = expected.name;
        trial.description = expected.description;
        QVERIFY(trial == expected);
        QCOMPARE(result.spec.name, std::string("sweep")); // from "sweep.yaml"
    }

    void problemsAreLocated_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        const QString base = QString::fromStdString(kBase);
        QTest::newRow("unknown key path, closest named")
            << base + "space:\n  training.optimiser.learning_rate: [0.01, 0.1]\n"
            << "sweep.yaml:16:3 space.training.optimiser.learning_rate: no key path "
               "'training.optimiser.learning_rate' in the base preset (training.optimiser is "
               "not in the base preset); the closest is training.optimizer.learning_rate";
        QTest::newRow("unknown last key: the preset schema suggests")
            << base + "space:\n  training.batch_sise: [16]\n"
            << "sweep.yaml:16:25 space.training.batch_sise: unknown key 'batch_sise'; did you "
               "mean 'batch_size'? (the value 16 at training.batch_sise)";
        QTest::newRow("value out of range")
            << base + "space:\n  training.batch_size: [32, 0]\n"
            << "sweep.yaml:16:29 space.training.batch_size: 0 is out of range [1, 60000] (the "
               "value 0 at training.batch_size)";
        QTest::newRow("value of the wrong type")
            << base + "space:\n  training.batch_size: [32, many]\n"
            << "sweep.yaml:16:29 space.training.batch_size: expected an integer, got 'many'";
        QTest::newRow("tied value wrong for one path")
            << base + "space:\n  both:\n    paths:\n      - model.layers[2].rate\n"
                      "      - model.layers[3].units\n    values: [0.5]\n"
            << "sweep.yaml:20:14 space.both.values: expected an integer, got '0.5'";
        QTest::newRow("sub-map choice invalid")
            << base + "space:\n  optimizer:\n    path: training.optimizer\n    values:\n"
                      "      adam: {type: adam, momentum: 0.9}\n"
            << "sweep.yaml:19:13 space.optimizer.values: training.optimizer.momentum unknown key "
               "'momentum'";
        QTest::newRow("layer position out of range")
            << base + "space:\n  model.layers[9].units: [8]\n"
            << "sweep.yaml:16:3 space.model.layers[9].units: no key path 'model.layers[9].units' "
               "in the base preset (model.layers has 5 items (positions 1 to 5))";
        QTest::newRow("layer positions count from 1")
            << base + "space:\n  model.layers[0].units: [8]\n"
            << "sweep.yaml:16:3 space.model.layers[0].units: 'model.layers[0].units' is not a "
               "key path: list positions count from 1";
        QTest::newRow("key of another layer type")
            << base + "space:\n  model.layers[2].units: [8]\n"
            << "sweep.yaml:16:27 space.model.layers[2].units: unknown key 'units'; allowed here: "
               "type, name, rate";
        QTest::newRow("empty space") << base + "space: {}\n"
                                     << "sweep.yaml:15:8 space: is empty";
        QTest::newRow("space not a mapping") << base + "space: [1, 2]\n"
                                             << "sweep.yaml:15:8 space: expected a mapping";
        QTest::newRow("missing space") << base << "sweep.yaml:1:1 space: missing key 'space'";
        QTest::newRow("missing base") << "space:\n  training.batch_size: [32]\n"
                                      << "sweep.yaml:1:1 base: missing key 'base'";
        QTest::newRow("parameter without values")
            << base + "space:\n  training.batch_size: []\n"
            << "sweep.yaml:16:24 space.training.batch_size: has no values";
        QTest::newRow("parameter value not a list")
            << base + "space:\n  training.batch_size: 32\n"
            << "sweep.yaml:16:24 space.training.batch_size: expected a list of values";
        QTest::newRow("fraction 0")
            << base + "method: random\nfraction: 0\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:16:11 fraction: 0 is out of range (0, 1]";
        QTest::newRow("fraction 1.5")
            << base + "method: random\nfraction: 1.5\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:16:11 fraction: 1.5 is out of range (0, 1]";
        QTest::newRow("trials 0")
            << base + "method: random\ntrials: 0\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:16:9 trials: 0 is out of range [1, 100000]";
        QTest::newRow("fraction and trials")
            << base + "method: random\nfraction: 0.5\ntrials: 3\nspace:\n"
                      "  training.batch_size: [32, 64]\n"
            << "sweep.yaml:16:11 fraction: give fraction or trials, not both";
        QTest::newRow("random without a size")
            << base + "method: random\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:15:9 method: random needs fraction";
        QTest::newRow("fraction with grid")
            << base + "method: grid\nfraction: 0.5\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:16:11 fraction: applies to method: random only";
        QTest::newRow("unknown method")
            << base + "method: bayes\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:15:9 method: expected one of grid, random, got 'bayes'";
        QTest::newRow("unknown objective")
            << base + "objective: accuracy\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:15:12 objective: expected one of val_accuracy, val_loss, got 'accuracy'";
        QTest::newRow("unknown top-level key")
            << base + "trails: 3\nspace:\n  training.batch_size: [32, 64]\n"
            << "sweep.yaml:15:1 trails: unknown key 'trails'; did you mean 'trials'?";
        QTest::newRow("range with grid")
            << base + "space:\n  training.optimizer.learning_rate: {log_uniform: [0.0001, 0.1]}\n"
            << "sweep.yaml:16:3 space.training.optimizer.learning_rate: a range has no grid";
        QTest::newRow("range with fraction")
            << base + "method: random\nfraction: 0.5\nspace:\n"
                      "  training.optimizer.learning_rate: {uniform: [0.001, 0.1]}\n"
            << "sweep.yaml:18:3 space.training.optimizer.learning_rate: a range has no grid";
        QTest::newRow("range low above high")
            << base + "method: random\ntrials: 3\nspace:\n"
                      "  training.optimizer.learning_rate: {uniform: [0.1, 0.01]}\n"
            << "sweep.yaml:18:47 space.training.optimizer.learning_rate.uniform: low must be "
               "below high";
        QTest::newRow("log range from 0")
            << base + "method: random\ntrials: 3\nspace:\n"
                      "  training.optimizer.learning_rate: {log_uniform: [0, 0.1]}\n"
            << "space.training.optimizer.learning_rate.log_uniform: 0 is out of range";
        QTest::newRow("range end outside the preset's bounds")
            << base + "method: random\ntrials: 3\nspace:\n"
                      "  model.layers[2].rate: {uniform: [0.0, 1.0]}\n"
            << "sweep.yaml:18:41 space.model.layers[2].rate: 1.0 is out of range [0, 1) (the "
               "value 1.0 at model.layers[2].rate)";
        QTest::newRow("int range not integral")
            << base + "method: random\ntrials: 3\nspace:\n"
                      "  training.batch_size: {int: [16, 64.5]}\n"
            << "space.training.batch_size.int: expected an integer, got '64.5'";
        QTest::newRow("two ranges")
            << base + "method: random\ntrials: 3\nspace:\n"
                      "  training.batch_size: {int: [16, 64], uniform: [1, 2]}\n"
            << "sweep.yaml:18:24 space.training.batch_size: give one range: uniform or int";
        QTest::newRow("duplicate value")
            << base + "space:\n  training.batch_size: [32, 64, 32]\n"
            << "sweep.yaml:16:33 space.training.batch_size: the value 32 is listed twice";
        QTest::newRow("duplicate number written differently")
            << base + "space:\n  model.layers[2].rate: [0.2, 0.20]\n"
            << "sweep.yaml:16:31 space.model.layers[2].rate: the value 0.20 is listed twice";
        QTest::newRow("duplicate name of a sub-map choice")
            << base + "space:\n  optimizer:\n    path: training.optimizer\n    values:\n"
                      "      a: {type: adam}\n      a: {type: sgd}\n"
            << "sweep.yaml:20:7 space.optimizer.values: the name 'a' is listed twice";
        QTest::newRow("duplicate path in two parameters")
            << base + "space:\n  training.batch_size: [32, 64]\n  bs:\n"
                      "    path: training.batch_size\n    values: [16]\n"
            << "sweep.yaml:18:11 space.bs.path: 'training.batch_size' is searched by another "
               "parameter too";
        QTest::newRow("duplicate parameter name")
            << base + "space:\n  training.batch_size: [32, 64]\n  training.batch_size: [16]\n"
            << "sweep.yaml:17:3 space.training.batch_size: duplicate key";
        QTest::newRow("path and paths")
            << base + "space:\n  x:\n    path: training.batch_size\n"
                      "    paths:\n      - training.epochs\n    values: [16]\n"
            << "sweep.yaml:17:5 space.x: give path or paths, not both";
        QTest::newRow("long form without values")
            << base + "space:\n  x:\n    path: training.batch_size\n"
            << "sweep.yaml:17:5 space.x: needs values";
        QTest::newRow("long form unknown key")
            << base + "space:\n  x:\n    path: training.batch_size\n    valeus: [16]\n"
            << "space.x";
        QTest::newRow("invalid inline base")
            << "base:\n  model:\n    layers:\n      - {type: dense, units: 0}\n"
               "space:\n  training.batch_size: [32]\n"
            << "sweep.yaml:4:30 base.model.layers[1].units: 0 is out of range [1, 1000000]";
        QTest::newRow("base not a preset")
            << "base: [1, 2]\nspace:\n  training.batch_size: [32]\n"
            << "sweep.yaml:1:7 base: expected a preset file";
        QTest::newRow("bad sweep name")
            << QString(base).replace("name: t\n", "name: ../x\n") +
                   "space:\n  training.batch_size: [32]\n"
            << "name:";
        QTest::newRow("yaml syntax")
            << base + "space:\n  training.batch_size: [32, 64\n"
            << "sweep.yaml:";
        const QString tens = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
        const QString millionPoints = "space:\n  model.layers[1].units: " + tens +
                                      "\n  model.layers[3].units: " + tens +
                                      "\n  training.batch_size: " + tens +
                                      "\n  training.epochs: " + tens +
                                      "\n  training.seed: " + tens +
                                      "\n  model.layers[2].rate: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, "
                                      "0.6, 0.7, 0.8, 0.9]\n";
        QTest::newRow("a grid of a million trials")
            << base + millionPoints
            << "space: gives 1,000,000 trials (every grid point); at most 100,000";
        QTest::newRow("a fraction of a million points that is still too many")
            << base + "method: random\nfraction: 0.5\n" + millionPoints
            << "space: gives 500,000 trials (the fraction of the grid); at most 100,000";
        QTest::newRow("an alias in the sweep (one value would change every copy)")
            << "base:\n  model:\n    input: [784]\n    layers:\n"
               "      - &drop {type: dropout, rate: 0.2}\n      - *drop\n"
               "      - {type: dense, units: 10, activation: softmax}\n"
               "space:\n  model.layers[1].rate: [0.1, 0.3]\n"
            << "sweep.yaml:6:9: YAML aliases (*name) are not allowed";
        QTest::newRow("one path spelled two ways")
            << base + "space:\n  model.layers[1].units: [8]\n  x:\n"
                      "    path: model.layers[01].units\n    values: [16]\n"
            << "space.x.path: 'model.layers[01].units' is searched by another parameter too";
        QTest::newRow("a parameter named like a column of trials.csv")
            << base + "space:\n  epochs:\n    path: training.epochs\n    values: [1, 2]\n"
            << "sweep.yaml:16:3 space.epochs: 'epochs' names a column of trials.csv already";
        QTest::newRow("a real-valued range on a whole-number key")
            << base + "method: random\ntrials: 3\nspace:\n"
                      "  training.batch_size: {uniform: [16, 128]}\n"
            << "sweep.yaml:18:34 space.training.batch_size: expected an integer, got '51.65'";
        QTest::newRow("bad sweep name at its line")
            << QString(base).replace("name: t\n", "name: ../x\n") +
                   "space:\n  training.batch_size: [32]\n"
            << "sweep.yaml:1:7 name:";
        QTest::newRow("not a mapping") << "- 1\n- 2\n"
                                       << "sweep.yaml:1:1: expected a mapping";
    }

    void problemsAreLocated()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const QStringList problems = problemsOf(yaml.toStdString());
        QVERIFY2(!problems.filter(expected).isEmpty(),
                 qPrintable("expected: " + expected + "\ngot:\n" + problems.join("\n")));
        for (const QString& problem : problems)
            QVERIFY2(problem.size() < 400, qPrintable(problem));
    }

    // One mistake, one problem: no follow-on complaints about the same key.
    void eachMistakeIsReportedOnce_data()
    {
        QTest::addColumn<QString>("yaml");
        const QString base = QString::fromStdString(kBase);
        QTest::newRow("two ranges") << base + "method: random\ntrials: 3\nspace:\n"
                                              "  training.batch_size: {int: [16, 64], uniform: [1, 2]}\n";
        QTest::newRow("range end") << base + "method: random\ntrials: 3\nspace:\n"
                                             "  model.layers[2].rate: {uniform: [0.0, 1.0]}\n";
        QTest::newRow("duplicate value") << base + "space:\n  training.batch_size: [32, 64, 32]\n";
        QTest::newRow("fraction and trials")
            << base + "method: random\nfraction: 0.5\ntrials: 3\nspace:\n"
                      "  training.batch_size: [32, 64]\n";
        QTest::newRow("duplicate name")
            << base + "space:\n  optimizer:\n    path: training.optimizer\n    values:\n"
                      "      a: {type: adam}\n      a: {type: sgd}\n";

        QTest::newRow("fraction with grid")
            << base + "method: grid\nfraction: 0.5\nspace:\n  training.batch_size: [32, 64]\n";
        QTest::newRow("unknown path") << base + "space:\n  training.optimiser.learning_rate: [0.1]\n";
        QTest::newRow("tied value wrong for one path")
            << base + "space:\n  both:\n    paths:\n      - model.layers[2].rate\n"
                      "      - model.layers[3].units\n    values: [0.5]\n";
    }

    void eachMistakeIsReportedOnce()
    {
        QFETCH(QString, yaml);
        const QStringList problems = problemsOf(yaml.toStdString());
        QVERIFY2(problems.size() == 1, qPrintable(problems.join("\n")));
        // Located: a line and a column, not just the file.
        QVERIFY2(problems.front().contains(QRegularExpression("^sweep\\.yaml:\\d+:\\d+ ")),
                 qPrintable(problems.front()));
    }

    void baseFileProblems()
    {
        QTemporaryDir dir;
        const std::string directory = dir.path().toStdString();
        // Missing: named where the sweep names it.
        QStringList problems = problemsOf("base: nothere.yaml\nspace:\n  training.batch_size: [32]\n",
                                          directory);
        QVERIFY2(!problems.filter("sweep.yaml:1:7 base: ").isEmpty(), qPrintable(problems.join("\n")));
        QVERIFY2(!problems.filter("nothere.yaml").isEmpty(), qPrintable(problems.join("\n")));

        // Invalid: its own problems at their lines in the base file, then the sweep's line.
        writeFile(dir.filePath("bad.yaml"), "name: bad\nmodel:\n  layers:\n"
                                            "    - {type: dense, units: 10}\nfoo: 1\n");
        problems = problemsOf("base: bad.yaml\nspace:\n  training.batch_size: [32]\n", directory);
        const QString badPath = dir.filePath("bad.yaml");
        QVERIFY2(!problems.filter(badPath + ":5:1 foo: unknown key 'foo'").isEmpty(),
                 qPrintable(problems.join("\n")));
        QVERIFY2(!problems.filter("sweep.yaml:1:7 base: the base preset " + badPath +
                                  " is invalid")
                      .isEmpty(),
                 qPrintable(problems.join("\n")));

        // loadSweep throws PresetError for bad content, InputError for a missing file.
        writeFile(dir.filePath("s.yaml"), "base: bad.yaml\nspace:\n  training.batch_size: [32]\n");
        try {
            loadSweep(dir.filePath("s.yaml").toStdString());
            QFAIL("no error");
        } catch (const PresetError& e) {
            QVERIFY(e.problems().size() >= 2);
            QCOMPARE(QString::fromStdString(e.problems().front().file), badPath);
        }
        QVERIFY_EXCEPTION_THROWN(loadSweep(dir.filePath("missing.yaml").toStdString()),
                                 InputError);
        // A good base next to the sweep, loaded through loadSweep.
        writeFile(dir.filePath("good.yaml"), "model:\n  input: [784]\n  layers:\n"
                                             "    - {type: dense, units: 10, activation: softmax}\n"
                                             "training: {epochs: 1}\n");
        writeFile(dir.filePath("g.yaml"), "base: good.yaml\nspace:\n  training.batch_size: [8, 16]\n");
        const SweepSpec spec = loadSweep(dir.filePath("g.yaml").toStdString());
        QCOMPARE(spec.name, std::string("g"));
        QCOMPARE(planSweep(spec).trials.size(), std::size_t(2));
    }

    void resolvedSweepReadsBackTheSame_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("mlp_talos") << "mlp_talos.yaml";
        QTest::newRow("cnn_talos") << "cnn_talos.yaml";
        QTest::newRow("quick") << "quick.yaml";
        QTest::newRow("ranges") << "";
        QTest::newRow("file base") << "file base";
    }

    void resolvedSweepReadsBackTheSame()
    {
        QFETCH(QString, file);
        SweepSpec spec;
        if (file.isEmpty())
            spec = parsedOk(kBase + R"(method: random
trials: 12
seed: 3
objective: val_loss
space:
  training.optimizer.learning_rate: {log_uniform: [0.0001, 0.1]}
  model.layers[1].units: {int: [16, 40]}
  rate:
    paths:
      - model.layers[2].rate
      - model.layers[4].rate
    uniform: [0.1, 0.5]
  training.batch_size: [32, 64]
  training.epochs: {int: [1, 100]}
)");
        else if (file == "file base")
            spec = parsedOk("base: cnn_tuned.yaml\nmethod: random\nfraction: 0.5\nspace:\n"
                            "  model.layers[5].filters: [32, 48, 64]\n"
                            "  model.layers[9].rate: [0.25, 0.5]\n",
                            ATELIER_PRESETS_DIR);
        else
            spec = loadSweep(shippedPath(qPrintable(file)));
        QVERIFY(!spec.parameters.empty());
        const std::string yaml = sweepToYaml(spec);
        const SweepParseResult again = parseSweep(yaml, "sweep.yaml", "");
        QStringList problems;
        for (const PresetProblem& problem : again.problems)
            problems << QString::fromStdString(problem.toString());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n") + "\n" +
                                                QString::fromStdString(yaml)));
        QCOMPARE(again.spec.name, spec.name);
        QCOMPARE(again.spec.description, spec.description);
        QCOMPARE(again.spec.method, spec.method);
        QCOMPARE(again.spec.fraction, spec.fraction);
        QCOMPARE(again.spec.trials, spec.trials);
        QCOMPARE(again.spec.seed, spec.seed);
        QCOMPARE(again.spec.objective, spec.objective);
        QCOMPARE(again.spec.parameters.size(), spec.parameters.size());
        for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
            QCOMPARE(again.spec.parameters[p].name, spec.parameters[p].name);
            QCOMPARE(again.spec.parameters[p].paths, spec.parameters[p].paths);
            QCOMPARE(again.spec.parameters[p].values.size(), spec.parameters[p].values.size());
            for (std::size_t v = 0; v < spec.parameters[p].values.size(); ++v) {
                QCOMPARE(again.spec.parameters[p].values[v].label,
                         spec.parameters[p].values[v].label);
                QCOMPARE(again.spec.parameters[p].values[v].number,
                         spec.parameters[p].values[v].number);
            }
        }
        QCOMPARE(sweepFingerprint(again.spec), sweepFingerprint(spec));
        comparePlans(planSweep(again.spec), planSweep(spec));
        // Resolving again changes nothing.
        QCOMPARE(sweepToYaml(again.spec), yaml);
    }

    // The fuzzer's seeds and the inputs it found: each is read (or refused) promptly. One
    // made yaml-cpp's HandleNextDocument answer "another document" forever.
    void fuzzCorpusIsReadPromptly()
    {
        const QDir corpus(ATELIER_SWEEP_CORPUS_DIR);
        const QStringList files = corpus.entryList(QDir::Files);
        QVERIFY(files.contains("hang-malformed-documents.yaml"));
        for (const QString& name : files) {
            QElapsedTimer timer;
            timer.start();
            const SweepParseResult result = parseSweep(
                readTextFile(corpus.filePath(name).toStdString()), name.toStdString(), "");
            QVERIFY2(timer.elapsed() < 5000, qPrintable(name));
            if (name.startsWith("hang"))
                QVERIFY2(!result.problems.empty(), qPrintable(name));
        }
    }

    void fingerprintIgnoresTheTrialCountOnly()
    {
        const SweepSpec spec = loadSweep(shippedPath("mlp_talos.yaml"));
        const std::string print = sweepFingerprint(spec);
        QCOMPARE(print.size(), std::size_t(16));
        SweepSpec other = spec;
        other.fraction = 0.1;
        QCOMPARE(sweepFingerprint(other), print);
        other.fraction = 0;
        other.trials = 5;
        QCOMPARE(sweepFingerprint(other), print);
        other = spec;
        other.seed = spec.seed + 1;
        QVERIFY(sweepFingerprint(other) != print);
        other = spec;
        other.objective = SweepObjective::ValLoss;
        QVERIFY(sweepFingerprint(other) != print);
        other = spec;
        other.parameters[0].values.pop_back();
        QVERIFY(sweepFingerprint(other) != print);
        other = spec;
        other.baseYaml += "\ndata: {dev_fraction: 0.1}\n";
        QVERIFY(sweepFingerprint(other) != print);
        QVERIFY(sweepFingerprint(loadSweep(shippedPath("cnn_talos.yaml"))) != print);
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
