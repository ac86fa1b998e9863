// libFuzzer target for every reader of a run folder's text files (core/run_files.h). The
// first input byte picks the reader and its bounds, the rest is the file. Refusing bad input
// with an InputError is the expected outcome; a crash, a sanitizer report, a hang, unbounded
// memory or any other exception is a bug.
#include "core/errors.h"
#include "core/run_files.h"

#include <cstdint>
#include <string>

namespace {

using namespace atelier;

// The bounds of the seed corpus's run (tests/fuzz/corpus/fuzz_run_files): 2 epochs of 63
// batches, 10,000 test images.
constexpr int kEpochs = 2;
constexpr int kBatchesPerEpoch = 63;
constexpr std::int64_t kTestImages = 10000;

enum class Reader : std::uint8_t
{
    Metrics,
    History,
    Confusion,
    Misclassified,
    BatchLosses,
    Count,
};

RunMetrics seedMetrics()
{
    RunMetrics metrics;
    metrics.epochsRun = kEpochs;
    metrics.testCount = kTestImages;
    return metrics;
}

void read(Reader reader, const std::string& text, NonFinite nonFinite, PartialEpoch partial)
{
    const std::string path = "fuzz";
    switch (reader) {
    case Reader::Metrics: {
        const RunMetrics metrics = parseRunMetricsJson(text, path);
        // What loadRun derives from it must stay in range.
        const std::int64_t batches =
            (metrics.trainCount + metrics.batchSize - 1) / metrics.batchSize;
        if (batches < 0 || batches > kMaxSplitImages || metrics.bestEpoch > metrics.epochsRun)
            __builtin_trap();
        break;
    }
    case Reader::History:
        checkHistoryMatchesMetrics(parseHistoryCsv(text, path, nonFinite), seedMetrics(), path);
        break;
    case Reader::Confusion:
        checkConfusionMatchesMetrics(parseConfusionCsv(text, path), seedMetrics(), path);
        break;
    case Reader::Misclassified: {
        const auto errors = parseMisclassifiedCsv(text, path, kTestImages, nonFinite);
        if (errors.size() > std::size_t(kTestImages))
            __builtin_trap();
        checkMisclassifiedMatchesConfusion(errors, ConfusionMatrix{}, path);
        break;
    }
    case Reader::BatchLosses: {
        const BatchLossBounds bounds{kEpochs, kBatchesPerEpoch, partial, nonFinite};
        for (const BatchLoss& b : parseBatchLossesCsv(text, path, bounds))
            if (b.epoch < 1 || b.epoch > kEpochs + 1 || b.batch < 1 || b.batch > kBatchesPerEpoch)
                __builtin_trap();
        break;
    }
    case Reader::Count:
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    // Bits 0-2 of the first byte: the reader; bit 3: a diverged run (NaN allowed); bit 4: a
    // stopped run (a partial epoch of batches kept).
    const auto reader = Reader((data[0] & 7) % std::uint8_t(Reader::Count));
    const NonFinite nonFinite = (data[0] & 8) ? NonFinite::Allowed : NonFinite::Refused;
    const PartialEpoch partial = (data[0] & 16) ? PartialEpoch::Kept : PartialEpoch::Refused;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        read(reader, text, nonFinite, partial);
    } catch (const InputError&) {
        // Refused with a message: the expected outcome for bad input.
    }
    return 0;
}
