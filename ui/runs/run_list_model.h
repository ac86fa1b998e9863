// The run catalog as a sortable results table (parameters, best epoch, dev/test loss and
// accuracy, time).
#pragma once

#include "ui/runs/run_catalog.h"

#include <QAbstractTableModel>
#include <memory>

namespace atelier::ui {

class RunListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        StatusColumn,
        ParamsColumn,
        BestEpochColumn,
        DevLossColumn,
        DevAccuracyColumn,
        TestLossColumn,
        TestAccuracyColumn,
        TimeColumn,
        ColumnCount,
    };
    // The raw number behind a cell, for sorting.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit RunListModel(RunCatalog* catalog, QObject* parent = nullptr);
    std::shared_ptr<RunData> run(int row) const { return m_catalog->run(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    RunCatalog* m_catalog;
};

} // namespace atelier::ui
