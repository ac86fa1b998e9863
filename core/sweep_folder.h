// Sweep folders (contract in docs/sweeps.md): sweep.yaml (the resolved sweep), sweep.json
// (its fingerprint and run settings), trials/NNNN/ (one ordinary run folder per trial) and
// trials.csv, rebuilt from the trial folders under a lock and written atomically. Any number
// of processes may finish trials at once: each trial owns its folder, and the index is never
// appended to blindly.
#pragma once

#include "run_files.h"
#include "sweep.h"
#include "sweep_plan.h"
#include "training_session.h"

#include <memory>
#include <string>
#include <vector>

namespace atelier {

struct FashionMnist;

// What every trial of a sweep shares besides the sweep file, fixed when the folder is made.
struct SweepSettings
{
    std::size_t limit = 0; // train on a class-balanced subset (0: all images)
    std::string device;    // "", "auto", "cpu" or "cuda": empty keeps each trial's preset
    bool operator==(const SweepSettings& o) const { return limit == o.limit && device == o.device; }
};

struct SweepFolder
{
    std::string directory;
    SweepSpec spec;
    SweepSettings settings;
    std::string fingerprint;
};

// Throws InputError when `directory` exists and is neither a sweep folder nor empty (nor a
// sweep folder whose creation was cut short). Nothing is written.
void checkSweepFolderTarget(const std::string& directory);

// One `sweep run` or `sweep slurm` per folder at a time (a flock on DIR/.run.lock, which
// must exist): they write sweep.yaml and start trials. Throws InputError when taken.
class SweepRunLock
{
public:
    explicit SweepRunLock(const std::string& directory);
    ~SweepRunLock();
    SweepRunLock(const SweepRunLock&) = delete;
    SweepRunLock& operator=(const SweepRunLock&) = delete;

private:
    int m_fd;
};

// Creates `directory` with sweep.json and sweep.yaml, or opens the sweep folder there when it
// was made from the same space (a resume); hold its SweepRunLock. Settings left unset (limit
// 0, device "") take the folder's; set ones must agree with it. A folder made from another
// space or with other settings, a folder that is not a sweep folder, and a trial count
// smaller than the trials already run are refused with InputError. `note` says what changed
// when only the number of trials differs (the folder then follows the new count).
SweepFolder prepareSweepFolder(const std::string& directory, const SweepSpec& spec,
                               const SweepSettings& settings, std::string& note);

// Whether `directory` is a sweep folder: it holds sweep.yaml (written after sweep.json, so
// a folder whose creation was cut short is not one yet). Run folders never hold it.
bool isSweepFolder(const std::string& directory);

// Opens an existing sweep folder (InputError naming what is missing or damaged).
SweepFolder openSweepFolder(const std::string& directory);

std::string trialFolderPath(const std::string& directory, int index); // DIR/trials/0007

enum class TrialStatus
{
    Pending,     // not started
    Running,     // a process trains it now (its lock is held)
    Interrupted, // stopped or killed: continues from its checkpoint, or starts again
    Completed,   // ran its epochs or stopped early by its rule
    Diverged,    // the loss became NaN or infinite: finished, never rerun
};

std::string trialStatusName(TrialStatus status);
bool trialFinished(TrialStatus status); // completed or diverged

struct TrialRecord
{
    int index = 0;
    TrialStatus status = TrialStatus::Pending;
    std::string folder;      // relative to the sweep folder: trials/0007
    int epochsDone = 0;      // while running or interrupted: complete epochs so far
    RunMetrics metrics;      // when finished
    double epochSeconds = 0; // when finished: the epochs' wall time, validation included
    std::string problem;     // a damaged metrics.json, in words; the trial counts as interrupted
};

TrialRecord readTrial(const SweepFolder& folder, int index);
std::vector<TrialRecord> readTrials(const SweepFolder& folder, const SweepPlan& plan);

// The objective of a finished trial: dev accuracy or dev loss (NaN when diverged).
double trialObjective(const SweepSpec& spec, const TrialRecord& record);

// trials.csv text: index, status, one column per parameter, params, best_epoch, epochs,
// val_loss, val_accuracy, test_accuracy, seconds, run_folder.
std::string trialsCsv(const SweepSpec& spec, const SweepPlan& plan,
                      const std::vector<TrialRecord>& records);

// Rebuilds DIR/trials.csv from the trial folders, serialised by a lock on DIR/.trials.lock
// (so a slower process never overwrites a newer table), written atomically.
void rebuildTrialsCsv(const SweepFolder& folder, const SweepPlan& plan);

enum class TrialStart
{
    Fresh,            // a new run folder
    Resumed,          // continued from the trial folder's checkpoint
    Restarted,        // it stopped inside its first epoch (no checkpoint): started again
    AlreadyFinished,  // nothing to do
    RunningElsewhere, // another process holds the trial's lock
};

// Held by the process that trains a trial for as long as it runs (a flock on
// DIR/trials/NNNN.lock): two processes given the same trial, such as the tasks of a Slurm
// array submitted twice, never both start, restart or resume it.
class TrialLock
{
public:
    explicit TrialLock(int fd) : m_fd(fd) {}
    ~TrialLock();
    TrialLock(const TrialLock&) = delete;
    TrialLock& operator=(const TrialLock&) = delete;

private:
    int m_fd;
};

struct TrialSession
{
    std::unique_ptr<TrialLock> lock; // released after the session: declared first
    TrialStart start = TrialStart::Fresh;
    std::string detail;                       // why a trial restarted
    std::unique_ptr<TrainingSession> session; // null when there is nothing to train
};

// Opens trial `trial` of the sweep in `folder` for training: fresh, resumed from its
// checkpoint, or nothing when it is finished or trained elsewhere. A trial is never run twice.
// Throws InputError, keeping the folder, when a trial with a completed epoch cannot be
// resumed (another device, damaged files), or when the trial's lock cannot be taken.
TrialSession openTrial(const SweepFolder& folder, const TrialConfig& trial,
                       const FashionMnist& data, SessionOptions options);

} // namespace atelier
