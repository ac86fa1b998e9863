// Small composite editors for the property editor.
#include "ui/widgets/value_editors.h"

#include "ui/widgets/layer_text.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::ui {

QSpinBox* makeSpinBox(int minimum, int maximum, const QString& suffix)
{
    auto* box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

QDoubleSpinBox* makeDoubleSpinBox(double minimum, double maximum, int decimals, double step)
{
    auto* box = new QDoubleSpinBox;
    box->setRange(minimum, maximum);
    box->setDecimals(decimals);
    box->setSingleStep(step);
    return box;
}

QSpinBox* makeSpinBox(const IntLimits& limits, const QString& suffix)
{
    constexpr long long kIntMin = std::numeric_limits<int>::min();
    constexpr long long kIntMax = std::numeric_limits<int>::max();
    return makeSpinBox(int(std::max(limits.min, kIntMin)), int(std::min(limits.max, kIntMax)),
                       suffix);
}

void setSpinBoxRange(QDoubleSpinBox* box, const RealLimits& limits, double unboundedMaximum)
{
    // The smallest step the box can show: an exclusive bound is kept one step inside.
    const double step = std::pow(10.0, -box->decimals());
    const double maximum = limits.bounded() ? limits.max : unboundedMaximum;
    box->setRange(limits.minInclusive ? limits.min : limits.min + step,
                  limits.maxInclusive || !limits.bounded() ? maximum : maximum - step);
}

QDoubleSpinBox* makeDoubleSpinBox(const RealLimits& limits, int decimals, double step,
                                  double unboundedMaximum)
{
    QDoubleSpinBox* box = makeDoubleSpinBox(0.0, 1.0, decimals, step);
    setSpinBoxRange(box, limits, unboundedMaximum);
    return box;
}

SizeEditor::SizeEditor(const IntLimits& limits, const QString& suffix, QWidget* parent)
    : QWidget(parent), m_height(new QSpinBox), m_width(new QSpinBox)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QSpinBox* box : {m_height, m_width}) {
        box->setRange(int(limits.min), int(limits.max));
        box->setSuffix(suffix);
        connect(box, &QSpinBox::valueChanged, this, [this] { Q_EMIT valueChanged(value()); });
    }
    m_height->setToolTip(QStringLiteral("Height"));
    m_width->setToolTip(QStringLiteral("Width"));
    layout->addWidget(m_height, 1);
    layout->addWidget(new QLabel(QStringLiteral("×")));
    layout->addWidget(m_width, 1);
}

Size2 SizeEditor::value() const
{
    return {m_height->value(), m_width->value()};
}

void SizeEditor::setValue(const Size2& size)
{
    const QSignalBlocker blockHeight(m_height);
    const QSignalBlocker blockWidth(m_width);
    m_height->setValue(size.h);
    m_width->setValue(size.w);
}

InitializerEditor::InitializerEditor(QWidget* parent)
    : QWidget(parent), m_kind(new QComboBox), m_aLabel(new QLabel), m_a(new QDoubleSpinBox),
      m_bLabel(new QLabel), m_b(new QDoubleSpinBox)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const std::string& name : initKindNames())
        m_kind->addItem(qs(name));
    layout->addWidget(m_kind, 2);
    for (auto [label, box] : {std::pair{m_aLabel, m_a}, std::pair{m_bLabel, m_b}}) {
        box->setDecimals(4);
        setSpinBoxRange(box, limits::kInitValue);
        box->setSingleStep(0.01);
        layout->addWidget(label);
        layout->addWidget(box, 1);
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] { Q_EMIT valueChanged(value()); });
    }
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        // Start from parameters that a preset accepts (min < max, std > 0).
        const QSignalBlocker blockA(m_a);
        const QSignalBlocker blockB(m_b);
        const Initializer init = value();
        if (init.kind == InitKind::Uniform && !(init.a < init.b)) {
            m_a->setValue(-0.05);
            m_b->setValue(0.05);
        } else if (init.kind == InitKind::Normal && !(init.b > 0.0)) {
            m_a->setValue(0.0);
            m_b->setValue(0.05);
        }
        updateParameterLabels();
        Q_EMIT valueChanged(value());
    });
    updateParameterLabels();
}

Initializer InitializerEditor::value() const
{
    const auto kind = initKindFromName(m_kind->currentText().toStdString());
    Initializer init = Initializer::of(kind.value_or(InitKind::GlorotUniform));
    if (init.kind == InitKind::Uniform || init.kind == InitKind::Normal) {
        init.a = m_a->value();
        init.b = m_b->value();
    }
    return init;
}

void InitializerEditor::setValue(const Initializer& init)
{
    const QSignalBlocker blockKind(m_kind);
    const QSignalBlocker blockA(m_a);
    const QSignalBlocker blockB(m_b);
    m_kind->setCurrentText(qs(initKindName(init.kind)));
    updateParameterLabels(); // first: the ranges of a and b depend on the kind
    m_a->setValue(init.a);
    m_b->setValue(init.b);
}

void InitializerEditor::updateParameterLabels()
{
    const auto kind = initKindFromName(m_kind->currentText().toStdString());
    const bool uniform = kind == InitKind::Uniform;
    const bool normal = kind == InitKind::Normal;
    m_aLabel->setText(uniform ? QStringLiteral("min") : QStringLiteral("mean"));
    m_bLabel->setText(uniform ? QStringLiteral("max") : QStringLiteral("std"));
    {
        // A normal's std must be > 0; a uniform's max may be any value above its min.
        const QSignalBlocker blockB(m_b);
        setSpinBoxRange(m_b, normal ? limits::kInitStd : limits::kInitValue);
    }
    for (QWidget* widget : {static_cast<QWidget*>(m_aLabel), static_cast<QWidget*>(m_a),
                            static_cast<QWidget*>(m_bLabel), static_cast<QWidget*>(m_b)})
        widget->setVisible(uniform || normal);
}

} // namespace atelier::ui
