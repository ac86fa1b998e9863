// The studio's "Your images": files dropped on the Evaluate view are classified with the shown
// run's model and drawn with their probabilities (the same numbers `predict` computes), a bad
// file is named without losing the good ones, another run re-classifies the same pictures,
// the panel exports like any figure; and Export Model… writes a file only for finished runs.
#include "core/dataset.h"
#include "core/run_classifier.h"
#include "support/cli_runner.h"
#include "support/training_fixture.h"
#include "ui/data/dataset_controller.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/evaluate/image_trials_figure.h"
#include "ui/evaluate/model_export_dialog.h"
#include "ui/export/figure_export.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using namespace atelier;
using namespace atelier::ui;

class TryImagesTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void droppedImagesShowTheirProbabilities();
    void anotherRunClassifiesTheSamePictures();
    void thePanelExportsLikeAnyFigure();
    void exportModelOnlyForFinishedRuns();

private:
    QString train(const QString& preset, const QString& limit);
    void drop(QWidget* target, const QStringList& files);
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    const FashionMnist* m_data = nullptr;
    QString m_mlpRun, m_cnnRun;
    DatasetController m_dataset;
    std::unique_ptr<EvaluateView> m_view;
};

QString TryImagesTest::train(const QString& preset, const QString& limit)
{
    const auto result =
        test::runCli({"train", ATELIER_PRESETS_DIR "/" + preset + ".yaml", "--epochs", "1",
                      "--limit", limit, "--out", path("runs"), "--no-layer-stats", "-q"});
    if (result.exitCode != 0)
        qWarning() << result.err;
    return test::valueOf(result.out, "run");
}

void TryImagesTest::drop(QWidget* target, const QStringList& files)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& file : files)
        urls << QUrl::fromLocalFile(file);
    mime.setUrls(urls);
    const QPoint centre = target->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropped(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropped);
    QVERIFY(dropped.isAccepted());
}

void TryImagesTest::initTestCase()
{
    m_data = test::realDataset();
    if (!m_data)
        QSKIP("the Fashion-MNIST package is not installed");
    QVERIFY(m_dir.isValid());
    m_mlpRun = train("mlp_small", "1200");
    m_cnnRun = train("cnn_small", "600");
    QVERIFY(!m_mlpRun.isEmpty() && !m_cnnRun.isEmpty());
    for (int index : {0, 1, 2}) {
        QImage image(m_data->test.image(index), 28, 28, 28, QImage::Format_Grayscale8);
        QVERIFY(image.copy().save(path(QString("garment%1.png").arg(index))));
    }
    // A photo-like picture: a dark garment on a light colour canvas, 300×200.
    QImage photo(300, 200, QImage::Format_RGB32);
    photo.fill(QColor(235, 228, 210));
    QImage garment = QImage(m_data->test.image(1), 28, 28, 28, QImage::Format_Grayscale8)
                         .scaled(150, 150, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    garment.invertPixels();
    for (int y = 0; y < 150; ++y)
        for (int x = 0; x < 150; ++x)
            if (qGray(garment.pixel(x, y)) < 200)
                photo.setPixel(75 + x, 25 + y, garment.pixel(x, y));
    QVERIFY(photo.save(path("photo%2Cblue.jpg"), "JPEG", 92));
    QFile text(path("notes.png"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("these are notes, not a picture\n");
    text.close();

    m_view = std::make_unique<EvaluateView>(&m_dataset);
    m_view->resize(1400, 900);
    m_view->setRun(std::make_shared<RunData>(RunData::fromFolder(m_mlpRun)));
    m_view->show();
}

void TryImagesTest::droppedImagesShowTheirProbabilities()
{
    QVERIFY(m_view->tryImagesButton()->isEnabled());
    QSignalSpy tried(m_view.get(), &EvaluateView::imagesTried);
    drop(m_view.get(), {path("garment0.png"), path("notes.png"), path("photo%2Cblue.jpg")});
    QVERIFY(tried.wait(60000));
    QCOMPARE(m_view->bottomTabs()->currentIndex(), 1);

    const auto& trials = m_view->trialsFigure()->trials();
    QCOMPARE(int(trials.size()), 2); // the notes are refused, the pictures shown
    QCOMPARE(trials[0].path, path("garment0.png"));
    QCOMPARE(trials[1].path, path("photo%2Cblue.jpg"));
    QVERIFY(trials[0].image.unchanged);
    QVERIFY(trials[1].image.inverted);
    QVERIFY(m_view->trialsNote()->text().contains("notes.png"));
    QVERIFY(m_view->trialsNote()->text().contains("not a PNG, JPEG or BMP image"));

    // The numbers are the model's, as `predict` computes them.
    RunClassifier classifier(m_mlpRun.toStdString());
    const auto expected = classifier.classify({trials[0].image, trials[1].image});
    for (std::size_t i = 0; i < 2; ++i)
        for (int c = 0; c < kNumClasses; ++c)
            QCOMPARE(trials[i].probabilities[std::size_t(c)], expected[i][std::size_t(c)]);
    const auto cli = test::runCli({"predict", m_mlpRun, path("garment0.png")});
    QVERIFY(cli.out.contains(
        QString::number(100.0 * expected[0][std::size_t(trials[0].topClass())], 'f', 2)));

    const QString csv = m_view->trialsFigure()->toCsv();
    QCOMPARE(csv.count('\n'), 3);
    QVERIFY2(csv.contains("photo%2Cblue.jpg\",300,200,1,"), qPrintable(csv));
    m_view->bottomTabs()->setCurrentIndex(1);
    const QImage shot = m_view->grab().toImage();
    shot.save(QString(ATELIER_SCREENSHOT_DIR) + "/evaluate-your-images.png");
    QVERIFY(!shot.isNull());
}

void TryImagesTest::anotherRunClassifiesTheSamePictures()
{
    QSignalSpy tried(m_view.get(), &EvaluateView::imagesTried);
    m_view->setRun(std::make_shared<RunData>(RunData::fromFolder(m_cnnRun)));
    QVERIFY(tried.wait(60000));
    const auto& trials = m_view->trialsFigure()->trials();
    QCOMPARE(int(trials.size()), 2); // the refused file is not tried again
    RunClassifier classifier(m_cnnRun.toStdString());
    const auto expected = classifier.classify({trials[0].image});
    QCOMPARE(trials[0].probabilities, expected[0]);
    QVERIFY(m_view->trialsNote()->isHidden()); // nothing refused this time

    // Dropping more puts them first and keeps the earlier ones.
    drop(m_view.get(), {path("garment2.png")});
    QVERIFY(tried.wait(60000));
    QCOMPARE(int(m_view->trialsFigure()->trials().size()), 3);
    QCOMPARE(m_view->trialsFigure()->trials()[0].path, path("garment2.png"));
}

void TryImagesTest::thePanelExportsLikeAnyFigure()
{
    const QString file = path("your-images.png");
    ImageTrialsFigure* figure = m_view->trialsFigure();
    writeFigure(file, FigureFormat::Png, QSize(1000, 500), QStringLiteral("Your images"),
                [figure](QPainter& p, const QRectF& area) { figure->renderFigure(&p, area); });
    const QImage image(file);
    QCOMPARE(image.size(), QSize(1000, 500));
    // The enlarged model views are there: some pixels are far from the background colour.
    int dark = 0, light = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            (qGray(image.pixel(x, y)) < 60 ? dark : light)++;
    QVERIFY2(dark > 2000, qPrintable(QString::number(dark)));
}

void TryImagesTest::exportModelOnlyForFinishedRuns()
{
    QVERIFY(m_view->exportModelButton()->isEnabled());
    const RunData finished = RunData::fromFolder(m_cnnRun);
    const auto exportTo = [&](const QString& file) {
        bool done = false;
        QString error;
        startModelExport(m_view.get(), finished, file, [&](const QString& message) {
            error = message;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 60000))
            return QStringLiteral("timed out");
        return error;
    };
    QCOMPARE(exportTo(path("studio.onnx")), QString());
    QCOMPARE(exportTo(path("studio.pt")), QString());
    QVERIFY(QFile(path("studio.onnx")).size() > 1000);
    QVERIFY(QFile(path("studio.pt")).size() > 1000);
    QVERIFY(exportTo(path("studio.h5")).contains(".onnx"));
    QVERIFY(!QFile::exists(path("studio.h5")));
    // The CLI's refusal reaches the studio in its own words, and the weights stay.
    const auto weights = [&] {
        QFile file(m_cnnRun + "/model.pt");
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    const QByteArray before = weights();
    QVERIFY(exportTo(m_cnnRun + "/model.pt").contains("is the run's own model.pt"));
    QCOMPARE(weights(), before);

    RunData training = finished;
    training.hasResult = false;
    QString reason;
    QVERIFY(!canExportModel(&training, &reason));
    QVERIFY(reason.contains("no finished model"));
    auto live = std::make_shared<RunData>(training);
    QSignalSpy tried(m_view.get(), &EvaluateView::imagesTried);
    m_view->setRun(live);
    QVERIFY(!m_view->exportModelButton()->isEnabled());
    QVERIFY(!m_view->tryImagesButton()->isEnabled());
    // The pictures wait for the run to finish...
    QVERIFY(tried.count() >= 1 || tried.wait(10000));
    QVERIFY(m_view->trialsFigure()->trials().empty());
    QVERIFY(m_view->trialsNote()->text().contains("once a run has finished"));
    // ...and go through its model when it has.
    tried.clear();
    live->hasResult = true;
    m_view->runUpdated(live.get());
    QVERIFY(tried.wait(60000));
    QCOMPARE(int(m_view->trialsFigure()->trials().size()), 3);
    QVERIFY(m_view->exportModelButton()->isEnabled());
}

QTEST_MAIN(TryImagesTest)
#include "tst_try_images.moc"
