// The builder's layer-stack model and the preset document: item-model contract, drops,
// undo/redo of every kind of edit, and agreement with core's shape inference.
#include "core/model_analysis.h"
#include "core/preset.h"
#include "core/text_format.h"
#include "support/training_fixture.h"
#include "ui/model/layer_mime.h"
#include "ui/model/layer_palette_model.h"
#include "ui/model/layer_property_editor.h"
#include "ui/preset/preset_document.h"
#include "ui/widgets/layer_text.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QIcon>
#include <QImage>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace atelier;
using namespace atelier::ui;

namespace {

std::vector<LayerType> typesOf(const LayerStackModel& model)
{
    std::vector<LayerType> types;
    for (const auto& layer : model.spec().layers)
        types.push_back(layer.type);
    return types;
}

QString cell(const LayerStackModel& model, int row, int column)
{
    return model.data(model.index(row, column), Qt::DisplayRole).toString();
}

} // namespace

class TestLayerStack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_document = std::make_unique<PresetDocument>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_document->layers(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_document.reset();
    }

    void columnsMatchCoreForShippedPresets_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(ATELIER_PRESETS_DIR));
        for (const QString& name : dir.entryList({QStringLiteral("*.yaml")}))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
    void columnsMatchCoreForShippedPresets()
    {
        QFETCH(QString, path);
        const Preset preset = loadPreset(path.toStdString());
        m_document->reset(preset, path);
        const ModelReport expected = analyzeModel(preset.model, kNumClasses);
        const LayerStackModel& model = *m_document->layers();
        QCOMPARE(model.rowCount(), int(expected.layers.size()));
        for (int row = 0; row < model.rowCount(); ++row) {
            const LayerReport& layer = expected.layers[std::size_t(row)];
            QCOMPARE(cell(model, row, LayerStackModel::OutputColumn),
                     QString::fromStdString(layer.output.toString()));
            QCOMPARE(cell(model, row, LayerStackModel::ParamsColumn),
                     QString::fromStdString(
                         withThousands(layer.trainableParams + layer.nonTrainableParams)));
            QCOMPARE(model.headerData(row, Qt::Vertical, Qt::DisplayRole).toInt(), row + 1);
        }
        QCOMPARE(model.report().totalParams(), expected.totalParams());
        QVERIFY(m_document->invalidReason().isEmpty());
        QVERIFY(!m_document->isModified());
    }

    void paletteDropInsertsAtTheGapAndUndoes()
    {
        LayerStackModel* model = m_document->layers();
        m_document->addLayer(LayerType::Flatten, 0);
        m_document->addLayer(LayerType::Dense, 1);
        std::unique_ptr<QMimeData> data(layerTypeMimeData(LayerType::Dropout));
        QVERIFY(model->canDropMimeData(data.get(), Qt::CopyAction, 1, 0, {}));
        QVERIFY(model->dropMimeData(data.get(), Qt::CopyAction, 1, 0, {}));
        QCOMPARE(typesOf(*model),
                 (std::vector{LayerType::Flatten, LayerType::Dropout, LayerType::Dense}));
        // A drop below the last row appends.
        std::unique_ptr<QMimeData> conv(layerTypeMimeData(LayerType::BatchNorm));
        QVERIFY(model->dropMimeData(conv.get(), Qt::CopyAction, -1, -1, {}));
        QCOMPARE(model->layer(3).type, LayerType::BatchNorm);
        m_document->undoStack()->undo();
        m_document->undoStack()->undo();
        QCOMPARE(typesOf(*model), (std::vector{LayerType::Flatten, LayerType::Dense}));
        m_document->undoStack()->redo();
        QCOMPARE(model->layer(1).type, LayerType::Dropout);
    }

    void dragReorderMovesTheRow_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("gap");
        QTest::addColumn<QString>("expected");
        // Layers A=Flatten B=Dense C=Dropout; `gap` is the drop position before the move.
        QTest::newRow("first to end") << 0 << 3 << "BCA";
        QTest::newRow("last to top") << 2 << 0 << "CAB";
        QTest::newRow("middle down one") << 1 << 3 << "ACB";
        QTest::newRow("first below second") << 0 << 2 << "BAC";
    }
    void dragReorderMovesTheRow()
    {
        QFETCH(int, from);
        QFETCH(int, gap);
        QFETCH(QString, expected);
        m_document->addLayer(LayerType::Flatten, 0);
        m_document->addLayer(LayerType::Dense, 1);
        m_document->addLayer(LayerType::Dropout, 2);
        LayerStackModel* model = m_document->layers();
        std::unique_ptr<QMimeData> data(model->mimeData({model->index(from, 0)}));
        QVERIFY(model->dropMimeData(data.get(), Qt::MoveAction, gap, 0, {}));
        const std::map<LayerType, QChar> letters = {
            {LayerType::Flatten, 'A'}, {LayerType::Dense, 'B'}, {LayerType::Dropout, 'C'}};
        QString order;
        for (LayerType type : typesOf(*model))
            order += letters.at(type);
        QCOMPARE(order, expected);
        m_document->undoStack()->undo();
        QCOMPARE(typesOf(*model),
                 (std::vector{LayerType::Flatten, LayerType::Dense, LayerType::Dropout}));
    }

    void dropOntoItselfChangesNothing()
    {
        m_document->addLayer(LayerType::Flatten, 0);
        m_document->addLayer(LayerType::Dense, 1);
        LayerStackModel* model = m_document->layers();
        std::unique_ptr<QMimeData> data(model->mimeData({model->index(0, 0)}));
        QVERIFY(!model->dropMimeData(data.get(), Qt::MoveAction, 1, 0, {}));
        QCOMPARE(m_document->undoStack()->count(), 2);
        std::unique_ptr<QMimeData> foreign(new QMimeData);
        foreign->setText(QStringLiteral("dense"));
        QVERIFY(!model->canDropMimeData(foreign.get(), Qt::CopyAction, 0, 0, {}));
    }

    void everyEditKindUndoesAndRedoes_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("add") << 0;
        QTest::newRow("remove") << 1;
        QTest::newRow("duplicate") << 2;
        QTest::newRow("move") << 3;
        QTest::newRow("edit property") << 4;
        QTest::newRow("input shape") << 5;
        QTest::newRow("data split") << 6;
        QTest::newRow("name") << 7;
    }
    void everyEditKindUndoesAndRedoes()
    {
        QFETCH(int, kind);
        const Preset start = loadPreset(ATELIER_PRESETS_DIR "/cnn_medium.yaml");
        m_document->reset(start, QString());
        QSignalSpy modified(m_document.get(), &PresetDocument::modifiedChanged);
        switch (kind) {
        case 0:
            m_document->addLayer(LayerType::Dropout, 4);
            break;
        case 1:
            m_document->removeLayer(1);
            break;
        case 2:
            m_document->duplicateLayer(2);
            break;
        case 3:
            m_document->moveLayer(0, 3);
            break;
        case 4: {
            LayerSpec layer = m_document->layers()->layer(0);
            layer.filters = 48;
            m_document->editLayer(0, layer, 1);
            break;
        }
        case 5:
            m_document->setInputShape({784});
            break;
        case 6: {
            DataConfig data = m_document->dataConfig();
            data.devFraction = 0.1;
            m_document->setDataConfig(data);
            break;
        }
        case 7:
            m_document->setName(QStringLiteral("renamed"));
            break;
        }
        const Preset edited = m_document->preset();
        QVERIFY(edited != start);
        QVERIFY(m_document->isModified());
        QCOMPARE(modified.count(), 1);
        m_document->undoStack()->undo();
        QVERIFY(m_document->preset() == start);
        QVERIFY(!m_document->isModified());
        m_document->undoStack()->redo();
        QVERIFY(m_document->preset() == edited);
    }

    void spinStepsMergeIntoOneUndoStep()
    {
        m_document->addLayer(LayerType::Dense, 0);
        for (int units = 11; units <= 15; ++units) {
            LayerSpec layer = m_document->layers()->layer(0);
            layer.units = units;
            m_document->editLayer(0, layer, 1);
        }
        QCOMPARE(m_document->undoStack()->count(), 2);
        m_document->undoStack()->undo();
        QCOMPARE(m_document->layers()->layer(0).units, 10);
        // Another field is another step.
        LayerSpec layer = m_document->layers()->layer(0);
        layer.activation = ActivationKind::Relu;
        m_document->editLayer(0, layer, 2);
        layer.units = 20;
        m_document->editLayer(0, layer, 1);
        QCOMPARE(m_document->undoStack()->index(), 3);
    }

    void invalidStackIsExplainedAtTheLayer()
    {
        QCOMPARE(m_document->invalidReason(),
                 QStringLiteral("The stack is empty: add layers from the palette."));
        m_document->addLayer(LayerType::Conv2D, 0);
        m_document->addLayer(LayerType::Dense, 1);
        const LayerStackModel& model = *m_document->layers();
        const QString error = model.data(model.index(1, 0), LayerStackModel::ErrorRole).toString();
        QVERIFY2(error.contains(QStringLiteral("flat")), qPrintable(error));
        QVERIFY(model.data(model.index(1, 0), Qt::BackgroundRole).isValid());
        QVERIFY(!model.data(model.index(0, 0), Qt::BackgroundRole).isValid());
        QVERIFY(m_document->invalidReason().startsWith(QStringLiteral("layer 2 dense")));
        m_document->addLayer(LayerType::Flatten, 1);
        QCOMPARE(model.data(model.index(2, 0), LayerStackModel::ErrorRole).toString(), QString());
        QCOMPARE(cell(model, 2, LayerStackModel::OutputColumn), QStringLiteral("10"));
        QCOMPARE(cell(model, 2, LayerStackModel::ParamsColumn), QStringLiteral("216,330"));
        QVERIFY(m_document->invalidReason().isEmpty());
    }

    // Each layer type has its own icon from our set, drawn in the type's diagram colour, and
    // no two types share a picture.
    void paletteShowsEachTypesOwnIcon()
    {
        const LayerPaletteModel palette;
        QSet<QByteArray> pictures;
        for (int row = 0; row < palette.rowCount(); ++row) {
            const QModelIndex index = palette.index(row);
            const QIcon icon = palette.data(index, Qt::DecorationRole).value<QIcon>();
            const QString type = QString::fromStdString(layerTypeName(palette.typeAt(row)));
            QVERIFY2(!icon.isNull(), qPrintable(type));
            QCOMPARE(icon.name(), QStringLiteral("layer-") + type);
            const QImage image =
                icon.pixmap(24, 24).toImage().convertToFormat(QImage::Format_ARGB32);
            QColor strongest;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    if (image.pixelColor(x, y).alpha() == 255)
                        strongest = image.pixelColor(x, y);
            QVERIFY2(strongest.isValid(), qPrintable(type + ": nothing drawn"));
            QCOMPARE(strongest.rgb(), layerTypeColor(palette.typeAt(row)).rgb());
            pictures.insert(
                QByteArray(reinterpret_cast<const char*>(image.constBits()), image.sizeInBytes()));
        }
        QCOMPARE(pictures.size(), palette.rowCount());
    }

    // A residual block shows the settings it has (its convolutions always pad "same" and have
    // no bias), and an edit keeps the block's type.
    void residualEditorShowsTheBlocksSettings()
    {
        using F = LayerPropertyEditor::Field;
        LayerPropertyEditor editor;
        LayerSpec block = layerDefaults(LayerType::Residual);
        editor.showLayer(3, block, QStringLiteral("residual_1"), {});
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        const std::vector<F> shown = {F::NameField,     F::FiltersField,    F::KernelField,
                                      F::StrideField,   F::ActivationField, F::KernelInitField,
                                      F::MomentumField, F::EpsilonField};
        for (F field : {F::NameField, F::UnitsField, F::FiltersField, F::KernelField,
                        F::StrideField, F::DilationField, F::PoolField, F::PaddingField,
                        F::ActivationField, F::KernelInitField, F::BiasInitField, F::UseBiasField,
                        F::RateField, F::MomentumField, F::EpsilonField}) {
            const bool expected = std::find(shown.begin(), shown.end(), field) != shown.end();
            QVERIFY2(editor.editor(field)->isVisibleTo(&editor) == expected,
                     qPrintable(QString("field %1").arg(int(field))));
        }
        std::vector<LayerSpec> edits;
        connect(&editor, &LayerPropertyEditor::layerEdited, this,
                [&edits](int, const LayerSpec& layer, int) { edits.push_back(layer); });
        static_cast<QSpinBox*>(editor.editor(F::FiltersField))->setValue(96);
        QCOMPARE(edits.size(), std::size_t(1));
        const LayerSpec& changed = edits.front();
        QCOMPARE(changed.type, LayerType::Residual);
        QCOMPARE(changed.filters, 96);
        QCOMPARE(changed.padding, Padding::Same);
        QCOMPARE(changed.useBias, false);
    }

    // Softmax belongs on the output layer only: a residual block's Activation box does not
    // offer it, the next dense layer's does, and a block that has it anyway shows it.
    void residualActivationChoicesLeaveOutSoftmax()
    {
        using F = LayerPropertyEditor::Field;
        LayerPropertyEditor editor;
        auto choices = [&editor] {
            auto* box = static_cast<QComboBox*>(editor.editor(F::ActivationField));
            QStringList items;
            for (int i = 0; i < box->count(); ++i)
                items << box->itemText(i);
            return std::make_pair(items, box->currentText());
        };
        // Refilling the box while a layer is shown must not read as an edit.
        QSignalSpy edits(&editor, &LayerPropertyEditor::layerEdited);
        LayerSpec block = layerDefaults(LayerType::Residual);
        block.activation = ActivationKind::Elu;
        editor.showLayer(3, block, QStringLiteral("residual_1"), {});
        QVERIFY(!choices().first.contains("softmax"));
        QCOMPARE(choices().first.size(), int(activationNames().size()) - 1);
        QCOMPARE(choices().second, QStringLiteral("elu"));

        LayerSpec dense = layerDefaults(LayerType::Dense);
        dense.activation = ActivationKind::Softmax;
        editor.showLayer(4, dense, QStringLiteral("dense_1"), {});
        QCOMPARE(choices().first.size(), int(activationNames().size()));
        QCOMPARE(choices().second, QStringLiteral("softmax"));

        block.activation = ActivationKind::Softmax; // e.g. from a hand-written preset
        editor.showLayer(3, block, QStringLiteral("residual_1"), QStringLiteral("softmax ..."));
        QCOMPARE(choices().second, QStringLiteral("softmax"));
        QCOMPARE(edits.size(), 0);
    }

private:
    std::unique_ptr<PresetDocument> m_document;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestLayerStack)
#include "tst_layer_stack.moc"
