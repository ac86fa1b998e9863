// Classification metrics from a confusion matrix: what the Evaluate view and the run
// folder show. Pure arithmetic, no LibTorch.
#pragma once

#include "dataset.h"

#include <array>
#include <cstdint>
#include <vector>

namespace atelier {

// counts[true][predicted]
using ConfusionMatrix = std::array<std::array<std::int64_t, kNumClasses>, kNumClasses>;

struct ClassMetrics
{
    double precision = 0; // of the images predicted as this class, the share that are
    double recall = 0;    // of the images of this class, the share found
    double f1 = 0;
    std::int64_t support = 0; // images of this class
};

struct ClassificationReport
{
    std::array<ClassMetrics, kNumClasses> perClass{};
    double macroPrecision = 0;
    double macroRecall = 0;
    double macroF1 = 0;
    double accuracy = 0;
};

// A class that is never predicted has precision 0 (and F1 0), as scikit-learn reports it.
ClassificationReport classificationReport(const ConfusionMatrix& confusion);

struct Misclassification
{
    std::int32_t index = 0; // into the evaluated set (the test set: 0..9999)
    int trueLabel = 0;
    int predicted = 0;
    float confidence = 0; // the predicted class's probability
};

// The order in which mistakes are shown: most confident first. A NaN confidence (a diverged
// run's) sorts last, which keeps the order a strict weak ordering (std::sort relies on it).
bool moreConfident(const Misclassification& a, const Misclassification& b);

struct Evaluation
{
    double loss = 0;
    double accuracy = 0;
    std::int64_t count = 0;
    ConfusionMatrix confusion{};
    ClassificationReport report;
    std::vector<Misclassification> misclassified;
};

} // namespace atelier
