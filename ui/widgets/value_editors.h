// Small composite editors for the property editor: a height×width pair and an
// initializer (kind plus its two parameters when it has them).
#pragma once

#include "core/model_spec.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace atelier::ui {

// Spin boxes as every form of the studio wants them (thousands separators on
// integers).
QSpinBox *makeSpinBox(int minimum, int maximum, const QString &suffix = {});
QDoubleSpinBox *makeDoubleSpinBox(double minimum, double maximum, int decimals,
                                  double step);

class SizeEditor : public QWidget {
  Q_OBJECT

public:
  SizeEditor(int minimum, int maximum, const QString &suffix,
             QWidget *parent = nullptr);
  Size2 value() const;
  void setValue(const Size2 &size); // emits nothing

Q_SIGNALS:
  void valueChanged(const atelier::Size2 &size);

private:
  QSpinBox *m_height;
  QSpinBox *m_width;
};

class InitializerEditor : public QWidget {
  Q_OBJECT

public:
  explicit InitializerEditor(QWidget *parent = nullptr);
  Initializer value() const;
  void setValue(const Initializer &init); // emits nothing

Q_SIGNALS:
  void valueChanged(const atelier::Initializer &init);

private:
  void updateParameterLabels();

  QComboBox *m_kind;
  QLabel *m_aLabel;
  QDoubleSpinBox *m_a;
  QLabel *m_bLabel;
  QDoubleSpinBox *m_b;
};

} // namespace atelier::ui
