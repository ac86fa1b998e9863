// Thousands separators and UTF-8 aware padding for aligned tables.
#include "text_format.h"

#include <cstdio>
#include <cstdlib>

namespace atelier {

std::string withThousands(std::int64_t value)
{
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -value : value);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), ",");
    return negative ? "-" + digits : digits;
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

} // namespace atelier
