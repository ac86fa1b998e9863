// Cards of tried images: model's view on the left, ten probability bars on the right.
#include "ui/evaluate/image_trials_figure.h"

#include "ui/widgets/class_text.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

constexpr int kCardWidth = 460;
constexpr int kCardHeight = 215;
constexpr int kImageSide = 5 * kModelImageSide; // 140 px: each model pixel a 5×5 square

// One decimal; from 99.5% down, not up, so that a model never reads "100.0%" sure unless it
// said exactly 1 (as confidenceText() does for the test set's mistakes).
QString percent(float p)
{
    if (!std::isfinite(p))
        return QStringLiteral("?");
    const double value = 100.0 * double(p);
    return QString::number(value >= 99.5 ? std::floor(value * 10) / 10 : value, 'f', 1) + "%";
}

} // namespace

int ImageTrial::topClass() const
{
    return int(std::max_element(probabilities.begin(), probabilities.end()) -
               probabilities.begin());
}

ImageTrialsFigure::ImageTrialsFigure(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumHeight(kCardHeight / 2);
}

void ImageTrialsFigure::setTrials(std::vector<ImageTrial> trials, const QString& modelName)
{
    m_trials = std::move(trials);
    m_modelName = modelName;
    updateGeometry();
    update();
}

QSize ImageTrialsFigure::sizeHint() const
{
    return {2 * kCardWidth + 40, kCardHeight + 100};
}

void ImageTrialsFigure::renderFigure(QPainter* painter, const QRectF& target)
{
    QPainter& p = *painter;
    const QPalette& colors = palette();
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    QFont font = p.font();
    QFont bold = font;
    bold.setBold(true);
    const QFontMetrics metrics(font);
    const int line = metrics.height();
    p.setPen(colors.color(QPalette::Text));
    p.setFont(bold);
    const QRectF title(target.left() + 12, target.top() + 6, target.width() - 24, line + 4);
    p.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
               m_modelName.isEmpty() ? QStringLiteral("Your images")
                                     : QStringLiteral("%1 · your images").arg(m_modelName));
    p.setFont(font);
    // How every picture was prepared: part of the figure, so an export states it too.
    p.setPen(colors.color(QPalette::PlaceholderText));
    const QRectF summaryArea(title.left(), title.bottom() + 2, title.width(), 4 * line);
    QRectF summary;
    p.drawText(summaryArea, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               QString::fromUtf8(imagePreparationSummary()), &summary);
    const double cardsTop = summary.bottom() + 8;
    if (m_trials.empty()) {
        p.setPen(colors.color(QPalette::PlaceholderText));
        p.drawText(
            QRectF(target.left() + 12, cardsTop, target.width() - 24, target.bottom() - cardsTop),
            Qt::AlignCenter | Qt::TextWordWrap,
            QStringLiteral("Drop PNG, JPEG or BMP images here, or use Try Images…, to see "
                           "what this model makes of them."));
        p.restore();
        return;
    }
    const int columns = std::max(1, int((target.width() - 12) / (kCardWidth + 12)));
    const QColor accent = colors.color(QPalette::Highlight);
    const QColor bar = colors.color(QPalette::Mid);
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        const ImageTrial& trial = m_trials[i];
        const int column = int(i) % columns, row = int(i) / columns;
        const QRectF card(target.left() + 12 + column * (kCardWidth + 12),
                          cardsTop + row * (kCardHeight + 12), kCardWidth, kCardHeight);
        if (card.top() > target.bottom())
            break;
        p.setPen(colors.color(QPalette::Mid));
        p.setBrush(Qt::NoBrush);
        p.drawRect(card);
        // Name and how it was prepared.
        const QString name =
            metrics.elidedText(QFileInfo(trial.path).fileName(), Qt::ElideMiddle, kCardWidth - 16);
        const PreparedImage& image = trial.image;
        const QString note =
            QStringLiteral("%1×%2, ").arg(image.sourceWidth).arg(image.sourceHeight) +
            (image.unchanged  ? QStringLiteral("used as it is")
             : image.inverted ? QStringLiteral("light background negated")
                              : QStringLiteral("dark background"));
        p.setPen(colors.color(QPalette::Text));
        p.setFont(bold);
        p.drawText(QRectF(card.left() + 8, card.top() + 4, card.width() - 16, line), name);
        p.setFont(font);
        p.setPen(colors.color(QPalette::PlaceholderText));
        p.drawText(QRectF(card.left() + 8, card.top() + 4 + line, card.width() - 16, line), note);
        // The model's view, square pixels.
        const QRectF picture(card.left() + 8, card.top() + 12 + 2 * line, kImageSide, kImageSide);
        const QImage view(image.pixels.data(), kModelImageSide, kModelImageSide, kModelImageSide,
                          QImage::Format_Grayscale8);
        p.drawImage(picture, view);
        p.setPen(colors.color(QPalette::Mid));
        p.drawRect(picture);
        p.setPen(colors.color(QPalette::PlaceholderText));
        p.drawText(QRectF(picture.left(), picture.bottom() + 2, kImageSide, line), Qt::AlignHCenter,
                   QStringLiteral("what the model sees"));
        // Probability bars, one per class.
        const int top = trial.topClass();
        const double barsLeft = picture.right() + 12, labelWidth = 90, valueWidth = 52;
        const double rowHeight = (kCardHeight - 2 * line - 20) / double(kNumClasses);
        const double barsTop = card.top() + 10 + 2 * line;
        const double barSpace = card.right() - 8 - barsLeft - labelWidth - valueWidth;
        for (int c = 0; c < kNumClasses; ++c) {
            const double y = barsTop + c * rowHeight;
            const float probability = trial.probabilities[std::size_t(c)];
            p.setPen(colors.color(QPalette::Text));
            p.setFont(c == top ? bold : font);
            p.drawText(QRectF(barsLeft, y, labelWidth, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                       className(c));
            const double width = std::isnan(probability) ? 0 : barSpace * double(probability);
            p.fillRect(QRectF(barsLeft + labelWidth, y + 2, std::max(width, 1.0), rowHeight - 4),
                       c == top ? accent : bar);
            p.drawText(QRectF(barsLeft + labelWidth + barSpace + 4, y, valueWidth, rowHeight),
                       Qt::AlignRight | Qt::AlignVCenter, percent(probability));
        }
        p.setFont(font);
    }
    p.restore();
}

QString ImageTrialsFigure::toCsv() const
{
    QString csv = QStringLiteral("file,width,height,negated");
    for (int c = 0; c < kNumClasses; ++c)
        csv += QStringLiteral(",\"%1\"").arg(className(c));
    csv += '\n';
    for (const ImageTrial& trial : m_trials) {
        QString name = trial.path;
        name.replace('"', QStringLiteral("\"\""));
        // One multi-argument arg(): a name holding "%2" must not take the next value.
        csv += QStringLiteral("\"%1\",%2,%3,%4")
                   .arg(name, QString::number(trial.image.sourceWidth),
                        QString::number(trial.image.sourceHeight),
                        trial.image.inverted ? QStringLiteral("1") : QStringLiteral("0"));
        for (float probability : trial.probabilities)
            csv += ',' + QString::number(double(probability), 'g', 6);
        csv += '\n';
    }
    return csv;
}

} // namespace atelier::ui
