// Writing the studio's sweep as a sweep file (docs/sweeps.md): the base preset inline, each
// parameter in the short form (`PATH: [values]`) where it fits, else the long form with its
// name, path(s) and values or range.
#include "core/text_format.h"
#include "ui/search/sweep_draft.h"

#include <QRegularExpression>

namespace atelier::ui {
namespace {

// A name, label, path or description as a YAML scalar: plain where that reads back the same
// text, else double-quoted.
QString scalar(const QString& text)
{
    static const QRegularExpression plain(
        QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.\\-\\[\\]]*( [A-Za-z0-9_.\\-\\[\\]]+)*$"));
    // YAML reads these plain words as null, not as the text.
    static const QRegularExpression null(QStringLiteral("^(null|Null|NULL)$"));
    if (plain.match(text).hasMatch() && !null.match(text).hasMatch())
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    quoted.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    quoted.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    quoted.replace(QLatin1Char('\t'), QStringLiteral("\\t"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// A value as the user wrote it (YAML), on one line.
QString oneLine(const QString& value)
{
    QString text = value;
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text.trimmed();
}

QString rangeKey(RangeKind kind)
{
    return kind == RangeKind::Uniform      ? QStringLiteral("uniform")
           : kind == RangeKind::LogUniform ? QStringLiteral("log_uniform")
                                           : QStringLiteral("int");
}

// "{log_uniform: [0.0001, 0.1]}" without the braces: "log_uniform: [0.0001, 0.1]".
QString rangeEntry(const SweepRange& range)
{
    const auto end = [&](double value) {
        return range.kind == RangeKind::Int ? QString::number(static_cast<long long>(value))
                                            : QString::fromStdString(shortestDouble(value));
    };
    return QStringLiteral("%1: [%2, %3]")
        .arg(rangeKey(range.kind), end(range.low), end(range.high));
}

QString valueList(const QStringList& values)
{
    QStringList items;
    for (const QString& value : values)
        items << oneLine(value);
    return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
}

bool named(const SweepDraft::Parameter& p)
{
    return !p.labels.isEmpty() && p.labels != p.values;
}

void writeParameter(QStringList& lines, const SweepDraft::Parameter& p)
{
    const bool shortForm =
        p.paths.size() == 1 && !named(p) && SweepDraft::canonicalPath(p.name) == p.paths.front();
    if (shortForm) {
        lines << QStringLiteral("  %1: %2")
                     .arg(scalar(p.name),
                          p.range ? QLatin1Char('{') + rangeEntry(*p.range) + QLatin1Char('}')
                                  : valueList(p.values));
        return;
    }
    lines << QStringLiteral("  %1:").arg(scalar(p.name));
    if (p.paths.size() == 1) {
        lines << QStringLiteral("    path: %1").arg(scalar(p.paths.front()));
    } else {
        // A block list: a path's [ ] would end a flow list early unless quoted.
        lines << QStringLiteral("    paths:");
        for (const QString& path : p.paths)
            lines << QStringLiteral("      - %1").arg(scalar(path));
    }
    if (p.range) {
        lines << QStringLiteral("    ") + rangeEntry(*p.range);
    } else if (named(p)) {
        lines << QStringLiteral("    values:");
        for (int i = 0; i < p.values.size(); ++i)
            lines << QStringLiteral("      %1: %2").arg(scalar(p.labels[i]), oneLine(p.values[i]));
    } else {
        lines << QStringLiteral("    values: %1").arg(valueList(p.values));
    }
}

} // namespace

QString SweepDraft::toYaml() const
{
    QStringList lines = {
        QStringLiteral("# Atelier sweep; the schema is described in docs/sweeps.md")};
    if (!m_name.isEmpty())
        lines << QStringLiteral("name: %1").arg(scalar(m_name));
    if (!m_description.isEmpty())
        lines << QStringLiteral("description: %1").arg(scalar(m_description));
    lines << QStringLiteral("method: %1")
                 .arg(m_method == SweepMethod::Random ? QStringLiteral("random")
                                                      : QStringLiteral("grid"));
    if (m_method == SweepMethod::Random) {
        if (m_randomCount == RandomCount::Fraction)
            lines << QStringLiteral("fraction: %1")
                         .arg(QString::fromStdString(shortestDouble(m_fraction)));
        else
            lines << QStringLiteral("trials: %1").arg(m_trials);
    }
    lines << QStringLiteral("seed: %1").arg(m_seed);
    lines << QStringLiteral("objective: %1")
                 .arg(QString::fromStdString(sweepObjectiveName(m_objective)));
    // Without a base the reader reports the missing key, with its place, like any problem.
    if (hasBase()) {
        lines << QStringLiteral("base:");
        for (const QString& line : m_baseYaml.trimmed().split(QLatin1Char('\n')))
            lines << (line.isEmpty() ? line : QStringLiteral("  ") + line);
    }
    if (m_parameters.empty()) {
        lines << QStringLiteral("space: {}");
    } else {
        lines << QStringLiteral("space:");
        for (const Parameter& parameter : m_parameters)
            writeParameter(lines, parameter);
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace atelier::ui
