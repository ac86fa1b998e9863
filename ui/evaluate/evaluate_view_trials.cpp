// The Evaluate view's "Your images" tab and its model actions: Try Images…, dropping files on
// the view, Export Model…. Pictures are decoded and prepared on a worker thread (a folder of
// phone photos takes seconds), with the same core code `predict` uses, then
// `atelier-cli predict --json` classifies the readable ones (model_cli_job.h says why in
// another process); the figure shows the result when it arrives.
#include "ui/evaluate/evaluate_view.h"
#include "ui/evaluate/image_trials_figure.h"
#include "ui/evaluate/model_cli_job.h"
#include "ui/evaluate/model_export_dialog.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace atelier::ui {
namespace {

// The newest images kept on show; older ones drop off the end.
constexpr int kMaxTriedImages = 24;

struct PreparedFiles
{
    std::vector<ImageTrial> trials; // readable files, probabilities still to come
    QStringList problems;           // one line per file that could not be used
    QStringList unreadable;
};

PreparedFiles prepareFiles(const QStringList& paths)
{
    PreparedFiles prepared;
    for (const QString& path : paths) {
        try {
            prepared.trials.push_back({path, prepareImageFile(path.toStdString()), {}});
        } catch (const std::exception& e) {
            prepared.problems << QString::fromStdString(e.what());
            prepared.unreadable << path;
        }
    }
    return prepared;
}

// Fills in the probabilities from `predict --json`'s lines (one per file, in order); false
// when a line is missing or malformed.
bool readProbabilities(const QString& out, std::vector<ImageTrial>& trials)
{
    const QStringList lines = out.split('\n', Qt::SkipEmptyParts);
    if (lines.size() != int(trials.size()))
        return false;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const QJsonObject line = QJsonDocument::fromJson(lines[int(i)].toUtf8()).object();
        const QJsonArray values = line[QStringLiteral("probabilities")].toArray();
        if (line[QStringLiteral("file")].toString() != trials[i].path ||
            values.size() != kNumClasses)
            return false;
        for (int c = 0; c < kNumClasses; ++c)
            trials[i].probabilities[std::size_t(c)] = float(values[c].toDouble());
    }
    return true;
}

QStringList localFiles(const QMimeData* mime)
{
    QStringList files;
    if (mime)
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile())
                files << url.toLocalFile();
    return files;
}

QString problemsHtml(const QStringList& problems)
{
    if (problems.isEmpty())
        return {};
    QStringList lines;
    for (const QString& problem : problems)
        lines << problem.toHtmlEscaped();
    return QStringLiteral("<b>Not shown:</b> %1").arg(lines.join(QStringLiteral("<br>")));
}

} // namespace

QWidget* EvaluateView::buildTrialsTab()
{
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    // Files that could not be used, and "Classifying…"; hidden when there is nothing to say.
    m_trialsNote = new QLabel;
    m_trialsNote->setTextFormat(Qt::RichText);
    m_trialsNote->setWordWrap(true);
    m_trialsNote->hide();
    m_trials = new ImageTrialsFigure;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_trials);
    scroll->setWidgetResizable(true);
    layout->addWidget(m_trialsNote);
    layout->addWidget(scroll, 1);

    setAcceptDrops(true);
    connect(m_tryImages, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, QStringLiteral("Try Images"), QString(),
            QStringLiteral("Images (*.png *.jpg *.jpeg *.bmp);;All files (*)"));
        if (!files.isEmpty())
            tryImages(files);
    });
    connect(m_exportModel, &QPushButton::clicked, this, [this] {
        if (m_run)
            exportModelWithDialog(this, *m_run, [this](const QString& path) {
                Q_EMIT statusMessage(QStringLiteral("Model written to %1").arg(path));
            });
    });
    return tab;
}

void EvaluateView::updateModelButtons()
{
    QString reason;
    const bool ready = canExportModel(m_run.get(), &reason);
    m_exportModel->setEnabled(ready);
    m_exportModel->setToolTip(reason);
    m_tryImages->setEnabled(ready);
    m_tryImages->setToolTip(ready ? QStringLiteral("Show this model your own pictures (PNG, "
                                                   "JPEG, BMP); you can also drop them here")
                                  : reason);
}

void EvaluateView::tryImages(const QStringList& paths)
{
    for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
        m_triedPaths.removeAll(*it);
        m_triedPaths.prepend(*it);
    }
    while (m_triedPaths.size() > kMaxTriedImages)
        m_triedPaths.removeLast();
    m_bottomTabs->setCurrentWidget(m_bottomTabs->widget(1));
    classifyTriedImages();
}

void EvaluateView::classifyTriedImages()
{
    const int request = ++m_trialRequest;
    if (m_triedPaths.isEmpty())
        return;
    QString reason;
    m_trialsUpToDate = true;
    m_trialsForFinishedRun = canExportModel(m_run.get(), &reason);
    if (!m_trialsForFinishedRun) {
        m_trials->setTrials({}, {});
        showTrialsNote(QStringLiteral("%1: your images are classified once a run has finished.")
                           .arg(reason.toHtmlEscaped()));
        Q_EMIT imagesTried();
        return;
    }
    showTrialsNote(QStringLiteral("Classifying %1 image(s) with %2…")
                       .arg(m_triedPaths.size())
                       .arg(m_run->name.toHtmlEscaped()));
    const QString folder = m_run->folder;
    const QString modelName = m_run->name;
    auto* watcher = new QFutureWatcher<PreparedFiles>(this);
    connect(
        watcher, &QFutureWatcher<PreparedFiles>::finished, this,
        [this, watcher, request, folder, modelName] {
            watcher->deleteLater();
            if (request != m_trialRequest)
                return; // another run or more images were asked for meanwhile
            auto prepared = std::make_shared<PreparedFiles>(watcher->result());
            // Files that cannot be read are not tried again with the next run's model.
            for (const QString& path : prepared->unreadable)
                m_triedPaths.removeAll(path);
            if (prepared->trials.empty()) {
                showTriedImages({}, modelName, prepared->problems);
                return;
            }
            QStringList arguments = {QStringLiteral("predict"), folder, QStringLiteral("--json")};
            for (const ImageTrial& trial : prepared->trials)
                arguments << trial.path;
            runCliJob(
                this, arguments, [this, prepared, request, modelName](const CliOutcome& outcome) {
                    if (request != m_trialRequest)
                        return;
                    QStringList problems = prepared->problems;
                    if (!outcome.ok || !readProbabilities(outcome.out, prepared->trials)) {
                        problems.prepend(
                            QStringLiteral("the model of %1 could not be used: %2")
                                .arg(modelName, outcome.ok ? QStringLiteral("unexpected output")
                                                           : outcome.message));
                        prepared->trials.clear();
                    }
                    showTriedImages(std::move(prepared->trials), modelName, problems);
                });
        });
    watcher->setFuture(QtConcurrent::run(prepareFiles, m_triedPaths));
}

void EvaluateView::showTriedImages(std::vector<ImageTrial> trials, const QString& modelName,
                                   const QStringList& problems)
{
    showTrialsNote(problemsHtml(problems));
    m_trials->setTrials(std::move(trials), modelName);
    Q_EMIT imagesTried();
}

void EvaluateView::showTrialsNote(const QString& html)
{
    m_trialsNote->setText(html);
    m_trialsNote->setVisible(!html.isEmpty());
}

void EvaluateView::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void EvaluateView::dropEvent(QDropEvent* event)
{
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    tryImages(files);
}

} // namespace atelier::ui
