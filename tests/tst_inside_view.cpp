// The Inside view and its figures on synthetic layer statistics of the real
// vanishing_gradients model (and the same shape with ReLU): every observed layer gets its line,
// heatmap row and picker entry, with one point per sample; missing values leave gaps; two runs
// overlay; a run without statistics says how to get them; a live run's new samples arrive
// through the catalog's signals, throttled; the export writes every figure with its CSV.
// ATELIER_INSIDE_VIEW_PNG=dir writes the view (1600×1000, light and dark) and the exported
// figures there to look at.
#include "core/preset.h"
#include "ui/export/inside_figures.h"
#include "ui/inside/distribution_chart.h"
#include "ui/inside/inside_plot.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/layer_heatmap.h"
#include "ui/inside/layer_time_chart.h"
#include "ui/runs/run_catalog.h"
#include "ui/studio/theme.h"
#include "ui/train/training_controller.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>
#include <climits>
#include <cmath>

using namespace atelier;
using namespace atelier::ui;

namespace {

constexpr int kBatchesPerEpoch = 1500;
constexpr int kParameterLayers = 7;  // 6 hidden dense layers and the output layer
constexpr int kActivationLayers = 6; // the hidden ones (softmax is applied only to predict)

enum class Profile
{
    Vanishing, // sigmoid, tiny weights: the first layer's gradient ~1e4 times the last one's
    Healthy,   // relu, He initialisation: every layer within a factor of about 3
};

Preset presetOf(Profile profile)
{
    Preset preset = loadPreset(ATELIER_PRESETS_DIR "/vanishing_gradients.yaml");
    if (profile == Profile::Healthy) {
        preset.name = "relu_he";
        for (std::size_t i = 0; i + 1 < preset.model.layers.size(); ++i) {
            preset.model.layers[i].activation = ActivationKind::Relu;
            preset.model.layers[i].kernelInit = Initializer::of(InitKind::HeNormal);
        }
    }
    return preset;
}

// A bell-shaped histogram of `values` values with standard deviation `sigma` around `mean`.
Histogram bell(double mean, double sigma, std::int64_t values)
{
    Histogram h;
    h.min = mean - 3 * sigma;
    h.max = mean + 3 * sigma;
    const auto phi = [](double z) { return 0.5 * (1 + std::erf(z / std::sqrt(2.0))); };
    for (int b = 0; b < kLayerHistogramBins; ++b) {
        const double z0 = -3 + 6.0 * b / kLayerHistogramBins;
        const double z1 = -3 + 6.0 * (b + 1) / kLayerHistogramBins;
        h.counts.push_back(std::max<std::int64_t>(1, std::llround(values * (phi(z1) - phi(z0)))));
    }
    return h;
}

double gradNormOf(Profile profile, int layer, double unitTime, double x)
{
    const double depth = double(layer) / (kParameterLayers - 1);
    const double wiggle = 0.08 * std::sin(7 * x + layer);
    if (profile == Profile::Vanishing) { // first ~1e-5 → 1e-4 over training, last ~1e-1
        const double first = -4.9 + 0.8 * unitTime;
        return std::pow(10.0, first + depth * (-1.1 - first) + wiggle);
    }
    return std::pow(10.0, std::log10(0.05) - 0.45 * depth - 0.2 * unitTime + wiggle);
}

// Samples at core's sampled batches of epochs [fromEpoch, toEpoch], and the histograms of
// their ends.
void appendEpochs(RunData& run, Profile profile, int fromEpoch, int toEpoch, int plannedEpochs)
{
    LayerStatsLog& log = run.layerStats;
    for (int epoch = fromEpoch; epoch <= toEpoch; ++epoch) {
        for (const int batch : sampledBatches(kBatchesPerEpoch)) {
            const double x = epoch - 1 + double(batch) / kBatchesPerEpoch;
            const double t = x / plannedEpochs;
            LayerStatsSample sample;
            sample.epoch = epoch;
            sample.batch = batch;
            int parameterLayer = 0;
            for (const ObservedLayer& layer : log.layers) {
                LayerSample s;
                const double depth = double(parameterLayer) / (kParameterLayers - 1);
                if (layer.hasParameters)
                    s.gradNorm = gradNormOf(profile, parameterLayer++, t, x);
                if (layer.canSaturate())
                    s.saturated = std::min(0.95, 0.05 + 0.6 * t * (1 - depth) + 0.1 * depth);
                if (layer.canDie())
                    s.dead = 0.02 + 0.12 * t * depth;
                sample.layers.push_back(s);
            }
            log.samples.push_back(sample);
        }
        int parameterLayer = 0;
        for (std::size_t l = 0; l < log.layers.size(); ++l) {
            if (!log.layers[l].hasParameters)
                continue;
            LayerHistograms h;
            h.epoch = epoch;
            h.layer = int(l);
            const double he = parameterLayer == 0 ? std::sqrt(2.0 / 784) : std::sqrt(2.0 / 8);
            const double sigma = profile == Profile::Vanishing ? 0.029 * (1 + 0.02 * epoch) : he;
            h.weights = bell(0.001 * epoch, sigma, 6272);
            const double g =
                gradNormOf(profile, parameterLayer, double(epoch) / plannedEpochs, epoch);
            h.gradients = bell(0, g / 80, 6272);
            log.histograms.push_back(h);
            ++parameterLayer;
        }
    }
}

std::shared_ptr<RunData> syntheticRun(Profile profile, int epochs, const QString& name)
{
    auto run = std::make_shared<RunData>();
    run->name = name;
    run->status = QStringLiteral("completed");
    run->preset = presetOf(profile);
    run->batchesPerEpoch = kBatchesPerEpoch;
    run->layerStats.layers = observedLayers(run->preset.model);
    appendEpochs(*run, profile, 1, epochs, epochs);
    return run;
}

// How light a colour looks (relative luminance): HSL lightness is not ordered along viridis.
double luminance(const QColor& c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}

int samplesPerEpoch()
{
    return int(sampledBatches(kBatchesPerEpoch).size());
}

int csvRows(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    return int(file.readAll().count('\n')) - 1; // without the header
}

} // namespace

class TestInsideView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const std::vector<ObservedLayer> layers =
            observedLayers(presetOf(Profile::Vanishing).model);
        QCOMPARE(int(layers.size()), kParameterLayers);
        QCOMPARE(layers.front().name, std::string("dense_1"));
        QVERIFY(layers.front().canSaturate());
        QVERIFY(!layers.back().hasActivation());
    }

    void showsEveryObservedLayerOfOneRun()
    {
        TrainingController controller;
        RunCatalog catalog(&controller);
        InsideView view(&catalog);
        catalog.add(syntheticRun(Profile::Vanishing, 10, "sigmoid"));
        catalog.select({0});
        QVERIFY(!view.showsEmptyState());
        QCOMPARE(view.shownRuns().size(), std::size_t(1));
        QVERIFY(view.headerText().contains("sigmoid"));
        QVERIFY(view.headerText().contains("Select two runs in the Train view's run list"));
        const int samples = 10 * samplesPerEpoch();
        const LayerTimeChart* gradients = view.gradientChart();
        QCOMPARE(gradients->lineCount(), kParameterLayers);
        QVERIFY(gradients->logScale());
        for (int line = 0; line < gradients->lineCount(); ++line) {
            QCOMPARE(gradients->pointCount(line), samples);
            QCOMPARE(gradients->lineLayer(line), QStringLiteral("dense_%1").arg(line + 1));
        }
        QCOMPARE(gradients->toCsv().count('\n'), 1 + kParameterLayers * samples);
        QCOMPARE(view.heatmap()->panelCount(), 1);
        QCOMPARE(view.heatmap()->rowCount(), kParameterLayers);
        QCOMPARE(view.heatmap()->columnCount(), samples);
        QCOMPARE(view.heatmap()->rowNames().front(), QStringLiteral("dense_1")); // first on top
        // 1e-5 at the first layer's start up to ≈1e-1 at the last: five decades of colour.
        QCOMPARE(view.heatmap()->colourDecades(), std::make_pair(-5, -1));
        QCOMPARE(view.saturationChart()->lineCount(), kActivationLayers);
        QVERIFY(!view.saturationChart()->logScale());
        QCOMPARE(view.layerPicker()->count(), kParameterLayers);
        QCOMPARE(view.distributionChart()->panelCount(), 1);
        QCOMPARE(view.distributionChart()->epochCount(0), 10);
        view.layerPicker()->setCurrentIndex(kParameterLayers - 1);
        QCOMPARE(view.distributionChart()->layers(), QStringList{"dense_7"});
        view.tensorPicker()->setCurrentIndex(view.tensorPicker()->findText("Weights"));
        QCOMPARE(view.distributionChart()->tensor(), HistogramTensor::Weights);
        QVERIFY(view.distributionChart()->toCsv().startsWith("run,layer,tensor,epoch,p0,"));
        QCOMPARE(view.distributionChart()->toCsv().count(",weight,"), 10);
    }

    void colourLayersFromDarkToLight()
    {
        for (const Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            const QPalette palette = QApplication::palette();
            for (int l = 1; l < kParameterLayers; ++l)
                QVERIFY2(luminance(layerColor(l, kParameterLayers, palette)) >
                             luminance(layerColor(l - 1, kParameterLayers, palette)),
                         qPrintable(themeName(theme)));
            QVERIFY(luminance(heatColor(1, palette)) > luminance(heatColor(0.5, palette)));
            QVERIFY(luminance(heatColor(0.5, palette)) > luminance(heatColor(0, palette)));
        }
        applyTheme(Theme::Light);
    }

    void leavesGapsAtMissingValues()
    {
        auto run = syntheticRun(Profile::Vanishing, 3, "gaps");
        std::vector<LayerStatsSample>& samples = run->layerStats.samples;
        samples[2].layers[0].gradNorm = std::nan("");
        samples[3].layers[0].gradNorm = 0; // no place on a log scale
        samples[4].layers[0].gradNorm = INFINITY;
        samples[5].layers[0].saturated = std::nan("");
        LayerTimeChart gradients(LayerQuantity::GradientNorm);
        gradients.setRuns({run.get()});
        QCOMPARE(gradients.pointCount(0), int(samples.size()) - 3);
        QCOMPARE(gradients.pointCount(1), int(samples.size()));
        LayerTimeChart saturation(LayerQuantity::InactiveShare);
        saturation.setRuns({run.get()});
        QCOMPARE(saturation.pointCount(0), int(samples.size()) - 1);
        // The CSV keeps every sample, the missing value as an empty field.
        const int batch = samples[2].batch;
        QVERIFY(gradients.toCsv().contains(QStringLiteral("gaps,dense_1,1,%1,%2,\n")
                                               .arg(batch)
                                               .arg(csvNumber(double(batch) / kBatchesPerEpoch))));
        // Drawing with gaps and hostile positions does not crash.
        samples[6].epoch = -4;
        samples[7].batch = INT_MIN;
        LayerHeatmap heatmap;
        heatmap.setRuns({run.get()});
        QImage image(800, 500, QImage::Format_ARGB32);
        QPainter painter(&image);
        gradients.setRuns({run.get()});
        gradients.renderFigure(&painter, QRectF(0, 0, 800, 500));
        heatmap.renderFigure(&painter, QRectF(0, 0, 800, 500));
    }

    void drawsADeepNetworkInASmallFigure()
    {
        RunData run;
        run.name = "deep";
        run.preset = loadPreset(ATELIER_PRESETS_DIR "/cnn_large.yaml");
        run.layerStats.layers = observedLayers(run.preset.model);
        LayerStatsSample sample;
        sample.epoch = sample.batch = 1;
        for (const ObservedLayer& layer : run.layerStats.layers) {
            LayerSample s;
            s.gradNorm = layer.hasParameters ? 1e-3 : std::nan("");
            s.dead = layer.canDie() ? 0.1 : std::nan("");
            sample.layers.push_back(s);
        }
        run.layerStats.samples = {sample};
        LayerTimeChart gradients(LayerQuantity::GradientNorm);
        gradients.setRuns({&run});
        QVERIFY(gradients.lineCount() > 4);
        QCOMPARE(gradients.pointCount(0), 1); // a lone value: drawn as a dot
        LayerHeatmap heatmap;
        heatmap.setRuns({&run});
        QCOMPARE(heatmap.rowCount(), gradients.lineCount());
        // Too many layers for the legend and rows thinner than a label: nothing may crash.
        QImage image(360, 160, QImage::Format_ARGB32);
        QPainter painter(&image);
        gradients.renderFigure(&painter, QRectF(0, 0, 360, 160));
        heatmap.renderFigure(&painter, QRectF(0, 0, 360, 160));
    }

    void overlaysTwoRuns()
    {
        TrainingController controller;
        RunCatalog catalog(&controller);
        InsideView view(&catalog);
        catalog.add(syntheticRun(Profile::Vanishing, 10, "sigmoid"));
        catalog.add(syntheticRun(Profile::Healthy, 8, "relu_he"));
        catalog.select({0, 1});
        QCOMPARE(view.shownRuns().size(), std::size_t(2));
        QVERIFY(view.headerText().contains("dashed"));
        const LayerTimeChart* gradients = view.gradientChart();
        QCOMPARE(gradients->runCount(), 2);
        QCOMPARE(gradients->lineCount(), 2 * kParameterLayers);
        QCOMPARE(gradients->lineRun(0), 0);
        QCOMPARE(gradients->lineRun(kParameterLayers), 1);
        QCOMPARE(gradients->pointCount(kParameterLayers), 8 * samplesPerEpoch());
        QCOMPARE(view.heatmap()->panelCount(), 2);
        QCOMPARE(view.heatmap()->panelTitle(1), QStringLiteral("relu_he"));
        QCOMPARE(view.heatmap()->columnCount(1), 8 * samplesPerEpoch());
        // One colour scale for both: from the vanishing run's 1e-5 to its last layer's 1e-1.
        QCOMPARE(view.heatmap()->colourDecades(), std::make_pair(-5, -1));
        // relu layers die, sigmoid ones saturate: both have a line per hidden layer.
        QCOMPARE(view.saturationChart()->lineCount(), 2 * kActivationLayers);
        QCOMPARE(view.distributionChart()->panelCount(), 2);
        // The first layer's gradients differ by ~1000×: separate scales; weights compare.
        QCOMPARE(view.distributionChart()->tensor(), HistogramTensor::Gradients);
        QVERIFY(!view.distributionChart()->sharedScale());
        view.tensorPicker()->setCurrentIndex(view.tensorPicker()->findText("Weights"));
        QVERIFY(view.distributionChart()->sharedScale());

        catalog.select({0, 1, 0}); // the same runs: still two
        catalog.add(syntheticRun(Profile::Healthy, 2, "third"));
        catalog.select({0, 1, 2});
        QCOMPARE(gradients->runCount(), 2);
        QVERIFY(view.headerText().contains("first two of 3"));
    }

    void tellsWhatToDoWithoutStatistics_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("nothing selected")
            << 0 << QStringList{"Train a run or select one in the Train view"};
        QTest::newRow("statistics off")
            << 1
            << QStringList{"“off” was trained with layer statistics off",
                           "training.layer_stats: true", "--layer-stats"};
        QTest::newRow("older run") << 2
                                   << QStringList{"“old” has no layer statistics",
                                                  "training.layer_stats: true", "--layer-stats"};
    }

    void tellsWhatToDoWithoutStatistics()
    {
        QFETCH(int, kind);
        QFETCH(QStringList, expected);
        TrainingController controller;
        RunCatalog catalog(&controller);
        InsideView view(&catalog);
        catalog.add(syntheticRun(Profile::Vanishing, 2, "with"));
        if (kind > 0) {
            auto run = std::make_shared<RunData>();
            run->name = kind == 1 ? "off" : "old";
            run->status = QStringLiteral("completed");
            run->preset = presetOf(Profile::Vanishing);
            run->preset.training.layerStats = kind != 1;
            catalog.add(run);
            catalog.select({1});
        } else {
            catalog.select({0});
            QVERIFY(!view.showsEmptyState());
            catalog.select({});
        }
        QVERIFY(view.showsEmptyState());
        QVERIFY(view.shownRuns().empty());
        for (const QString& text : expected)
            QVERIFY2(view.emptyStateText().contains(text), qPrintable(view.emptyStateText()));
        QCOMPARE(view.gradientChart()->lineCount(), 0);
        if (kind > 0) { // beside a run with statistics, it is named as left out
            catalog.select({1, 0});
            QVERIFY(!view.showsEmptyState());
            QCOMPARE(view.shownRuns().size(), std::size_t(1));
            QVERIFY(view.headerText().contains("without layer statistics"));
        }
    }

    void followsALiveRun()
    {
        TrainingController controller;
        RunCatalog catalog(&controller);
        InsideView view(&catalog);
        view.resize(1200, 800);
        view.show(); // hidden, the view leaves live updates until it is shown again
        auto run = syntheticRun(Profile::Vanishing, 2, "growing");
        auto other = syntheticRun(Profile::Healthy, 2, "other");
        catalog.add(run);
        catalog.add(other);
        catalog.select({0});
        const int before = view.gradientChart()->pointCount(0);
        QCOMPARE(before, 2 * samplesPerEpoch());
        QCOMPARE(view.distributionChart()->epochCount(0), 2);

        appendEpochs(*run, Profile::Vanishing, 3, 3, 10);
        // A run that is not selected says it changed: the view does not redraw for it.
        Q_EMIT catalog.batchesAdded(other.get());
        QTest::qWait(500);
        QCOMPARE(view.gradientChart()->pointCount(0), before);
        // The selected run grows: the view follows, but not on every signal (throttled).
        for (int i = 0; i < 20; ++i)
            Q_EMIT catalog.batchesAdded(run.get());
        QCOMPARE(view.gradientChart()->pointCount(0), before);
        QTRY_COMPARE_WITH_TIMEOUT(view.gradientChart()->pointCount(0), 3 * samplesPerEpoch(), 2000);
        QCOMPARE(view.heatmap()->columnCount(), 3 * samplesPerEpoch());
        // An epoch's end brings its histograms.
        Q_EMIT catalog.runChanged(run.get());
        QTRY_COMPARE_WITH_TIMEOUT(view.distributionChart()->epochCount(0), 3, 2000);

        view.hide();
        appendEpochs(*run, Profile::Vanishing, 4, 4, 10);
        Q_EMIT catalog.batchesAdded(run.get());
        QTest::qWait(500);
        QCOMPARE(view.gradientChart()->pointCount(0), 3 * samplesPerEpoch());
        view.show();
        QCOMPARE(view.gradientChart()->pointCount(0), 4 * samplesPerEpoch());
    }

    void exportsEveryFigure_data()
    {
        QTest::addColumn<QString>("suffix");
        for (const char* suffix : {"png", "svg", "pdf"})
            QTest::newRow(suffix) << suffix;
    }

    void exportsEveryFigure()
    {
        QFETCH(QString, suffix);
        const auto run = syntheticRun(Profile::Vanishing, 4, "sigmoid");
        QTemporaryDir dir;
        FigureOptions options;
        options.format = *figureFormatFromName(suffix);
        options.size = QSize(1000, 700);
        const QStringList written = exportInsideFigures(*run, dir.path(), options);
        const QStringList names = {"layer_gradient_norms", "layer_gradient_heatmap",
                                   "layer_weight_distributions", "layer_gradient_distributions",
                                   "layer_saturation"};
        QCOMPARE(written.size(), 2 * names.size());
        const int samples = 4 * samplesPerEpoch();
        const QList<int> rows = {kParameterLayers * samples, kParameterLayers * samples, 2 * 4,
                                 2 * 4, kActivationLayers * samples};
        for (int i = 0; i < names.size(); ++i) {
            const QString figure = dir.filePath(names[i] + "." + suffix);
            QVERIFY2(written.contains(figure), qPrintable(figure));
            QCOMPARE(csvRows(dir.filePath(names[i] + ".csv")), rows[i]);
            QFile file(figure);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            if (suffix == "png") {
                const QImage image = QImage::fromData(bytes, "PNG");
                QCOMPARE(image.size(), options.size);
                // Colour, not only text: lines, cells or bands were drawn.
                int coloured = 0;
                for (int y = 0; y < image.height(); y += 2)
                    for (int x = 0; x < image.width(); x += 2)
                        coloured += QColor(image.pixel(x, y)).hsvSaturation() > 80;
                QVERIFY2(coloured > 500, qPrintable(names[i]));
            } else if (suffix == "svg") {
                QVERIFY(QSvgRenderer(bytes).isValid());
            } else {
                QVERIFY(bytes.startsWith("%PDF"));
                QVERIFY(bytes.size() > 2000);
            }
        }
    }

    void exportsNothingWithoutStatistics()
    {
        RunData run;
        run.name = "plain";
        run.preset = presetOf(Profile::Vanishing);
        QTemporaryDir dir;
        QVERIFY(exportInsideFigures(run, dir.path(), FigureOptions{}).isEmpty());
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void writesScreenshotsToLookAt()
    {
        const QString directory = qEnvironmentVariable("ATELIER_INSIDE_VIEW_PNG");
        if (directory.isEmpty())
            QSKIP("set ATELIER_INSIDE_VIEW_PNG to a folder to write the view there");
        QVERIFY(QDir().mkpath(directory));
        for (const Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            TrainingController controller;
            RunCatalog catalog(&controller);
            InsideView view(&catalog);
            const auto vanishing = syntheticRun(Profile::Vanishing, 10, "vanishing_gradients");
            catalog.add(vanishing);
            catalog.add(syntheticRun(Profile::Healthy, 8, "relu_he"));
            view.resize(1600, 1000);
            view.show();
            for (const QList<int>& selection : {QList<int>{0}, QList<int>{0, 1}}) {
                catalog.select(selection);
                QCoreApplication::processEvents();
                const QString path = QDir(directory).filePath(QStringLiteral("inside_%1run_%2.png")
                                                                  .arg(selection.size())
                                                                  .arg(themeName(theme)));
                QVERIFY(view.grab().save(path));
            }
            auto off = std::make_shared<RunData>();
            off->name = "mlp_small-20260105-101500";
            off->preset = presetOf(Profile::Healthy);
            off->preset.training.layerStats = false;
            catalog.select({catalog.add(off)});
            QVERIFY(view.grab().save(QDir(directory).filePath(
                QStringLiteral("inside_no_statistics_%1.png").arg(themeName(theme)))));
            catalog.select({});
            QVERIFY(view.grab().save(QDir(directory).filePath(
                QStringLiteral("inside_empty_%1.png").arg(themeName(theme)))));
            QVERIFY(!exportInsideFigures(*vanishing,
                                         QDir(directory).filePath("export_" + themeName(theme)),
                                         FigureOptions{})
                         .isEmpty());
        }
        applyTheme(Theme::Light);
    }
};

QTEST_MAIN(TestInsideView)
#include "tst_inside_view.moc"
