// The trials of a search as a table.
#include "ui/search/trials_model.h"

#include "ui/runs/run_data.h"
#include "ui/search/search_scale.h"
#include "ui/search/sweep_monitor.h"

#include <cmath>

namespace atelier::ui {
namespace {

enum TailColumn
{
    ValLoss,
    ValAccuracy,
    BestEpoch,
    Epochs,
    Time,
    TailCount,
};

} // namespace

TrialsModel::TrialsModel(SweepMonitor* monitor, QObject* parent)
    : QAbstractTableModel(parent), m_monitor(monitor)
{
    // Another folder: other trials, other columns (a model reset, selections dropped).
    connect(m_monitor, &SweepMonitor::aboutToChangeFolder, this, &TrialsModel::beginResetModel);
    connect(m_monitor, &SweepMonitor::folderChanged, this, [this] {
        m_rows = int(m_monitor->table().rows.size());
        m_columns = FirstParameterColumn + parameterCount() + TailCount;
        endResetModel();
    });
    // The same folder, newer states: repaint, keep the sort and the selection.
    connect(m_monitor, &SweepMonitor::updated, this, &TrialsModel::trialsChanged);
    m_rows = int(m_monitor->table().rows.size());
    m_columns = FirstParameterColumn + parameterCount() + TailCount;
}

void TrialsModel::trialsChanged()
{
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, m_columns - 1));
}

int TrialsModel::parameterCount() const
{
    return int(m_monitor->table().columns.size());
}

int TrialsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int TrialsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

QVariant TrialsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SearchTable& table = m_monitor->table();
    const SearchRow& row = table.rows[std::size_t(index.row())];
    const TrialRecord& record = m_monitor->records()[std::size_t(index.row())];
    const bool finished = trialFinished(record.status);
    const RunMetrics& metrics = record.metrics;
    const int column = index.column();
    const int tail = column - FirstParameterColumn - parameterCount();
    if (role == SortRole) {
        if (column == IndexColumn)
            return row.index;
        if (column == StatusColumn)
            return row.status;
        if (tail < 0)
            return row.values[std::size_t(column - FirstParameterColumn)];
        if (!finished)
            return std::nan("");
        switch (tail) {
        case ValLoss:
            return metrics.devLoss;
        case ValAccuracy:
            return metrics.devAccuracy;
        case BestEpoch:
            return metrics.bestEpoch;
        case Epochs:
            return metrics.epochsRun;
        case Time:
            return record.epochSeconds;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        if (column == IndexColumn)
            return row.index;
        if (column == StatusColumn) {
            if (record.status == TrialStatus::Running || record.status == TrialStatus::Interrupted)
                return QStringLiteral("%1 (%2 epochs)").arg(row.status).arg(record.epochsDone);
            return row.status;
        }
        if (tail < 0)
            return table.valueText(index.row(), column - FirstParameterColumn);
        if (!finished)
            return {};
        switch (tail) {
        case ValLoss:
            return std::isfinite(metrics.devLoss) ? QString::number(metrics.devLoss, 'f', 4)
                                                  : QStringLiteral("diverged");
        case ValAccuracy:
            return QString::number(metrics.devAccuracy, 'f', 4);
        case BestEpoch:
            return metrics.bestEpoch;
        case Epochs:
            return metrics.epochsRun;
        case Time:
            return clockText(record.epochSeconds);
        }
        return {};
    }
    if (role == Qt::ToolTipRole)
        return record.problem.empty() ? m_monitor->trialFolder(index.row())
                                      : m_monitor->trialFolder(index.row()) + QLatin1Char('\n') +
                                            QString::fromStdString(record.problem);
    if (role == Qt::TextAlignmentRole && column != StatusColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant TrialsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    const int parameter = section - FirstParameterColumn;
    if (role == Qt::ToolTipRole && parameter >= 0 && parameter < parameterCount())
        return m_monitor->table().columns[std::size_t(parameter)].name; // the whole key path
    if (role != Qt::DisplayRole)
        return {};
    if (section == IndexColumn)
        return QStringLiteral("Trial");
    if (section == StatusColumn)
        return QStringLiteral("Status");
    const int tail = section - FirstParameterColumn - parameterCount();
    if (tail < 0)
        return shortColumnName(m_monitor->table().columns[std::size_t(parameter)].name);
    static const char* const names[] = {"val_loss", "val_accuracy", "Best epoch", "Epochs", "Time"};
    return tail < TailCount ? QVariant(QString::fromLatin1(names[tail])) : QVariant();
}

TrialsFilter::TrialsFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TrialsModel::SortRole);
}

void TrialsFilter::setAccepts(std::function<bool(int)> accepts)
{
    m_accepts = std::move(accepts);
    refilter();
}

void TrialsFilter::refilter()
{
    invalidateRowsFilter();
}

bool TrialsFilter::filterAcceptsRow(int row, const QModelIndex&) const
{
    return !m_accepts || m_accepts(row);
}

bool TrialsFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QVariant a = left.data(TrialsModel::SortRole), b = right.data(TrialsModel::SortRole);
    if (a.typeId() != QMetaType::Double && b.typeId() != QMetaType::Double)
        return QSortFilterProxyModel::lessThan(left, right);
    const double x = a.toDouble(), y = b.toDouble();
    const bool xMissing = std::isnan(x), yMissing = std::isnan(y);
    if (!xMissing && !yMissing)
        return x < y;
    // Trials without a value (pending, running) go last in either direction: descending,
    // Qt sorts by calling lessThan with the arguments swapped, so "missing is smallest"
    // puts them last there and "missing is largest" puts them last ascending.
    if (xMissing == yMissing)
        return false;
    const bool descending = sortOrder() == Qt::DescendingOrder;
    return descending ? xMissing : yMissing;
}

} // namespace atelier::ui
