// The runs the studio knows: those trained in this session and the complete run folders
// found on disk, as a sortable results table (parameters, best epoch, dev/test loss and
// accuracy, time).
#pragma once

#include "run_data.h"

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

    explicit RunListModel(QObject* parent = nullptr);

    int addRun(std::shared_ptr<RunData> run); // returns its row
    // Reads every run folder directly inside `directory` that is not listed yet; returns how
    // many were added. Folders without results are listed too, as incomplete (resumable when
    // a checkpoint can continue them), training elsewhere, or damaged (with the reason).
    int addFolders(const QString& directory);
    void runChanged(const RunData* run);
    std::shared_ptr<RunData> run(int row) const { return m_runs.at(std::size_t(row)); }
    int rowOf(const RunData* run) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<std::shared_ptr<RunData>> m_runs;
};

} // namespace atelier::ui
