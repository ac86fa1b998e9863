// Keras-style progress on stderr for `atelier-cli train`: a live line within the epoch
// when stderr is a terminal, one summary line per epoch.
#pragma once

#include "core/training.h"

#include <cstdint>

namespace atelier::cli {

class ProgressPrinter
{
public:
    ProgressPrinter(bool quiet, bool interactive) : m_quiet(quiet), m_interactive(interactive) {}

    void batch(const BatchProgress& progress);
    void epoch(const EpochReport& report, int epochs);
    // Ends a live line that an interruption left open.
    void finish();

private:
    bool m_quiet;
    bool m_interactive;
    bool m_lineOpen = false;
    int m_epoch = 0;
    double m_lossSum = 0;
    std::int64_t m_lossCount = 0;
    double m_samplesPerSecond = 0; // training pace of the current epoch
};

} // namespace atelier::cli
