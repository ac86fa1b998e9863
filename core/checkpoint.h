// The checkpoint of a run folder (checkpoint.pt): written atomically after every completed
// epoch with everything the next epoch needs (weights, optimizer state, random generator
// states, early-stopping and schedule state, history, every batch loss), so that a crash,
// kill -9 or full disk loses at most the epoch in progress and `train --resume` continues
// exactly where the run stood. This header says what a checkpoint holds without LibTorch.
#pragma once

#include "preset.h"
#include "training.h"

#include <cstddef>
#include <string>
#include <vector>

namespace atelier {

struct CheckpointInfo
{
    int epochsDone = 0;          // complete epochs in the checkpoint
    int epochsPlanned = 0;       // the preset's epochs when the checkpoint was written
    bool stoppedEarly = false;   // the early-stopping rule ended the run: nothing left to train
    std::size_t limit = 0;       // the class-balanced training subset (0: all images)
    std::string dataDirectory;   // where the training data came from
    std::string fingerprint;     // of the architecture, as in weights files
    std::string dataFingerprint; // of the images and labels trained on
    std::string deviceKind;      // "cpu" or "cuda": the generator state is the device's

    // Nothing is left to train; only the final evaluation and files may be missing.
    bool trainingFinished() const { return stoppedEarly || epochsDone >= epochsPlanned; }
};

std::string checkpointPath(const std::string& folder);
bool hasCheckpoint(const std::string& folder);

// Reads the checkpoint's description (not its tensors into a model). Throws InputError
// naming the file when it is missing, unreadable or damaged.
CheckpointInfo readCheckpointInfo(const std::string& folder);

// What the studio shows of a run that a checkpoint can continue: the preset and the complete
// epochs in the checkpoint (history.csv may be one epoch ahead after a crash between the two
// writes; the checkpoint is what a resume continues from).
struct ResumableRun
{
    Preset preset;
    CheckpointInfo checkpoint;
    std::vector<EpochRecord> history;
    std::vector<BatchLoss> batchLosses;
};

// Throws InputError naming the file that is missing or damaged.
ResumableRun loadResumableRun(const std::string& folder);

} // namespace atelier
