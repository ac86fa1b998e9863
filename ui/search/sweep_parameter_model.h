// The parameters of the sweep being built, as an editable table: name, key path(s), kind
// (listed values or a range) and the values or the range's ends. Edits go to the SweepDraft,
// which refuses a path searched twice; a refused edit leaves the cell as it was and reports
// why (editRefused).
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

namespace atelier::ui {

class SweepDraft;

class SweepParameterModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        PathsColumn,
        KindColumn,
        ValuesColumn,
        ColumnCount,
    };

    explicit SweepParameterModel(SweepDraft* draft, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // What the kind column offers: "values", then the range kinds of docs/sweeps.md.
    static QStringList kindNames();
    // "32, 64, {type: adam, learning_rate: 0.001}" → its values: split at the commas that
    // are outside brackets, braces and quotes.
    static QStringList splitValues(const QString& text);

Q_SIGNALS:
    void editRefused(const QString& reason);

private:
    void draftChanged();

    SweepDraft* m_draft;
    int m_rows = 0;
};

} // namespace atelier::ui
