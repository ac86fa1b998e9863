// The runs the studio knows, as a sortable results table.
#include "ui/runs/run_list_model.h"

#include "core/text_format.h"

namespace atelier::ui {
RunListModel::RunListModel(RunCatalog* catalog, QObject* parent)
    : QAbstractTableModel(parent), m_catalog(catalog)
{
    connect(m_catalog, &RunCatalog::runAdded, this, [this](int index) {
        // The catalog only appends: the new run is the last row.
        beginInsertRows({}, index, index);
        endInsertRows();
    });
    connect(m_catalog, &RunCatalog::runChanged, this, [this](const RunData* run) {
        const int row = m_catalog->indexOf(run);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
}

int RunListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_catalog->count();
}

int RunListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunData& run = *m_catalog->run(index.row());
    const int best = run.bestEpoch();
    const EpochRecord* bestRecord = nullptr;
    for (const EpochRecord& r : run.history)
        if (r.epoch == best)
            bestRecord = &r;
    // While training, the dev figures are those of the best epoch so far.
    const double devLoss = run.hasResult ? run.devLoss : bestRecord ? bestRecord->valLoss : 0;
    const double devAccuracy = run.hasResult ? run.devAccuracy
                               : bestRecord  ? bestRecord->valAccuracy
                                             : 0;
    const bool hasDev = run.hasResult || bestRecord;
    if (role == SortRole) {
        switch (index.column()) {
        case NameColumn:
            return run.name;
        case StatusColumn:
            return run.status;
        case ParamsColumn:
            return run.parameters;
        case BestEpochColumn:
            return best;
        case DevLossColumn:
            return devLoss;
        case DevAccuracyColumn:
            return devAccuracy;
        case TestLossColumn:
            return run.testLoss;
        case TestAccuracyColumn:
            return run.testAccuracy;
        case TimeColumn:
            return run.trainingSeconds();
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn:
            return run.name;
        case StatusColumn:
            if (run.status == QLatin1String("incomplete") && run.resumable)
                return QStringLiteral("incomplete (%1 of %2 epochs)")
                    .arg(run.history.size())
                    .arg(run.epochsPlanned);
            return run.resumable ? QStringLiteral("%1 (resumable)").arg(run.status) : run.status;
        case ParamsColumn: // unknown for a damaged folder
            return run.parameters > 0
                       ? QVariant(QString::fromStdString(withThousands(run.parameters)))
                       : QVariant();
        case BestEpochColumn:
            return best > 0 ? QVariant(best) : QVariant();
        case DevLossColumn:
            return hasDev ? QString::number(devLoss, 'f', 4) : QVariant();
        case DevAccuracyColumn:
            return hasDev ? QString::number(devAccuracy, 'f', 4) : QVariant();
        case TestLossColumn:
            return run.hasResult ? QString::number(run.testLoss, 'f', 4) : QVariant();
        case TestAccuracyColumn:
            return run.hasResult ? QString::number(run.testAccuracy, 'f', 4) : QVariant();
        case TimeColumn:
            return run.hasResult || !run.history.empty() || run.status == QLatin1String("training")
                       ? QVariant(clockText(run.trainingSeconds()))
                       : QVariant();
        }
    }
    if (role == Qt::ToolTipRole)
        return run.problem.isEmpty() ? run.folder : run.folder + QLatin1Char('\n') + run.problem;
    if (role == Qt::TextAlignmentRole && index.column() >= ParamsColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"Run",        "Status",    "Params",
                                        "Best epoch", "Dev loss",  "Dev acc.",
                                        "Test loss",  "Test acc.", "Time"};
    return QString::fromLatin1(names[section]);
}

} // namespace atelier::ui
