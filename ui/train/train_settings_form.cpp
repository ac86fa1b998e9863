// The hyperparameters of the current preset as a form.
#include "ui/train/train_settings_form.h"

#include "core/preset_limits.h"
#include "core/runtime.h"
#include "ui/preset/preset_document.h"
#include "ui/widgets/layer_text.h"
#include "ui/widgets/search_menu.h"
#include "ui/widgets/value_editors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <functional>
#include <tuple>
#include <vector>

namespace atelier::ui {
namespace {

// Field numbers for merging repeated edits of one field into one undo step.
enum Field
{
    kOptimizerField,
    kLearningRateField,
    kMomentumField,
    kNesterovField,
    kWeightDecayField,
    kBatchSizeField,
    kEpochsField,
    kEarlyStoppingField,
    kMonitorField,
    kPatienceField,
    kMinDeltaField,
    kRestoreBestField,
    kSeedField,
    kDeviceField,
    kPrecisionField,
};

} // namespace

TrainSettingsForm::TrainSettingsForm(PresetDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* optimizerBox = new QGroupBox(QStringLiteral("Optimizer"));
    auto* optimizerForm = new QFormLayout(optimizerBox);
    m_optimizer = new QComboBox;
    m_optimizer->addItems({QStringLiteral("SGD"), QStringLiteral("Adam")});
    m_learningRate = makeDoubleSpinBox(limits::kLearningRate, 6, 0.001);
    m_learningRate->setToolTip(QStringLiteral("Step size of each update, 0.000001 – 10"));
    m_momentum = makeDoubleSpinBox(limits::kMomentum, 3, 0.05);
    m_momentum->setToolTip(QStringLiteral("SGD only: share of the previous step kept, 0 – 0.999"));
    m_nesterov = new QCheckBox(QStringLiteral("Nesterov momentum"));
    m_weightDecay = makeDoubleSpinBox(limits::kWeightDecay, 6, 0.0001);
    m_weightDecay->setToolTip(QStringLiteral("L2 penalty on the weights, 0 – 1"));
    optimizerForm->addRow(QStringLiteral("Type"), m_optimizer);
    optimizerForm->addRow(QStringLiteral("Learning rate"), m_learningRate);
    optimizerForm->addRow(QStringLiteral("Momentum"), m_momentum);
    optimizerForm->addRow(QString(), m_nesterov);
    optimizerForm->addRow(QStringLiteral("Weight decay"), m_weightDecay);

    auto* loopBox = new QGroupBox(QStringLiteral("Training"));
    auto* loopForm = new QFormLayout(loopBox);
    m_batchSize = makeSpinBox(limits::kBatchSize, QStringLiteral(" images"));
    m_epochs = makeSpinBox(limits::kEpochs);
    m_seed = makeSpinBox(limits::kSeed); // up to INT_MAX: what a QSpinBox holds
    m_seed->setToolTip(QStringLiteral("Same seed on the CPU: the same history (on a GPU, "
                                      "cuDNN's autotuning varies slightly)"));
    m_device = new QComboBox;
    addDeviceChoices();
    m_precision = new QComboBox;
    addPrecisionChoices();
    loopForm->addRow(QStringLiteral("Batch size"), m_batchSize);
    loopForm->addRow(QStringLiteral("Epochs"), m_epochs);
    loopForm->addRow(QStringLiteral("Seed"), m_seed);
    loopForm->addRow(QStringLiteral("Device"), m_device);
    loopForm->addRow(QStringLiteral("Precision"), m_precision);

    m_earlyStopping = new QGroupBox(QStringLiteral("Early stopping"));
    m_earlyStopping->setCheckable(true);
    auto* stopForm = new QFormLayout(m_earlyStopping);
    m_monitor = new QComboBox;
    m_monitor->addItems({QStringLiteral("val_loss"), QStringLiteral("val_accuracy")});
    m_patience = makeSpinBox(limits::kPatience, QStringLiteral(" epochs"));
    m_patience->setToolTip(QStringLiteral("Epochs without improvement before stopping"));
    // No upper bound in a preset; a change of a whole loss unit is already no early stopping.
    m_minDelta = makeDoubleSpinBox(limits::kMinDelta, 5, 0.0001, /*unboundedMaximum=*/1.0);
    m_minDelta->setToolTip(QStringLiteral("Smallest change that counts as an improvement"));
    m_restoreBest = new QCheckBox(QStringLiteral("Keep the best epoch's weights"));
    stopForm->addRow(QStringLiteral("Monitor"), m_monitor);
    stopForm->addRow(QStringLiteral("Patience"), m_patience);
    stopForm->addRow(QStringLiteral("Min delta"), m_minDelta);
    stopForm->addRow(QString(), m_restoreBest);

    layout->addWidget(optimizerBox);
    layout->addWidget(loopBox);
    layout->addWidget(m_earlyStopping);

    // One helper per kind of widget: read the config, change one field, hand it back.
    auto edit = [this](int field, const std::function<void(TrainConfig&)>& change) {
        TrainConfig config = m_document->trainConfig();
        change(config);
        m_document->setTrainConfig(config, field);
    };
    connect(m_optimizer, &QComboBox::currentIndexChanged, this, [edit](int i) {
        edit(kOptimizerField, [i](TrainConfig& c) {
            c.optimizer.kind = i == 1 ? OptimizerKind::Adam : OptimizerKind::Sgd;
        });
    });
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, [edit](double v) {
        edit(kLearningRateField, [v](TrainConfig& c) { c.optimizer.learningRate = v; });
    });
    connect(m_momentum, &QDoubleSpinBox::valueChanged, this, [edit](double v) {
        edit(kMomentumField, [v](TrainConfig& c) {
            c.optimizer.momentum = v;
            if (v == 0.0)
                c.optimizer.nesterov = false; // Nesterov needs momentum
        });
    });
    connect(m_nesterov, &QCheckBox::toggled, this, [edit](bool v) {
        edit(kNesterovField, [v](TrainConfig& c) { c.optimizer.nesterov = v; });
    });
    connect(m_weightDecay, &QDoubleSpinBox::valueChanged, this, [edit](double v) {
        edit(kWeightDecayField, [v](TrainConfig& c) { c.optimizer.weightDecay = v; });
    });
    connect(m_batchSize, &QSpinBox::valueChanged, this,
            [edit](int v) { edit(kBatchSizeField, [v](TrainConfig& c) { c.batchSize = v; }); });
    connect(m_epochs, &QSpinBox::valueChanged, this,
            [edit](int v) { edit(kEpochsField, [v](TrainConfig& c) { c.epochs = v; }); });
    connect(m_seed, &QSpinBox::valueChanged, this, [edit](int v) {
        edit(kSeedField, [v](TrainConfig& c) { c.seed = std::uint64_t(v); });
    });
    connect(m_device, &QComboBox::currentIndexChanged, this, [edit](int i) {
        edit(kDeviceField, [i](TrainConfig& c) { c.device = DeviceChoice(i); });
    });
    connect(m_precision, &QComboBox::currentIndexChanged, this, [edit](int i) {
        edit(kPrecisionField, [i](TrainConfig& c) {
            c.precision = i == 1 ? Precision::BFloat16Mixed : Precision::Float32;
        });
    });
    connect(m_earlyStopping, &QGroupBox::toggled, this, [edit](bool v) {
        edit(kEarlyStoppingField, [v](TrainConfig& c) { c.earlyStopping.enabled = v; });
    });
    connect(m_monitor, &QComboBox::currentIndexChanged, this, [edit](int i) {
        edit(kMonitorField, [i](TrainConfig& c) {
            c.earlyStopping.monitor = i == 1 ? Monitor::ValAccuracy : Monitor::ValLoss;
        });
    });
    connect(m_patience, &QSpinBox::valueChanged, this, [edit](int v) {
        edit(kPatienceField, [v](TrainConfig& c) { c.earlyStopping.patience = v; });
    });
    connect(m_minDelta, &QDoubleSpinBox::valueChanged, this, [edit](double v) {
        edit(kMinDeltaField, [v](TrainConfig& c) { c.earlyStopping.minDelta = v; });
    });
    connect(m_restoreBest, &QCheckBox::toggled, this, [edit](bool v) {
        edit(kRestoreBestField, [v](TrainConfig& c) { c.earlyStopping.restoreBest = v; });
    });
    connect(m_document, &PresetDocument::trainConfigChanged, this, &TrainSettingsForm::refresh);
    refresh();
    addSearchActions();
}

void TrainSettingsForm::addSearchActions()
{
    // Each field, its key path and its current value (read when the menu opens).
    using Value = std::function<QString(const TrainConfig&)>;
    const std::vector<std::tuple<QWidget*, QString, Value>> fields = {
        {m_optimizer, QStringLiteral("training.optimizer"),
         [](const TrainConfig& c) { return optimizerYaml(c.optimizer); }},
        {m_learningRate, QStringLiteral("training.optimizer.learning_rate"),
         [](const TrainConfig& c) { return numberYaml(c.optimizer.learningRate); }},
        {m_momentum, QStringLiteral("training.optimizer.momentum"),
         [](const TrainConfig& c) { return numberYaml(c.optimizer.momentum); }},
        {m_nesterov, QStringLiteral("training.optimizer.nesterov"),
         [](const TrainConfig& c) { return booleanYaml(c.optimizer.nesterov); }},
        {m_weightDecay, QStringLiteral("training.optimizer.weight_decay"),
         [](const TrainConfig& c) { return numberYaml(c.optimizer.weightDecay); }},
        {m_batchSize, QStringLiteral("training.batch_size"),
         [](const TrainConfig& c) { return QString::number(c.batchSize); }},
        {m_epochs, QStringLiteral("training.epochs"),
         [](const TrainConfig& c) { return QString::number(c.epochs); }},
        {m_seed, QStringLiteral("training.seed"),
         [](const TrainConfig& c) { return QString::number(c.seed); }},
        {m_device, QStringLiteral("training.device"),
         [](const TrainConfig& c) { return qs(deviceChoiceName(c.device)); }},
        {m_precision, QStringLiteral("training.precision"),
         [](const TrainConfig& c) { return qs(precisionName(c.precision)); }},
        {m_monitor, QStringLiteral("training.early_stopping.monitor"),
         [](const TrainConfig& c) { return qs(monitorName(c.earlyStopping.monitor)); }},
        {m_patience, QStringLiteral("training.early_stopping.patience"),
         [](const TrainConfig& c) { return QString::number(c.earlyStopping.patience); }},
        {m_minDelta, QStringLiteral("training.early_stopping.min_delta"),
         [](const TrainConfig& c) { return numberYaml(c.earlyStopping.minDelta); }},
        {m_restoreBest, QStringLiteral("training.early_stopping.restore_best"),
         [](const TrainConfig& c) { return booleanYaml(c.earlyStopping.restoreBest); }},
    };
    const auto request = [this](const SearchTarget& t) {
        Q_EMIT searchRequested(t.keyPath, t.valueYaml);
    };
    for (const auto& [widget, path, value] : fields)
        addSearchOverValuesAction(
            widget,
            [this, path = path, value = value] {
                return SearchTarget{path, value(m_document->trainConfig())};
            },
            request);
    // The group box itself: early stopping on or off (its fields have menus of their own).
    addSearchOverValuesAction(
        m_earlyStopping,
        [this] {
            return SearchTarget{QStringLiteral("training.early_stopping"),
                                earlyStoppingYaml(m_document->trainConfig().earlyStopping)};
        },
        request, SearchMenuScope::FieldOnly);
}

void TrainSettingsForm::addDeviceChoices()
{
    const QString cpuName = qs(resolveDevice(DeviceChoice::Cpu).name);
    QString cudaName;
    if (cudaAvailable())
        cudaName = qs(resolveDevice(DeviceChoice::Cuda).name);
    m_device->addItem(QStringLiteral("auto (%1)").arg(cudaName.isEmpty() ? cpuName : cudaName));
    m_device->addItem(QStringLiteral("cpu (%1)").arg(cpuName));
    m_device->addItem(cudaName.isEmpty() ? QStringLiteral("cuda (no GPU or no CUDA in this build)")
                                         : QStringLiteral("cuda (%1)").arg(cudaName));
    if (cudaName.isEmpty()) {
        // Listed but not selectable: the user sees why a GPU is not used.
        auto* model = qobject_cast<QStandardItemModel*>(m_device->model());
        if (model)
            model->item(2)->setEnabled(false);
    }
    m_device->setToolTip(QStringLiteral("auto uses a CUDA GPU when there is one"));
}

void TrainSettingsForm::addPrecisionChoices()
{
    m_precision->addItem(QStringLiteral("fp32"));
    m_precision->addItem(QStringLiteral("bf16 mixed")); // labelled by labelPrecisionFor
    m_precision->setToolTip(
        QStringLiteral("bf16 mixed: convolutions and matrix products in bfloat16, weights and "
                       "loss in float32. Measured about twice as fast on an AMX CPU (Sapphire "
                       "Rapids) at the same accuracy; slower where bfloat16 is emulated"));
}

void TrainSettingsForm::labelPrecisionFor(DeviceChoice choice)
{
    // Whether bf16 pays depends on the hardware the run will use, so the choice says it for
    // the chosen device (a CUDA choice without a GPU is refused elsewhere; label auto's).
    const DeviceInfo device = resolveDevice(
        choice == DeviceChoice::Cuda && !cudaAvailable() ? DeviceChoice::Auto : choice);
    const QString where = device.cuda ? QStringLiteral("this GPU") : QStringLiteral("this CPU");
    m_precision->setItemText(
        1, hasFastBfloat16(device)
               ? QStringLiteral("bf16 mixed (fast on %1)").arg(where)
               : QStringLiteral("bf16 mixed (emulated on %1: slower)").arg(where));
}

void TrainSettingsForm::refresh()
{
    const TrainConfig& c = m_document->trainConfig();
    const QList<QWidget*> widgets = {m_optimizer,   m_learningRate, m_momentum,      m_nesterov,
                                     m_weightDecay, m_batchSize,    m_epochs,        m_seed,
                                     m_device,      m_precision,    m_earlyStopping, m_monitor,
                                     m_patience,    m_minDelta,     m_restoreBest};
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QWidget* widget : widgets)
        blockers.push_back(std::make_unique<QSignalBlocker>(widget));
    const bool sgd = c.optimizer.kind == OptimizerKind::Sgd;
    m_optimizer->setCurrentIndex(sgd ? 0 : 1);
    m_learningRate->setValue(c.optimizer.learningRate);
    m_momentum->setValue(c.optimizer.momentum);
    m_momentum->setEnabled(sgd);
    m_nesterov->setChecked(c.optimizer.nesterov);
    m_nesterov->setEnabled(sgd && c.optimizer.momentum > 0);
    m_weightDecay->setValue(c.optimizer.weightDecay);
    m_batchSize->setValue(c.batchSize);
    m_epochs->setValue(c.epochs);
    m_seed->setValue(int(std::min<std::uint64_t>(c.seed, std::numeric_limits<int>::max())));
    m_device->setCurrentIndex(int(c.device));
    labelPrecisionFor(c.device);
    m_precision->setCurrentIndex(c.precision == Precision::BFloat16Mixed ? 1 : 0);
    m_earlyStopping->setChecked(c.earlyStopping.enabled);
    m_monitor->setCurrentIndex(c.earlyStopping.monitor == Monitor::ValAccuracy ? 1 : 0);
    m_patience->setValue(c.earlyStopping.patience);
    m_minDelta->setValue(c.earlyStopping.minDelta);
    m_restoreBest->setChecked(c.earlyStopping.restoreBest);
}

} // namespace atelier::ui
