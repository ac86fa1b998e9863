// The sweep's parameters as an editable table (see sweep_parameter_model.h).
#include "ui/search/sweep_parameter_model.h"

#include "core/text_format.h"
#include "ui/search/sweep_draft.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

using Parameter = SweepDraft::Parameter;

// The positions of `text` outside any bracket or quote of flow YAML, in order, until
// `visit` returns true; returns that position, or -1.
template <typename Visit> int firstTopLevel(const QString& text, Visit visit)
{
    int depth = 0;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
        } else if (c == QLatin1Char('[') || c == QLatin1Char('{')) {
            ++depth;
        } else if (c == QLatin1Char(']') || c == QLatin1Char('}')) {
            --depth;
        } else if (depth == 0 && visit(i)) {
            return i;
        }
    }
    return -1;
}

// The column separating a value's name from the value ("adam: {type: adam}"), outside any
// bracket or quote, or -1.
int nameSeparator(const QString& item)
{
    return firstTopLevel(item, [&](int i) {
        return item[i] == QLatin1Char(':') && (i + 1 == item.size() || item[i + 1].isSpace());
    });
}

QString valuesText(const Parameter& p)
{
    if (p.range) {
        const auto end = [&](double v) {
            return p.range->kind == RangeKind::Int ? QString::number(static_cast<long long>(v))
                                                   : QString::fromStdString(shortestDouble(v));
        };
        return end(p.range->low) + QStringLiteral(", ") + end(p.range->high);
    }
    if (p.labels.isEmpty() || p.labels == p.values)
        return p.values.join(QStringLiteral(", "));
    QStringList items;
    for (int i = 0; i < p.values.size(); ++i)
        items << p.labels.value(i) + QStringLiteral(": ") + p.values[i];
    return items.join(QStringLiteral(", "));
}

QString kindName(const Parameter& p)
{
    if (!p.range)
        return SweepParameterModel::kindNames().front();
    return SweepParameterModel::kindNames().at(int(p.range->kind) + 1);
}

// The values of a cell, named or not; false with `why` when only some have names.
bool readValues(const QString& text, Parameter& p, QString& why)
{
    p.values.clear();
    p.labels.clear();
    int named = 0;
    QStringList labels, values;
    for (const QString& item : SweepParameterModel::splitValues(text)) {
        const int separator = nameSeparator(item);
        labels << (separator < 0 ? QString() : item.left(separator).trimmed());
        values << (separator < 0 ? item : item.mid(separator + 1).trimmed());
        named += separator < 0 ? 0 : 1;
    }
    if (named > 0 && named < values.size()) {
        why = QStringLiteral("name every value (adam: {type: adam}) or none");
        return false;
    }
    p.values = values;
    if (named > 0)
        p.labels = labels;
    return true;
}

// A range's ends from "low, high"; false with `why`.
bool readRange(const QString& text, SweepRange& range, QString& why)
{
    const QStringList ends = SweepParameterModel::splitValues(text);
    bool lowOk = false, highOk = false;
    const double low = ends.value(0).toDouble(&lowOk);
    const double high = ends.value(1).toDouble(&highOk);
    if (ends.size() != 2 || !lowOk || !highOk) {
        why = QStringLiteral("a range is two numbers: low, high");
        return false;
    }
    range.low = low;
    range.high = high;
    return true;
}

// A range around listed numbers (or 0..1), when a row changes from values to a range.
SweepRange rangeFrom(const Parameter& p, RangeKind kind)
{
    SweepRange range{kind, 0, 1};
    std::vector<double> numbers;
    for (const QString& value : p.values) {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (ok && std::isfinite(number))
            numbers.push_back(number);
    }
    if (numbers.size() >= 2) {
        range.low = *std::min_element(numbers.begin(), numbers.end());
        range.high = *std::max_element(numbers.begin(), numbers.end());
    }
    if (kind == RangeKind::Int) {
        range.low = std::round(range.low);
        range.high = std::round(range.high);
    }
    return range;
}

} // namespace

SweepParameterModel::SweepParameterModel(SweepDraft* draft, QObject* parent)
    : QAbstractTableModel(parent), m_draft(draft), m_rows(draft->parameterCount())
{
    connect(m_draft, &SweepDraft::changed, this, &SweepParameterModel::draftChanged);
}

QStringList SweepParameterModel::kindNames()
{
    // In the order of RangeKind, after "values".
    return {QStringLiteral("values"), QStringLiteral("uniform"), QStringLiteral("log_uniform"),
            QStringLiteral("int")};
}

QStringList SweepParameterModel::splitValues(const QString& text)
{
    QStringList items;
    int start = 0;
    auto take = [&](int end) {
        const QString item = text.mid(start, end - start).trimmed();
        if (!item.isEmpty())
            items << item;
        start = end + 1;
    };
    firstTopLevel(text, [&](int i) {
        if (text[i] == QLatin1Char(','))
            take(i);
        return false; // every comma, to the end
    });
    take(int(text.size()));
    return items;
}

void SweepParameterModel::draftChanged()
{
    // Rows added or removed: a reset; else the cells of every row may have changed.
    if (m_draft->parameterCount() != m_rows) {
        beginResetModel();
        m_rows = m_draft->parameterCount();
        endResetModel();
    } else if (m_rows > 0) {
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
    }
}

int SweepParameterModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int SweepParameterModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SweepParameterModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_draft->parameterCount())
        return {};
    const Parameter& p = m_draft->parameters()[std::size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case NameColumn:
            return p.name;
        case PathsColumn:
            return p.paths.join(QStringLiteral(", "));
        case KindColumn:
            return kindName(p);
        case ValuesColumn:
            return valuesText(p);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case NameColumn:
            return QStringLiteral("The parameter's column in trials.csv and reports");
        case PathsColumn:
            return QStringLiteral("Preset key paths (model.layers[1].units, layers from 1); "
                                  "several, separated by commas, get the same value");
        case KindColumn:
            return QStringLiteral("Listed values, or a range drawn by method random with "
                                  "a number of trials");
        case ValuesColumn:
            return p.range ? QStringLiteral("low, high")
                           : QStringLiteral("YAML values separated by commas; name them as "
                                            "adam: {type: adam}, sgd: {type: sgd}");
        default:
            return {};
        }
    }
    return {};
}

QVariant SweepParameterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case NameColumn:
        return QStringLiteral("Name");
    case PathsColumn:
        return QStringLiteral("Key path(s)");
    case KindColumn:
        return QStringLiteral("Kind");
    case ValuesColumn:
        return QStringLiteral("Values or range");
    default:
        return {};
    }
}

Qt::ItemFlags SweepParameterModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

bool SweepParameterModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_draft->parameterCount())
        return false;
    Parameter p = m_draft->parameters()[std::size_t(index.row())];
    const QString text = value.toString().trimmed();
    QString why;
    bool ok = true;
    switch (index.column()) {
    case NameColumn:
        p.name = text;
        break;
    case PathsColumn: {
        const bool nameIsPath = p.paths.size() == 1 && p.name == p.paths.front();
        p.paths = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
        if (nameIsPath && p.paths.size() == 1)
            p.name = p.paths.front(); // a short-form row keeps naming itself by its path
        break;
    }
    case KindColumn: {
        const int kind = kindNames().indexOf(text);
        if (kind < 0) {
            why = QStringLiteral("the kind is one of: %1").arg(kindNames().join(", "));
            ok = false;
        } else if (kind == 0 && p.range) {
            p.values = {valuesText(p).section(QLatin1Char(','), 0, 0).trimmed(),
                        valuesText(p).section(QLatin1Char(','), 1).trimmed()};
            p.labels.clear();
            p.range.reset();
        } else if (kind > 0) {
            p.range = p.range ? SweepRange{RangeKind(kind - 1), p.range->low, p.range->high}
                              : rangeFrom(p, RangeKind(kind - 1));
        }
        break;
    }
    case ValuesColumn:
        if (p.range) {
            ok = readRange(text, *p.range, why);
        } else {
            ok = readValues(text, p, why);
        }
        break;
    default:
        return false;
    }
    if (ok)
        ok = m_draft->setParameter(index.row(), p, &why);
    if (!ok)
        Q_EMIT editRefused(QStringLiteral("Row %1: %2").arg(index.row() + 1).arg(why));
    return ok;
}

} // namespace atelier::ui
