// Class names and confidences as Atelier writes them.
#include "ui/widgets/class_text.h"

#include "core/dataset.h"

#include <cmath>

namespace atelier::ui {

QString className(int label)
{
    if (label < 0 || label >= kNumClasses)
        return QStringLiteral("?");
    return QString::fromStdString(fashionMnistClassNames()[std::size_t(label)]);
}

QString confidenceText(float confidence)
{
    if (!std::isfinite(confidence))
        return QStringLiteral("?");
    const double percent = double(confidence) * 100;
    if (percent >= 99.5)
        return QString::number(std::floor(percent * 10) / 10, 'f', 1) + QLatin1Char('%');
    return QString::number(std::lround(percent)) + QLatin1Char('%');
}

} // namespace atelier::ui
