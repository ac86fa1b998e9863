// Readers of a run folder's text files: strict CSV rows and a typed view of metrics.json.
// Numbers are parsed with std::from_chars: locale-free (the studio's locale may use a decimal
// comma), no silent skipping of spaces or trailing text, and range-checked before narrowing.
#include "run_files.h"

#include "dataset.h"
#include "errors.h"
#include "internal/csv_reader.h"
#include "text_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

namespace atelier {
namespace {

using detail::CsvReader;
using detail::shown;

using nlohmann::json;

// metrics.json is a flat object (a later version may nest a little); deeper nesting is
// refused while parsing, before a deep tree is built (and destroyed recursively).
constexpr int kMaxJsonDepth = 8;

constexpr const char* kHistoryHeader = "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds";
constexpr const char* kMisclassifiedHeader = "index,true,predicted,confidence";
constexpr const char* kBatchLossesHeader = "epoch,batch,loss";

// Where a JSON value is shown in a message: scalars as written, containers by kind.
std::string describe(const json& value)
{
    if (value.is_object())
        return "an object";
    if (value.is_array())
        return "an array";
    return shortenedForMessage(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

// Whether a loss key may hold null: nlohmann writes a NaN loss (a diverged run) as null.
enum class NullLoss
{
    Refused,
    ReadAsNaN,
};

// Typed, range-checked reads of metrics.json's keys; every message names the key, and
// nothing is narrowed before its range is checked.
class MetricsKeys
{
public:
    MetricsKeys(const json& object, const std::string& path) : m_object(object), m_path(path) {}

    [[noreturn]] void fail(const std::string& key, const std::string& expected,
                           const json* got) const
    {
        throw InputError(m_path + ": key '" + key + "': expected " + expected +
                         (got ? ", got " + describe(*got) : ", but the key is missing"));
    }

    const json* find(const std::string& key) const
    {
        const auto it = m_object.find(key);
        return it == m_object.end() ? nullptr : &*it;
    }

    std::string text(const std::string& key) const
    {
        const json* value = find(key);
        if (!value || !value->is_string())
            fail(key, "a string", value);
        return value->get<std::string>();
    }

    std::string optionalText(const std::string& key) const
    {
        return find(key) ? text(key) : std::string();
    }

    bool flag(const std::string& key) const
    {
        const json* value = find(key);
        if (!value || !value->is_boolean())
            fail(key, "true or false", value);
        return value->get<bool>();
    }

    // A JSON integer in [low, high]; `range` says it in words ("from 0 to epochs_run (3)").
    std::uint64_t whole(const std::string& key, std::uint64_t low, std::uint64_t high,
                        const std::string& range = {}) const
    {
        const json* value = find(key);
        const bool fits = value && value->is_number_unsigned() &&
                          value->get<std::uint64_t>() >= low && value->get<std::uint64_t>() <= high;
        if (!fits)
            fail(key,
                 "a whole number " +
                     (range.empty() ? "from " + std::to_string(low) + " to " + std::to_string(high)
                                    : range),
                 value);
        return value->get<std::uint64_t>();
    }

    // A finite number in [low, high]; null reads as NaN where `nullLoss` allows it.
    double real(const std::string& key, double low, double high,
                NullLoss nullLoss = NullLoss::Refused) const
    {
        const json* value = find(key);
        if (value && value->is_null() && nullLoss == NullLoss::ReadAsNaN)
            return std::numeric_limits<double>::quiet_NaN();
        const bool fits = value && value->is_number() && std::isfinite(value->get<double>()) &&
                          value->get<double>() >= low && value->get<double>() <= high;
        if (!fits) {
            char range[96];
            std::snprintf(range, sizeof range, "a number from %g to %g%s", low, high,
                          nullLoss == NullLoss::ReadAsNaN ? " (or null: the run diverged)" : "");
            fail(key, range, value);
        }
        return value->get<double>();
    }

    double optionalReal(const std::string& key, double low, double high) const
    {
        return find(key) ? real(key, low, high) : 0.0;
    }

    std::uint64_t optionalWhole(const std::string& key, std::uint64_t low, std::uint64_t high) const
    {
        return find(key) ? whole(key, low, high) : 0;
    }

private:
    const json& m_object;
    const std::string& m_path;
};

// "line:column" of nlohmann's 1-based byte position.
std::string positionOf(const std::string& text, std::size_t byte)
{
    const std::size_t at = std::min<std::size_t>(byte > 0 ? byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i)
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    return std::to_string(line) + ":" + std::to_string(column);
}

// The library's words without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix (the position is given our way), cut for the message.
std::string withoutLibraryCode(const std::string& what)
{
    std::size_t start = what.find("] ");
    start = start == std::string::npos ? 0 : start + 2;
    if (what.compare(start, 11, "parse error") == 0) {
        const std::size_t colon = what.find(": ", start);
        start = colon == std::string::npos ? start : colon + 2;
    }
    return shortenedForMessage(what.substr(start));
}

// Parses metrics.json into a flat object, refusing deep nesting and duplicate keys (which
// nlohmann would silently resolve to the last one) while parsing.
json parseMetricsObject(const std::string& text, const std::string& path)
{
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError(path + ": empty file (expected a JSON object)");
    std::set<std::string> keys;
    std::string lastKey; // the key whose value was being read when the library gave up
    const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
        const bool opens =
            event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
        if (opens && depth >= kMaxJsonDepth)
            throw InputError(path + ": nested more than " + std::to_string(kMaxJsonDepth) +
                             " levels deep: not a metrics file");
        if (event == json::parse_event_t::key && parsed.is_string())
            lastKey = parsed.get<std::string>();
        if (event == json::parse_event_t::key && depth == 1 && parsed.is_string() &&
            !keys.insert(parsed.get<std::string>()).second)
            throw InputError(path + ": key " + shown(parsed.get<std::string>()) + " appears twice");
        return true;
    };
    json object;
    try {
        object = json::parse(text, check);
    } catch (const json::parse_error& e) {
        throw InputError(path + ":" + positionOf(text, e.byte) +
                         ": not valid JSON: " + withoutLibraryCode(e.what()));
    } catch (const json::exception& e) {
        // A number beyond double range ("number overflow parsing '1e999'"): no position
        // comes with it, the key read last is where it is.
        const std::string where = lastKey.empty() ? "" : ": key " + shown(lastKey);
        throw InputError(path + where + ": " + withoutLibraryCode(e.what()));
    }
    if (!object.is_object())
        throw InputError(path + ": expected a JSON object, got " + describe(object));
    return object;
}

std::string confusionHeader()
{
    std::string header = "true\\predicted";
    for (const std::string& name : fashionMnistClassNames())
        header += "," + name;
    return header;
}

} // namespace

std::vector<EpochRecord> parseHistoryCsv(const std::string& text, const std::string& path,
                                         NonFinite nonFinite)
{
    CsvReader csv(text, path);
    csv.expectHeader(kHistoryHeader);
    std::vector<EpochRecord> history;
    constexpr double kHuge = HUGE_VAL;
    while (csv.nextRow(7)) {
        EpochRecord r;
        const std::int64_t next = std::int64_t(history.size()) + 1;
        r.epoch = int(csv.whole(0, "epoch", 1, kMaxRunEpochs));
        if (r.epoch != next)
            csv.fail("epoch " + std::to_string(r.epoch) + " where epoch " + std::to_string(next) +
                     " was expected (epochs are numbered 1, 2, ... without gaps)");
        r.loss = csv.real(1, "loss", 0, kHuge, nonFinite);
        r.accuracy = csv.real(2, "accuracy", 0, 1);
        r.valLoss = csv.real(3, "val_loss", 0, kHuge, nonFinite);
        r.valAccuracy = csv.real(4, "val_accuracy", 0, 1);
        r.learningRate = csv.real(5, "lr", 0, kHuge);
        r.seconds = csv.real(6, "seconds", 0, kHuge);
        history.push_back(r);
    }
    return history;
}

ConfusionMatrix parseConfusionCsv(const std::string& text, const std::string& path)
{
    CsvReader csv(text, path);
    csv.expectHeader(confusionHeader());
    const auto& names = fashionMnistClassNames();
    ConfusionMatrix confusion{};
    for (int t = 0; t < kNumClasses; ++t) {
        if (!csv.nextRow(kNumClasses + 1))
            throw InputError(path + ": " + std::to_string(t) + " class rows, expected " +
                             std::to_string(kNumClasses) + " (the file is cut short)");
        if (csv.field(0) != names[std::size_t(t)])
            csv.fail("expected the row of class '" + names[std::size_t(t)] + "', found " +
                     shown(csv.field(0)));
        for (int p = 0; p < kNumClasses; ++p)
            confusion[std::size_t(t)][std::size_t(p)] =
                csv.whole(std::size_t(p) + 1, names[std::size_t(p)].c_str(), 0, kMaxSplitImages);
    }
    if (csv.nextRow(kNumClasses + 1))
        csv.fail("a row after the " + std::to_string(kNumClasses) + " class rows");
    return confusion;
}

std::vector<Misclassification> parseMisclassifiedCsv(const std::string& text,
                                                     const std::string& path,
                                                     std::int64_t testCount, NonFinite nonFinite)
{
    CsvReader csv(text, path);
    csv.expectHeader(kMisclassifiedHeader);
    std::vector<Misclassification> errors;
    std::int64_t previous = -1;
    while (csv.nextRow(4)) {
        // Strictly increasing indices below testCount: no duplicates, at most testCount rows.
        const std::int64_t index = csv.whole(0, "index", 0, testCount - 1);
        if (index <= previous)
            csv.fail("index " + std::to_string(index) + " after index " + std::to_string(previous) +
                     " (rows are in test-set order, each image once)");
        previous = index;
        Misclassification e;
        e.index = std::int32_t(index);
        e.trueLabel = int(csv.whole(1, "true", 0, kNumClasses - 1));
        e.predicted = int(csv.whole(2, "predicted", 0, kNumClasses - 1));
        if (e.trueLabel == e.predicted)
            csv.fail("true and predicted class are both " + std::to_string(e.trueLabel) +
                     ": that is not a mistake");
        e.confidence = float(csv.real(3, "confidence", 0, 1, nonFinite));
        errors.push_back(e);
    }
    return errors;
}

std::vector<BatchLoss> parseBatchLossesCsv(const std::string& text, const std::string& path,
                                           const BatchLossBounds& bounds)
{
    CsvReader csv(text, path);
    csv.expectHeader(kBatchLossesHeader);
    const int maxEpoch = bounds.fullEpochs + (bounds.partialEpoch == PartialEpoch::Kept ? 1 : 0);
    std::vector<BatchLoss> losses;
    BatchLoss last; // epoch 0, batch 0: the row before (1, 1)
    while (csv.nextRow(3)) {
        BatchLoss b;
        b.epoch = int(csv.whole(0, "epoch", 1, std::max(maxEpoch, 1)));
        b.batch = int(csv.whole(1, "batch", 1, std::max(bounds.batchesPerEpoch, 1)));
        const bool nextInEpoch = b.epoch == last.epoch && b.batch == last.batch + 1;
        const bool firstOfNext = b.epoch == last.epoch + 1 && b.batch == 1 &&
                                 (last.epoch == 0 || last.batch == bounds.batchesPerEpoch);
        if (!nextInEpoch && !firstOfNext)
            csv.fail("epoch " + std::to_string(b.epoch) + " batch " + std::to_string(b.batch) +
                     " after epoch " + std::to_string(last.epoch) + " batch " +
                     std::to_string(last.batch) + " (every batch of " +
                     std::to_string(bounds.batchesPerEpoch) + " per epoch, in order)");
        if (b.epoch > maxEpoch)
            csv.fail("epoch " + std::to_string(b.epoch) + ", but metrics.json says " +
                     std::to_string(bounds.fullEpochs) + " epochs ran");
        b.loss = float(csv.real(2, "loss", 0, std::numeric_limits<float>::max(), bounds.nonFinite));
        losses.push_back(b);
        last = b;
    }
    const bool complete = last.epoch > bounds.fullEpochs ||
                          (last.epoch == bounds.fullEpochs &&
                           (last.epoch == 0 || last.batch == bounds.batchesPerEpoch));
    if (!complete)
        throw InputError(path + ": ends at epoch " + std::to_string(last.epoch) + " batch " +
                         std::to_string(last.batch) + ", before the end of epoch " +
                         std::to_string(bounds.fullEpochs) + " (the file is cut short)");
    return losses;
}

void checkHistoryMatchesMetrics(const std::vector<EpochRecord>& history, const RunMetrics& metrics,
                                const std::string& path)
{
    if (std::int64_t(history.size()) != metrics.epochsRun)
        throw InputError(path + ": " + std::to_string(history.size()) +
                         " epochs, but metrics.json says epochs_run " +
                         std::to_string(metrics.epochsRun));
}

void checkConfusionMatchesMetrics(const ConfusionMatrix& confusion, const RunMetrics& metrics,
                                  const std::string& path)
{
    std::int64_t total = 0; // at most 100 counts of at most kMaxSplitImages: no overflow
    for (const auto& row : confusion)
        for (std::int64_t count : row)
            total += count;
    if (total != metrics.testCount)
        throw InputError(path + ": the counts add up to " + std::to_string(total) +
                         ", but metrics.json says test_count " + std::to_string(metrics.testCount));
}

void checkMisclassifiedMatchesConfusion(const std::vector<Misclassification>& errors,
                                        const ConfusionMatrix& confusion, const std::string& path)
{
    ConfusionMatrix listed{};
    for (const Misclassification& e : errors)
        ++listed[std::size_t(e.trueLabel)][std::size_t(e.predicted)];
    const auto& names = fashionMnistClassNames();
    for (int t = 0; t < kNumClasses; ++t)
        for (int p = 0; p < kNumClasses; ++p)
            if (t != p &&
                listed[std::size_t(t)][std::size_t(p)] != confusion[std::size_t(t)][std::size_t(p)])
                throw InputError(path + ": " +
                                 std::to_string(listed[std::size_t(t)][std::size_t(p)]) +
                                 " rows with true " + std::to_string(t) + " (" +
                                 names[std::size_t(t)] + ") and predicted " + std::to_string(p) +
                                 " (" + names[std::size_t(p)] + "), but confusion.csv counts " +
                                 std::to_string(confusion[std::size_t(t)][std::size_t(p)]));
}

RunMetrics parseRunMetricsJson(const std::string& text, const std::string& path)
{
    const json object = parseMetricsObject(text, path);
    const MetricsKeys keys(object, path);
    RunMetrics r;
    r.status = keys.text("status");
    if (r.status != "completed" && r.status != "interrupted" && r.status != "diverged")
        keys.fail("status", "completed, interrupted or diverged", keys.find("status"));
    const NullLoss nullLoss = r.status == "diverged" ? NullLoss::ReadAsNaN : NullLoss::Refused;
    constexpr double kMaxReal = std::numeric_limits<double>::max();
    r.message = keys.optionalText("message");
    r.epochsRun = int(keys.whole("epochs_run", 0, kMaxRunEpochs));
    r.bestEpoch = int(keys.whole("best_epoch", 0, std::uint64_t(r.epochsRun),
                                 "from 0 to epochs_run (" + std::to_string(r.epochsRun) + ")"));
    r.stoppedEarly = keys.flag("stopped_early");
    r.testLoss = keys.real("test_loss", 0, kMaxReal, nullLoss);
    r.testAccuracy = keys.real("test_accuracy", 0, 1);
    r.macroF1 = keys.optionalReal("test_macro_f1", 0, 1);
    r.devLoss = keys.real("dev_loss", 0, kMaxReal, nullLoss);
    r.devAccuracy = keys.real("dev_accuracy", 0, 1);
    r.trainSeconds = keys.real("train_seconds", 0, kMaxReal);
    r.samplesPerSecond = keys.real("samples_per_second", 0, kMaxReal);
    r.device = keys.text("device");
    r.deviceName = keys.optionalText("device_name");
    r.parameters = std::int64_t(keys.whole("parameters", 0, std::uint64_t(INT64_MAX)));
    r.seed = keys.whole("seed", 0, UINT64_MAX);
    r.batchSize = int(keys.whole("batch_size", 1, std::uint64_t(kMaxSplitImages)));
    r.trainCount = std::int64_t(keys.whole("train_count", 0, std::uint64_t(kMaxSplitImages)));
    r.testCount = std::int64_t(keys.whole("test_count", 0, std::uint64_t(kMaxSplitImages)));
    r.transform.scale = float(keys.real("pixel_scale", kMinPixelScale, kMaxPixelScale));
    r.transform.shift = float(keys.real("pixel_shift", -kMaxPixelShift, kMaxPixelShift));
    r.restoredBest = keys.find("restored_best") && keys.flag("restored_best");
    r.threads = int(keys.optionalWhole("threads", 0, 1u << 20));
    r.evalSamplesPerSecond = keys.optionalReal("eval_samples_per_second", 0, kMaxReal);
    r.devCount = std::int64_t(keys.optionalWhole("dev_count", 0, std::uint64_t(kMaxSplitImages)));
    r.limit = keys.optionalWhole("limit", 0, std::uint64_t(kMaxSplitImages));
    r.dataDirectory = keys.optionalText("data_directory");
    r.torchVersion = keys.optionalText("torch_version");
    r.atelierVersion = keys.optionalText("atelier_version");
    return r;
}

} // namespace atelier
