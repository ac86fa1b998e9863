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

// A duration in words for estimates and progress: "42 s", "12 min", "1 h 05 min"; "unknown"
// for a negative or non-finite value.
std::string durationText(double seconds);

// Display width in terminal columns of UTF-8 text (each code point counts one).
std::size_t displayWidth(const std::string& text);

// Pads to `width` columns, on the left when `alignRight`.
std::string padded(const std::string& text, std::size_t width, bool alignRight);

// Longest value, in bytes, that an error message quotes; longer ones end in "…". A hostile
// file must not make each of many messages copy a whole megabyte.
constexpr std::size_t kMaxQuotedBytes = 60;

// `text` for an error message: cut after kMaxQuotedBytes (at a character boundary) with
// "…", control characters written as \n, \t or \xNN so that the message stays one line.
std::string shortenedForMessage(const std::string& text);
// The same in single quotes: 'text'.
std::string quotedForMessage(const std::string& text);

} // namespace atelier
