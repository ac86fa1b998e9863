// Start-up of the studio.
#include "ui/studio/application.h"

#include "core/runtime.h"
#include "core/version_info.h"
#include "ui/studio/main_window.h"
#include "ui/studio/stop_signals.h"
#include "ui/widgets/icons.h"

#include <QApplication>
#include <QFileInfo>
#include <clocale>
#include <cstdio>
#include <cstring>

namespace atelier::ui {
namespace {

// Qt aborts with a platform-plugin error when there is no display; say what to do instead.
bool hasDisplay()
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true; // the user chose a platform (offscreen, vnc, ...) on purpose
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

} // namespace

int runStudio(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::puts("Usage: atelier [PRESET.yaml]\n"
                      "Opens the Atelier studio, with PRESET.yaml if given.\n"
                      "  --version  print the version, the LibTorch version and the devices\n"
                      "For headless work (training, evaluation, summaries) use atelier-cli.");
            return 0;
        }
        // Before the display check: packaging and bug reports ask it on headless machines.
        if (std::strcmp(argv[i], "--version") == 0) {
            std::puts(versionText("atelier").c_str());
            return 0;
        }
    }
    if (!hasDisplay()) {
        std::fputs("atelier: no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                   "Start it from a desktop session, run it under xvfb-run, or use atelier-cli "
                   "for headless work (atelier-cli --help).\n",
                   stderr);
        return 2;
    }
    QApplication app(argc, argv);
    // QApplication takes the environment's locale; core reads and writes numbers with strtod
    // and snprintf (presets, run folders), which must not see a decimal comma (Qt's advice).
    std::setlocale(LC_NUMERIC, "C");
    QApplication::setOrganizationName(QStringLiteral("Atelier"));
    QApplication::setApplicationName(QStringLiteral("Atelier"));
    QApplication::setApplicationVersion(QStringLiteral(ATELIER_VERSION));
    // The same picture as the installed desktop icon, for window managers that ignore it.
    QApplication::setWindowIcon(atelierAppIcon());
    configureThreads(0);
    // Installed before the window is built: a signal that comes meanwhile waits in the
    // socket and is handled as soon as the event loop runs.
    StopSignals stopSignals;

    MainWindow window;
    const QStringList arguments = QApplication::arguments();
    if (arguments.size() > 1)
        window.openPreset(QFileInfo(arguments.at(1)).absoluteFilePath());
    window.show();

    // Ctrl-C's exit code for all three, as atelier-cli: scripts read 130 as "interrupted".
    constexpr int kExitInterrupted = 130;
    QObject::connect(&stopSignals, &StopSignals::received, &window, [&window](int signal) {
        std::fprintf(stderr, "atelier: signal %d: stopping (a second one ends at once)\n", signal);
        const QString recovery = window.shutDownWithoutAsking();
        if (!recovery.isEmpty())
            std::fprintf(stderr, "atelier: unsaved preset kept in %s\n", qPrintable(recovery));
        QApplication::exit(kExitInterrupted);
    });
    return app.exec();
}

} // namespace atelier::ui
