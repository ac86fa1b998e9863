// The layer stack as a table for the builder.
#include "ui/model/layer_stack_model.h"

#include "core/dataset.h"
#include "core/text_format.h"
#include "ui/model/layer_mime.h"
#include "ui/widgets/icons.h"
#include "ui/widgets/layer_text.h"

#include <QApplication>
#include <QColor>
#include <QIcon>
#include <QStyle>

namespace atelier::ui {

LayerStackModel::LayerStackModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_report = analyzeModel(m_spec, kNumClasses);
}

void LayerStackModel::analyze()
{
    // Views ask for data while the end*Rows() signals run: the report must already match.
    m_report = analyzeModel(m_spec, kNumClasses);
}

void LayerStackModel::announceChanges()
{
    // A layer's change moves the shapes and errors of every layer after it.
    if (!m_spec.layers.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT reportChanged();
}

void LayerStackModel::setSpec(const ModelSpec& spec)
{
    beginResetModel();
    m_spec = spec;
    analyze();
    endResetModel();
    announceChanges();
}

void LayerStackModel::setInputShape(const std::vector<int>& shape)
{
    m_spec.inputShape = shape;
    analyze();
    announceChanges();
}

void LayerStackModel::insertLayer(int row, const LayerSpec& layer)
{
    row = std::clamp(row, 0, rowCount());
    beginInsertRows({}, row, row);
    m_spec.layers.insert(m_spec.layers.begin() + row, layer);
    analyze();
    endInsertRows();
    announceChanges();
}

LayerSpec LayerStackModel::takeLayer(int row)
{
    beginRemoveRows({}, row, row);
    LayerSpec layer = m_spec.layers.at(std::size_t(row));
    m_spec.layers.erase(m_spec.layers.begin() + row);
    analyze();
    endRemoveRows();
    announceChanges();
    return layer;
}

void LayerStackModel::moveLayer(int from, int to)
{
    if (from == to)
        return;
    // Qt counts the destination in the rows before the move.
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    LayerSpec layer = m_spec.layers.at(std::size_t(from));
    m_spec.layers.erase(m_spec.layers.begin() + from);
    m_spec.layers.insert(m_spec.layers.begin() + to, layer);
    analyze();
    endMoveRows();
    announceChanges();
}

void LayerStackModel::replaceLayer(int row, const LayerSpec& layer)
{
    m_spec.layers.at(std::size_t(row)) = layer;
    analyze();
    announceChanges();
}

int LayerStackModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_spec.layers.size());
}

int LayerStackModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerStackModel::displayData(const LayerSpec& layer, const LayerReport& report,
                                      int column) const
{
    switch (column) {
    case LayerColumn:
        return layer.name.empty() ? qs(layerTypeDisplayName(layer.type))
                                  : QStringLiteral("%1 (%2)").arg(
                                        qs(layerTypeDisplayName(layer.type)), qs(layer.name));
    case SettingsColumn:
        return layerSettingsText(layer);
    case OutputColumn:
        return report.output.known() ? qs(report.output.toString()) : QStringLiteral("?");
    case ParamsColumn:
        return qs(withThousands(report.trainableParams + report.nonTrainableParams));
    }
    return {};
}

QVariant LayerStackModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto row = std::size_t(index.row());
    const LayerSpec& layer = m_spec.layers[row];
    const LayerReport& report = m_report.layers[row];
    const bool invalid = !report.error.empty();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(layer, report, index.column());
    case ErrorRole:
        return qs(report.error);
    case Qt::ToolTipRole:
        if (invalid)
            return QStringLiteral("Layer %1: %2").arg(report.number).arg(qs(report.error));
        if (index.column() == ParamsColumn && report.nonTrainableParams > 0)
            return QStringLiteral("%1 trainable, %2 non-trainable (running statistics)")
                .arg(qs(withThousands(report.trainableParams)),
                     qs(withThousands(report.nonTrainableParams)));
        return {};
    case Qt::DecorationRole:
        if (invalid && index.column() == LayerColumn)
            return atelierIcon(QStringLiteral("warning"), IconTone::Warning);
        return {};
    case Qt::BackgroundRole:
        // Translucent red reads on light and dark palettes alike.
        if (invalid)
            return QColor(220, 50, 47, 70);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ParamsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    }
    return {};
}

QVariant LayerStackModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case LayerColumn:
            return QStringLiteral("Layer");
        case SettingsColumn:
            return QStringLiteral("Settings");
        case OutputColumn:
            return QStringLiteral("Output shape");
        case ParamsColumn:
            return QStringLiteral("Params");
        }
    }
    if (role == Qt::ToolTipRole && section == OutputColumn)
        return QStringLiteral("Channels×height×width after the layer, or the length of a flat "
                              "vector");
    return {};
}

Qt::ItemFlags LayerStackModel::flags(const QModelIndex& index) const
{
    // Only the space between rows accepts drops: dropping onto a layer means nothing.
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList LayerStackModel::mimeTypes() const
{
    return {kLayerRowMime, kLayerTypeMime};
}

QMimeData* LayerStackModel::mimeData(const QModelIndexList& indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    return layerRowMimeData(indexes.first().row());
}

Qt::DropActions LayerStackModel::supportedDropActions() const
{
    return Qt::MoveAction | Qt::CopyAction;
}

Qt::DropActions LayerStackModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

bool LayerStackModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int row,
                                      int column, const QModelIndex& parent) const
{
    if (const auto from = layerRowFromMime(data))
        return *from >= 0 && *from < rowCount();
    return layerTypeFromMime(data).has_value();
}

bool LayerStackModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row,
                                   int column, const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    if (row < 0)
        row = parent.isValid() ? parent.row() : rowCount();
    if (const auto from = layerRowFromMime(data)) {
        // `row` is the gap the layer was dropped into, counted before the move.
        const int to = row > *from ? row - 1 : row;
        if (to == *from)
            return false;
        Q_EMIT moveRequested(*from, to);
        // The move already happened; the view must not remove the source row as well
        // (it only would through removeRows, which this model leaves unimplemented).
        return true;
    }
    Q_EMIT insertRequested(*layerTypeFromMime(data), row);
    return true;
}

} // namespace atelier::ui
