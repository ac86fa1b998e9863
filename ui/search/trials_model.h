// The trials of a search as a sortable table: index, status, every searched parameter,
// val_loss, val_accuracy, best epoch, epochs and time; and the proxy that shows only the
// trials the parallel-coordinates chart's brushes let through.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <functional>

namespace atelier::ui {

class SweepMonitor;

class TrialsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // The raw number behind a cell, for sorting (NaN and missing sort last).
    static constexpr int SortRole = Qt::UserRole + 1;
    enum FixedColumn
    {
        IndexColumn,
        StatusColumn,
        FirstParameterColumn,
    };

    explicit TrialsModel(SweepMonitor* monitor, QObject* parent = nullptr);

    int parameterCount() const;
    // After the parameters: val_loss, val_accuracy, best epoch, epochs, time.
    int valLossColumn() const { return FirstParameterColumn + parameterCount(); }
    int valAccuracyColumn() const { return valLossColumn() + 1; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void trialsChanged();

    SweepMonitor* m_monitor;
    int m_rows = 0;
    int m_columns = 0;
};

// Shows the rows a predicate accepts (the chart's brushes), sorted by SortRole.
class TrialsFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TrialsFilter(QObject* parent = nullptr);
    void setAccepts(std::function<bool(int row)> accepts);
    // Call when the predicate's answer changed.
    void refilter();

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    std::function<bool(int)> m_accepts;
};

} // namespace atelier::ui
