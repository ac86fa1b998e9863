// The Evaluate view's "Your images" tab and its model actions: Try Images…, dropping files on
// the view, Export Model…. Decoding and classifying run on a worker thread (a folder of phone
// photos takes seconds to decode); the figure shows the result when it arrives.
#include "ui/evaluate/evaluate_view.h"

#include "core/errors.h"
#include "ui/evaluate/image_trials_figure.h"
#include "ui/evaluate/model_export_dialog.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
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

struct TrialBatch
{
    std::vector<ImageTrial> trials;
    QStringList problems; // one line per file that could not be used
    QString modelName;
};

TrialBatch classifyFiles(const QString& runFolder, const QStringList& paths)
{
    TrialBatch batch;
    std::vector<PreparedImage> images;
    QStringList usable;
    for (const QString& path : paths) {
        try {
            images.push_back(prepareImageFile(path.toStdString()));
            usable << path;
        } catch (const std::exception& e) {
            batch.problems << QString::fromStdString(e.what());
        }
    }
    if (images.empty())
        return batch;
    try {
        RunClassifier classifier(runFolder.toStdString());
        batch.modelName = QString::fromStdString(classifier.presetName());
        const std::vector<ClassProbabilities> probabilities = classifier.classify(images);
        for (std::size_t i = 0; i < images.size(); ++i)
            batch.trials.push_back({usable[int(i)], images[i], probabilities[i]});
    } catch (const std::exception& e) {
        batch.problems.prepend(QString::fromStdString(e.what()));
    }
    return batch;
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

} // namespace

QWidget* EvaluateView::buildTrialsTab()
{
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    // Files that could not be used, and "Classifying…"; hidden when there is nothing to say.
    m_trialsNote = new QLabel;
    m_trialsNote->setWordWrap(true);
    m_trialsNote->hide();
    m_trialsNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
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
        if (!m_run)
            return;
        const QString written = exportModelWithDialog(this, *m_run);
        if (!written.isEmpty())
            Q_EMIT statusMessage(QStringLiteral("Model written to %1").arg(written));
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
    if (!ready)
        m_tryImages->setToolTip(reason);
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
    if (!canExportModel(m_run.get(), &reason)) {
        m_trials->setTrials({}, {});
        showTrialsNote(QStringLiteral("%1: your images are classified once a run has finished.")
                           .arg(reason.toHtmlEscaped()));
        Q_EMIT imagesTried();
        return;
    }
    showTrialsNote(QStringLiteral("Classifying %1 image(s) with %2…")
                       .arg(m_triedPaths.size())
                       .arg(m_run->name.toHtmlEscaped()));
    auto* watcher = new QFutureWatcher<TrialBatch>(this);
    connect(watcher, &QFutureWatcher<TrialBatch>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != m_trialRequest)
            return; // another run or more images were asked for meanwhile
        TrialBatch batch = watcher->result();
        QString note;
        if (!batch.problems.isEmpty()) {
            QStringList lines;
            for (const QString& problem : batch.problems)
                lines << problem.toHtmlEscaped();
            note = QStringLiteral("<b>Not shown:</b> %1").arg(lines.join(QStringLiteral("<br>")));
            // Files that cannot be read are not tried again with the next run's model.
            for (const QString& path : m_triedPaths)
                if (std::none_of(batch.trials.begin(), batch.trials.end(),
                                 [&](const ImageTrial& t) { return t.path == path; }))
                    m_triedPaths.removeAll(path);
        }
        showTrialsNote(note);
        m_trials->setTrials(std::move(batch.trials), batch.modelName);
        Q_EMIT imagesTried();
    });
    watcher->setFuture(QtConcurrent::run(classifyFiles, m_run->folder, m_triedPaths));
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
