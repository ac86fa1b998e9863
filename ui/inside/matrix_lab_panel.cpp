// The matrix experiment panel (see matrix_lab_panel.h).
#include "ui/inside/matrix_lab_panel.h"

#include "ui/export/figure_export.h"
#include "ui/inside/matrix_lab_cases.h"
#include "ui/inside/matrix_lab_chart.h"
#include "ui/inside/matrix_lab_runner.h"
#include "ui/widgets/value_editors.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <climits>
#include <cmath>

namespace atelier::ui {
namespace {

// A burst of changes (typing "1024", stepping a spin box) computes once, this long after the
// last one.
constexpr int kDebounceMs = 150;
// How often "Computing… case 2 of 3" is refreshed while a long run goes on.
constexpr int kProgressMs = 250;
// Multiply-adds over every case above which the status warns that it takes a while: about
// ten seconds on two cores (1024×1024 matrices take some 70 ms a factor there).
constexpr double kSlowWork = 1.5e11;
// The controls' column: wide enough for "Range [-1000.000] to [-1000.000]".
constexpr int kControlsWidth = 330;

QString explanationText()
{
    return QObject::tr(
        "<b>Why.</b> Backpropagation multiplies the gradient by one layer's weights after "
        "another, just as the forward pass does the input: in vanishing_gradients each of the "
        "7 layers is one such factor. Before training, a deep network passes its input through "
        "one weight matrix after another, so what comes out is scaled by the product of those "
        "matrices. "
        "Each factor multiplies the product's size by about <i>size × mean entry</i>. With 4×4 "
        "matrices from [0, 0.1] (mean 0.05) that is about 0.2: after a few dozen factors "
        "float32 rounds every entry to 0, and the signal — and the gradient on its way back — "
        "<b>vanishes</b>. From [0, 10] it is about 20: float32 overflows to inf after some 30 "
        "factors, and it <b>explodes</b>. <b>He</b> initialisation draws entries around 0 with "
        "variance 2 / n (n: the inputs of each unit, here the matrix size), so that a factor "
        "followed by ReLU, which zeroes about half of what "
        "it gets, keeps the size on average however deep the stack. It needs some width: at "
        "4×4 ReLU soon zeroes a whole column, and the product dies even with He (try it).");
}

// Red that reads on the palette's background.
QColor problemColour(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(0xff, 0x6b, 0x6b)
                                                           : QColor(0xb0, 0x00, 0x20);
}

} // namespace

MatrixLabPanel::MatrixLabPanel(QWidget* parent)
    : QWidget(parent), m_chart(new MatrixLabChart), m_status(new QLabel), m_explanation(new QLabel),
      m_debounce(new QTimer(this)), m_progress(new QTimer(this)),
      m_runner(new MatrixLabRunner(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &MatrixLabPanel::recompute);
    m_progress->setInterval(kProgressMs);
    connect(m_progress, &QTimer::timeout, this, &MatrixLabPanel::refreshStatus);
    connect(m_runner, &MatrixLabRunner::finished, this, &MatrixLabPanel::showResults);
    connect(m_runner, &MatrixLabRunner::failed, this, &MatrixLabPanel::showFailure);

    // Left: the shared depth and seed, then one box per case.
    auto* controls = new QWidget;
    auto* column = new QVBoxLayout(controls);
    column->setContentsMargins(0, 0, 0, 0);
    auto* shared = new QGroupBox(tr("Experiment"));
    auto* sharedForm = new QFormLayout(shared);
    m_depth = makeSpinBox(1, kMaxMatrixDepth);
    m_depth->setObjectName(QStringLiteral("depth"));
    m_depth->setValue(100);
    m_depth->setToolTip(tr("How many random matrices are multiplied: the depth of the stack"));
    m_seed = makeSpinBox(0, INT_MAX);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setValue(1);
    m_seed->setToolTip(tr("The same seed draws the same matrices"));
    sharedForm->addRow(tr("Depth"), m_depth);
    sharedForm->addRow(tr("Seed"), m_seed);
    column->addWidget(shared);
    const std::vector<MatrixLabOptions> defaults = defaultMatrixCases();
    for (int i = 0; i < kCaseCount; ++i)
        column->addWidget(makeCaseBox(i, defaults[std::size_t(i)]));
    column->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(controls);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFixedWidth(kControlsWidth);
    connect(m_depth, &QSpinBox::valueChanged, this, &MatrixLabPanel::controlsChanged);
    connect(m_seed, &QSpinBox::valueChanged, this, &MatrixLabPanel::controlsChanged);

    // Right: the chart, a line per case in words, the status and why it happens.
    m_chart->setObjectName(QStringLiteral("chart"));
    addExportActions(
        m_chart, QStringLiteral("matrix_experiment"), QSize(1400, 800),
        [this](QPainter& painter, const QRectF& area) { renderFigure(&painter, area); },
        [this] { return toCsv(); });
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setText(explanationText());
    auto* right = new QVBoxLayout;
    right->addWidget(m_chart, 1);
    for (CaseControls& c : m_cases)
        right->addWidget(c.result);
    right->addWidget(m_status);
    right->addSpacing(4);
    right->addWidget(m_explanation);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scroll);
    layout->addLayout(right, 1);

    controlsChanged();
    m_debounce->stop();
    recompute(); // the study's result at once, not after the debounce
}

MatrixLabPanel::~MatrixLabPanel() = default;

QWidget* MatrixLabPanel::makeCaseBox(int index, const MatrixLabOptions& defaults)
{
    CaseControls& c = m_cases[std::size_t(index)];
    const QString prefix = QStringLiteral("case%1").arg(index + 1);
    auto* box = new QGroupBox(tr("Case %1").arg(index + 1));
    auto* form = new QFormLayout(box);
    c.title = new QLabel;
    c.title->setObjectName(prefix + QStringLiteral("Title"));
    form->addRow(c.title);
    c.init = new QComboBox;
    c.init->setObjectName(prefix + QStringLiteral("Init"));
    c.init->addItem(tr("uniform"), int(MatrixInitKind::Uniform));
    c.init->addItem(tr("He"), int(MatrixInitKind::He));
    c.init->addItem(tr("Glorot"), int(MatrixInitKind::Glorot));
    c.init->setCurrentIndex(c.init->findData(int(defaults.init.kind)));
    c.init->setToolTip(tr("uniform: every entry from [low, high]. He: normal around 0 with "
                          "variance 2 / size, made for ReLU. Glorot: variance 1 / size, made "
                          "for no activation"));
    form->addRow(tr("Init"), c.init);
    c.low = makeDoubleSpinBox(-1000, 1000, 3, 0.1);
    c.high = makeDoubleSpinBox(-1000, 1000, 3, 0.1);
    c.low->setObjectName(prefix + QStringLiteral("Low"));
    c.high->setObjectName(prefix + QStringLiteral("High"));
    c.low->setValue(defaults.init.kind == MatrixInitKind::Uniform ? defaults.init.low : 0.0);
    c.high->setValue(defaults.init.kind == MatrixInitKind::Uniform ? defaults.init.high : 1.0);
    auto* range = new QHBoxLayout;
    range->addWidget(c.low, 1);
    range->addWidget(new QLabel(tr("to")));
    range->addWidget(c.high, 1);
    form->addRow(tr("Range"), range);
    c.activation = new QComboBox;
    c.activation->setObjectName(prefix + QStringLiteral("Activation"));
    c.activation->addItem(tr("none"), int(MatrixActivation::None));
    c.activation->addItem(tr("sigmoid"), int(MatrixActivation::Sigmoid));
    c.activation->addItem(tr("ReLU"), int(MatrixActivation::Relu));
    c.activation->setCurrentIndex(c.activation->findData(int(defaults.activation)));
    c.activation->setToolTip(
        tr("Applied to the product after every factor, as a layer applies it to its output"));
    form->addRow(tr("Activation"), c.activation);
    c.size = makeSpinBox(1, kMaxMatrixSize);
    c.size->setObjectName(prefix + QStringLiteral("Size"));
    c.size->setValue(defaults.size);
    c.size->setToolTip(tr("Rows and columns of every matrix: the width of the layers"));
    form->addRow(tr("Size (n × n)"), c.size);
    c.result = new QLabel;
    c.result->setObjectName(prefix + QStringLiteral("Result"));
    c.result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(c.init, &QComboBox::currentIndexChanged, this, &MatrixLabPanel::controlsChanged);
    connect(c.activation, &QComboBox::currentIndexChanged, this, &MatrixLabPanel::controlsChanged);
    connect(c.low, &QDoubleSpinBox::valueChanged, this, &MatrixLabPanel::controlsChanged);
    connect(c.high, &QDoubleSpinBox::valueChanged, this, &MatrixLabPanel::controlsChanged);
    connect(c.size, &QSpinBox::valueChanged, this, &MatrixLabPanel::controlsChanged);
    return box;
}

MatrixLabOptions MatrixLabPanel::caseOptions(int index) const
{
    const CaseControls& c = m_cases[std::size_t(index)];
    MatrixLabOptions options;
    options.depth = m_depth->value();
    options.seed = std::uint64_t(m_seed->value());
    options.size = c.size->value();
    options.init.kind = MatrixInitKind(c.init->currentData().toInt());
    options.init.low = c.low->value();
    options.init.high = c.high->value();
    options.activation = MatrixActivation(c.activation->currentData().toInt());
    return options;
}

QString MatrixLabPanel::resultLine(int index) const
{
    if (index < 0 || index >= int(m_results.size()))
        return {};
    return matrixCaseLabel(m_computed[std::size_t(index)]) + QStringLiteral(": ") +
           matrixVerdict(m_results[std::size_t(index)]);
}

bool MatrixLabPanel::isComputing() const
{
    return m_debounce->isActive() || m_runner->isWaiting();
}

void MatrixLabPanel::controlsChanged()
{
    for (CaseControls& c : m_cases) {
        const bool uniform =
            MatrixInitKind(c.init->currentData().toInt()) == MatrixInitKind::Uniform;
        c.low->setEnabled(uniform);
        c.high->setEnabled(uniform);
    }
    m_debounce->start();
    refreshTexts();
    refreshStatus();
}

void MatrixLabPanel::recompute()
{
    std::vector<MatrixLabOptions> cases;
    QStringList problems;
    for (int i = 0; i < kCaseCount; ++i) {
        cases.push_back(caseOptions(i));
        const QString problem = matrixCaseProblem(i + 1, cases.back());
        if (!problem.isEmpty())
            problems << problem;
    }
    m_problem = problems.join(QLatin1Char('\n'));
    if (!m_problem.isEmpty()) {
        m_runner->cancel();
        m_results.clear();
        m_computed.clear();
        m_chart->setMessage(m_problem + QStringLiteral("\n") + tr("Nothing is computed."));
        refreshTexts();
        refreshStatus();
        Q_EMIT resultsChanged();
        return;
    }
    m_requested = cases;
    m_runner->request(std::move(cases));
    refreshStatus();
}

void MatrixLabPanel::showResults(const std::vector<MatrixLabResult>& results)
{
    m_results = results;
    m_computed = m_requested;
    ++m_computations;
    std::vector<MatrixLabCurve> curves;
    for (std::size_t i = 0; i < m_results.size(); ++i)
        curves.push_back({matrixCaseLabel(m_computed[i]), m_results[i]});
    m_chart->setCurves(std::move(curves));
    refreshTexts();
    refreshStatus();
    Q_EMIT resultsChanged();
}

void MatrixLabPanel::showFailure(const QString& message)
{
    m_results.clear();
    m_computed.clear();
    m_chart->setMessage(tr("The experiment failed: %1").arg(message));
    refreshTexts();
    refreshStatus();
    Q_EMIT resultsChanged();
}

void MatrixLabPanel::refreshTexts()
{
    const QPalette& colours = palette();
    for (int i = 0; i < kCaseCount; ++i) {
        CaseControls& c = m_cases[std::size_t(i)];
        const QString colour = MatrixLabChart::curveColor(i, colours).name();
        c.title->setText(QStringLiteral("<span style=\"color:%1\">━━</span>&nbsp; %2")
                             .arg(colour, matrixCaseLabel(caseOptions(i)).toHtmlEscaped()));
        if (i >= int(m_results.size())) {
            c.result->clear();
            continue;
        }
        c.result->setText(QStringLiteral("<span style=\"color:%1\">■</span>&nbsp; <b>%2</b>: %3")
                              .arg(colour,
                                   matrixCaseLabel(m_computed[std::size_t(i)]).toHtmlEscaped(),
                                   matrixVerdict(m_results[std::size_t(i)]).toHtmlEscaped()));
    }
}

void MatrixLabPanel::refreshStatus()
{
    const bool computing = isComputing();
    m_chart->setComputing(computing && m_problem.isEmpty());
    if (computing && m_problem.isEmpty()) {
        if (!m_progress->isActive())
            m_progress->start();
    } else {
        m_progress->stop();
    }
    QPalette colours = m_status->palette();
    colours.setColor(QPalette::WindowText, m_problem.isEmpty()
                                               ? palette().color(QPalette::WindowText)
                                               : problemColour(palette()));
    m_status->setPalette(colours);
    if (!m_problem.isEmpty()) {
        m_status->setText(m_problem);
        return;
    }
    if (!computing) {
        m_status->setText(tr("Right-click the chart to export the figure or its numbers."));
        return;
    }
    QString text = tr("Computing…");
    const int running = m_runner->runningCase();
    if (running >= 0)
        text += tr(" case %1 of %2").arg(running + 1).arg(kCaseCount);
    double work = 0;
    for (int i = 0; i < kCaseCount; ++i) {
        const MatrixLabOptions options = caseOptions(i);
        work += std::pow(double(options.size), 3) * options.depth;
    }
    if (work > kSlowWork)
        text += tr(" (large matrices: this can take minutes)");
    m_status->setText(text);
}

void MatrixLabPanel::renderFigure(QPainter* painter, const QRectF& target)
{
    painter->save();
    painter->setFont(font());
    const QFontMetricsF metrics(font(), painter->device());
    const double text = metrics.height();
    const double lineHeight = text * 1.4;
    const double linesHeight = m_results.empty() ? 0 : m_results.size() * lineHeight + text / 2;
    m_chart->renderFigure(painter, target.adjusted(0, 0, 0, -linesHeight));
    painter->setFont(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetricsF boldMetrics(bold, painter->device());
    double y = target.bottom() - linesHeight;
    for (int i = 0; i < int(m_results.size()); ++i, y += lineHeight) {
        const QRectF line(target.left() + text, y, target.width() - 2 * text, lineHeight);
        const QString label = matrixCaseLabel(m_computed[std::size_t(i)]) + QStringLiteral(": ");
        painter->fillRect(
            QRectF(line.left(), line.center().y() - text * 0.3, text * 0.6, text * 0.6),
            MatrixLabChart::curveColor(i, palette()));
        painter->setPen(palette().color(QPalette::Text));
        painter->setFont(bold);
        const QRectF labelBox = line.adjusted(text, 0, 0, 0);
        painter->drawText(labelBox, Qt::AlignLeft | Qt::AlignVCenter, label);
        painter->setFont(font());
        painter->drawText(labelBox.adjusted(boldMetrics.horizontalAdvance(label), 0, 0, 0),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          matrixVerdict(m_results[std::size_t(i)]));
    }
    painter->restore();
}

QString MatrixLabPanel::toCsv() const
{
    return m_chart->toCsv();
}

void MatrixLabPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        refreshTexts();
        refreshStatus();
    }
    QWidget::changeEvent(event);
}

} // namespace atelier::ui
