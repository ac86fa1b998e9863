// What the sweep being built would do, in words: its problems (file:line, from the sweep
// reader), the size of its space, its trials and the points that are not trainable models,
// with their reasons. Computed off the GUI thread (a whole grid is checked), so it takes
// plain values and returns plain values; the estimated duration likewise.
#pragma once

#include "core/sweep.h"
#include "core/sweep_plan.h"

#include <QString>
#include <optional>

namespace atelier::ui {

struct SweepSummary
{
    QString yaml;                        // the text summarized
    std::vector<PresetProblem> problems; // from parseSweep, located in `yaml`
    SweepSpec spec;                      // valid only without problems
    std::optional<SweepPlan> plan;       // planSweep(spec, WholeGrid) when there are no problems
    QString text;                        // everything above in words

    bool valid() const { return problems.empty() && plan.has_value(); }
};

// Parses and plans `yaml` (named `fileName` in problems). Safe on any thread.
SweepSummary summarizeSweep(const QString& yaml, const QString& fileName,
                            const QString& baseDirectory);

struct DurationRequest
{
    QString yaml;
    QString fileName;
    int jobs = 1;
    int threads = 0;          // 0: the cores divided between the jobs
    long long imageLimit = 0; // 0: every training image
    QString cliPath;          // atelier-cli, to time its start; "" assumes kDefaultStartSeconds
    QString dataDirectory;    // "" the default place
};

// Assumed per-trial start of atelier-cli (the dynamic loader maps LibTorch) when it is not
// measured.
constexpr double kDefaultStartSeconds = 0.3;

// Trains a few steps of the smallest and the largest trial (core/sweep_estimate.h) and says
// how long the sweep may take; an explanation instead when it cannot. Safe on any thread.
QString estimateDurationText(const DurationRequest& request);

} // namespace atelier::ui
