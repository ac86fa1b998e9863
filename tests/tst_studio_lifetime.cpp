// The studio's objects die in an order that never calls a dead one: closing the window with
// unsaved changes must not make the preset document notify the window it belongs to (the
// window's slots would run on a destroyed object; UBSan and a Debug studio abort on it).
#include "ui/studio/main_window.h"
#include "ui/preset/preset_document.h"

#include <QEvent>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace atelier;
using namespace atelier::ui;

namespace {

// Counts the window's title and modified-flag changes: what the window's updateTitle() does.
class TitleWatcher : public QObject
{
public:
    int changes = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::ModifiedChange || event->type() == QEvent::WindowTitleChange)
            ++changes;
        return QObject::eventFilter(watched, event);
    }
};

enum class Edit
{
    Invalid,
    Name,
    TrainConfig,
    AddLayer,
};

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestStudioLifetime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AtelierTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_lifetime"));
        QVERIFY(m_tmp.isValid());
        QSettings().clear();
        // The window never loads the real dataset here, and never writes runs to the user's.
        QSettings().setValue(QStringLiteral("dataFolder"), m_tmp.filePath(QStringLiteral("none")));
        QSettings().setValue(QStringLiteral("runsFolder"), m_tmp.filePath(QStringLiteral("runs")));
    }

    void destroyingWithUnsavedChangesCallsNothingOnTheWindow_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::newRow("name") << Edit::Name;
        QTest::newRow("training settings") << Edit::TrainConfig;
        QTest::newRow("layer added") << Edit::AddLayer;
    }

    void destroyingWithUnsavedChangesCallsNothingOnTheWindow()
    {
        QFETCH(Edit, edit);
        auto* window = new MainWindow;
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        PresetDocument* document = window->document();
        switch (edit) {
        case Edit::Name:
            document->setName(QStringLiteral("renamed"));
            break;
        case Edit::TrainConfig: {
            TrainConfig config = document->trainConfig();
            config.epochs += 1;
            document->setTrainConfig(config, 0);
            break;
        }
        case Edit::AddLayer:
            document->addLayer(LayerType::Dense, 0);
            break;
        case Edit::Invalid:
            QFAIL("no edit");
        }
        // The quit path after "Discard": the document is still modified when the window dies.
        QVERIFY(document->isModified());
        QVERIFY(window->isWindowModified());

        TitleWatcher watcher;
        window->installEventFilter(&watcher);
        delete window;
        // Anything here means updateTitle() ran on a window that was being destroyed.
        QCOMPARE(watcher.changes, 0);
    }

    void destroyingTheDocumentAloneTellsNobody()
    {
        auto* document = new PresetDocument;
        document->setName(QStringLiteral("renamed"));
        QVERIFY(document->isModified());
        int notified = 0;
        QObject receiver;
        connect(document, &PresetDocument::modifiedChanged, &receiver, [&] { ++notified; });
        delete document;
        // A listener would be told about a document whose members are already gone.
        QCOMPARE(notified, 0);
    }

private:
    QTemporaryDir m_tmp;
};

QTEST_MAIN(TestStudioLifetime)
#include "tst_studio_lifetime.moc"
