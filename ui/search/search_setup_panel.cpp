// Building a search (see search_setup_panel.h); the summary and the estimate, which run off
// the GUI thread, are in search_setup_summary.cpp.
#include "ui/search/search_setup_panel.h"

#include "core/preset_paths.h"
#include "ui/preset/preset_document.h"
#include "ui/preset/preset_library.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_parameter_model.h"

#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStringListModel>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>
#include <limits>

namespace atelier::ui {
namespace {

// Quiet time after the last change before the summary is computed again.
constexpr int kSummaryDelayMs = 300;

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace

SearchSetupPanel::SearchSetupPanel(SweepDraft* draft, PresetDocument* document, QWidget* parent)
    : QWidget(parent), m_draft(draft), m_document(document),
      m_model(new SweepParameterModel(draft, this)), m_summaryTimer(new QTimer(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildSourceRow());
    layout->addWidget(buildParameters(), 1);
    layout->addWidget(buildMethod());
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #d9534f;"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);
    layout->addWidget(buildSummary());

    m_summaryTimer->setSingleShot(true);
    m_summaryTimer->setInterval(kSummaryDelayMs);
    connect(m_summaryTimer, &QTimer::timeout, this, &SearchSetupPanel::startSummary);
    connect(m_draft, &SweepDraft::changed, this, &SearchSetupPanel::draftChanged);
    connect(m_model, &SweepParameterModel::editRefused, this, &SearchSetupPanel::showMessage);
    refreshControls();
    draftChanged();
}

QWidget* SearchSetupPanel::buildSourceRow()
{
    auto* box = new QGroupBox(QStringLiteral("Search"));
    auto* form = new QFormLayout(box);
    auto* buttons = new QHBoxLayout;
    auto* fromPreset = new QPushButton(QStringLiteral("From Current Preset"));
    fromPreset->setToolTip(QStringLiteral("Search around the preset being edited"));
    auto* open = new QPushButton(QStringLiteral("Open Sweep…"));
    auto* save = new QPushButton(QStringLiteral("Save Sweep As…"));
    save->setToolTip(QStringLiteral("A sweep file for atelier-cli sweep (docs/sweeps.md)"));
    buttons->addWidget(fromPreset);
    buttons->addWidget(open);
    buttons->addWidget(save);
    buttons->addStretch(1);
    form->addRow(buttons);
    m_baseLabel = new QLabel;
    m_baseLabel->setWordWrap(true);
    form->addRow(QStringLiteral("Base"), m_baseLabel);
    m_name = new QLineEdit;
    m_name->setPlaceholderText(QStringLiteral("names the trials' runs (default: sweep)"));
    form->addRow(QStringLiteral("Name"), m_name);

    connect(fromPreset, &QPushButton::clicked, this, &SearchSetupPanel::useCurrentPreset);
    connect(open, &QPushButton::clicked, this, [this] {
        // A new search starts where the shipped sweeps are (quick, mlp_talos, cnn_talos).
        const QString start = m_draft->filePath().isEmpty() ? shippedSweepsDirectory()
                                                            : QFileInfo(m_draft->filePath()).path();
        const QString path =
            QFileDialog::getOpenFileName(this, QStringLiteral("Open Sweep"), start,
                                         QStringLiteral("Sweeps (*.yaml *.yml);;All files (*)"));
        if (!path.isEmpty())
            openSweep(path);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, QStringLiteral("Save Sweep As"), m_draft->filePath(),
                                         QStringLiteral("Sweeps (*.yaml *.yml)"));
        if (!path.isEmpty())
            saveSweepAs(path);
    });
    connect(m_name, &QLineEdit::editingFinished, this,
            [this] { m_draft->setName(m_name->text().trimmed()); });
    return box;
}

QWidget* SearchSetupPanel::buildParameters()
{
    auto* box = new QGroupBox(QStringLiteral("Parameters"));
    auto* layout = new QVBoxLayout(box);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(SweepParameterModel::NameColumn, 140);
    m_table->setColumnWidth(SweepParameterModel::PathsColumn, 200);
    m_table->setColumnWidth(SweepParameterModel::KindColumn, 90);
    m_table->setToolTip(
        QStringLiteral("Double-click a cell to edit it. Right-click a field in the Model or "
                       "Train view and choose Search over values… to add its key here."));
    layout->addWidget(m_table, 1);

    auto* row = new QHBoxLayout;
    m_newPath = new QLineEdit;
    m_newPath->setPlaceholderText(QStringLiteral("key path, e.g. training.batch_size"));
    m_newPath->setCompleter(new QCompleter(new QStringListModel(m_newPath), m_newPath));
    auto* add = new QPushButton(QStringLiteral("Add"));
    auto* remove = new QPushButton(QStringLiteral("Remove"));
    remove->setToolTip(QStringLiteral("Remove the selected parameters"));
    row->addWidget(m_newPath, 1);
    row->addWidget(add);
    row->addWidget(remove);
    layout->addLayout(row);
    const auto addTyped = [this] {
        if (addParameter(m_newPath->text()))
            m_newPath->clear();
    };
    connect(add, &QPushButton::clicked, this, addTyped);
    connect(m_newPath, &QLineEdit::returnPressed, this, addTyped);
    connect(remove, &QPushButton::clicked, this, &SearchSetupPanel::removeSelectedParameters);
    return box;
}

QWidget* SearchSetupPanel::buildMethod()
{
    auto* box = new QGroupBox(QStringLiteral("Trials"));
    auto* form = new QFormLayout(box);
    m_method = new QComboBox;
    m_method->addItem(QStringLiteral("grid: every point"), int(SweepMethod::Grid));
    m_method->addItem(QStringLiteral("random: a seeded draw"), int(SweepMethod::Random));
    m_count = new QComboBox;
    m_count->addItem(QStringLiteral("a share of the grid"), int(SweepDraft::RandomCount::Fraction));
    m_count->addItem(QStringLiteral("a number of trials"), int(SweepDraft::RandomCount::Trials));
    m_fraction = new QDoubleSpinBox;
    m_fraction->setDecimals(3);
    m_fraction->setRange(0.001, 1.0); // (0, 1] at three decimals
    m_fraction->setSingleStep(0.05);
    m_trials = new QSpinBox;
    m_trials->setRange(1, kMaxSweepTrials);
    m_trials->setGroupSeparatorShown(true);
    auto* count = new QHBoxLayout;
    count->addWidget(m_count);
    count->addWidget(m_fraction, 1);
    count->addWidget(m_trials, 1);
    m_seed = new QSpinBox;
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(QStringLiteral("The draw's seed: the same seed draws the same trials"));
    m_objective = new QComboBox;
    m_objective->addItem(QStringLiteral("val_accuracy (higher is better)"),
                         int(SweepObjective::ValAccuracy));
    m_objective->addItem(QStringLiteral("val_loss (lower is better)"),
                         int(SweepObjective::ValLoss));
    form->addRow(QStringLiteral("Method"), m_method);
    form->addRow(QStringLiteral("Draw"), count);
    form->addRow(QStringLiteral("Seed"), m_seed);
    form->addRow(QStringLiteral("Objective"), m_objective);

    connect(m_method, &QComboBox::currentIndexChanged, this,
            [this] { m_draft->setMethod(SweepMethod(m_method->currentData().toInt())); });
    connect(m_count, &QComboBox::currentIndexChanged, this, [this] {
        if (SweepDraft::RandomCount(m_count->currentData().toInt()) ==
            SweepDraft::RandomCount::Fraction)
            m_draft->setFraction(m_fraction->value());
        else
            m_draft->setTrials(m_trials->value());
    });
    connect(m_fraction, &QDoubleSpinBox::valueChanged, m_draft, &SweepDraft::setFraction);
    connect(m_trials, &QSpinBox::valueChanged, m_draft, &SweepDraft::setTrials);
    connect(m_seed, &QSpinBox::valueChanged, this,
            [this](int seed) { m_draft->setSeed(quint64(seed)); });
    connect(m_objective, &QComboBox::currentIndexChanged, this,
            [this] { m_draft->setObjective(SweepObjective(m_objective->currentData().toInt())); });
    return box;
}

QWidget* SearchSetupPanel::buildSummary()
{
    auto* box = new QGroupBox(QStringLiteral("Summary"));
    auto* layout = new QVBoxLayout(box);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    auto* row = new QHBoxLayout;
    m_estimateButton = new QPushButton(QStringLiteral("Estimate Duration"));
    m_estimateButton->setToolTip(QStringLiteral(
        "Times a few training steps of the smallest and the largest trial on this machine"));
    auto* showYaml = new QToolButton;
    showYaml->setText(QStringLiteral("Show YAML"));
    showYaml->setCheckable(true);
    showYaml->setToolTip(QStringLiteral("The sweep file as it would be saved; the problems' "
                                        "lines are its lines"));
    row->addWidget(m_estimateButton);
    row->addStretch(1);
    row->addWidget(showYaml);
    layout->addLayout(row);
    m_estimate = new QLabel;
    m_estimate->setWordWrap(true);
    m_estimate->setTextFormat(Qt::PlainText);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_estimate);
    m_yaml = new QPlainTextEdit;
    m_yaml->setReadOnly(true);
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_yaml->setMinimumHeight(160);
    m_yaml->hide();
    layout->addWidget(m_yaml);
    connect(showYaml, &QToolButton::toggled, m_yaml, &QWidget::setVisible);
    connect(m_estimateButton, &QPushButton::clicked, this, &SearchSetupPanel::estimateDuration);
    return box;
}

void SearchSetupPanel::refreshControls()
{
    const QList<QWidget*> widgets = {m_name,   m_method, m_count,    m_fraction,
                                     m_trials, m_seed,   m_objective};
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QWidget* widget : widgets)
        blockers.push_back(std::make_unique<QSignalBlocker>(widget));
    if (!m_name->hasFocus())
        m_name->setText(m_draft->name());
    const bool random = m_draft->method() == SweepMethod::Random;
    const bool byFraction = m_draft->randomCount() == SweepDraft::RandomCount::Fraction;
    m_method->setCurrentIndex(m_method->findData(int(m_draft->method())));
    m_count->setCurrentIndex(m_count->findData(int(m_draft->randomCount())));
    m_fraction->setValue(m_draft->fraction());
    m_trials->setValue(m_draft->trials());
    m_seed->setValue(int(std::min<quint64>(m_draft->seed(), std::numeric_limits<int>::max())));
    m_objective->setCurrentIndex(m_objective->findData(int(m_draft->objective())));
    m_count->setEnabled(random);
    m_fraction->setVisible(byFraction);
    m_fraction->setEnabled(random);
    m_trials->setVisible(!byFraction);
    m_trials->setEnabled(random);

    const Preset& base = m_draft->base();
    m_baseLabel->setText(
        !m_draft->hasBase()
            ? QStringLiteral("none yet: From Current Preset, or open a sweep")
            : QStringLiteral("%1 · %2 layers")
                  .arg(base.name.empty() ? QStringLiteral("(unnamed)") : qs(base.name))
                  .arg(base.model.layers.size()));
    QStringList paths;
    for (const std::string& path : presetKeyPaths(m_draft->baseYaml().toStdString()))
        paths << qs(path);
    if (auto* model = qobject_cast<QStringListModel*>(m_newPath->completer()->model()))
        model->setStringList(paths);
}

void SearchSetupPanel::draftChanged()
{
    ++m_generation;
    refreshControls();
    m_summaryTimer->start();
    if (!m_estimate->text().isEmpty() && !m_estimating)
        m_estimate->setText(QStringLiteral("The sweep changed: estimate again."));
}

void SearchSetupPanel::useCurrentPreset()
{
    const Preset preset = m_document->preset();
    // An unchanged preset file as it is written: the sweep then has the fingerprint of a
    // sweep file naming that preset, and atelier-cli can resume its folder.
    const QString file = m_document->filePath();
    if (file.isEmpty() || m_document->isModified() || !m_draft->setBaseFromFile(file) ||
        !(m_draft->base() == preset))
        m_draft->setBase(preset);
    if (m_draft->name().isEmpty() && presetNameProblem(preset.name).empty())
        m_draft->setName(qs(preset.name));
    showMessage({});
}

bool SearchSetupPanel::openSweep(const QString& path)
{
    QString error;
    if (!SweepDraft::fromFile(path, *m_draft, &error)) {
        showMessage(QStringLiteral("%1 did not open:\n%2").arg(path, error));
        return false;
    }
    showMessage({});
    return true;
}

bool SearchSetupPanel::saveSweepAs(const QString& path)
{
    QString error;
    if (!m_draft->save(path, &error)) {
        showMessage(error);
        return false;
    }
    showMessage({});
    return true;
}

bool SearchSetupPanel::addParameter(const QString& keyPath)
{
    const QString path = SweepDraft::canonicalPath(keyPath);
    if (path.isEmpty())
        return false;
    const std::optional<std::string> value =
        presetValueAt(m_draft->baseYaml().toStdString(), path.toStdString());
    QString why;
    if (!m_draft->addParameterFor(path, value ? qs(*value) : QString(), &why)) {
        showMessage(why);
        return false;
    }
    showMessage({});
    return true;
}

void SearchSetupPanel::removeSelectedParameters()
{
    QList<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int row : rows)
        m_draft->removeParameter(row);
}

void SearchSetupPanel::showMessage(const QString& text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

} // namespace atelier::ui
