// The Model view: the visual layer-stack builder. A palette of layer types, the stack as a
// table (drag to add and reorder), the selected layer's properties, live totals and
// problems, and a diagram of the stack. Every edit goes through the PresetDocument.
#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QTableView;

namespace atelier::ui {

class LayerPaletteModel;
class LayerPropertyEditor;
class ModelDiagramWidget;
class PresetDocument;

class ModelView : public QWidget
{
    Q_OBJECT

public:
    ModelView(PresetDocument* document, QWidget* parent = nullptr);

    // Delete, duplicate, move up, move down, add from palette: for the Edit menu.
    QList<QAction*> layerActions() const;
    QTableView* stackView() const { return m_stack; }
    QListView* paletteView() const { return m_palette; }
    LayerPropertyEditor* propertyEditor() const { return m_properties; }
    ModelDiagramWidget* diagram() const { return m_diagram; }
    int selectedRow() const;
    void selectRow(int row);
    // The palette entry under the cursor is added after the selected layer.
    void addSelectedPaletteLayer();

private:
    QWidget* buildHeader();
    QWidget* buildPalette();
    QWidget* buildStack();
    QWidget* buildSide();
    void createActions();
    void refreshReport();
    void refreshDetails();
    void refreshProperties();
    void updateActions();

    PresetDocument* m_document;
    LayerPaletteModel* m_paletteModel = nullptr;
    QListView* m_palette = nullptr;
    QTableView* m_stack = nullptr;
    LayerPropertyEditor* m_properties = nullptr;
    ModelDiagramWidget* m_diagram = nullptr;
    QLabel* m_totals = nullptr;
    QLabel* m_problems = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_description = nullptr;
    QComboBox* m_input = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_duplicate = nullptr;
    QAction* m_moveUp = nullptr;
    QAction* m_moveDown = nullptr;
    QAction* m_add = nullptr;
};

} // namespace atelier::ui
