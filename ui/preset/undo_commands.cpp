// The undo commands of the preset editor.
#include "ui/preset/undo_commands.h"

#include "ui/widgets/layer_text.h"

namespace atelier::ui {

// Command ids for merging: layer edits use this base; ValueCommand ids stay below it.
constexpr int kEditLayerCommandId = 1000;

InsertLayerCommand::InsertLayerCommand(LayerStackModel* model, int row, LayerSpec layer,
                                       const QString& text)
    : QUndoCommand(text), m_model(model), m_row(row), m_layer(std::move(layer))
{}

void InsertLayerCommand::redo()
{
    m_model->insertLayer(m_row, m_layer);
}

void InsertLayerCommand::undo()
{
    m_model->takeLayer(m_row);
}

RemoveLayerCommand::RemoveLayerCommand(LayerStackModel* model, int row)
    : m_model(model), m_row(row), m_layer(model->layer(row))
{
    setText(QStringLiteral("Delete %1").arg(qs(layerTypeDisplayName(m_layer.type))));
}

void RemoveLayerCommand::redo()
{
    m_layer = m_model->takeLayer(m_row);
}

void RemoveLayerCommand::undo()
{
    m_model->insertLayer(m_row, m_layer);
}

MoveLayerCommand::MoveLayerCommand(LayerStackModel* model, int from, int to)
    : m_model(model), m_from(from), m_to(to)
{
    setText(QStringLiteral("Move %1").arg(qs(layerTypeDisplayName(model->layer(from).type))));
}

void MoveLayerCommand::redo()
{
    m_model->moveLayer(m_from, m_to);
}

void MoveLayerCommand::undo()
{
    m_model->moveLayer(m_to, m_from);
}

EditLayerCommand::EditLayerCommand(LayerStackModel* model, int row, LayerSpec after, int field)
    : m_model(model), m_row(row), m_field(field), m_before(model->layer(row)),
      m_after(std::move(after))
{
    setText(QStringLiteral("Edit %1").arg(qs(layerTypeDisplayName(m_after.type))));
}

void EditLayerCommand::redo()
{
    m_model->replaceLayer(m_row, m_after);
}

void EditLayerCommand::undo()
{
    m_model->replaceLayer(m_row, m_before);
}

int EditLayerCommand::id() const
{
    return kEditLayerCommandId;
}

bool EditLayerCommand::mergeWith(const QUndoCommand* other)
{
    const auto* edit = static_cast<const EditLayerCommand*>(other);
    if (edit->m_row != m_row || edit->m_field != m_field)
        return false;
    m_after = edit->m_after;
    // Stepping a value away and back leaves nothing to undo.
    setObsolete(m_after == m_before);
    return true;
}

} // namespace atelier::ui
