// What running a search from the studio costs against `atelier-cli sweep run`: the same
// sweep, alternately from the CLI and from the Search view of a visible main window (charts
// and table following the folder), twice each, wall time from start to the last trial.
// Usage, with the CPU otherwise idle:
//   xvfb-run -a -s '-screen 0 1600x1000x24' build/bench/bench_gui_search SWEEP.yaml [LIMIT]
// (LIMIT: training images per trial, default all).
#include "ui/search/search_setup_panel.h"
#include "ui/search/search_view.h"
#include "ui/search/sweep_launcher.h"
#include "ui/studio/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

using namespace atelier::ui;

namespace {

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double cliSeconds(const QString& sweep, const QString& limit, const QString& out)
{
    QElapsedTimer clock;
    clock.start();
    QStringList arguments = {QStringLiteral("sweep"), QStringLiteral("run"), sweep,
                             QStringLiteral("--out"), out, QStringLiteral("-q")};
    if (limit != QLatin1String("0"))
        arguments << QStringLiteral("--limit") << limit;
    QProcess cli;
    cli.start(QStringLiteral(ATELIER_CLI_PATH), arguments);
    cli.waitForFinished(-1);
    if (cli.exitCode() != 0)
        qFatal("sweep run failed: %s", cli.readAllStandardError().constData());
    return clock.elapsed() / 1000.0;
}

double studioSeconds(MainWindow& window, const QString& sweep, int limit, const QString& out)
{
    SearchView* view = window.searchView();
    if (!view->setupPanel()->openSweep(sweep))
        qFatal("cannot open %s", qPrintable(sweep));
    view->setSweepFolder(out);
    view->setImageLimit(limit);
    view->setJobs(1);
    window.showTab(MainWindow::Tab::Search);
    wait(1000); // the summary settles before the clock starts
    QElapsedTimer clock;
    clock.start();
    QString why;
    if (!view->runSearch(&why))
        qFatal("cannot run: %s", qPrintable(why));
    while (view->launcher()->isRunning())
        wait(100);
    return clock.elapsed() / 1000.0;
}

} // namespace

int main(int argc, char** argv)
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    if (args.size() < 2)
        qFatal("usage: bench_gui_search SWEEP.yaml [LIMIT]");
    const QString sweep = args[1];
    const int limit = args.size() > 2 ? args[2].toInt() : 0; // 0: every image
    qputenv("ATELIER_CLI", ATELIER_CLI_PATH);
    QTemporaryDir dir;
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    double cli = 0, studio = 0;
    for (int round = 0; round < 2; ++round) {
        const double c = cliSeconds(sweep, QString::number(limit),
                                    dir.filePath(QStringLiteral("cli%1").arg(round)));
        const double s = studioSeconds(window, sweep, limit,
                                       dir.filePath(QStringLiteral("studio%1").arg(round)));
        std::printf("round %d: sweep run %.1f s, Search view %.1f s\n", round + 1, c, s);
        cli += c;
        studio += s;
    }
    std::printf("Search view / sweep run: %.3f (%.1f s vs %.1f s)\n", studio / cli, studio, cli);
    return 0;
}
