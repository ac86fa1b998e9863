// The studio's main window: building a model with the palette and the property editor, the
// Train action's state, keyboard editing, open/save round trips, broken presets, settings.
#include "core/preset.h"
#include "core/runtime.h"
#include "support/cli_runner.h"
#include "ui/data/dataset_controller.h"
#include "ui/model/layer_palette_model.h"
#include "ui/model/layer_property_editor.h"
#include "ui/model/model_view.h"
#include "ui/preset/preset_document.h"
#include "ui/preset/preset_problems_panel.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_draft.h"
#include "ui/studio/main_window.h"
#include "ui/studio/theme.h"
#include "ui/train/train_settings_form.h"
#include "ui/train/train_view.h"
#include "ui/train/training_controller.h"
#include "ui/widgets/icons.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QListView>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <cmath>

using namespace atelier;
using namespace atelier::ui;

namespace {

const QString kPresets = QStringLiteral(ATELIER_PRESETS_DIR);

void writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(contents);
}

// Double-clicks the palette entry of `type`, as a user adding a layer with the mouse would.
void doubleClickPalette(ModelView* view, LayerType type)
{
    QListView* palette = view->paletteView();
    auto* model = static_cast<LayerPaletteModel*>(palette->model());
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->typeAt(row) != type)
            continue;
        const QRect rect = palette->visualRect(model->index(row));
        QTest::mouseClick(palette->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(palette->viewport(), Qt::LeftButton, {}, rect.center());
        return;
    }
    QFAIL("type not in the palette");
}

template <typename T> T* field(ModelView* view, LayerPropertyEditor::Field f)
{
    auto* widget = qobject_cast<T*>(view->propertyEditor()->editor(f));
    if (!widget) {
        // Composite editors (initializers) hold their combo box inside.
        widget = view->propertyEditor()->editor(f)->template findChild<T*>();
    }
    return widget;
}

// Mean luma (0–255) of the icon's opaque pixels, that is of its strokes and fills.
double meanIconLuma(const QIcon& icon, QIcon::Mode mode)
{
    const QImage image =
        icon.pixmap(QSize(24, 24), mode).toImage().convertToFormat(QImage::Format_ARGB32);
    double sum = 0;
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() < 200)
                continue;
            sum += 0.2126 * c.red() + 0.7152 * c.green() + 0.0722 * c.blue();
            ++count;
        }
    return count ? sum / count : -1000.0; // nothing drawn: fails any contrast check
}

double luma(const QColor& c)
{
    return 0.2126 * c.red() + 0.7152 * c.green() + 0.0722 * c.blue();
}

} // namespace

class TestStudioWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AtelierTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_window"));
    }
    void init()
    {
        QSettings().clear();
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        // Runs this suite starts go to its temporary folder, never to the user's.
        QSettings().setValue(QStringLiteral("runsFolder"), m_tmp->filePath(QStringLiteral("runs")));
    }

    void firstStartShowsAShippedPreset()
    {
        MainWindow window;
        QVERIFY(window.document()->filePath().endsWith(QStringLiteral("cnn_medium.yaml")));
        QCOMPARE(window.document()->layers()->rowCount(), 6);
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("cnn_medium.yaml")));
        QVERIFY(window.trainAction()->isEnabled());
    }

    void buildCnnMediumFromAnEmptyStackWithTheMouse()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.newPreset();
        ModelView* view = window.modelView();
        QVERIFY(!window.trainAction()->isEnabled());
        QVERIFY(window.trainAction()->toolTip().contains(QStringLiteral("empty")));

        using F = LayerPropertyEditor::Field;
        auto convolution = [&](int filters) {
            doubleClickPalette(view, LayerType::Conv2D);
            field<QSpinBox>(view, F::FiltersField)->setValue(filters);
            field<QComboBox>(view, F::PaddingField)->setCurrentText(QStringLiteral("same"));
            field<QComboBox>(view, F::ActivationField)->setCurrentText(QStringLiteral("relu"));
            field<QComboBox>(view, F::KernelInitField)
                ->setCurrentText(QStringLiteral("he_uniform"));
        };
        auto pool = [&] {
            doubleClickPalette(view, LayerType::MaxPool2D);
            field<QComboBox>(view, F::PaddingField)->setCurrentText(QStringLiteral("same"));
        };
        convolution(32);
        pool();
        convolution(64);
        pool();
        doubleClickPalette(view, LayerType::Flatten);
        doubleClickPalette(view, LayerType::Dense);
        QVERIFY(window.trainAction()->isEnabled()); // 10 linear units: valid already
        field<QComboBox>(view, F::ActivationField)->setCurrentText(QStringLiteral("softmax"));
        field<QComboBox>(view, F::KernelInitField)->setCurrentText(QStringLiteral("he_uniform"));

        const Preset reference =
            loadPreset((kPresets + QStringLiteral("/cnn_medium.yaml")).toStdString());
        QVERIFY(window.document()->preset().model == reference.model);
        QCOMPARE(window.document()->layers()->report().totalParams(), 50186);
        QVERIFY(window.isWindowModified());

        const QString path = m_tmp->filePath(QStringLiteral("my_cnn.yaml"));
        QVERIFY(window.savePresetAs(path));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(window.document()->preset().name, std::string("my_cnn"));
        const test::CliResult summary = test::runCli({QStringLiteral("summary"), path});
        QCOMPARE(summary.exitCode, 0);
        QVERIFY2(summary.out.contains(QStringLiteral("50,186")), qPrintable(summary.out));
    }

    void dropsOnTheStackViewAddAndReorder()
    {
        MainWindow window;
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showTab(MainWindow::Tab::Model);
        window.openPreset(kPresets + QStringLiteral("/mlp_medium.yaml"));
        QTableView* stack = window.modelView()->stackView();
        LayerStackModel* layers = window.document()->layers();
        auto drop = [&](QMimeData* data, Qt::DropAction action, QPoint at) {
            QDragEnterEvent enter(at, action, data, Qt::LeftButton, {});
            QApplication::sendEvent(stack->viewport(), &enter);
            QDragMoveEvent move(at, action, data, Qt::LeftButton, {});
            QApplication::sendEvent(stack->viewport(), &move);
            QVERIFY(move.isAccepted());
            QDropEvent dropEvent(at, action, data, Qt::LeftButton, {});
            QApplication::sendEvent(stack->viewport(), &dropEvent);
            QVERIFY(dropEvent.isAccepted());
        };
        // A palette drop in the lower half of row 1 lands below it.
        auto* paletteModel = window.modelView()->paletteView()->model();
        std::unique_ptr<QMimeData> dropout(paletteModel->mimeData({paletteModel->index(4, 0)}));
        const QRect row0 = stack->visualRect(layers->index(0, 0));
        drop(dropout.get(), Qt::CopyAction, QPoint(row0.center().x(), row0.bottom() - 2));
        QCOMPARE(layers->rowCount(), 4);
        QCOMPARE(layers->layer(1).type, LayerType::Dropout);
        // Dragging the last row above the first moves it; nothing else disappears.
        std::unique_ptr<QMimeData> last(layers->mimeData({layers->index(3, 0)}));
        drop(last.get(), Qt::MoveAction, QPoint(row0.center().x(), row0.top() + 2));
        QCOMPARE(layers->rowCount(), 4);
        QCOMPARE(layers->layer(0).units, 10);
        QCOMPARE(layers->layer(2).type, LayerType::Dropout);
        window.document()->markSaved(window.document()->filePath());
    }

    void invalidStackDisablesTrainWithTheReason()
    {
        MainWindow window;
        window.openPreset(kPresets + QStringLiteral("/mlp_medium.yaml"));
        QVERIFY(window.trainAction()->isEnabled());
        window.document()->addLayer(LayerType::Conv2D, 1);
        QVERIFY(!window.trainAction()->isEnabled());
        const QString tip = window.trainAction()->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("layer 2 conv2d")), qPrintable(tip));
        QTRY_VERIFY_WITH_TIMEOUT(window.dataset()->state() == DatasetController::State::Ready,
                                 60000);
        window.trainAction()->trigger();
        QVERIFY(!window.training()->isRunning());
        window.document()->undoStack()->undo();
        QVERIFY(window.trainAction()->isEnabled());
        window.trainAction()->trigger();
        QVERIFY(window.training()->isRunning());
        QCOMPARE(window.currentTab(), MainWindow::Tab::Train);
        window.training()->stopAndWait();
    }

    void keyboardEditsTheStack()
    {
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.showTab(MainWindow::Tab::Model);
        window.openPreset(kPresets + QStringLiteral("/mlp_medium.yaml"));
        ModelView* view = window.modelView();
        QTableView* stack = view->stackView();
        stack->setFocus();
        view->selectRow(0);
        LayerStackModel* layers = window.document()->layers();

        QTest::keyClick(stack, Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(layers->rowCount(), 4);
        QCOMPARE(view->selectedRow(), 1);
        QTest::keyClick(stack, Qt::Key_Delete);
        QCOMPARE(layers->rowCount(), 3);
        view->selectRow(2);
        QTest::keyClick(stack, Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(layers->layer(1).units, 10);
        QCOMPARE(view->selectedRow(), 1);
        QTest::keyClick(stack, Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(layers->layer(2).units, 10);
        QTest::keyClick(stack, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(layers->layer(1).units, 10);
        QTest::keyClick(stack, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(layers->layer(2).units, 10);

        // Enter on the palette adds its current type below the selected layer.
        view->paletteView()->setFocus();
        view->paletteView()->setCurrentIndex(view->paletteView()->model()->index(4, 0));
        view->selectRow(0);
        view->paletteView()->setFocus();
        QTest::keyClick(view->paletteView(), Qt::Key_Return);
        QCOMPARE(layers->rowCount(), 4);
        QCOMPARE(layers->layer(1).type,
                 static_cast<LayerPaletteModel*>(view->paletteView()->model())->typeAt(4));
        window.document()->markSaved(window.document()->filePath());
    }

    void trainingSettingsEditThePresetUndoably()
    {
        MainWindow window;
        QVERIFY(window.openPreset(kPresets + QStringLiteral("/mlp_medium.yaml")));
        TrainSettingsForm* form = window.trainView()->settingsForm();
        QCOMPARE(form->learningRate()->value(), 0.01);
        form->learningRate()->setValue(0.05);
        form->learningRate()->setValue(0.02); // one field, one undo step
        form->epochs()->setValue(3);
        form->optimizer()->setCurrentIndex(1);
        form->earlyStopping()->setChecked(true);
        const TrainConfig& config = window.document()->trainConfig();
        QCOMPARE(config.optimizer.learningRate, 0.02);
        QCOMPARE(config.epochs, 3);
        QCOMPARE(config.optimizer.kind, OptimizerKind::Adam);
        QVERIFY(config.earlyStopping.enabled);
        QVERIFY(window.isWindowModified());
        QUndoStack* undo = window.document()->undoStack();
        QCOMPARE(undo->count(), 4);
        undo->undo();
        undo->undo();
        QVERIFY(!form->earlyStopping()->isChecked()); // the form follows undo
        QCOMPARE(form->optimizer()->currentIndex(), 0);
        undo->undo();
        undo->undo();
        QCOMPARE(form->learningRate()->value(), 0.01);
        QVERIFY(!window.isWindowModified());
        // The device list names what was detected.
        QVERIFY(form->device()->itemText(1).startsWith(QStringLiteral("cpu (")));
        QCOMPARE(form->device()->count(), 3);
        // Precision: the bf16 choice says whether the chosen device runs it in hardware.
        QVERIFY(form->precision()->itemText(1).startsWith(QStringLiteral("bf16 mixed (")));
        form->device()->setCurrentIndex(1);
        QVERIFY(form->precision()->itemText(1).contains(QStringLiteral("on this CPU")));
        undo->undo();
        if (!cudaAvailable()) { // a cuda choice without a GPU is labelled as auto, not refused
            form->device()->setCurrentIndex(2);
            QVERIFY(form->precision()->itemText(1).contains(QStringLiteral("on this CPU")));
            undo->undo();
        }
        form->precision()->setCurrentIndex(1);
        QCOMPARE(window.document()->trainConfig().precision, Precision::BFloat16Mixed);
        undo->undo();
        QCOMPARE(window.document()->trainConfig().precision, Precision::Float32);
        QCOMPARE(form->precision()->currentIndex(), 0);
    }

    void openEditSaveReopen()
    {
        const QString path = m_tmp->filePath(QStringLiteral("round_trip.yaml"));
        QFile::copy(kPresets + QStringLiteral("/cnn_small.yaml"), path);
        Preset edited;
        {
            MainWindow window;
            QVERIFY(window.openPreset(path));
            ModelView* view = window.modelView();
            view->selectRow(0);
            field<QSpinBox>(view, LayerPropertyEditor::Field::FiltersField)->setValue(24);
            window.document()->duplicateLayer(1);
            window.document()->setName(QStringLiteral("round_trip_edited"));
            QVERIFY(window.isWindowModified());
            QVERIFY(window.windowTitle().contains(QStringLiteral("[*]")));
            edited = window.document()->preset();
            QVERIFY(window.savePresetAs(path));
            QVERIFY(!window.isWindowModified());
        }
        const Preset fromDisk = loadPreset(path.toStdString());
        QVERIFY(fromDisk == edited);
        MainWindow again;
        QVERIFY(again.openPreset(path));
        QVERIFY(again.document()->preset() == edited);
        QCOMPARE(again.document()->layers()->layer(0).filters, 24);
        // No temporary file left next to it.
        QCOMPARE(QDir(m_tmp->path()).entryList(QDir::Files).size(), 1);
    }

    void brokenPresetOpensWithLocatedProblems()
    {
        const QString path = m_tmp->filePath(QStringLiteral("broken.yaml"));
        writeFile(path, "name: broken\n"
                        "model:\n"
                        "  input: [1, 28, 28]\n"
                        "  layers:\n"
                        "    - {type: conv2d, filters: 8, kernel: 3}\n"
                        "    - {type: flatten}\n"
                        "    - {type: dense, unitz: 10}\n"
                        "training:\n"
                        "  batch_size: -4\n");
        MainWindow window;
        window.show();
        QVERIFY(!window.openPreset(path));
        QVERIFY(window.problemsDock()->isVisible());
        PresetProblemsPanel* panel = window.problemsPanel();
        QVERIFY(panel->problemCount() >= 2);
        QStringList all;
        for (int i = 0; i < panel->problemCount(); ++i)
            all << panel->problemText(i);
        const QString text = all.join('\n');
        QVERIFY2(text.contains(QStringLiteral("line 7")) && text.contains(QStringLiteral("unitz")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("line 9")) &&
                     text.contains(QStringLiteral("training.batch_size")),
                 qPrintable(text));
        panel->selectProblem(all.indexOf(QRegularExpression(QStringLiteral("^line 9.*"))));
        QCOMPARE(panel->currentSourceLine(), 9);
        // What could be read is there to fix; the file itself is not the save target.
        QVERIFY(window.document()->filePath().isEmpty());
        QCOMPARE(window.document()->layers()->rowCount(), 3);
        QVERIFY(window.windowTitle().contains(QStringLiteral("broken.yaml (with problems)")));
    }

    void unreadableFileIsReportedNotIgnored()
    {
        MainWindow window;
        window.show();
        const QString before = window.document()->filePath();
        QVERIFY(!window.openPreset(m_tmp->filePath(QStringLiteral("missing.yaml"))));
        QVERIFY(window.problemsDock()->isVisible());
        QVERIFY2(window.problemsPanel()->problemText(0).contains(QStringLiteral("missing.yaml")),
                 qPrintable(window.problemsPanel()->problemText(0)));
        QCOMPARE(window.document()->filePath(), before); // the open preset stays
    }

    // The toolbar shows our icons (resources/icons/), and each stands off the window in both
    // themes: the standard play icon used to be dark on dark in the dark palette.
    void toolbarIconsAreOursAndReadInBothThemes()
    {
        MainWindow window;
        auto* bar = window.findChild<QToolBar*>(QStringLiteral("mainToolBar"));
        QVERIFY(bar);
        QList<QAction*> actions;
        for (QAction* action : bar->actions())
            if (!action->isSeparator())
                actions << action;
        QVERIFY(actions.size() >= 6);
        QVERIFY(actions.contains(window.trainAction()));
        for (QAction* action : actions) {
            const QIcon icon = action->icon();
            QVERIFY2(!icon.isNull(), qPrintable(action->text()));
            // Ours: the engine names the file in our resources that it draws.
            QVERIFY2(QFile::exists(QStringLiteral(":/icons/%1.svg").arg(icon.name())),
                     qPrintable(action->text() + QStringLiteral(": ") + icon.name()));
        }
        QVERIFY(atelierIcon(QStringLiteral("no-such-icon")).isNull());
        QVERIFY(!atelierAppIcon().isNull());

        // Disabled icons are faint on purpose (the palette's disabled text colour), so they get
        // a lower bar than enabled ones. Measured values are printed by ATELIER_ICON_LUMA=1.
        for (const Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            const double background = luma(QApplication::palette().color(QPalette::Window));
            for (QAction* action : actions) {
                for (const QIcon::Mode mode : {QIcon::Normal, QIcon::Disabled}) {
                    const double minimum = mode == QIcon::Normal ? 70 : 30;
                    const double difference =
                        std::abs(meanIconLuma(action->icon(), mode) - background);
                    const QString what = QStringLiteral("%1 in %2 (mode %3): luma difference %4")
                                             .arg(action->text(), themeName(theme))
                                             .arg(int(mode))
                                             .arg(difference);
                    if (qEnvironmentVariableIsSet("ATELIER_ICON_LUMA"))
                        qInfo("%s", qPrintable(what));
                    QVERIFY2(difference > minimum, qPrintable(what));
                }
            }
        }
        // The theme changes the colour of the same icon object, with nothing re-set.
        applyTheme(Theme::Dark);
        const double dark = meanIconLuma(actions.front()->icon(), QIcon::Normal);
        applyTheme(Theme::Light);
        const double light = meanIconLuma(actions.front()->icon(), QIcon::Normal);
        QVERIFY2(dark - light > 100, qPrintable(QStringLiteral("%1 %2").arg(dark).arg(light)));
    }

    void settingsPersist()
    {
        const QString path = m_tmp->filePath(QStringLiteral("last.yaml"));
        QFile::copy(kPresets + QStringLiteral("/mlp_small.yaml"), path);
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1234, 777);
            QVERIFY(window.openPreset(path));
            window.showTab(MainWindow::Tab::Model);
            QAction* dark = nullptr;
            for (QAction* action : window.findChildren<QAction*>())
                if (action->text() == QStringLiteral("&Dark"))
                    dark = action;
            QVERIFY(dark);
            dark->trigger();
            QVERIFY(window.close());
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(1234, 777));
        QCOMPARE(again.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(again.currentTab(), MainWindow::Tab::Model);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        QCOMPARE(QSettings().value(QStringLiteral("recentPresets")).toStringList().value(0),
                 QFileInfo(path).absoluteFilePath());
    }

    // "Search over values…" on a Train form field starts a search from the preset on screen
    // in the Search tab, with a folder proposed next to the runs until the user picks one;
    // the jobs setting persists.
    void searchOverValuesStartsASearchBesideTheRuns()
    {
        MainWindow window;
        const QString runs = m_tmp->filePath(QStringLiteral("runs-here"));
        window.trainView()->setRunsDirectory(runs);
        QVERIFY(window.openPreset(kPresets + QStringLiteral("/mlp_small.yaml")));
        Q_EMIT window.trainView()->settingsForm()->searchRequested(
            QStringLiteral("training.batch_size"), QStringLiteral("32"));
        QCOMPARE(window.currentTab(), MainWindow::Tab::Search);
        SweepDraft* draft = window.searchView()->draft();
        QVERIFY(draft->hasBase());
        QCOMPARE(draft->parameterCount(), 1);
        QCOMPARE(draft->parameters().front().paths,
                 QStringList{QStringLiteral("training.batch_size")});
        draft->setName(QStringLiteral("batches"));
        QCOMPARE(window.searchView()->sweepFolder(), runs + QStringLiteral("/sweeps/batches"));
        window.searchView()->setSweepFolder(m_tmp->filePath(QStringLiteral("mine")));
        draft->setName(QStringLiteral("renamed")); // chosen by the user: stays
        QCOMPARE(window.searchView()->sweepFolder(), m_tmp->filePath(QStringLiteral("mine")));
        window.searchView()->setJobs(3);
        QVERIFY(window.close());
        MainWindow again;
        QCOMPARE(again.searchView()->jobs(), 3);
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
};

QTEST_MAIN(TestStudioWindow)
#include "tst_studio_window.moc"
