// Batched, gradient-free evaluation: loss, accuracy, confusion matrix, misclassified images.
#include "evaluation.h"

#include "internal/device_data.h"

namespace atelier {
namespace {

// Forward-only batches: large enough to amortise per-call overhead, small enough that the
// feature maps stay in cache. Measured on cnn_medium (2 cores): 128 → 16,700 images/s,
// 256 → 14,500, 1,000 → about half of that.
constexpr std::int64_t kEvaluationBatch = 128;

} // namespace

torch::Device torchDevice(const DeviceInfo& device)
{
    return device.cuda ? torch::Device(torch::kCUDA, device.index) : torch::Device(torch::kCPU);
}

DeviceSet makeDeviceSet(const ImageSet& set, const IndexList& indices,
                        const PixelTransform& transform, const torch::Device& device)
{
    DeviceSet result;
    const auto count = std::int64_t(indices.size());
    const std::int64_t pixels = set.pixelsPerImage();
    torch::Tensor images = torch::empty({count, pixels}, torch::kFloat32);
    transformImages(set, indices, transform, images.data_ptr<float>());
    torch::Tensor labels = torch::empty({count}, torch::kInt64);
    auto* labelData = labels.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < count; ++i)
        labelData[i] = set.labels[std::size_t(indices[std::size_t(i)])];
    result.images = images.to(device);
    result.labels = labels.to(device);
    result.sourceIndices = indices;
    return result;
}

Evaluation evaluateSet(LayerStack& module, const DeviceSet& set, bool collectMisclassified)
{
    Evaluation evaluation;
    evaluation.count = set.size();
    if (evaluation.count == 0)
        return evaluation;
    torch::NoGradGuard noGrad; // thread-local: created on the evaluating thread
    const bool wasTraining = module->is_training();
    module->eval();
    const auto device = set.images.device();
    torch::Tensor lossSum =
        torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
    std::vector<torch::Tensor> predictions, confidences;
    for (std::int64_t start = 0; start < evaluation.count; start += kEvaluationBatch) {
        const std::int64_t size = std::min(kEvaluationBatch, evaluation.count - start);
        const torch::Tensor logits = module->forward(set.images.narrow(0, start, size));
        const torch::Tensor labels = set.labels.narrow(0, start, size);
        lossSum += torch::nn::functional::cross_entropy(
                       logits, labels,
                       torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .to(torch::kFloat64);
        const auto [top, predicted] = torch::softmax(logits, 1).max(1);
        predictions.push_back(predicted);
        confidences.push_back(top);
    }
    module->train(wasTraining);

    const torch::Tensor predicted = torch::cat(predictions).to(torch::kCPU);
    const torch::Tensor confidence = torch::cat(confidences).to(torch::kCPU);
    const torch::Tensor labels = set.labels.to(torch::kCPU);
    const auto* p = predicted.data_ptr<std::int64_t>();
    const auto* c = confidence.data_ptr<float>();
    const auto* y = labels.data_ptr<std::int64_t>();
    std::int64_t correct = 0;
    for (std::int64_t i = 0; i < evaluation.count; ++i) {
        ++evaluation.confusion[std::size_t(y[i])][std::size_t(p[i])];
        if (p[i] == y[i]) {
            ++correct;
        } else if (collectMisclassified) {
            evaluation.misclassified.push_back(
                {set.sourceIndices[std::size_t(i)], int(y[i]), int(p[i]), c[i]});
        }
    }
    evaluation.loss = lossSum.item<double>() / double(evaluation.count);
    evaluation.accuracy = double(correct) / double(evaluation.count);
    evaluation.report = classificationReport(evaluation.confusion);
    return evaluation;
}

Evaluation evaluateNetwork(Network& network, const ImageSet& set, const IndexList& indices,
                           const PixelTransform& transform, const DeviceInfo& device)
{
    const torch::Device target = torchDevice(device);
    auto& module = network.impl().module;
    module->to(target);
    return evaluateSet(module, makeDeviceSet(set, indices, transform, target), true);
}

std::vector<float> classProbabilities(Network& network, const ImageSet& set,
                                      const IndexList& indices, const PixelTransform& transform,
                                      const DeviceInfo& device)
{
    const torch::Device target = torchDevice(device);
    auto& module = network.impl().module;
    module->to(target);
    const DeviceSet data = makeDeviceSet(set, indices, transform, target);
    torch::NoGradGuard noGrad;
    const bool wasTraining = module->is_training();
    module->eval();
    std::vector<torch::Tensor> batches;
    for (std::int64_t start = 0; start < data.size(); start += kEvaluationBatch) {
        const std::int64_t size = std::min(kEvaluationBatch, data.size() - start);
        batches.push_back(torch::softmax(module->forward(data.images.narrow(0, start, size)), 1));
    }
    module->train(wasTraining);
    if (batches.empty())
        return {};
    const torch::Tensor all = torch::cat(batches).to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(all.data_ptr<float>(), all.data_ptr<float>() + all.numel());
}

} // namespace atelier
