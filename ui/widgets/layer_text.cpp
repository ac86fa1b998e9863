// Short texts about a layer for the builder's table, the diagram and tooltips.
#include "ui/widgets/layer_text.h"

#include "core/text_format.h"

#include <QStringList>

namespace atelier::ui {

QString sizeText(const Size2& size)
{
    return QStringLiteral("%1×%2").arg(size.h).arg(size.w);
}

namespace {

QString number(double value)
{
    return qs(shortestDouble(value));
}

void addActivation(QStringList& parts, const LayerSpec& layer)
{
    if (layer.activation != ActivationKind::Linear)
        parts << qs(activationName(layer.activation));
}

} // namespace

QString layerSettingsText(const LayerSpec& layer)
{
    QStringList parts;
    switch (layer.type) {
    case LayerType::Dense:
        parts << QStringLiteral("%1 units").arg(qs(withThousands(layer.units)));
        addActivation(parts, layer);
        break;
    case LayerType::Conv2D:
        parts << QStringLiteral("%1 filters").arg(layer.filters) << sizeText(layer.kernel);
        if (layer.stride != Size2::square(1))
            parts << QStringLiteral("stride %1").arg(sizeText(layer.stride));
        if (layer.dilation != Size2::square(1))
            parts << QStringLiteral("dilation %1").arg(sizeText(layer.dilation));
        parts << qs(paddingName(layer.padding));
        addActivation(parts, layer);
        break;
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        parts << sizeText(layer.pool);
        if (layer.stride != layer.pool)
            parts << QStringLiteral("stride %1").arg(sizeText(layer.stride));
        parts << qs(paddingName(layer.padding));
        break;
    case LayerType::Dropout:
        parts << QStringLiteral("rate %1").arg(number(layer.rate));
        break;
    case LayerType::BatchNorm:
        parts << QStringLiteral("momentum %1").arg(number(layer.momentum));
        break;
    case LayerType::Activation:
        parts << qs(activationName(layer.activation));
        break;
    case LayerType::Residual:
        parts << QStringLiteral("%1 filters").arg(layer.filters) << sizeText(layer.kernel);
        if (layer.stride != Size2::square(1))
            parts << QStringLiteral("stride %1").arg(sizeText(layer.stride));
        addActivation(parts, layer);
        break;
    case LayerType::Flatten:
    case LayerType::Invalid:
        break;
    }
    return parts.join(QStringLiteral(" · "));
}

QString layerTypeHelp(LayerType type)
{
    switch (type) {
    case LayerType::Dense:
        return QStringLiteral("Fully connected layer: every input feeds every unit. Needs a flat "
                              "input (add Flatten after convolutions).");
    case LayerType::Conv2D:
        return QStringLiteral("2-D convolution: learns filters that slide over the image.");
    case LayerType::MaxPool2D:
        return QStringLiteral("Keeps the largest value of each window: halves the size with a "
                              "2×2 pool.");
    case LayerType::AvgPool2D:
        return QStringLiteral("Averages each window: halves the size with a 2×2 pool.");
    case LayerType::Dropout:
        return QStringLiteral("Zeroes a fraction of its inputs while training, against "
                              "overfitting.");
    case LayerType::Flatten:
        return QStringLiteral("Turns C×H×W feature maps into one vector for Dense layers.");
    case LayerType::BatchNorm:
        return QStringLiteral("Normalizes each channel or unit over the batch; speeds up "
                              "training.");
    case LayerType::Activation:
        return QStringLiteral("Applies a function (ReLU, tanh, ...) on its own.");
    case LayerType::Residual:
        return QStringLiteral("Two convolutions with batch norm, plus a skip connection that "
                              "adds the block's input to their result: gradients reach early "
                              "layers even in deep stacks.");
    case LayerType::Invalid:
        break;
    }
    return {};
}

QColor layerTypeColor(LayerType type)
{
    // Muted hues from one family, so that a stack reads as a pattern rather than a rainbow.
    switch (type) {
    case LayerType::Dense:
        return QColor(0x4c, 0x78, 0xa8);
    case LayerType::Conv2D:
        return QColor(0xe4, 0x8a, 0x2c);
    case LayerType::MaxPool2D:
    case LayerType::AvgPool2D:
        return QColor(0x54, 0xa2, 0x4b);
    case LayerType::Dropout:
        return QColor(0x9d, 0x75, 0x5d);
    case LayerType::Flatten:
        return QColor(0x79, 0x70, 0x6e);
    case LayerType::BatchNorm:
        return QColor(0xb2, 0x79, 0xa2);
    case LayerType::Activation:
        return QColor(0x72, 0xb7, 0xb2);
    case LayerType::Residual:
        return QColor(0xc8, 0x5a, 0x3c); // a deeper shade of the convolutions' orange
    case LayerType::Invalid:
        break;
    }
    return QColor(Qt::gray);
}

} // namespace atelier::ui
