// A compact drawing of the layer stack.
#include "ui/model/model_diagram.h"

#include "core/text_format.h"
#include "ui/widgets/layer_text.h"

#include <QPainter>
#include <QPainterPath>

namespace atelier::ui {
namespace {

constexpr int kBlockHeight = 34; // pixels per block
constexpr int kGap = 14;         // room for the arrow between blocks
constexpr int kMargin = 8;

void drawArrow(QPainter& painter, QPointF from, QPointF to, const QColor& colour)
{
    painter.setPen(QPen(colour, 1.5));
    painter.drawLine(from, to - QPointF(0, 3));
    QPainterPath head;
    head.moveTo(to);
    head.lineTo(to + QPointF(-4, -6));
    head.lineTo(to + QPointF(4, -6));
    head.closeSubpath();
    painter.fillPath(head, colour);
}

struct Block
{
    QString title;
    QString detail;
    QString shape;
    QColor colour;
    bool invalid = false;
};

void drawBlock(QPainter& painter, const QRectF& box, const Block& block, const QPalette& palette)
{
    painter.setPen(block.invalid ? QPen(QColor(0xd9, 0x53, 0x4f), 2.5)
                                 : QPen(block.colour.darker(125), 1));
    QColor fill = block.colour;
    fill.setAlpha(palette.color(QPalette::Window).lightness() < 128 ? 110 : 60);
    painter.setBrush(fill);
    painter.drawRoundedRect(box, 6, 6);
    // A strip in the layer's colour makes the type readable at a glance.
    painter.setPen(Qt::NoPen);
    painter.setBrush(block.colour);
    painter.drawRoundedRect(QRectF(box.left(), box.top(), 6, box.height()), 3, 3);

    const QRectF text = box.adjusted(14, 0, -10, 0);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.setPen(palette.color(QPalette::WindowText));
    painter.setFont(bold);
    const QFontMetricsF boldMetrics(bold);
    const qreal titleWidth = boldMetrics.horizontalAdvance(block.title);
    painter.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, block.title);
    QFont normal = bold;
    normal.setBold(false);
    painter.setFont(normal);
    const QFontMetricsF metrics(normal);
    const qreal shapeWidth = metrics.horizontalAdvance(block.shape);
    painter.drawText(text, Qt::AlignRight | Qt::AlignVCenter, block.shape);
    const QRectF detailArea = text.adjusted(titleWidth + 10, 0, -shapeWidth - 12, 0);
    painter.setPen(palette.color(QPalette::PlaceholderText));
    painter.drawText(detailArea, Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(block.detail, Qt::ElideRight, detailArea.width()));
}

} // namespace

int modelDiagramHeight(const ModelSpec& spec)
{
    const int blocks = int(spec.layers.size()) + 1; // the input block
    return 2 * kMargin + blocks * kBlockHeight + (blocks - 1) * kGap;
}

void paintModelDiagram(QPainter& painter, const QRectF& area, const ModelSpec& spec,
                       const ModelReport& report, const QPalette& palette)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    std::vector<Block> blocks;
    blocks.push_back({QStringLiteral("Input"), QStringLiteral("Fashion-MNIST image"),
                      qs(report.input.toString()), palette.color(QPalette::Mid), false});
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
        const LayerSpec& layer = spec.layers[i];
        const LayerReport& row = report.layers.at(i);
        const std::int64_t params = row.trainableParams + row.nonTrainableParams;
        QString detail = layerSettingsText(layer);
        if (params > 0)
            detail += QStringLiteral("  (%1 params)").arg(qs(withThousands(params)));
        blocks.push_back({qs(layerTypeDisplayName(layer.type)), detail,
                          row.output.known() ? qs(row.output.toString()) : QStringLiteral("?"),
                          layerTypeColor(layer.type), !row.error.empty()});
    }
    const qreal width = std::min<qreal>(area.width() - 2 * kMargin, 560);
    const qreal left = area.left() + (area.width() - width) / 2;
    qreal top = area.top() + kMargin;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const QRectF box(left, top, width, kBlockHeight);
        drawBlock(painter, box, blocks[i], palette);
        top += kBlockHeight;
        if (i + 1 < blocks.size()) {
            drawArrow(painter, QPointF(box.center().x(), top + 1),
                      QPointF(box.center().x(), top + kGap - 1),
                      palette.color(QPalette::PlaceholderText));
            top += kGap;
        }
    }
    painter.restore();
}

ModelDiagramWidget::ModelDiagramWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void ModelDiagramWidget::setModel(const ModelSpec& spec, const ModelReport& report)
{
    m_spec = spec;
    m_report = report;
    setMinimumHeight(modelDiagramHeight(m_spec));
    updateGeometry();
    update();
}

QSize ModelDiagramWidget::sizeHint() const
{
    return {420, modelDiagramHeight(m_spec)};
}

QSize ModelDiagramWidget::minimumSizeHint() const
{
    return {260, modelDiagramHeight(m_spec)};
}

void ModelDiagramWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paintModelDiagram(painter, rect(), m_spec, m_report, palette());
}

} // namespace atelier::ui
