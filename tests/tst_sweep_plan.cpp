// Sweep plans: the shipped searches have the study's grid sizes and trial counts; the seeded
// draw is deterministic, never repeats a configuration and grows without changing its start;
// tied, sub-map and range parameters put the right values in each trial's preset; invalid
// points are skipped and counted; a resolved sweep reads back to the same space and plan.
#include "core/atomic_file.h"
#include "core/errors.h"
#include "sweep_spec_helpers.h"

#include <QtTest>
#include <cmath>
#include <set>

using namespace atelier;
using namespace atelier::test;

class TestSweepPlan : public QObject
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
        QVERIFY2(QString::fromStdString(first.reason)
                     .startsWith("layer 8 max_pool2d: pool 2×2 "
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
        const std::string yaml =
            kBase + "method: random\ntrials: 60\nseed: 7\nspace:\n" + kRangesSpace;
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
            spec = parsedOk(kBase +
                            "method: random\ntrials: 12\nseed: 3\nobjective: val_loss\nspace:\n" +
                            kRangesSpace + "  training.epochs: {int: [1, 100]}\n");
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
        QVERIFY2(problems.isEmpty(),
                 qPrintable(problems.join("\n") + "\n" + QString::fromStdString(yaml)));
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

QTEST_GUILESS_MAIN(TestSweepPlan)
#include "tst_sweep_plan.moc"
