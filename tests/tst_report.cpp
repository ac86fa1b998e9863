// `atelier-cli report` and the studio's Export Report on real run and sweep folders: the HTML
// is well-formed and self-contained, holds every section and the run folder's own numbers;
// the PDF is valid and its pages are not blank; bad input is refused without writing; the
// studio's action writes the CLI's file byte for byte.
#include "core/run_folder.h"
#include "core/text_format.h"
#include "support/cli_runner.h"
#include "support/sweep_fixture.h"
#include "core/preset.h"
#include "ui/report/report_export.h"
#include "ui/report/run_report_parts.h"
#include "ui/runs/run_catalog.h"
#include "ui/search/search_view.h"
#include "ui/studio/main_window.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

using namespace atelier;
using namespace atelier::test;

namespace {

QString percent(double share)
{
    return QString::number(share * 100, 'f', 2) + QLatin1Char('%');
}

// Every element's text, the headings (h2, h3) and the attributes that can point elsewhere,
// read as XML: fails the test when the file is not well-formed.
struct HtmlContent
{
    QString text;
    QStringList headings;
    QStringList references; // src, href, xlink:href values
    int svgCount = 0;
    int tableCount = 0;
};

HtmlContent readHtml(const QString& path)
{
    HtmlContent content;
    QXmlStreamReader xml(fileBytes(path));
    QString heading;
    bool inHeading = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QString name = xml.name().toString();
            if (name == QLatin1String("svg"))
                ++content.svgCount;
            if (name == QLatin1String("table"))
                ++content.tableCount;
            inHeading = name == QLatin1String("h2") || name == QLatin1String("h3");
            heading.clear();
            for (const QXmlStreamAttribute& attribute : xml.attributes())
                if (attribute.name() == QLatin1String("src") ||
                    attribute.name() == QLatin1String("href"))
                    content.references << attribute.value().toString();
        } else if (xml.isCharacters()) {
            content.text += xml.text().toString() + QLatin1Char('\n');
            if (inHeading)
                heading += xml.text().toString();
        } else if (xml.isEndElement() && inHeading) {
            content.headings << heading;
            inHeading = false;
        }
    }
    if (xml.hasError())
        qWarning("%s:%lld: %s", qPrintable(path), xml.lineNumber(), qPrintable(xml.errorString()));
    return xml.hasError() ? HtmlContent{} : content;
}

// Nothing a browser would fetch: every reference is inside the file (#id) or a data: URI,
// no style sheet, script, font or frame from elsewhere.
void verifySelfContained(const QString& path, const HtmlContent& content)
{
    for (const QString& reference : content.references)
        QVERIFY2(reference.startsWith('#') || reference.startsWith(QLatin1String("data:")),
                 qPrintable(path + ": refers to " + reference));
    const QString html = QString::fromUtf8(fileBytes(path));
    for (const char* outside : {"<script", "<link", "<iframe", "@import", "url(http", "url(//"})
        QVERIFY2(!html.contains(QLatin1String(outside), Qt::CaseInsensitive),
                 qPrintable(path + " holds " + outside));
}

QJsonObject metricsOf(const QString& folder)
{
    return QJsonDocument::fromJson(fileBytes(QDir(folder).filePath("metrics.json"))).object();
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!hasFashionMnist())
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AtelierTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_report"));
        QSettings().clear();
        // Two short runs: an MLP and a small CNN.
        m_mlp = train("mlp_small", {"--epochs", "2", "--limit", "1200"});
        m_cnn = train("cnn_small", {"--epochs", "1", "--limit", "600"});
        QVERIFY(!m_mlp.isEmpty() && !m_cnn.isEmpty());
        // And a search of four one-epoch trials.
        const QString sweepFile = writeFile(m_dir.filePath("four.yaml"), mlpSweep("four", 1));
        m_sweep = m_dir.filePath("four");
        const CliResult run =
            runCli({"sweep", "run", sweepFile, "--out", m_sweep, "--limit", "300", "--jobs", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }

    void runReportHoldsEverySectionAndTheFolderNumbers()
    {
        const QString out = m_dir.filePath("mlp.html");
        // With a trailing slash, as shell completion writes a folder.
        const CliResult report = runCli({"report", m_mlp + "/", "--out", out});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        QCOMPARE(report.out.trimmed(), out);
        const HtmlContent html = readHtml(out);
        QVERIFY2(!html.text.isEmpty(), "the report is not well-formed XHTML");
        verifySelfContained(out, html);
        const QString name = QFileInfo(m_mlp).fileName();
        for (const QString& section :
             {name, QString("Model"), QString("Training settings"), QString("Environment"),
              QString("Curves"), QString("Test results"), QString("Classes mixed up most"),
              QString("Most confident mistakes")})
            QVERIFY2(html.headings.contains(section), qPrintable(section));
        // loss, accuracy, batch loss, two confusion matrices, 5 confused pairs, the mistakes
        QCOMPARE(html.svgCount, 3 + 2 + 5 + 1);

        // The numbers are the run folder's own.
        const RunRecord run = loadRun(m_mlp.toStdString());
        const QJsonObject metrics = metricsOf(m_mlp);
        QVERIFY(html.text.contains(percent(metrics["test_accuracy"].toDouble()) + " of 10,000"));
        QVERIFY(html.text.contains(QString::number(metrics["test_loss"].toDouble(), 'f', 4)));
        QVERIFY(html.text.contains(
            QString::fromStdString(withThousands(metrics["parameters"].toInteger()))));
        QVERIFY(html.text.contains(QString("2 of 2; best %1").arg(metrics["best_epoch"].toInt())));
        QVERIFY(html.text.contains(metrics["torch_version"].toString()));
        // No early stopping: the last epoch's weights were tested, whichever epoch was best.
        QVERIFY(html.text.contains(metrics["best_epoch"].toInt() == 2
                                       ? QString("epoch 2's (the last, also the best)")
                                       : QString("epoch 2's (the last)")));
        QVERIFY(html.text.contains(QDir(m_mlp).absolutePath()));
        for (int c = 0; c < kNumClasses; ++c) {
            const ClassMetrics& m = run.test.report.perClass[std::size_t(c)];
            QVERIFY(html.text.contains(QString::number(m.precision, 'f', 3)));
            QVERIFY(html.text.contains(QString::number(m.f1, 'f', 3)));
        }
        std::int64_t correct = 0;
        for (int c = 0; c < kNumClasses; ++c)
            correct += run.test.confusion[c][c];
        QVERIFY(html.text.contains(QString("classified correctly (%1 of 10,000)")
                                       .arg(QString::fromStdString(withThousands(correct)))));
        // The most confused pair is named with its count.
        int worstTrue = 0, worstPredicted = 1;
        for (int t = 0; t < kNumClasses; ++t)
            for (int p = 0; p < kNumClasses; ++p)
                if (t != p &&
                    run.test.confusion[t][p] > run.test.confusion[worstTrue][worstPredicted])
                    worstTrue = t, worstPredicted = p;
        const auto names = fashionMnistClassNames();
        QVERIFY2(
            html.text.contains(QString("%1 taken for %2: %3 of ")
                                   .arg(QString::fromStdString(names[std::size_t(worstTrue)]),
                                        QString::fromStdString(names[std::size_t(worstPredicted)]))
                                   .arg(run.test.confusion[worstTrue][worstPredicted])),
            "the most confused pair");
    }

    void comparisonHasATableAndEachRunInBrief()
    {
        const QString out = m_dir.filePath("both.html");
        const CliResult report = runCli({"report", m_mlp, m_cnn, "--out", out});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        const HtmlContent html = readHtml(out);
        QVERIFY(!html.text.isEmpty());
        verifySelfContained(out, html);
        QVERIFY(html.headings.contains("Comparison"));
        QVERIFY(html.headings.contains("Per-class F1"));
        QVERIFY(html.headings.contains(QFileInfo(m_mlp).fileName()));
        QVERIFY(html.headings.contains(QFileInfo(m_cnn).fileName()));
        QVERIFY(!html.headings.contains("Most confident mistakes")); // brief
        // What the comparison varies: the two models, side by side.
        QVERIFY(html.headings.contains("What differs between the runs"));
        QVERIFY(html.text.contains(QString::fromUtf8("Conv2D(32, 3×3)")));
        QVERIFY(html.text.contains(QString::fromUtf8("Dense(128) → Dense(10)")));
        for (const QString& folder : {m_mlp, m_cnn})
            QVERIFY(html.text.contains(percent(metricsOf(folder)["test_accuracy"].toDouble())));
        // overlaid loss and accuracy, then each run's row-% confusion matrix
        QCOMPARE(html.svgCount, 4);
    }

    void searchReportRanksTheTrials()
    {
        const QString& sweep = m_sweep;
        const QString out = m_dir.filePath("search.pdf");
        const CliResult pdf = runCli({"report", sweep, "--out", out});
        QVERIFY2(pdf.exitCode == 0, qPrintable(pdf.err));
        verifyPdfRenders(out);
        if (QTest::currentTestFailed())
            return;
        const CliResult report = runCli({"report", sweep});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        const QString html_path = QDir(sweep).filePath("report.html");
        QCOMPARE(report.out.trimmed(), html_path);
        const HtmlContent html = readHtml(html_path);
        QVERIFY(!html.text.isEmpty());
        verifySelfContained(html_path, html);
        for (const char* section : {"Search", "Trials ranked", "Trials by parameter",
                                    "Effect of each parameter", "Curves", "Test results"})
            QVERIFY2(html.headings.contains(section), qPrintable(section));
        // The best trial by val_accuracy in trials.csv (ties: the lower index) is the one
        // reported in full.
        const TrialsTable trials = readTrialsCsv(sweep);
        QCOMPARE(trials.rows.size(), kTrials);
        int best = 0;
        for (int i = 1; i < trials.rows.size(); ++i)
            if (trials.rows[i]["val_accuracy"].toDouble() >
                trials.rows[best]["val_accuracy"].toDouble())
                best = i;
        QVERIFY2(
            html.headings.contains(
                QString("Best trial: trial %1 (trials/%2)").arg(best).arg(best, 4, 10, QChar('0'))),
            qPrintable(html.headings.join(" | ")));
        QVERIFY(html.text.contains("4 of 4 finished"));
        // the ranked table, the effects table, the best trial's model and per-class tables
        QCOMPARE(html.tableCount, 4);
    }

    // The report's one-line architecture tells strided blocks from the others.
    void architectureNamesEachBlocksStride()
    {
        const Preset speedrun = loadPreset(ATELIER_PRESETS_DIR "/cnn_speedrun.yaml");
        const QString text = ui::architectureText(speedrun.model);
        QVERIFY2(text.contains(QString::fromUtf8("Residual(32, 3×3) → Residual(64, 3×3, stride "
                                                 "2×2) → Residual(64, 3×3) → ")),
                 qPrintable(text));
    }

    void runPdfIsValidAndRenders()
    {
        const QString out = m_dir.filePath("cnn.pdf");
        const CliResult report = runCli({"report", m_cnn, "--out", out});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        verifyPdfRenders(out);
    }

    void badInputIsRefusedAndNothingIsWritten()
    {
        const QString keep = m_dir.filePath("keep.html");
        writeFile(keep, "an earlier report");
        const QString incomplete = m_dir.filePath("incomplete");
        QVERIFY(QDir().mkpath(incomplete));
        QVERIFY(QFile::copy(QDir(m_mlp).filePath("preset.yaml"),
                            QDir(incomplete).filePath("preset.yaml")));
        const QString& sweep = m_sweep;
        struct Case
        {
            QStringList arguments;
            QString says;
        };
        const QList<Case> cases = {
            {{"report", m_dir.filePath("missing"), "--out", keep}, "missing: no such folder"},
            {{"report", m_mlp, "--out", m_dir.filePath("report.txt")}, ".html or .pdf"},
            {{"report", incomplete, "--out", keep}, "incomplete"},
            {{"report", m_mlp, m_mlp, "--out", keep}, "named twice"},
            {{"report", m_mlp, sweep, "--out", keep}, "name it alone"},
            {{"report", m_mlp, "--out", m_dir.filePath("no/such/folder/r.html")}, "r.html"},
        };
        for (const Case& c : cases) {
            const CliResult result = runCli(c.arguments);
            QVERIFY2(result.exitCode == 2, qPrintable(c.arguments.join(' ') + ": " + result.err));
            QVERIFY2(result.err.contains(c.says), qPrintable(result.err));
        }
        QCOMPARE(fileBytes(keep), QByteArray("an earlier report"));
        QVERIFY(!QFile::exists(m_dir.filePath("report.txt")));
    }

    // A run without a preset name is called by its folder's name, which may hold anything a
    // file name can: the report stays well-formed.
    void oddFolderNamesStayWellFormed()
    {
        const QString odd = m_dir.filePath(QString::fromUtf8("odd & <\"names\"> 'here'"));
        QVERIFY(QDir().mkpath(odd));
        for (const QString& file : QDir(m_mlp).entryList(QDir::Files))
            QVERIFY(QFile::copy(QDir(m_mlp).filePath(file), QDir(odd).filePath(file)));
        QByteArray preset = fileBytes(QDir(odd).filePath("preset.yaml"));
        preset.replace("name: mlp_small\n", "");
        QFile::remove(QDir(odd).filePath("preset.yaml"));
        writeFile(QDir(odd).filePath("preset.yaml"), preset);
        const QString out = m_dir.filePath("odd.html");
        const CliResult report = runCli({"report", odd, "--out", out});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        const HtmlContent html = readHtml(out);
        QVERIFY2(!html.text.isEmpty(), "not well-formed");
        QVERIFY(html.headings.contains(QFileInfo(odd).fileName()));
    }

    void studioActionWritesTheCliFile()
    {
        QSettings().setValue(QStringLiteral("runsFolder"), m_dir.filePath("studio-runs"));
        ui::MainWindow window;
        QString whyNot;
        QVERIFY(window.reportFolders(&whyNot).isEmpty());
        QVERIFY(whyNot.contains("Select a finished run"));
        const int mlp = window.runs()->addFolder(m_mlp);
        const int cnn = window.runs()->addFolder(m_cnn);
        window.runs()->select({mlp, cnn});
        QCOMPARE(window.reportFolders(&whyNot), QStringList({m_mlp, m_cnn}));
        window.runs()->select({mlp});

        const QString fromStudio = m_dir.filePath("studio.html");
        QSignalSpy finished(window.reportExport(), &ui::ReportExport::finished);
        QVERIFY(window.exportReport(fromStudio));
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.front().at(0).toBool(), qPrintable(finished.front().at(2).toString()));
        const QString fromCli = m_dir.filePath("cli.html");
        QCOMPARE(runCli({"report", m_mlp, "--out", fromCli}).exitCode, 0);
        QVERIFY(!fileBytes(fromStudio).isEmpty());
        QVERIFY2(fileBytes(fromStudio) == fileBytes(fromCli), "the studio's report differs");

        // A refused file is reported, not written.
        finished.clear();
        QVERIFY(!window.exportReport(m_dir.filePath("studio.txt")));
        QVERIFY(!QFile::exists(m_dir.filePath("studio.txt")));

        // An atelier-cli that cannot start is reported, not waited for: in a warning box,
        // closed here as soon as it shows (nobody is there to click it).
        QTimer closeWarnings;
        QObject::connect(&closeWarnings, &QTimer::timeout, [] {
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
        });
        closeWarnings.start(50);
        qputenv("ATELIER_CLI", "/nonexistent/atelier-cli");
        QVERIFY(window.exportReport(m_dir.filePath("never.html")));
        QVERIFY(finished.wait(30000));
        qunsetenv("ATELIER_CLI");
        QVERIFY(!finished.front().at(0).toBool());
        QVERIFY2(finished.front().at(2).toString().contains("Cannot start"),
                 qPrintable(finished.front().at(2).toString()));
        QVERIFY(!QFile::exists(m_dir.filePath("never.html")));

        // From the Search tab, the report covers the search shown.
        window.showTab(ui::MainWindow::Tab::Search);
        QVERIFY(window.reportFolders(&whyNot).isEmpty());
        QVERIFY(window.searchView()->openSweepFolder(m_sweep));
        QCOMPARE(window.reportFolders(&whyNot).size(), 1);
    }

private:
    QString train(const QString& preset, const QStringList& extra)
    {
        const CliResult result =
            runCli(QStringList{"train", ATELIER_PRESETS_DIR "/" + preset + ".yaml", "--out",
                               m_dir.filePath("runs"), "--threads", "2", "--device", "cpu"} +
                   extra);
        if (result.exitCode != 0)
            qWarning("%s", qPrintable(result.err));
        return result.exitCode == 0 ? valueOf(result.out, "run") : QString();
    }

    // A PDF (header and end-of-file marker) whose first page, rendered by poppler, is not
    // blank: more than 2% of its pixels are not white.
    void verifyPdfRenders(const QString& path)
    {
        const QByteArray bytes = fileBytes(path);
        QVERIFY2(bytes.startsWith("%PDF-"), qPrintable(path));
        QVERIFY2(bytes.trimmed().endsWith("%%EOF"), qPrintable(path));
        const QString pdftoppm = QStandardPaths::findExecutable("pdftoppm");
        QVERIFY2(
            !pdftoppm.isEmpty(),
            "pdftoppm is missing (package poppler-utils; scripts/install-deps.sh installs it)");
        const QString prefix = path + "-page";
        QCOMPARE(QProcess::execute(pdftoppm, {"-r", "40", "-png", "-f", "1", "-l", "1",
                                              "-singlefile", path, prefix}),
                 0);
        const QImage page(prefix + ".png");
        QVERIFY(!page.isNull());
        qint64 inked = 0;
        for (int y = 0; y < page.height(); ++y)
            for (int x = 0; x < page.width(); ++x)
                inked += qGray(page.pixel(x, y)) < 200;
        QVERIFY2(
            inked > page.width() * page.height() / 50,
            qPrintable(
                QString("%1 of %2 pixels inked").arg(inked).arg(page.width() * page.height())));
        const QString pdfinfo = QStandardPaths::findExecutable("pdfinfo");
        QProcess info;
        info.start(pdfinfo, {path});
        QVERIFY(info.waitForFinished(30000));
        QCOMPARE(info.exitCode(), 0); // poppler parses the whole file
        QVERIFY(QString::fromUtf8(info.readAllStandardOutput())
                    .contains(QRegularExpression("Pages: +([2-9]|[1-9][0-9]+)\\b")));
    }

    QTemporaryDir m_dir;
    QString m_mlp, m_cnn, m_sweep;
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
