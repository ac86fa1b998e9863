// A compact drawing of the layer stack: one block per layer with its settings and output
// shape, like a model summary drawn. The painting works on any QPainter so that exports
// (PNG, SVG, PDF) draw exactly what the widget shows.
#pragma once

#include "core/model_analysis.h"

#include <QWidget>

namespace atelier::ui {

// Height the drawing needs at `width` for `spec`.
int modelDiagramHeight(const ModelSpec& spec);

void paintModelDiagram(QPainter& painter, const QRectF& area, const ModelSpec& spec,
                       const ModelReport& report, const QPalette& palette);

class ModelDiagramWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ModelDiagramWidget(QWidget* parent = nullptr);
    void setModel(const ModelSpec& spec, const ModelReport& report);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ModelSpec m_spec;
    ModelReport m_report;
};

} // namespace atelier::ui
