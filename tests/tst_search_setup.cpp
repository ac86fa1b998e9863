// Building a search in the studio: a sweep built from UI actions is the sweep written by hand,
// sweep files open and save without changing their space, the live summary counts what
// `sweep plan` counts, a key is never searched twice, the forms' "Search over values…" names
// the right key, and the forms' ranges are the preset reader's.
#include "core/preset_limits.h"
#include "core/sweep_estimate.h"
#include "sweep_spec_helpers.h"
#include "ui/model/layer_property_editor.h"
#include "ui/preset/preset_document.h"
#include "ui/preset/preset_library.h"
#include "ui/search/search_setup_panel.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_parameter_model.h"
#include "ui/train/train_settings_form.h"
#include "ui/widgets/search_menu.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDir>
#include <QDoubleSpinBox>
#include <QMenu>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace atelier;
using namespace atelier::ui;
using namespace atelier::test;

namespace {

const QString kPresets = QStringLiteral(ATELIER_PRESETS_DIR);

// Right-clicks `widget` and chooses "Search over values…" in the menu that opens.
void chooseSearchOverValues(QWidget* widget)
{
    const QPoint at(4, 4);
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, widget->mapToGlobal(at));
    QApplication::sendEvent(widget, &event);
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    QVERIFY2(menu, "no menu opened");
    QAction* search = nullptr;
    for (QAction* action : menu->actions())
        if (action->text() == searchOverValuesText())
            search = action;
    QVERIFY2(search, "the menu has no Search over values…");
    search->trigger();
    menu->close();
}

// A sweep's problems over one value at one path of a small CNN base: none when the preset
// reader accepts the value there.
QStringList problemsOfValue(const QString& path, const QString& value)
{
    const std::string yaml = R"(base:
  model:
    input: [1, 28, 28]
    layers:
      - {type: conv2d, filters: 8, kernel: 3}
      - {type: batch_norm}
      - {type: dropout, rate: 0.2}
      - {type: flatten}
      - {type: dense, units: 10, activation: softmax}
  training:
    optimizer: {type: sgd, learning_rate: 0.01, momentum: 0.9}
    early_stopping: {monitor: val_loss, patience: 3}
space:
  )" + path.toStdString() + ": [" +
                             value.toStdString() + "]\n";
    return problemsOf(yaml);
}

QString text(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

} // namespace

class TestSearchSetup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Open Sweep starts in the shipped sweeps: the environment's folder, else the installed
    // one next to the binary (<bin>/../share/atelier/sweeps), else the source tree's.
    void shippedSweepsAreFoundInstalledOrInTheSourceTree()
    {
        qunsetenv("ATELIER_SWEEPS_DIR");
        const auto restore = qScopeGuard([] { qunsetenv("ATELIER_SWEEPS_DIR"); });
        const QString source = QDir::cleanPath(QStringLiteral(ATELIER_SWEEPS_DIR));
        QCOMPARE(shippedSweepsDirectory(), source);
        QVERIFY(QFileInfo::exists(source + QStringLiteral("/quick.yaml")));

        // This suite runs from build/tests: build/share/atelier/sweeps plays the installed
        // folder. share/ is made here only if nobody has one, so removing it loses nothing.
        const QDir binary(QCoreApplication::applicationDirPath());
        const QString share = QDir::cleanPath(binary.filePath("../share"));
        if (QFileInfo::exists(share))
            QSKIP("a share/ folder is already next to the suite's folder; not touching it");
        const QString installed = share + QStringLiteral("/atelier/sweeps");
        QVERIFY(QDir().mkpath(installed));
        const auto remove = qScopeGuard([&] { QDir(share).removeRecursively(); });
        QCOMPARE(shippedSweepsDirectory(), installed);
        // Presets are looked up on their own: an installed sweeps folder does not move them.
        if (qEnvironmentVariableIsEmpty("ATELIER_PRESETS_DIR"))
            QCOMPARE(shippedPresetsDirectory(), QDir::cleanPath(kPresets));

        qputenv("ATELIER_SWEEPS_DIR", "/somewhere/else");
        QCOMPARE(shippedSweepsDirectory(), QStringLiteral("/somewhere/else"));
    }

    void aSweepBuiltInTheStudioIsTheSweepWrittenByHand()
    {
        const QString presetPath = kPresets + QStringLiteral("/mlp_tuned.yaml");
        PresetDocument document;
        document.reset(loadPreset(presetPath.toStdString()), presetPath);
        SweepDraft draft;
        SearchSetupPanel panel(&draft, &document);
        QAbstractItemModelTester tester(panel.parameterModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.useCurrentPreset();
        QVERIFY(draft.addParameterFor("training.batch_size", "64"));
        QVERIFY(draft.addParameterFor("training.optimizer.learning_rate", "0.001"));
        QVERIFY(panel.addParameter("model.layers[1].units")); // its value from the base: 256
        SweepParameterModel* model = panel.parameterModel();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->index(2, SweepParameterModel::ValuesColumn).data().toString(),
                 QStringLiteral("128, 256, 512"));
        QVERIFY(model->setData(model->index(2, SweepParameterModel::ValuesColumn), "128, 512"));
        draft.setMethod(SweepMethod::Random);
        draft.setFraction(0.5);
        draft.setSeed(7);

        QTemporaryDir dir;
        const QString byHand = dir.filePath("by_hand.yaml");
        writeTestFile(byHand, QStringLiteral(R"(name: mlp_tuned
method: random
fraction: 0.5
seed: 7
base: %1
space:
  training.batch_size: [32, 64, 128]
  training.optimizer.learning_rate: [0.0001, 0.001, 0.01]
  model.layers[1].units: [128, 512]
)")
                                  .arg(presetPath)
                                  .toUtf8());
        const SweepSpec expected = loadSweep(byHand.toStdString());
        const std::optional<SearchSetupPanel::ValidSweep> built = panel.validSweep();
        QVERIFY(built);
        QCOMPARE(sweepFingerprint(built->spec), sweepFingerprint(expected));
        comparePlans(planSweep(built->spec), planSweep(expected));
        QCOMPARE(planSweep(built->spec).trials.size(), std::size_t(9)); // half of 18 points

        // An edited preset is searched as it is in the studio, not as its file was.
        TrainConfig training = document.trainConfig();
        training.epochs = 3;
        document.setTrainConfig(training, 0);
        panel.useCurrentPreset();
        QVERIFY(draft.base() == document.preset());
        QVERIFY(panel.validSweep());
        QCOMPARE(panel.validSweep()->spec.parameters.size(), std::size_t(3));
    }

    void sweepFilesOpenAndSaveUnchanged_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("quick") << "quick.yaml";
        QTest::newRow("mlp_talos") << "mlp_talos.yaml";
        QTest::newRow("cnn_talos") << "cnn_talos.yaml";
    }
    void sweepFilesOpenAndSaveUnchanged()
    {
        QFETCH(QString, file);
        const std::string path = shippedPath(qPrintable(file));
        const SweepSpec original = loadSweep(path);
        SweepDraft draft;
        QString error;
        QVERIFY2(SweepDraft::fromFile(QString::fromStdString(path), draft, &error),
                 qPrintable(error));
        const SweepParseResult reread = draft.parse();
        QVERIFY2(reread.problems.empty(), qPrintable(draft.toYaml()));
        QCOMPARE(sweepFingerprint(reread.spec), sweepFingerprint(original));
        QCOMPARE(reread.spec.fraction, original.fraction);
        comparePlans(planSweep(reread.spec), planSweep(original));

        QTemporaryDir dir;
        const QString saved = dir.filePath(file);
        QVERIFY2(draft.save(saved, &error), qPrintable(error));
        QCOMPARE(sweepFingerprint(loadSweep(saved.toStdString())), sweepFingerprint(original));
    }

    void theSummaryCountsTrialsAndInvalidPoints()
    {
        PresetDocument document;
        SweepDraft draft;
        SearchSetupPanel panel(&draft, &document);
        QSignalSpy updated(&panel, &SearchSetupPanel::summaryUpdated);
        QVERIFY(panel.openSweep(QString::fromStdString(shippedPath("cnn_talos.yaml"))));
        QTRY_VERIFY_WITH_TIMEOUT(panel.summaryIsCurrent(), 60000);
        const QString summary = panel.summaryText();
        QVERIFY2(summary.contains("1,728 grid points"), qPrintable(summary));
        QVERIFY2(summary.contains("Trials: 172 (random: 10% of the grid, seed 42)"),
                 qPrintable(summary));
        QVERIFY2(summary.contains("Not trainable: 216 of 1,728 points"), qPrintable(summary));
        const SweepPlan plan =
            planSweep(loadSweep(shippedPath("cnn_talos.yaml")), InvalidCount::WholeGrid);
        QCOMPARE(plan.invalidReasons.size(), std::size_t(1));
        QVERIFY2(summary.contains("216 × " + QString::fromStdString(plan.invalidReasons[0].reason)),
                 qPrintable(summary));
        QVERIFY(!updated.isEmpty());
        QCOMPARE(updated.last().at(0).toBool(), true);

        // A bad value: the summary lists the reader's problem at its line instead.
        SweepDraft::Parameter batch = draft.parameters().back();
        batch.values = {"32", "0"};
        QVERIFY(draft.setParameter(draft.parameterCount() - 1, batch));
        QTRY_VERIFY_WITH_TIMEOUT(panel.summaryIsCurrent(), 60000);
        QVERIFY2(panel.summaryText().contains("1 problem:"), qPrintable(panel.summaryText()));
        QVERIFY2(panel.summaryText().contains("training.batch_size: 0 is out of range [1, 60000]"),
                 qPrintable(panel.summaryText()));
        QCOMPARE(updated.last().at(0).toBool(), false);
        QVERIFY(!panel.validSweep());
    }

    void aKeySearchedTwiceIsRefused()
    {
        SweepDraft draft;
        draft.setBase(loadPreset((kPresets + "/mlp_tuned.yaml").toStdString()));
        QVERIFY(draft.addParameterFor("model.layers[1].units", "256"));
        QVERIFY(draft.addParameterFor("training.batch_size", "64"));
        QString why;
        QVERIFY(!draft.addParameterFor("model.layers[01].units", "256", &why));
        QVERIFY2(why.contains("model.layers[1].units is searched already (row 1"), qPrintable(why));
        QCOMPARE(draft.parameterCount(), 2);

        SweepParameterModel model(&draft);
        QSignalSpy refused(&model, &SweepParameterModel::editRefused);
        QVERIFY(!model.setData(model.index(1, SweepParameterModel::PathsColumn),
                               "model.layers[1].units"));
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused.first().at(0).toString().contains("searched already"));
        QCOMPARE(draft.parameters()[1].paths, QStringList{"training.batch_size"});
        // Tied paths in one row are fine; a path then searched alone is not.
        QVERIFY(model.setData(model.index(1, SweepParameterModel::PathsColumn),
                              "model.layers[3].units, training.batch_size"));
        QVERIFY(!draft.addParameterFor("model.layers[3].units", "128"));
    }

    void startingValuesAreNeighboursWithinTheLimits()
    {
        SweepDraft draft;
        draft.setBase(loadPreset((kPresets + "/cnn_tuned.yaml").toStdString()));
        QVERIFY(draft.addParameterFor("training.optimizer.learning_rate", "0.001"));
        QVERIFY(draft.addParameterFor("training.optimizer", "{type: adam, learning_rate: 0.001}"));
        QVERIFY(draft.addParameterFor("model.layers[1].activation", "relu"));
        QVERIFY(draft.addParameterFor("training.early_stopping.patience", "0"));
        const auto& p = draft.parameters();
        QCOMPARE(p[0].values, QStringList({"0.0001", "0.001", "0.01"}));
        QCOMPARE(p[1].name, QStringLiteral("optimizer"));
        QCOMPARE(p[1].labels, QStringList({"adam", "sgd"}));
        QCOMPARE(p[2].values.size(), int(activationNames().size()));
        QCOMPARE(p[3].values, QStringList({"0", "1", "2"}));
        QVERIFY(draft.addParameterFor("model.layers[9].rate", "0.6"));
        QCOMPARE(p[4].values, QStringList({"0.3", "0.6", "0.8"})); // 1.2 is past rate < 1
        const SweepParseResult parsed = draft.parse();
        QVERIFY2(parsed.problems.empty(), qPrintable(draft.toYaml()));
    }

    // A residual block's activation is searched over what such a block can take: softmax,
    // which the preset reader would refuse there, is not among the starting values.
    void residualActivationSearchLeavesOutSoftmax()
    {
        SweepDraft draft;
        draft.setBase(loadPreset((kPresets + "/cnn_speedrun.yaml").toStdString()));
        QCOMPARE(SweepDraft::layerTypeAt(draft.base(), "model.layers[04].activation"),
                 LayerType::Residual);
        QCOMPARE(SweepDraft::layerTypeAt(draft.base(), "model.layers[40].activation"),
                 LayerType::Invalid);
        QVERIFY(draft.addParameterFor("model.layers[4].activation", "relu"));
        QVERIFY(draft.addParameterFor("model.layers[11].activation", "softmax"));
        const auto& p = draft.parameters();
        QVERIFY(!p[0].values.contains("softmax"));
        QCOMPARE(p[0].values.size(), int(activationNames().size()) - 1);
        QVERIFY(p[1].values.contains("softmax")); // the dense output layer keeps it
        const SweepParseResult parsed = draft.parse();
        QVERIFY2(parsed.problems.empty(),
                 parsed.problems.empty() ? "" : parsed.problems.front().toString().c_str());
    }

    void theFormsContextMenuNamesTheKey()
    {
        PresetDocument document;
        document.reset(loadPreset((kPresets + "/mlp_tuned.yaml").toStdString()), {});
        TrainSettingsForm form(&document);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QSignalSpy spy(&form, &TrainSettingsForm::searchRequested);
        chooseSearchOverValues(form.batchSize());
        chooseSearchOverValues(form.learningRate());
        chooseSearchOverValues(form.optimizer());
        QCOMPARE(spy.size(), 3);
        QCOMPARE(spy[0], (QVariantList{"training.batch_size", "64"}));
        QCOMPARE(spy[1], (QVariantList{"training.optimizer.learning_rate", "0.001"}));
        QCOMPARE(spy[2],
                 (QVariantList{"training.optimizer", "{type: adam, learning_rate: 0.001}"}));

        LayerPropertyEditor editor;
        LayerSpec conv = layerDefaults(LayerType::Conv2D);
        conv.filters = 48;
        conv.kernel = Size2::square(5);
        editor.showLayer(2, conv, "conv2d_3", {});
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QSignalSpy layerSpy(&editor, &LayerPropertyEditor::searchRequested);
        chooseSearchOverValues(editor.editor(LayerPropertyEditor::FiltersField));
        // The kernel is two spin boxes: either one offers its layer's kernel.
        chooseSearchOverValues(
            editor.editor(LayerPropertyEditor::KernelField)->findChild<QSpinBox*>());
        QCOMPARE(layerSpy.size(), 2);
        QCOMPARE(layerSpy[0], (QVariantList{"model.layers[3].filters", "48"}));
        QCOMPARE(layerSpy[1], (QVariantList{"model.layers[3].kernel", "5"}));
    }

    void formRangesAreTheReadersBounds_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("learning_rate") << "training.optimizer.learning_rate";
        QTest::newRow("momentum") << "training.optimizer.momentum";
        QTest::newRow("weight_decay") << "training.optimizer.weight_decay";
        QTest::newRow("batch_size") << "training.batch_size";
        QTest::newRow("epochs") << "training.epochs";
        QTest::newRow("patience") << "training.early_stopping.patience";
        QTest::newRow("min_delta") << "training.early_stopping.min_delta";
        QTest::newRow("seed") << "training.seed";
        QTest::newRow("filters") << "model.layers[1].filters";
        QTest::newRow("kernel") << "model.layers[1].kernel";
        QTest::newRow("bn momentum") << "model.layers[2].momentum";
        QTest::newRow("bn epsilon") << "model.layers[2].epsilon";
        QTest::newRow("rate") << "model.layers[3].rate";
        QTest::newRow("units") << "model.layers[5].units";
    }
    void formRangesAreTheReadersBounds()
    {
        QFETCH(QString, path);
        PresetDocument document;
        TrainSettingsForm form(&document);
        LayerPropertyEditor editor;
        const std::map<QString, QWidget*> boxes = {
            {"training.optimizer.learning_rate", form.learningRate()},
            {"training.optimizer.momentum", form.momentum()},
            {"training.optimizer.weight_decay", form.weightDecay()},
            {"training.batch_size", form.batchSize()},
            {"training.epochs", form.epochs()},
            {"training.early_stopping.patience", form.patience()},
            {"training.early_stopping.min_delta", form.minDelta()},
            {"training.seed", form.seed()},
            {"model.layers[1].filters", editor.editor(LayerPropertyEditor::FiltersField)},
            {"model.layers[1].kernel",
             editor.editor(LayerPropertyEditor::KernelField)->findChild<QSpinBox*>()},
            {"model.layers[2].momentum", editor.editor(LayerPropertyEditor::MomentumField)},
            {"model.layers[2].epsilon", editor.editor(LayerPropertyEditor::EpsilonField)},
            {"model.layers[3].rate", editor.editor(LayerPropertyEditor::RateField)},
            {"model.layers[5].units", editor.editor(LayerPropertyEditor::UnitsField)},
        };
        const std::optional<KeyLimits> limits = presetKeyLimits(path.toStdString());
        QVERIFY(limits);
        const RealLimits& r = limits->range;
        if (auto* box = qobject_cast<QSpinBox*>(boxes.at(path))) {
            QVERIFY(limits->integer);
            QCOMPARE(double(box->minimum()), r.min);
            if (path == "training.seed") // a QSpinBox holds an int: a subset of the seeds
                QCOMPARE(box->maximum(), std::numeric_limits<int>::max());
            else
                QCOMPARE(double(box->maximum()), r.max);
            // The reader agrees: both ends pass, one past them does not.
            QVERIFY(problemsOfValue(path, QString::number(box->minimum())).isEmpty());
            QVERIFY(problemsOfValue(path, QString::number(box->maximum())).isEmpty());
            QVERIFY(!problemsOfValue(path, QString::number(box->minimum() - 1LL)).isEmpty());
            if (path != "training.seed")
                QVERIFY(!problemsOfValue(path, QString::number(box->maximum() + 1LL)).isEmpty());
            return;
        }
        auto* box = qobject_cast<QDoubleSpinBox*>(boxes.at(path));
        QVERIFY(box && !limits->integer);
        const double step = std::pow(10.0, -box->decimals());
        QCOMPARE(box->minimum(), r.minInclusive ? r.min : r.min + step);
        if (r.bounded())
            QCOMPARE(box->maximum(), r.maxInclusive ? r.max : r.max - step);
        const int d = box->decimals();
        QVERIFY(problemsOfValue(path, text(box->minimum(), d)).isEmpty());
        QVERIFY(problemsOfValue(path, text(box->maximum(), d)).isEmpty());
        QVERIFY(!problemsOfValue(path, text(box->minimum() - step, d)).isEmpty());
        if (r.bounded())
            QVERIFY(!problemsOfValue(path, text(box->maximum() + step, d)).isEmpty());
    }

    void theEstimateTimesTheSmallestAndLargestTrial()
    {
        const SweepPlan plan = planSweep(loadSweep(shippedPath("quick.yaml")));
        SweepEstimateOptions options;
        options.jobs = 2;
        options.threads = 1;
        options.processStartSeconds = 10; // overhead dominates: at least 4 × 10 s / 2 jobs
        const SweepEstimate e = estimateSweepDuration(plan, options);
        QCOMPARE(e.threads, 1);
        QCOMPARE(e.smallestTrial, 0); // 32 units
        QCOMPARE(e.largestTrial, 2);  // 64 units
        QVERIFY(e.smallestMicrosecondsPerImage > 0 && e.largestMicrosecondsPerImage > 0);
        QCOMPARE(e.loadSeconds, 0.0); // no data directory: loading left out
        QVERIFY2(e.wallSeconds > 20 && e.wallSeconds < 3600,
                 qPrintable(QString::number(e.wallSeconds)));
        QCOMPARE(estimateSweepDuration(SweepPlan{}, options).wallSeconds, 0.0);

        PresetDocument document;
        SweepDraft draft;
        SearchSetupPanel panel(&draft, &document);
        QVERIFY(panel.openSweep(QString::fromStdString(shippedPath("quick.yaml"))));
        panel.setEstimateSettingsSource([] {
            SearchSetupPanel::EstimateSettings settings;
            settings.jobs = 2;
            settings.dataDirectory = "/nonexistent";
            return settings;
        });
        QSignalSpy finished(&panel, &SearchSetupPanel::estimateFinished);
        panel.estimateDuration();
        QVERIFY(finished.wait(60000));
        QVERIFY2(panel.estimateText().startsWith("At most "), qPrintable(panel.estimateText()));
        QVERIFY2(panel.estimateText().contains("with 2 jobs"), qPrintable(panel.estimateText()));
    }
};

QTEST_MAIN(TestSearchSetup)
#include "tst_search_setup.moc"
