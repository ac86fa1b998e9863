// The user's own images as the model sees them: for each, the 28×28 greyscale picture the
// network gets (enlarged, pixels kept square) next to its class-probability bars, the most
// likely class in the accent colour. Painted by hand so that the export is the screen.
#pragma once

#include "core/run_classifier.h"
#include "ui/widgets/painted_figure.h"

#include <QString>
#include <vector>

namespace atelier::ui {

struct ImageTrial
{
    QString path;
    PreparedImage image;
    ClassProbabilities probabilities{};
    int topClass() const;
};

class ImageTrialsFigure : public PaintedFigure
{
    Q_OBJECT

public:
    explicit ImageTrialsFigure(QWidget* parent = nullptr);

    // Newest first; `modelName` titles the figure ("cnn_small · your images").
    void setTrials(std::vector<ImageTrial> trials, const QString& modelName);
    const std::vector<ImageTrial>& trials() const { return m_trials; }

    void renderFigure(QPainter* painter, const QRectF& target) override;
    // file, width, height, negated, then one probability column per class.
    QString toCsv() const;
    QSize sizeHint() const override;

private:
    std::vector<ImageTrial> m_trials;
    QString m_modelName;
};

} // namespace atelier::ui
