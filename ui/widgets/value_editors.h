// Small composite editors for the property editor: a height×width pair and an initializer
// (kind plus its two parameters when it has them).
#pragma once

#include "core/model_spec.h"
#include "core/preset_limits.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace atelier::ui {

// Spin boxes as every form of the studio wants them (thousands separators on integers).
QSpinBox* makeSpinBox(int minimum, int maximum, const QString& suffix = {});
QDoubleSpinBox* makeDoubleSpinBox(double minimum, double maximum, int decimals, double step);

// Spin boxes for a preset key, with the key's range from core/preset_limits.h: a form then
// offers exactly what a preset accepts. An exclusive bound becomes the nearest value the box
// can show inside it (10^-decimals away); a key without an upper bound stops at
// `unboundedMaximum`; a bound beyond what a QSpinBox holds (a seed) stops at INT_MAX.
QSpinBox* makeSpinBox(const IntLimits& limits, const QString& suffix = {});
QDoubleSpinBox* makeDoubleSpinBox(const RealLimits& limits, int decimals, double step,
                                  double unboundedMaximum = 1.0);
void setSpinBoxRange(QDoubleSpinBox* box, const RealLimits& limits, double unboundedMaximum = 1.0);

class SizeEditor : public QWidget
{
    Q_OBJECT

public:
    SizeEditor(const IntLimits& limits, const QString& suffix, QWidget* parent = nullptr);
    Size2 value() const;
    void setValue(const Size2& size); // emits nothing

Q_SIGNALS:
    void valueChanged(const atelier::Size2& size);

private:
    QSpinBox* m_height;
    QSpinBox* m_width;
};

class InitializerEditor : public QWidget
{
    Q_OBJECT

public:
    explicit InitializerEditor(QWidget* parent = nullptr);
    Initializer value() const;
    void setValue(const Initializer& init); // emits nothing

Q_SIGNALS:
    void valueChanged(const atelier::Initializer& init);

private:
    void updateParameterLabels();

    QComboBox* m_kind;
    QLabel* m_aLabel;
    QDoubleSpinBox* m_a;
    QLabel* m_bLabel;
    QDoubleSpinBox* m_b;
};

} // namespace atelier::ui
