// Helpers shared by the sweep-file suites (tst_sweep_reader, tst_sweep_plan): a small inline
// base preset to append spaces to, parsing with the problems as text, and plan comparison.
#pragma once

#include "core/preset.h"
#include "core/sweep.h"
#include "core/sweep_plan.h"

#include <QFile>
#include <QStringList>
#include <QtTest>
#include <string>

namespace atelier::test {

// A five-layer MLP base, inline. Lines 1-14; tests append lines from 15 on.
inline const std::string kBase = R"(name: t
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

inline SweepParseResult parse(const std::string& yaml, const std::string& baseDirectory = "")
{
    return parseSweep(yaml, "sweep.yaml", baseDirectory);
}

inline QStringList problemsOf(const std::string& yaml, const std::string& baseDirectory = "")
{
    QStringList lines;
    for (const PresetProblem& problem : parse(yaml, baseDirectory).problems)
        lines << QString::fromStdString(problem.toString());
    return lines;
}

inline SweepSpec parsedOk(const std::string& yaml, const std::string& baseDirectory = "")
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

inline std::string shippedPath(const char* file)
{
    return std::string(ATELIER_SWEEPS_DIR) + "/" + file;
}

inline QString labelsOf(const TrialConfig& trial)
{
    QStringList labels;
    for (const std::string& label : trial.labels)
        labels << QString::fromStdString(label);
    return labels.join(" | ");
}

inline std::size_t parameterIndex(const SweepSpec& spec, const std::string& name)
{
    for (std::size_t p = 0; p < spec.parameters.size(); ++p)
        if (spec.parameters[p].name == name)
            return p;
    qFatal("no parameter %s", name.c_str());
    return 0;
}

inline void writeTestFile(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Two plans are the same when they give the same trials, in order, with the same presets.
inline void comparePlans(const SweepPlan& a, const SweepPlan& b)
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

// Three ranges (log-uniform, integer, uniform tied to two paths) and a listed value.
inline const std::string kRangesSpace =
    R"(  training.optimizer.learning_rate: {log_uniform: [0.0001, 0.1]}
  model.layers[1].units: {int: [16, 40]}
  rate:
    paths:
      - model.layers[2].rate
      - model.layers[4].rate
    uniform: [0.1, 0.5]
  training.batch_size: [32, 64]
)";

} // namespace atelier::test
