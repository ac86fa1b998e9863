// The inside of a network while it trains: per-layer gradient, weight and activation
// statistics, sampled a fixed number of times per epoch, and weight/gradient histograms at
// the end of each epoch. Plain structs (no torch): the trainer fills them, the callbacks
// carry them to the CLI and the studio, the run folder stores them (layer_stats.csv and
// layer_histograms.csv, docs/run-folder.md).
#pragma once

#include "model_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

// Samples per epoch. Ten points per epoch draw a smooth curve over a 10-epoch run and cost
// about ten extra reductions per 1,500 batches (docs/results.md has the measured overhead).
constexpr int kLayerStatsSamplesPerEpoch = 10;
// At most one batch in this many is sampled, so that an epoch of a few batches (a small
// --limit) does not pay for statistics on every one.
constexpr int kLayerStatsBatchesPerSample = 10;
constexpr int kLayerHistogramBins = 32;
// A sigmoid output below this or above 1 - this, a tanh output beyond ±(1 - this): the
// derivative there is under 4% of its largest value, so the unit passes almost no gradient.
constexpr double kSaturationMargin = 0.01;

// A layer that gets statistics: one with parameters (dense, conv2d, batch_norm) or one whose
// output passes through a non-linear activation (a softmax output layer's is applied only
// when predicting, so it has none).
struct ObservedLayer
{
    int index = 0;    // 0-based position in the model's layer list
    std::string name; // as the summary names it: "dense_1", "conv2d_2"
    bool hasParameters = false;
    ActivationKind activation = ActivationKind::Linear; // Linear: no activation statistics

    bool hasActivation() const;
    bool canSaturate() const; // sigmoid, tanh
    bool canDie() const;      // relu
    bool operator==(const ObservedLayer& o) const;
};

// One layer at one sampled batch. NaN where the layer has no such value (no parameters, no
// activation, an activation that cannot saturate or die); NaN or infinite also when training
// diverged.
struct LayerSample
{
    double gradNorm;    // L2 norm of the loss gradient over the layer's weights and biases
    double weightNorm;  // L2 norm of the weights and biases before the step
    double updateRatio; // ‖step‖ / ‖weights‖: how much one optimizer step changes the layer
    double activationMean, activationStd; // of every output value in the batch
    double saturated;                     // share of outputs near a flat end (sigmoid, tanh)
    double dead; // share of units (output positions) that are 0 for the whole batch (relu)

    LayerSample();
};

struct LayerStatsSample
{
    int epoch = 0;                   // 1-based
    int batch = 0;                   // 1-based within the epoch
    std::vector<LayerSample> layers; // parallel to LayerStatsLog::layers
};

// kLayerHistogramBins equal-width bins over [min, max] of a tensor's values.
struct Histogram
{
    double min = 0, max = 0;
    std::vector<std::int64_t> counts;

    std::int64_t total() const;
    // The value below which `fraction` (0..1) of the entries lie, interpolated linearly
    // within a bin; NaN for an empty histogram.
    double quantile(double fraction) const;
};

// A layer with parameters at the end of an epoch: its weights after the last step and the
// gradient of the epoch's last batch.
struct LayerHistograms
{
    int epoch = 0; // 1-based
    int layer = 0; // position in LayerStatsLog::layers
    Histogram weights, gradients;
};

struct LayerStatsLog
{
    std::vector<ObservedLayer> layers;
    std::vector<LayerStatsSample> samples;   // in training order
    std::vector<LayerHistograms> histograms; // by epoch, then layer

    bool empty() const { return samples.empty() && histograms.empty(); }
    // Drops what was recorded after epoch `epochs` (a run resumed from that checkpoint).
    void keepEpochs(int epochs);
};

// The layers of `model` that get statistics, in model order. The model must be valid.
std::vector<ObservedLayer> observedLayers(const ModelSpec& model);

// The 1-based batches of an epoch that are sampled, ascending: min(kLayerStatsSamplesPerEpoch,
// batches / kLayerStatsBatchesPerSample), at least 1, evenly spaced, the last batch always
// (its gradients make the epoch's histograms).
std::vector<int> sampledBatches(int batchesPerEpoch);

// layer_stats.csv: epoch,batch,layer,name,grad_norm,weight_norm,update_ratio,
// activation_mean,activation_std,saturated,dead; one row per sample and observed layer,
// `layer` 1-based as in the summary, a value left empty where the layer has none.
std::string layerStatsToCsv(const LayerStatsLog& log);
// layer_histograms.csv: epoch,layer,name,tensor,min,max,bin_1..bin_32; two rows (tensor
// "weight", then "gradient") per epoch and layer with parameters.
std::string layerHistogramsToCsv(const LayerStatsLog& log);

// Reads both files back for a run whose model is `model` (the layers must be its observed
// layers, by number and name) and that completed `maxEpoch` epochs (+1 for a run stopped
// mid-epoch). Throws InputError "path:line: what is wrong". Either text may be empty (the
// file is absent): its part of the log stays empty. Both may start after epoch 1 (a run
// that had no statistics before it was resumed).
LayerStatsLog parseLayerStats(const ModelSpec& model, const std::string& statsCsv,
                              const std::string& statsPath, const std::string& histogramsCsv,
                              const std::string& histogramsPath, int maxEpoch);

} // namespace atelier
