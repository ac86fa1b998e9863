// Number formats of the reports.
#include "ui/report/report_format.h"

#include "core/text_format.h"

#include <cmath>

namespace atelier::ui {

QString percentText(double share)
{
    if (!std::isfinite(share))
        return QStringLiteral("–");
    return QString::number(share * 100, 'f', 2) + QLatin1Char('%');
}

QString decimalText(double value, int digits)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    return QString::number(value, 'f', digits);
}

QString countText(std::int64_t value)
{
    return QString::fromStdString(withThousands(value));
}

QString flopsText(std::int64_t flops)
{
    const double value = double(flops);
    if (value >= 1e9)
        return QString::number(value / 1e9, 'f', 2) + QStringLiteral(" G");
    if (value >= 1e7)
        return QString::number(value / 1e6, 'f', 1) + QStringLiteral(" M");
    if (value >= 1e5)
        return QString::number(value / 1e6, 'f', 2) + QStringLiteral(" M");
    return QString::number(value / 1e3, 'f', 1) + QStringLiteral(" k");
}

QString secondsText(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    if (seconds < 60)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    const auto whole = std::int64_t(std::llround(seconds));
    if (whole < 3600)
        return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60);
    return QStringLiteral("%1 h %2 min")
        .arg(whole / 3600)
        .arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString rateText(double perSecond)
{
    if (!std::isfinite(perSecond) || perSecond <= 0)
        return QStringLiteral("–");
    return countText(std::llround(perSecond)) + QStringLiteral(" images/s");
}

} // namespace atelier::ui
