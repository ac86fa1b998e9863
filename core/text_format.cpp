// Thousands separators and UTF-8 aware padding for aligned tables.
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace atelier {

std::string withThousands(std::int64_t value)
{
    const bool negative = value < 0;
    // Unsigned magnitude: -value would overflow for the smallest int64.
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    std::string digits = std::to_string(magnitude);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), ",");
    return negative ? "-" + digits : digits;
}

std::string durationText(double seconds)
{
    char text[48];
    if (!std::isfinite(seconds) || seconds < 0)
        return "unknown";
    if (seconds < 90)
        std::snprintf(text, sizeof text, "%.0f s", seconds);
    else if (seconds < 3600)
        std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
    else
        std::snprintf(text, sizeof text, "%d h %02d min", int(seconds / 3600),
                      int(std::fmod(seconds, 3600) / 60));
    return text;
}

std::string shortestDouble(double value)
{
    char buffer[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtod(buffer, nullptr) == value)
            break;
    }
    return buffer;
}

std::size_t displayWidth(const std::string& text)
{
    std::size_t width = 0;
    for (unsigned char c : text)
        width += (c & 0xC0) != 0x80; // count lead bytes, not continuation bytes
    return width;
}

std::string padded(const std::string& text, std::size_t width, bool alignRight)
{
    const std::size_t current = displayWidth(text);
    const std::string fill(width > current ? width - current : 0, ' ');
    return alignRight ? fill + text : text + fill;
}

std::string shortenedForMessage(const std::string& text)
{
    std::size_t end = std::min(text.size(), kMaxQuotedBytes);
    if (end < text.size())
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end; // never cut a UTF-8 sequence in half
    std::string shortened;
    for (std::size_t i = 0; i < end; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n')
            shortened += "\\n";
        else if (c == '\t')
            shortened += "\\t";
        else if (c < 0x20 || c == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
            shortened += escaped;
        } else
            shortened += char(c);
    }
    return end < text.size() ? shortened + "…" : shortened;
}

std::string quotedForMessage(const std::string& text)
{
    return "'" + shortenedForMessage(text) + "'";
}

} // namespace atelier
