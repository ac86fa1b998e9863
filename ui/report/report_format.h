// How reports write numbers, the same in every table and in both renderings.
#pragma once

#include <QString>
#include <cstdint>

namespace atelier::ui {

QString percentText(double share);             // 0.87654 → "87.65%"; "–" when not finite
QString decimalText(double value, int digits); // "0.3412"; "–" when not finite
QString countText(std::int64_t value);         // 134794 → "134,794"
QString flopsText(std::int64_t flops);         // "2.6 k", "0.20 M", "35.1 M", "1.05 G"
QString secondsText(double seconds);           // "8.4 s", "3 min 12 s", "1 h 05 min"
QString rateText(double perSecond);            // "12,345 images/s"

} // namespace atelier::ui
