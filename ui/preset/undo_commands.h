// The undo commands of the preset editor. Structural edits of the layer stack have their own
// commands (the table model must see inserts, removals and moves as such); every other edit
// swaps an old value for a new one.
#pragma once

#include "ui/model/layer_stack_model.h"

#include <QUndoCommand>
#include <functional>

namespace atelier::ui {

class InsertLayerCommand : public QUndoCommand
{
public:
    InsertLayerCommand(LayerStackModel* model, int row, LayerSpec layer, const QString& text);
    void redo() override;
    void undo() override;

private:
    LayerStackModel* m_model;
    int m_row;
    LayerSpec m_layer;
};

class RemoveLayerCommand : public QUndoCommand
{
public:
    RemoveLayerCommand(LayerStackModel* model, int row);
    void redo() override;
    void undo() override;

private:
    LayerStackModel* m_model;
    int m_row;
    LayerSpec m_layer;
};

class MoveLayerCommand : public QUndoCommand
{
public:
    MoveLayerCommand(LayerStackModel* model, int from, int to);
    void redo() override;
    void undo() override;

private:
    LayerStackModel* m_model;
    int m_from;
    int m_to;
};

class EditLayerCommand : public QUndoCommand
{
public:
    EditLayerCommand(LayerStackModel* model, int row, LayerSpec after, int field);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    LayerStackModel* m_model;
    int m_row;
    int m_field;
    LayerSpec m_before;
    LayerSpec m_after;
};

// Swaps a value through a setter; consecutive commands with the same merge id (not -1)
// become one undo step.
template <typename T> class ValueCommand : public QUndoCommand
{
public:
    ValueCommand(const QString& text, T before, T after, std::function<void(const T&)> apply,
                 int mergeId = -1)
        : QUndoCommand(text), m_before(std::move(before)), m_after(std::move(after)),
          m_apply(std::move(apply)), m_mergeId(mergeId)
    {}
    void redo() override { m_apply(m_after); }
    void undo() override { m_apply(m_before); }
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand* other) override
    {
        m_after = static_cast<const ValueCommand*>(other)->m_after;
        return true;
    }

private:
    T m_before;
    T m_after;
    std::function<void(const T&)> m_apply;
    int m_mergeId;
};

} // namespace atelier::ui
