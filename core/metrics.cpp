// Precision, recall and F1 per class, and their macro averages.
#include "metrics.h"

#include <cmath>

namespace atelier {

ClassificationReport classificationReport(const ConfusionMatrix& confusion)
{
    ClassificationReport report;
    std::int64_t correct = 0, total = 0;
    for (int c = 0; c < kNumClasses; ++c) {
        std::int64_t predictedAsC = 0, actualC = 0;
        for (int k = 0; k < kNumClasses; ++k) {
            predictedAsC += confusion[k][c];
            actualC += confusion[c][k];
        }
        const std::int64_t truePositives = confusion[c][c];
        ClassMetrics& m = report.perClass[c];
        m.support = actualC;
        m.precision = predictedAsC > 0 ? double(truePositives) / double(predictedAsC) : 0.0;
        m.recall = actualC > 0 ? double(truePositives) / double(actualC) : 0.0;
        m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall)
                                          : 0.0;
        report.macroPrecision += m.precision / kNumClasses;
        report.macroRecall += m.recall / kNumClasses;
        report.macroF1 += m.f1 / kNumClasses;
        correct += truePositives;
        total += actualC;
    }
    report.accuracy = total > 0 ? double(correct) / double(total) : 0.0;
    return report;
}

bool moreConfident(const Misclassification& a, const Misclassification& b)
{
    const float low = -1; // below every real confidence
    const float left = std::isnan(a.confidence) ? low : a.confidence;
    const float right = std::isnan(b.confidence) ? low : b.confidence;
    return left > right;
}

} // namespace atelier
