// How the views, figures and reports name a class and state a prediction's confidence.
#pragma once

#include <QString>

namespace atelier::ui {

// The class's name; "?" for a label outside the ten classes (the run folder's reader refuses
// such labels; nothing that shows one relies on that alone).
QString className(int label);

// A predicted class's probability: "97%", "99.8%" (one decimal from 99.5%, so that a wrong
// answer never reads "100%" sure unless the model said exactly 1), "?" for a NaN (a diverged
// run's).
QString confidenceText(float confidence);

} // namespace atelier::ui
