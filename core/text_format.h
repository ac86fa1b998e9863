// Small text helpers shared by the CLI's tables and the summaries.
#pragma once

#include <cstdint>
#include <string>

namespace atelier {

// 134794 → "134,794"
std::string withThousands(std::int64_t value);

// Shortest decimal text that reads back as the same double ("0.01", not
// "0.010000000000000000208"), for files that must round-trip.
std::string shortestDouble(double value);

// Display width in terminal columns of UTF-8 text (each code point counts one).
std::size_t displayWidth(const std::string& text);

// Pads to `width` columns, on the left when `alignRight`.
std::string padded(const std::string& text, std::size_t width, bool alignRight);

} // namespace atelier
