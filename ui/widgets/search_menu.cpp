// The "Search over values…" context-menu action of form fields (see search_menu.h).
#include "ui/widgets/search_menu.h"

#include "core/text_format.h"

#include <QAbstractSpinBox>
#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>

namespace atelier::ui {
namespace {

// Watches a field (and its inner widgets) for context-menu events.
class SearchMenuFilter : public QObject
{
public:
    SearchMenuFilter(QWidget* field, std::function<SearchTarget()> target,
                     std::function<void(const SearchTarget&)> request)
        : QObject(field), m_target(std::move(target)), m_request(std::move(request))
    {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() != QEvent::ContextMenu)
            return false;
        auto* widget = qobject_cast<QWidget*>(watched);
        const SearchTarget target = m_target();
        if (!widget || target.keyPath.isEmpty())
            return false; // the field's own menu, if it has one
        QMenu* menu = standardMenu(widget);
        if (!menu->isEmpty())
            menu->addSeparator();
        QAction* search = menu->addAction(searchOverValuesText());
        search->setToolTip(QStringLiteral("Add %1 to the search being built").arg(target.keyPath));
        const auto request = m_request;
        QObject::connect(search, &QAction::triggered, menu, [request, target] { request(target); });
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(static_cast<QContextMenuEvent*>(event)->globalPos());
        event->accept();
        return true;
    }

private:
    // Cut, Copy, Paste... of the text the field edits, when it edits text.
    static QMenu* standardMenu(QWidget* widget)
    {
        QLineEdit* edit = qobject_cast<QLineEdit*>(widget);
        if (!edit)
            if (auto* spin = qobject_cast<QAbstractSpinBox*>(widget))
                edit = spin->findChild<QLineEdit*>();
        if (edit && edit->isEnabled())
            return edit->createStandardContextMenu();
        return new QMenu(widget);
    }

    std::function<SearchTarget()> m_target;
    std::function<void(const SearchTarget&)> m_request;
};

} // namespace

void addSearchOverValuesAction(QWidget* field, std::function<SearchTarget()> target,
                               std::function<void(const SearchTarget&)> request,
                               SearchMenuScope scope)
{
    auto* filter = new SearchMenuFilter(field, std::move(target), std::move(request));
    field->installEventFilter(filter);
    if (scope == SearchMenuScope::FieldOnly)
        return;
    // Inner widgets, but not popups (a combo box's list is a window of its own).
    for (QWidget* child : field->findChildren<QWidget*>())
        if (!child->isWindow())
            child->installEventFilter(filter);
}

QString numberYaml(double value)
{
    return QString::fromStdString(shortestDouble(value));
}

QString booleanYaml(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

QString sizeYaml(const Size2& size)
{
    return size.h == size.w ? QString::number(size.h)
                            : QStringLiteral("[%1, %2]").arg(size.h).arg(size.w);
}

QString initializerYaml(const Initializer& init)
{
    const QString kind = QString::fromStdString(initKindName(init.kind));
    if (init.kind == InitKind::Uniform)
        return QStringLiteral("{type: uniform, min: %1, max: %2}")
            .arg(numberYaml(init.a), numberYaml(init.b));
    if (init.kind == InitKind::Normal)
        return QStringLiteral("{type: normal, mean: %1, std: %2}")
            .arg(numberYaml(init.a), numberYaml(init.b));
    return kind;
}

QString optimizerYaml(const OptimizerConfig& o)
{
    QString text =
        QStringLiteral("{type: %1, learning_rate: %2")
            .arg(QString::fromStdString(optimizerName(o.kind)), numberYaml(o.learningRate));
    if (o.kind == OptimizerKind::Sgd) {
        text += QStringLiteral(", momentum: %1").arg(numberYaml(o.momentum));
        if (o.nesterov)
            text += QStringLiteral(", nesterov: true");
    } else {
        const OptimizerConfig defaults;
        if (o.beta1 != defaults.beta1)
            text += QStringLiteral(", beta1: %1").arg(numberYaml(o.beta1));
        if (o.beta2 != defaults.beta2)
            text += QStringLiteral(", beta2: %1").arg(numberYaml(o.beta2));
        if (o.epsilon != defaults.epsilon)
            text += QStringLiteral(", epsilon: %1").arg(numberYaml(o.epsilon));
    }
    if (o.weightDecay != 0.0)
        text += QStringLiteral(", weight_decay: %1").arg(numberYaml(o.weightDecay));
    return text + QStringLiteral("}");
}

QString earlyStoppingYaml(const EarlyStopping& e)
{
    if (!e.enabled)
        return QStringLiteral("false");
    return QStringLiteral("{monitor: %1, patience: %2, min_delta: %3, restore_best: %4}")
        .arg(QString::fromStdString(monitorName(e.monitor)))
        .arg(e.patience)
        .arg(numberYaml(e.minDelta), booleanYaml(e.restoreBest));
}

} // namespace atelier::ui
