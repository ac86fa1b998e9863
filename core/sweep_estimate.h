// How long a sweep may take on this machine, before it starts: a few training steps of its
// smallest and largest trial (by forward FLOPs) are timed, every trial's time is interpolated
// from its FLOPs, times the images it pushes through (docs/sweeps.md, "sweep plan"), plus the
// per-trial process start and data loading. An upper bound: early stopping ends most trials
// sooner. Shared by `atelier-cli sweep plan` and the studio's Search view.
#pragma once

#include "sweep_plan.h"

#include <optional>
#include <string>

namespace atelier {

// Training steps timed per calibrated trial, after three warm-up steps (at least 0.2 s).
constexpr int kEstimateCalibrationSteps = 20;

struct SweepEstimateOptions
{
    int jobs = 1;             // trials at once
    int threads = 0;          // threads per trial; 0: the cores divided between the jobs
    long long imageLimit = 0; // --limit: each trial trains on this many images (0: all)
    double processStartSeconds =
        0; // what starting one trial process costs (measured by the caller)
    // Where the data set is, to time loading it ("" the default place); nullopt leaves the
    // loading out. A directory without the data also leaves it out (planning for a cluster).
    std::optional<std::string> dataDirectory;
};

struct SweepEstimate
{
    double wallSeconds = 0; // every trial running all its epochs, `jobs` at a time
    int threads = 0;        // threads each trial was timed with
    int smallestTrial = -1; // index of the trial with the fewest forward FLOPs
    double smallestMicrosecondsPerImage = 0;
    int largestTrial = -1;
    double largestMicrosecondsPerImage = 0;
    double startSeconds = 0; // per trial
    double loadSeconds = 0;  // per trial; 0 when not timed
};

// Times the plan's smallest and largest trial (on the CPU, with `threads` LibTorch threads,
// the process's own count restored afterwards) and adds everything up. A plan without
// trials gives an estimate of 0 with no trial indices. Throws ModelError for an invalid
// model.
SweepEstimate estimateSweepDuration(const SweepPlan& plan, const SweepEstimateOptions& options);

} // namespace atelier
