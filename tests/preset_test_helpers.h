// A small valid preset and the problems the reader finds in a text, for the preset suites
// (tst_preset, tst_preset_limits).
#pragma once

#include "core/preset.h"

#include <QStringList>
#include <string>

namespace atelier::test {

inline const char* const kValid = R"(name: demo
model:
  input: [784]
  layers:
    - {type: dense, units: 64, activation: relu}
    - {type: dense, units: 10, activation: softmax}
)";

// Each problem of `yaml` read as p.yaml, as "file:line:col key: message".
inline QStringList problemsOf(const std::string& yaml)
{
    QStringList lines;
    for (const PresetProblem& problem : parsePreset(yaml, "p.yaml").problems)
        lines << QString::fromStdString(problem.toString());
    return lines;
}

} // namespace atelier::test
