// Layer statistics without torch: which layers are observed, which batches are sampled, the
// histograms' quantiles, and layer_stats.csv / layer_histograms.csv written and read back.
#include "layer_stats.h"

#include "dataset.h"
#include "errors.h"
#include "internal/csv_reader.h"
#include "model_analysis.h"
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace atelier {
namespace {

using detail::CsvReader;
using detail::shown;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kStatsHeader = "epoch,batch,layer,name,grad_norm,weight_norm,update_ratio,"
                                     "activation_mean,activation_std,saturated,dead";
constexpr std::size_t kStatsColumns = 11;
constexpr std::size_t kHistogramFixedColumns = 6; // epoch,layer,name,tensor,min,max

std::string histogramsHeader()
{
    std::string header = "epoch,layer,name,tensor,min,max";
    for (int bin = 1; bin <= kLayerHistogramBins; ++bin)
        header += ",bin_" + std::to_string(bin);
    return header;
}

// A value as written: shortest round-trip digits, "nan"/"inf"/"-inf" as they are, and an
// empty field where the layer has no such value.
void writeValue(std::ostringstream& out, double value, bool applies)
{
    out << ',';
    if (!applies)
        return;
    if (std::isnan(value))
        out << "nan";
    else if (std::isinf(value))
        out << (value > 0 ? "inf" : "-inf");
    else
        out << shortestDouble(value);
}

// The observed layer named by columns `column` (1-based model layer number) and `column` + 1
// (its name), by position in `layers`; fails the row otherwise.
int observedPosition(const CsvReader& csv, std::size_t column,
                     const std::vector<ObservedLayer>& layers)
{
    const auto number = int(csv.whole(column, "layer", 1, kMaxLayers));
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i].index + 1 == number) {
            if (csv.field(column + 1) != layers[i].name)
                csv.fail("layer " + std::to_string(number) + " is named '" + layers[i].name +
                         "' in preset.yaml, not " + shown(csv.field(column + 1)));
            return int(i);
        }
    csv.fail("layer " + std::to_string(number) +
             " has neither parameters nor an activation in preset.yaml's model");
}

// An optional value: empty where the layer has none (it must be empty then, and present
// otherwise), NaN and infinity allowed (statistics of a diverging run).
double optionalValue(const CsvReader& csv, std::size_t column, const char* name, bool applies,
                     double low, double high)
{
    if (csv.isEmpty(column) != !applies)
        csv.fail(std::string("column '") + name + "': " +
                 (applies ? "empty, but the layer has this value"
                          : "a value, but the layer has none (leave it empty)"));
    return applies ? csv.real(column, name, low, high, NonFinite::Allowed) : kNaN;
}

// The sample a row belongs to: the last one when (epoch, batch) repeats, a new one when it
// comes later; rows out of order fail.
LayerStatsSample& sampleFor(LayerStatsLog& log, const CsvReader& csv, int epoch, int batch,
                            int position)
{
    const bool newSample = log.samples.empty() || log.samples.back().epoch != epoch ||
                           log.samples.back().batch != batch;
    if (newSample) {
        if (!log.samples.empty()) {
            const LayerStatsSample& last = log.samples.back();
            if (std::pair(epoch, batch) < std::pair(last.epoch, last.batch))
                csv.fail("epoch " + std::to_string(epoch) + " batch " + std::to_string(batch) +
                         " after epoch " + std::to_string(last.epoch) + " batch " +
                         std::to_string(last.batch) + " (samples are in training order)");
            if (last.layers.size() != log.layers.size())
                csv.fail("the sample before this row has " + std::to_string(last.layers.size()) +
                         " of " + std::to_string(log.layers.size()) + " layers");
        }
        log.samples.push_back({epoch, batch, {}});
    }
    LayerStatsSample& sample = log.samples.back();
    if (int(sample.layers.size()) != position)
        csv.fail("layer rows of a sample go in model order, one each (expected " +
                 (sample.layers.size() < log.layers.size()
                      ? "layer " + std::to_string(log.layers[sample.layers.size()].index + 1)
                      : std::string("the next sample")) +
                 ")");
    return sample;
}

void parseStatsRows(LayerStatsLog& log, const std::string& text, const std::string& path,
                    int maxEpoch)
{
    CsvReader csv(text, path);
    csv.expectHeader(kStatsHeader);
    constexpr double kHuge = HUGE_VAL;
    while (csv.nextRow(kStatsColumns)) {
        const int epoch = int(csv.whole(0, "epoch", 1, std::max(maxEpoch, 1)));
        const int batch = int(csv.whole(1, "batch", 1, std::numeric_limits<int>::max()));
        const int position = observedPosition(csv, 2, log.layers);
        LayerStatsSample& sample = sampleFor(log, csv, epoch, batch, position);
        const ObservedLayer& layer = log.layers[std::size_t(position)];
        LayerSample s;
        s.gradNorm = optionalValue(csv, 4, "grad_norm", layer.hasParameters, 0, kHuge);
        s.weightNorm = optionalValue(csv, 5, "weight_norm", layer.hasParameters, 0, kHuge);
        s.updateRatio = optionalValue(csv, 6, "update_ratio", layer.hasParameters, 0, kHuge);
        s.activationMean =
            optionalValue(csv, 7, "activation_mean", layer.hasActivation(), -kHuge, kHuge);
        s.activationStd = optionalValue(csv, 8, "activation_std", layer.hasActivation(), 0, kHuge);
        s.saturated = optionalValue(csv, 9, "saturated", layer.canSaturate(), 0, 1);
        s.dead = optionalValue(csv, 10, "dead", layer.canDie(), 0, 1);
        sample.layers.push_back(s);
    }
    if (!log.samples.empty() && log.samples.back().layers.size() != log.layers.size())
        throw InputError(path + ": the last sample has " +
                         std::to_string(log.samples.back().layers.size()) + " of " +
                         std::to_string(log.layers.size()) + " layers (the file is cut short)");
}

void parseHistogramRows(LayerStatsLog& log, const std::string& text, const std::string& path,
                        int maxEpoch)
{
    CsvReader csv(text, path);
    csv.expectHeader(histogramsHeader());
    std::vector<int> withParameters; // positions in log.layers
    for (std::size_t i = 0; i < log.layers.size(); ++i)
        if (log.layers[i].hasParameters)
            withParameters.push_back(int(i));
    // Rows go epoch by epoch without gaps, layer by layer, weight first, from the first row's
    // epoch: a run that had no statistics before a resume starts after epoch 1.
    std::size_t row = 0;
    int firstEpoch = 0;
    while (csv.nextRow(kHistogramFixedColumns + kLayerHistogramBins)) {
        if (withParameters.empty())
            csv.fail("the model has no layer with parameters");
        const int epoch = int(csv.whole(0, "epoch", 1, std::max(maxEpoch, 1)));
        if (row == 0)
            firstEpoch = epoch;
        const int position = observedPosition(csv, 1, log.layers);
        const int expectedEpoch = firstEpoch + int(row / (2 * withParameters.size()));
        const int expectedLayer = withParameters[(row / 2) % withParameters.size()];
        const char* expectedTensor = row % 2 == 0 ? "weight" : "gradient";
        if (epoch != expectedEpoch || position != expectedLayer || csv.field(3) != expectedTensor)
            csv.fail("expected epoch " + std::to_string(expectedEpoch) + ", layer " +
                     std::to_string(log.layers[std::size_t(expectedLayer)].index + 1) + ", " +
                     expectedTensor + " (rows go epoch by epoch, layer by layer, weight first)");
        Histogram h;
        h.min = csv.real(4, "min", -HUGE_VAL, HUGE_VAL, NonFinite::Allowed);
        h.max = csv.real(5, "max", -HUGE_VAL, HUGE_VAL, NonFinite::Allowed);
        if (h.min > h.max)
            csv.fail("min " + shortestDouble(h.min) + " is above max " + shortestDouble(h.max));
        for (int bin = 0; bin < kLayerHistogramBins; ++bin) {
            const std::string name = "bin_" + std::to_string(bin + 1);
            h.counts.push_back(csv.whole(kHistogramFixedColumns + std::size_t(bin), name.c_str(), 0,
                                         std::numeric_limits<std::int64_t>::max() / 64));
        }
        if (row % 2 == 0)
            log.histograms.push_back({epoch, position, h, {}});
        else
            log.histograms.back().gradients = h;
        ++row;
    }
    if (row % 2 == 1)
        throw InputError(path + ": the last layer has a weight row without its gradient row "
                                "(the file is cut short)");
    if (!withParameters.empty() && (row / 2) % withParameters.size() != 0)
        throw InputError(path + ": the last epoch has histograms for only some of its layers "
                                "(the file is cut short)");
}

} // namespace

bool ObservedLayer::hasActivation() const
{
    return activation != ActivationKind::Linear && activation != ActivationKind::Softmax;
}

bool ObservedLayer::canSaturate() const
{
    return activation == ActivationKind::Sigmoid || activation == ActivationKind::Tanh;
}

bool ObservedLayer::canDie() const
{
    return activation == ActivationKind::Relu;
}

bool ObservedLayer::operator==(const ObservedLayer& o) const
{
    return index == o.index && name == o.name && hasParameters == o.hasParameters &&
           activation == o.activation;
}

LayerSample::LayerSample()
    : gradNorm(kNaN), weightNorm(kNaN), updateRatio(kNaN), activationMean(kNaN),
      activationStd(kNaN), saturated(kNaN), dead(kNaN)
{}

std::int64_t Histogram::total() const
{
    std::int64_t sum = 0;
    for (std::int64_t count : counts)
        sum += count;
    return sum;
}

double Histogram::quantile(double fraction) const
{
    const std::int64_t n = total();
    if (n == 0 || counts.empty())
        return kNaN;
    const double target = std::clamp(fraction, 0.0, 1.0) * double(n);
    const double width = (max - min) / double(counts.size());
    double below = 0;
    for (std::size_t bin = 0; bin < counts.size(); ++bin) {
        const auto count = double(counts[bin]);
        if (count > 0 && below + count >= target)
            return min + width * (double(bin) + (target - below) / count);
        below += count;
    }
    return max;
}

void LayerStatsLog::keepEpochs(int epochs)
{
    auto after = [epochs](const auto& entry) { return entry.epoch > epochs; };
    samples.erase(std::remove_if(samples.begin(), samples.end(), after), samples.end());
    histograms.erase(std::remove_if(histograms.begin(), histograms.end(), after), histograms.end());
}

std::vector<ObservedLayer> observedLayers(const ModelSpec& model)
{
    const ModelReport report = analyzeModel(model, kNumClasses);
    std::vector<ObservedLayer> layers;
    for (std::size_t i = 0; i < model.layers.size() && i < report.layers.size(); ++i) {
        const LayerSpec& spec = model.layers[i];
        ObservedLayer layer;
        layer.index = int(i);
        layer.name = report.layers[i].name;
        layer.hasParameters = report.layers[i].trainableParams > 0;
        if (hasActivation(spec.type))
            layer.activation = spec.activation;
        if (layer.hasParameters || layer.hasActivation())
            layers.push_back(layer);
    }
    return layers;
}

std::vector<int> sampledBatches(int batchesPerEpoch)
{
    if (batchesPerEpoch <= 0)
        return {};
    const int count =
        std::clamp(batchesPerEpoch / kLayerStatsBatchesPerSample, 1, kLayerStatsSamplesPerEpoch);
    std::vector<int> batches;
    for (int k = 1; k <= count; ++k) // k × batches / count: evenly spaced, ending at the last
        batches.push_back(int((std::int64_t(k) * batchesPerEpoch) / count));
    return batches;
}

std::string layerStatsToCsv(const LayerStatsLog& log)
{
    std::ostringstream out;
    out << kStatsHeader << '\n';
    for (const LayerStatsSample& sample : log.samples)
        for (std::size_t i = 0; i < sample.layers.size() && i < log.layers.size(); ++i) {
            const ObservedLayer& layer = log.layers[i];
            const LayerSample& s = sample.layers[i];
            out << sample.epoch << ',' << sample.batch << ',' << layer.index + 1 << ','
                << detail::csvField(layer.name);
            writeValue(out, s.gradNorm, layer.hasParameters);
            writeValue(out, s.weightNorm, layer.hasParameters);
            writeValue(out, s.updateRatio, layer.hasParameters);
            writeValue(out, s.activationMean, layer.hasActivation());
            writeValue(out, s.activationStd, layer.hasActivation());
            writeValue(out, s.saturated, layer.canSaturate());
            writeValue(out, s.dead, layer.canDie());
            out << '\n';
        }
    return out.str();
}

std::string layerHistogramsToCsv(const LayerStatsLog& log)
{
    std::ostringstream out;
    out << histogramsHeader() << '\n';
    for (const LayerHistograms& entry : log.histograms) {
        const ObservedLayer& layer = log.layers.at(std::size_t(entry.layer));
        for (const auto& [tensor, histogram] :
             {std::pair("weight", &entry.weights), std::pair("gradient", &entry.gradients)}) {
            out << entry.epoch << ',' << layer.index + 1 << ',' << detail::csvField(layer.name)
                << ',' << tensor;
            writeValue(out, histogram->min, true);
            writeValue(out, histogram->max, true);
            for (int bin = 0; bin < kLayerHistogramBins; ++bin)
                out << ','
                    << (std::size_t(bin) < histogram->counts.size()
                            ? histogram->counts[std::size_t(bin)]
                            : 0);
            out << '\n';
        }
    }
    return out.str();
}

LayerStatsLog parseLayerStats(const ModelSpec& model, const std::string& statsCsv,
                              const std::string& statsPath, const std::string& histogramsCsv,
                              const std::string& histogramsPath, int maxEpoch)
{
    LayerStatsLog log;
    log.layers = observedLayers(model);
    if (!statsCsv.empty())
        parseStatsRows(log, statsCsv, statsPath, maxEpoch);
    if (!histogramsCsv.empty())
        parseHistogramRows(log, histogramsCsv, histogramsPath, maxEpoch);
    return log;
}

} // namespace atelier
