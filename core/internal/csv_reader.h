// Private to core: a strict reader of the run folder's CSV files (no quoting), with file and
// line in every message. Numbers are parsed with std::from_chars: locale-free (the studio's
// locale may use a decimal comma), no silent skipping of spaces or trailing text, and
// range-checked before narrowing.
#pragma once

#include "../errors.h"
#include "../run_files.h"
#include "../text_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::detail {

// The value for a message: quoted, cut, control bytes escaped. Only a bounded prefix of a
// field is copied, however long the field is.
inline std::string shown(std::string_view value)
{
    return quotedForMessage(std::string(value.substr(0, kMaxQuotedBytes + 4)));
}

// Rows of a run folder's CSV files: one line at a time, with the line number for messages.
// Blank lines are skipped; a trailing '\r' is dropped. A field is quoted only when it holds
// a comma or a quote (a layer name may), as RFC 4180 writes it: "a, ""b""" is a, "b".
class CsvReader
{
public:
    CsvReader(const std::string& text, const std::string& path) : m_text(text), m_path(path) {}

    // Reads the first line and checks it; an empty file says so.
    void expectHeader(std::string_view expected)
    {
        if (!nextLine())
            throw InputError(m_path + ": empty file (expected the header '" +
                             std::string(expected) + "')");
        if (m_line != expected)
            fail("expected the header '" + std::string(expected) + "', found " + shown(m_line));
    }

    // The next non-blank line split into exactly `columns` fields; false at the end.
    bool nextRow(std::size_t columns)
    {
        do {
            if (!nextLine())
                return false;
        } while (m_line.empty());
        m_fields.clear();
        m_unquoted.clear();
        std::size_t start = 0;
        for (;;) {
            std::size_t end = 0; // the comma after the field, or npos
            if (start < m_line.size() && m_line[start] == '"') {
                end = readQuoted(start);
            } else {
                end = m_line.find(',', start);
                m_fields.push_back(m_line.substr(start, end - start));
            }
            if (end == std::string_view::npos)
                break;
            if (m_fields.size() == columns) // more would follow: stop before storing them all
                fail("too many columns (expected " + std::to_string(columns) + ")");
            start = end + 1;
        }
        if (m_fields.size() != columns)
            fail("too few columns (expected " + std::to_string(columns) + ", found " +
                 std::to_string(m_fields.size()) + ")");
        return true;
    }

    std::string_view field(std::size_t i) const { return m_fields[i]; }
    bool isEmpty(std::size_t i) const { return m_fields[i].empty(); }

    [[noreturn]] void fail(const std::string& what) const
    {
        throw InputError(m_path + ":" + std::to_string(m_lineNumber) + ": " + what);
    }

    // A whole number in [low, high] in column `i` named `name`.
    std::int64_t whole(std::size_t i, const char* name, std::int64_t low, std::int64_t high) const
    {
        const std::string_view text = m_fields[i];
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
            value < low || value > high)
            fail(std::string("column '") + name + "': expected a whole number from " +
                 std::to_string(low) + " to " + std::to_string(high) + ", got " + shown(text));
        return value;
    }

    // A number in [low, high] in column `i`; NaN and ±inf pass only when allowed.
    double real(std::size_t i, const char* name, double low, double high,
                NonFinite nonFinite = NonFinite::Refused) const
    {
        const std::string_view text = m_fields[i];
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool parsed =
            !text.empty() && error == std::errc() && end == text.data() + text.size();
        const bool fits =
            std::isfinite(value) ? value >= low && value <= high : nonFinite == NonFinite::Allowed;
        if (!parsed || !fits)
            fail(std::string("column '") + name + "': expected a number from " + shortNumber(low) +
                 " to " + shortNumber(high) +
                 (nonFinite == NonFinite::Allowed ? " (or nan/inf: the run diverged)" : "") +
                 ", got " + shown(text));
        return value;
    }

private:
    static std::string shortNumber(double value)
    {
        if (std::isinf(value))
            return value > 0 ? "infinity" : "-infinity";
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", value);
        return buffer;
    }

    bool nextLine()
    {
        if (m_offset >= m_text.size())
            return false;
        const std::size_t end = std::min(m_text.find('\n', m_offset), m_text.size());
        m_line = std::string_view(m_text).substr(m_offset, end - m_offset);
        if (!m_line.empty() && m_line.back() == '\r')
            m_line.remove_suffix(1);
        m_offset = end + 1;
        ++m_lineNumber;
        return true;
    }

    // The quoted field starting at `start`, unescaped into m_unquoted; returns the position of
    // the comma after it, or npos at the end of the line.
    std::size_t readQuoted(std::size_t start)
    {
        std::string value;
        std::size_t at = start + 1;
        for (;;) {
            if (at >= m_line.size())
                fail("a quoted field is not closed");
            if (m_line[at] == '"') {
                if (at + 1 < m_line.size() && m_line[at + 1] == '"') {
                    value += '"';
                    at += 2;
                    continue;
                }
                ++at;
                break;
            }
            value += m_line[at++];
        }
        if (at < m_line.size() && m_line[at] != ',')
            fail("text after a quoted field's closing quote");
        m_unquoted.push_back(std::move(value));
        m_fields.push_back(m_unquoted.back()); // a deque's elements stay where they are
        return at < m_line.size() ? at : std::string_view::npos;
    }

    const std::string& m_text;
    const std::string& m_path;
    std::size_t m_offset = 0;
    int m_lineNumber = 0;
    std::string_view m_line;
    std::vector<std::string_view> m_fields;
    std::deque<std::string> m_unquoted; // the unescaped text of this row's quoted fields
};

// `text` as one CSV field: as it is, or quoted when it holds a comma or a quote.
inline std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

} // namespace atelier::detail
