// Takes the README's screenshots of the studio: run under Xvfb (real fonts and a real
// window system), e.g.
//   xvfb-run -a -s '-screen 0 1600x1000x24' build/tests/studio_screenshots docs/screenshots
// Not a test: it asserts nothing, it only shows how the views look.
#include "ui/data_view.h"
#include "ui/dataset_controller.h"
#include "ui/main_window.h"
#include "ui/model_view.h"
#include "ui/preset_document.h"
#include "ui/theme.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace atelier::ui;

namespace {

void settle(int ms = 300)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
}

void shoot(QWidget* widget, const QString& path)
{
    settle();
    if (!widget->grab().save(path))
        qFatal("cannot write %s", qPrintable(path));
    qInfo("wrote %s", qPrintable(path));
}

} // namespace

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AtelierScreenshots"));
    QApplication::setApplicationName(QStringLiteral("AtelierScreenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    const QString prefix = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    QDir().mkpath(out);

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    window.openPreset(QStringLiteral(ATELIER_PRESETS_DIR "/cnn_medium.yaml"));
    QElapsedTimer timer;
    timer.start();
    while (window.dataset()->state() == DatasetController::State::Loading &&
           timer.elapsed() < 30000)
        settle(50);

    window.showTab(MainWindow::Tab::Data);
    shoot(&window, out + QStringLiteral("/%1data-view.png").arg(prefix));
    window.showTab(MainWindow::Tab::Model);
    window.modelView()->selectRow(2);
    shoot(&window, out + QStringLiteral("/%1model-view.png").arg(prefix));

    applyTheme(Theme::Dark);
    window.showTab(MainWindow::Tab::Data);
    shoot(&window, out + QStringLiteral("/%1data-view-dark.png").arg(prefix));
    window.showTab(MainWindow::Tab::Model);
    shoot(&window, out + QStringLiteral("/%1model-view-dark.png").arg(prefix));

    // An invalid stack: Dense straight after a convolution.
    applyTheme(Theme::Light);
    window.document()->removeLayer(4);
    window.modelView()->selectRow(4);
    shoot(&window, out + QStringLiteral("/%1model-view-invalid.png").arg(prefix));
    window.document()->undoStack()->setClean(); // no "save changes?" on exit
    return 0;
}
