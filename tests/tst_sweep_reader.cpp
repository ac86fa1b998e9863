// Sweep files read to the preset standard: a base preset from a file relative to the sweep,
// every schema mistake reported at its line and column (once), a base preset's own problems
// at its own lines, and the fuzzer's inputs read promptly.
#include "core/atomic_file.h"
#include "core/errors.h"
#include "sweep_spec_helpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <set>

using namespace atelier;
using namespace atelier::test;

class TestSweepReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void baseFromAFileRelativeToTheSweep()
    {
        const std::string yaml = R"(base: mlp_tuned.yaml
space:
  training.batch_size: [32, 64]
)";
        const SweepParseResult result = parse(yaml, ATELIER_PRESETS_DIR);
        QVERIFY2(result.problems.empty(),
                 qPrintable(problemsOf(yaml, ATELIER_PRESETS_DIR).join("\n")));
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
        QTest::newRow("base not a preset") << "base: [1, 2]\nspace:\n  training.batch_size: [32]\n"
                                           << "sweep.yaml:1:7 base: expected a preset file";
        QTest::newRow("bad sweep name") << QString(base).replace("name: t\n", "name: ../x\n") +
                                               "space:\n  training.batch_size: [32]\n"
                                        << "name:";
        QTest::newRow("yaml syntax") << base + "space:\n  training.batch_size: [32, 64\n"
                                     << "sweep.yaml:";
        const QString tens = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
        const QString millionPoints =
            "space:\n  model.layers[1].units: " + tens + "\n  model.layers[3].units: " + tens +
            "\n  training.batch_size: " + tens + "\n  training.epochs: " + tens +
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
        QTest::newRow("two ranges")
            << base + "method: random\ntrials: 3\nspace:\n"
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
        QTest::newRow("unknown path")
            << base + "space:\n  training.optimiser.learning_rate: [0.1]\n";
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
        QStringList problems =
            problemsOf("base: nothere.yaml\nspace:\n  training.batch_size: [32]\n", directory);
        QVERIFY2(!problems.filter("sweep.yaml:1:7 base: ").isEmpty(),
                 qPrintable(problems.join("\n")));
        QVERIFY2(!problems.filter("nothere.yaml").isEmpty(), qPrintable(problems.join("\n")));

        // Invalid: its own problems at their lines in the base file, then the sweep's line.
        writeTestFile(dir.filePath("bad.yaml"), "name: bad\nmodel:\n  layers:\n"
                                                "    - {type: dense, units: 10}\nfoo: 1\n");
        problems = problemsOf("base: bad.yaml\nspace:\n  training.batch_size: [32]\n", directory);
        const QString badPath = dir.filePath("bad.yaml");
        QVERIFY2(!problems.filter(badPath + ":5:1 foo: unknown key 'foo'").isEmpty(),
                 qPrintable(problems.join("\n")));
        QVERIFY2(!problems.filter("sweep.yaml:1:7 base: the base preset " + badPath + " is invalid")
                      .isEmpty(),
                 qPrintable(problems.join("\n")));

        // loadSweep throws PresetError for bad content, InputError for a missing file.
        writeTestFile(dir.filePath("s.yaml"),
                      "base: bad.yaml\nspace:\n  training.batch_size: [32]\n");
        try {
            loadSweep(dir.filePath("s.yaml").toStdString());
            QFAIL("no error");
        } catch (const PresetError& e) {
            QVERIFY(e.problems().size() >= 2);
            QCOMPARE(QString::fromStdString(e.problems().front().file), badPath);
        }
        QVERIFY_EXCEPTION_THROWN(loadSweep(dir.filePath("missing.yaml").toStdString()), InputError);
        // A good base next to the sweep, loaded through loadSweep.
        writeTestFile(dir.filePath("good.yaml"),
                      "model:\n  input: [784]\n  layers:\n"
                      "    - {type: dense, units: 10, activation: softmax}\n"
                      "training: {epochs: 1}\n");
        writeTestFile(dir.filePath("g.yaml"),
                      "base: good.yaml\nspace:\n  training.batch_size: [8, 16]\n");
        const SweepSpec spec = loadSweep(dir.filePath("g.yaml").toStdString());
        QCOMPARE(spec.name, std::string("g"));
        QCOMPARE(planSweep(spec).trials.size(), std::size_t(2));
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
};

QTEST_GUILESS_MAIN(TestSweepReader)
#include "tst_sweep_reader.moc"
