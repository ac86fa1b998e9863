// The studio's own icons. A QIconEngine rather than pixmaps made once: Qt asks the engine for a
// pixmap on every paint, so the colour comes from the palette in force then, and a theme
// switch recolours every toolbar, menu and button icon without anyone re-setting them.
#include "ui/widgets/icons.h"

#include <QFile>
#include <QGuiApplication>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>
#include <optional>

// atelier_ui is a static library: the linker drops the resource's object file unless something
// refers to it, so this file (linked whenever an icon is used) registers it.
static void initIconResources()
{
    static const bool done = [] {
        Q_INIT_RESOURCE(icons);
        return true;
    }();
    Q_UNUSED(done);
}

namespace atelier::ui {
namespace {

// The colour every shape in resources/icons/*.svg is drawn with; replaced before rendering.
const QByteArray kPlaceholder = QByteArrayLiteral("#000000");

QByteArray svgSource(const QString& name)
{
    initIconResources();
    // One read per name: the files are tiny and the set is small.
    static QHash<QString, QByteArray> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
        it = cache.insert(name, file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
    }
    return it.value();
}

class TintedSvgEngine : public QIconEngine
{
public:
    TintedSvgEngine(QString name, IconTone tone, std::optional<QColor> fixed = std::nullopt)
        : m_name(std::move(name)), m_tone(tone), m_fixed(std::move(fixed))
    {}

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        render(painter, rect, mode);
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State, qreal scale) override
    {
        // Square and centred: the icons are drawn on a 24×24 grid.
        const int side = qMax(1, qRound(qMin(size.width(), size.height()) * scale));
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        {
            QPainter painter(&pixmap);
            render(&painter, QRect(0, 0, side, side), mode);
        }
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }

    QSize actualSize(const QSize& size, QIcon::Mode, QIcon::State) override
    {
        const int side = qMin(size.width(), size.height());
        return {side, side};
    }

    QIconEngine* clone() const override { return new TintedSvgEngine(m_name, m_tone, m_fixed); }
    QString key() const override { return QStringLiteral("atelier-svg"); }
    QString iconName() override { return m_name; }
    bool isNull() override { return svgSource(m_name).isEmpty(); }

private:
    void render(QPainter* painter, const QRect& rect, QIcon::Mode mode) const
    {
        QByteArray svg = svgSource(m_name);
        // A fixed colour still gives way where the palette must decide: on a selection's
        // highlight and when disabled.
        const QColor color = m_fixed && mode != QIcon::Selected && mode != QIcon::Disabled
                                 ? *m_fixed
                                 : atelierIconColor(m_tone, mode);
        svg.replace(kPlaceholder, color.name(QColor::HexRgb).toLatin1());
        QSvgRenderer renderer(svg);
        if (!renderer.isValid())
            return;
        painter->save();
        painter->setOpacity(painter->opacity() * color.alphaF());
        renderer.render(painter, rect);
        painter->restore();
    }

    QString m_name;
    IconTone m_tone;
    std::optional<QColor> m_fixed;
};

} // namespace

QColor atelierIconColor(IconTone tone, QIcon::Mode mode)
{
    const QPalette palette = QGuiApplication::palette();
    if (mode == QIcon::Disabled)
        return palette.color(QPalette::Disabled, QPalette::ButtonText);
    // Selected items in views sit on the highlight colour, where neither green nor amber reads.
    if (mode == QIcon::Selected)
        return palette.color(QPalette::HighlightedText);
    switch (tone) {
    case IconTone::Accent:
        // Mid green: about 45% luma, so it stands off a light and a near-black panel alike.
        return QColor(0x2f, 0x9e, 0x44);
    case IconTone::Warning:
        return QColor(0xe0, 0x8e, 0x0b);
    case IconTone::Text:
        break;
    }
    // Active (hover, a highlighted menu item) keeps the text colour: Fusion draws hovered tool
    // buttons on the button colour, and the menu highlight is dark enough for either.
    return palette.color(QPalette::Active, QPalette::ButtonText);
}

QIcon atelierAppIcon()
{
    initIconResources();
    return QIcon(QStringLiteral(":/icons/atelier.svg"));
}

QIcon atelierIcon(const QString& name, IconTone tone)
{
    if (svgSource(name).isEmpty())
        return {};
    return QIcon(new TintedSvgEngine(name, tone));
}

QIcon atelierIcon(const QString& name, const QColor& color)
{
    if (svgSource(name).isEmpty())
        return {};
    return QIcon(new TintedSvgEngine(name, IconTone::Text, color));
}

} // namespace atelier::ui
