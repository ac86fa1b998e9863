// Progress formatting; writes with fprintf so that each line is one write.
#include "progress_printer.h"

#include "core/text_format.h"

#include <cstdio>
#include <string>

namespace atelier::cli {

void ProgressPrinter::batch(const BatchProgress& progress)
{
    if (progress.epoch != m_epoch) {
        m_epoch = progress.epoch;
        m_lossSum = 0;
        m_lossCount = 0;
    }
    m_samplesPerSecond = progress.samplesPerSecond;
    for (float loss : progress.losses) {
        m_lossSum += loss;
        ++m_lossCount;
    }
    if (m_quiet || !m_interactive || m_lossCount == 0)
        return;
    const int done = progress.firstBatch + int(progress.losses.size());
    constexpr int kBarWidth = 30;
    const int filled = int(double(done) / progress.batchesPerEpoch * kBarWidth);
    std::string bar(std::size_t(filled), '=');
    if (filled < kBarWidth)
        bar += '>' + std::string(std::size_t(kBarWidth - filled - 1), '.');
    const double remaining =
        progress.samplesPerSecond > 0 && done > 0
            ? progress.epochSeconds * (double(progress.batchesPerEpoch) / done - 1.0)
            : 0.0;
    std::fprintf(stderr, "\r\033[KEpoch %d/%d %5d/%d [%s] loss: %.4f - %s samples/s - ETA %.0fs",
                 progress.epoch, progress.epochs, done, progress.batchesPerEpoch, bar.c_str(),
                 m_lossSum / double(m_lossCount),
                 withThousands(std::int64_t(progress.samplesPerSecond)).c_str(), remaining);
    std::fflush(stderr);
    m_lineOpen = true;
}

void ProgressPrinter::epoch(const EpochReport& report, int epochs)
{
    if (m_quiet)
        return;
    const EpochRecord& r = report.record;
    if (m_lineOpen)
        std::fputs("\r\033[K", stderr);
    m_lineOpen = false;
    std::fprintf(
        stderr,
        "Epoch %d/%d - %.1fs - %s samples/s - loss: %.4f - accuracy: %.4f - val_loss: %.4f - "
        "val_accuracy: %.4f%s\n",
        r.epoch, epochs, r.seconds, withThousands(std::int64_t(m_samplesPerSecond)).c_str(), r.loss,
        r.accuracy, r.valLoss, r.valAccuracy, report.improved ? " (best)" : "");
}

void ProgressPrinter::finish()
{
    if (m_lineOpen)
        std::fputs("\n", stderr);
    m_lineOpen = false;
}

} // namespace atelier::cli
