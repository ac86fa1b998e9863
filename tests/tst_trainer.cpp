// The training engine on the real Fashion-MNIST, on small seeded subsets: it learns, it is
// reproducible, early stopping restores the best epoch, stop/pause work mid-epoch, NaN
// ends the run as diverged, and evaluation runs in eval mode.
#include "core/errors.h"
#include "core/runtime.h"
#include "core/trainer.h"
#include "support/training_fixture.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>

Q_DECLARE_METATYPE(atelier::Precision)

using namespace atelier;
using namespace atelier::test;

namespace {

bool sameHistory(const std::vector<EpochRecord>& a, const std::vector<EpochRecord>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].loss != b[i].loss || a[i].accuracy != b[i].accuracy ||
            a[i].valLoss != b[i].valLoss || a[i].valAccuracy != b[i].valAccuracy)
            return false;
    return true;
}

TrainingOptions limitTo(std::size_t images)
{
    TrainingOptions options;
    options.limit = images;
    return options;
}

} // namespace

class TestTrainer : public QObject
{
    Q_OBJECT

private:
    const FashionMnist* m_data = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_data = realDataset();
        if (!m_data)
            QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
        configureThreads(0);
    }

    void mlpLearnsFromASmallSubset()
    {
        // mlp_medium on 6,000 images for 2 epochs reached 0.81 test accuracy when this was
        // written; chance is 0.10 and a trainer that never steps stays near it.
        Preset preset = shippedPreset("mlp_medium");
        preset.training.epochs = 2;
        Trainer trainer(preset, *m_data, limitTo(6000));
        QCOMPARE(trainer.trainCount(), std::size_t(6000));
        QCOMPARE(trainer.devCount(), std::size_t(12000));
        QCOMPARE(trainer.testCount(), std::size_t(10000));
        const TrainingResult result = trainer.run();
        QCOMPARE(result.status, RunStatus::Completed);
        QCOMPARE(result.history.size(), std::size_t(2));
        QVERIFY2(result.test.accuracy > 0.75, qPrintable(QString::number(result.test.accuracy)));
        QVERIFY(result.history[1].loss < result.history[0].loss);
        QVERIFY(result.test.loss < 0.8);
        QCOMPARE(result.test.count, qint64(10000));
        qint64 confusionTotal = 0;
        for (const auto& row : result.test.confusion)
            for (qint64 cell : row)
                confusionTotal += cell;
        QCOMPARE(confusionTotal, qint64(10000));
        QCOMPARE(qint64(result.test.misclassified.size()),
                 qint64(std::llround((1.0 - result.test.accuracy) * 10000)));
        QVERIFY(result.samplesPerSecond > 0);
        QCOMPARE(result.history[0].learningRate, 0.01);
    }

    void sameSeedSameHistory_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<Precision>("precision");
        QTest::newRow("mlp_small_dropout") << "mlp_small_dropout" << Precision::Float32;
        QTest::newRow("cnn_small_dropout") << "cnn_small_dropout" << Precision::Float32;
        QTest::newRow("cnn_small_dropout bf16") << "cnn_small_dropout" << Precision::BFloat16Mixed;
    }

    void sameSeedSameHistory()
    {
        QFETCH(QString, preset);
        QFETCH(Precision, precision);
        Preset p = shippedPreset(preset);
        p.training.precision = precision;
        p.training.epochs = 2;
        p.training.earlyStopping.enabled = false;
        const TrainingResult first = Trainer(p, *m_data, limitTo(1500)).run();
        const TrainingResult second = Trainer(p, *m_data, limitTo(1500)).run();
        QVERIFY(sameHistory(first.history, second.history));
        QCOMPARE(first.test.loss, second.test.loss);
        p.training.seed += 1;
        const TrainingResult other = Trainer(p, *m_data, limitTo(1500)).run();
        QVERIFY(!sameHistory(first.history, other.history));
    }

    void earlyStoppingRestoresTheBestEpoch()
    {
        // With min_delta 10 only the first epoch counts as an improvement, so patience 1
        // stops after epoch 2 and the weights of epoch 1 come back.
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 6;
        preset.training.earlyStopping = {true, Monitor::ValLoss, 1, 10.0, true};
        const TrainingResult result = Trainer(preset, *m_data, limitTo(2000)).run();
        QCOMPARE(result.status, RunStatus::Completed);
        QVERIFY(result.stoppedEarly);
        QCOMPARE(result.history.size(), std::size_t(2));
        QCOMPARE(result.bestEpoch, 1);
        QVERIFY(result.restoredBest);
        QVERIFY(result.history[1].valLoss != result.history[0].valLoss);
        QCOMPARE(result.dev.loss, result.history[0].valLoss); // the model is epoch 1's again
    }

    void earlyStoppingOnAccuracyWithPatience()
    {
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 5;
        preset.training.earlyStopping = {true, Monitor::ValAccuracy, 2, 1.0, false};
        const TrainingResult result = Trainer(preset, *m_data, limitTo(1000)).run();
        QVERIFY(result.stoppedEarly);
        QCOMPARE(result.history.size(), std::size_t(3)); // best at 1, then 2 epochs of patience
        QVERIFY(!result.restoredBest);
        QCOMPARE(result.dev.loss, result.history[2].valLoss); // restore_best false: last weights
    }

    void stepScheduleHalvesTheLearningRate()
    {
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 3;
        preset.training.lrSchedule = {LrScheduleKind::Step, 1, 2, 0.5, 0.003};
        const TrainingResult result = Trainer(preset, *m_data, limitTo(1000)).run();
        QCOMPARE(result.history.size(), std::size_t(3));
        QCOMPARE(result.history[0].learningRate, 0.01);
        QCOMPARE(result.history[1].learningRate, 0.005);
        QCOMPARE(result.history[2].learningRate, 0.003); // min_lr caps the decay
        // The optimizer really uses the new rate: the run differs from a constant one.
        preset.training.lrSchedule = {};
        const TrainingResult constant = Trainer(preset, *m_data, limitTo(1000)).run();
        QCOMPARE(constant.history[0].loss, result.history[0].loss);
        QVERIFY(constant.history[1].loss != result.history[1].loss);
    }

    void oneCycleChangesTheRateEveryBatch()
    {
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 3;
        preset.training.optimizer.learningRate = 0.1;
        preset.training.lrSchedule.kind = LrScheduleKind::OneCycle;
        const TrainingResult result = Trainer(preset, *m_data, limitTo(1000)).run();
        QCOMPARE(result.status, RunStatus::Completed);
        // The rate of each epoch's last batch: 32 batches an epoch, 96 in all; the peak is at
        // batch 28 (0.3 × 96 − 1), so epoch 1 ends still near it and epoch 3 at 0.1 / 250,000.
        QCOMPARE(result.history.size(), std::size_t(3));
        const double peak = 0.1;
        QVERIFY2(result.history[0].learningRate > 0.9 * peak,
                 qPrintable(QString::number(result.history[0].learningRate)));
        QVERIFY(result.history[1].learningRate < result.history[0].learningRate);
        QVERIFY(std::abs(result.history[2].learningRate - peak / 25 / 1e4) < 1e-12);
        // And the optimizer follows it: a constant rate trains differently from batch 1 on.
        preset.training.lrSchedule = {};
        const TrainingResult constant = Trainer(preset, *m_data, limitTo(1000)).run();
        QVERIFY(constant.history[0].loss != result.history[0].loss);
        QVERIFY2(result.test.accuracy > 0.65, qPrintable(QString::number(result.test.accuracy)));
    }

    void mixedPrecisionLearnsLikeFloat32()
    {
        // cnn_medium on 3,000 images for 2 epochs: 0.828 test accuracy in both
        // precisions when this was written. bf16 must change the numbers (it is on) but not
        // what is learnt.
        Preset preset = shippedPreset("cnn_medium");
        preset.training.epochs = 2;
        const TrainingResult full = Trainer(preset, *m_data, limitTo(3000)).run();
        preset.training.precision = Precision::BFloat16Mixed;
        const TrainingResult mixed = Trainer(preset, *m_data, limitTo(3000)).run();
        QCOMPARE(mixed.status, RunStatus::Completed);
        QVERIFY(mixed.history[0].loss != full.history[0].loss);
        const QString accuracies =
            QStringLiteral("fp32 %1, bf16 %2").arg(full.test.accuracy).arg(mixed.test.accuracy);
        qInfo("test accuracy: %s", qPrintable(accuracies));
        QVERIFY2(mixed.test.accuracy > 0.7, qPrintable(accuracies));
        QVERIFY2(std::abs(mixed.test.accuracy - full.test.accuracy) < 0.03, qPrintable(accuracies));
        QVERIFY(mixed.history[1].loss < mixed.history[0].loss);
    }

    void augmentationIsSeededAndChangesTraining()
    {
        Preset preset = shippedPreset("cnn_small");
        preset.training.epochs = 1;
        const TrainingResult plain = Trainer(preset, *m_data, limitTo(1000)).run();
        preset.training.augmentation = {true, 2};
        const TrainingResult first = Trainer(preset, *m_data, limitTo(1000)).run();
        const TrainingResult second = Trainer(preset, *m_data, limitTo(1000)).run();
        QVERIFY(sameHistory(first.history, second.history));
        QVERIFY(first.history[0].loss != plain.history[0].loss);
        // Dev and test images are not augmented: an untrained-looking result would show it.
        QVERIFY2(first.test.accuracy > 0.5, qPrintable(QString::number(first.test.accuracy)));
    }

    void stopRequestEndsTheRunMidEpoch()
    {
        Preset preset = shippedPreset("cnn_small");
        preset.training.epochs = 3;
        Trainer trainer(preset, *m_data);
        int reports = 0;
        TrainingCallbacks callbacks;
        callbacks.onBatch = [&](const BatchProgress& progress) {
            ++reports;
            if (progress.firstBatch + int(progress.losses.size()) >= 5)
                trainer.requestStop();
            return true;
        };
        const TrainingResult result = trainer.run(callbacks);
        QCOMPARE(result.status, RunStatus::Interrupted);
        QVERIFY(result.history.empty()); // the unfinished epoch is not recorded
        QCOMPARE(result.bestEpoch, 0);
        QCOMPARE(result.test.count, qint64(10000)); // the kept model is still evaluated
        QVERIFY(reports >= 1);
    }

    void callbackCanStopAfterAnEpoch()
    {
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 5;
        Trainer trainer(preset, *m_data, limitTo(1000));
        TrainingCallbacks callbacks;
        callbacks.onEpoch = [](const EpochReport& report) { return report.record.epoch < 2; };
        const TrainingResult result = trainer.run(callbacks);
        QCOMPARE(result.status, RunStatus::Interrupted);
        QCOMPARE(result.history.size(), std::size_t(2));
        QCOMPARE(result.bestEpoch, 2);
    }

    void pauseAndResumeKeepTheHistory()
    {
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 2;
        const TrainingResult reference = Trainer(preset, *m_data, limitTo(3000)).run();

        Trainer trainer(preset, *m_data, limitTo(3000));
        std::atomic<int> reportsWhilePaused{0};
        std::atomic<bool> pausedOnce{false};
        std::atomic<bool> resumed{false};
        std::thread resumer;
        TrainingCallbacks callbacks;
        callbacks.onBatch = [&](const BatchProgress&) {
            if (!pausedOnce.exchange(true)) {
                trainer.pause();
                resumer = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    resumed = true;
                    trainer.resume();
                });
            } else if (!resumed) {
                ++reportsWhilePaused; // must not happen: the loop waits at the next batch
            }
            return true;
        };
        const TrainingResult result = trainer.run(callbacks);
        resumer.join();
        QVERIFY(pausedOnce);
        QVERIFY(resumed);
        QCOMPARE(reportsWhilePaused.load(), 0);
        QVERIFY(!trainer.isPaused());
        QCOMPARE(result.status, RunStatus::Completed);
        QVERIFY(sameHistory(result.history, reference.history));
    }

    void stopWhilePausedEndsTheRun()
    {
        Preset preset = shippedPreset("mlp_small");
        Trainer trainer(preset, *m_data, limitTo(3000));
        trainer.pause();
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            trainer.requestStop();
        });
        const TrainingResult result = trainer.run();
        stopper.join();
        QCOMPARE(result.status, RunStatus::Interrupted);
        QVERIFY(result.history.empty());
    }

    void nanLossEndsTheRunAsDiverged()
    {
        Preset preset = shippedPreset("mlp_small");
        preset.training.epochs = 3;
        preset.training.optimizer.learningRate = 10.0;
        for (LayerSpec& layer : preset.model.layers)
            layer.kernelInit = Initializer::uniform(1e18, 2e18); // logits overflow at once
        const TrainingResult result = Trainer(preset, *m_data, limitTo(2000)).run();
        QCOMPARE(result.status, RunStatus::Diverged);
        QVERIFY2(QString::fromStdString(result.message).contains("NaN") ||
                     QString::fromStdString(result.message).contains("infinite"),
                 result.message.c_str());
        QVERIFY(result.history.empty());
    }

    void evaluationUsesEvalMode()
    {
        // Dropout 0.5 and BatchNorm: in train mode two passes over the same images differ;
        // in eval mode they must agree exactly.
        Preset preset = shippedPreset("mlp_small");
        LayerSpec dropout = layerDefaults(LayerType::Dropout);
        dropout.rate = 0.5;
        preset.model.layers.insert(preset.model.layers.begin() + 1,
                                   layerDefaults(LayerType::BatchNorm));
        preset.model.layers.insert(preset.model.layers.begin() + 2, dropout);
        preset.training.epochs = 1;
        const TrainingResult result = Trainer(preset, *m_data, limitTo(2000)).run();
        QCOMPARE(result.dev.loss, result.history[0].valLoss);
        QCOMPARE(result.dev.accuracy, result.history[0].valAccuracy);
    }

    void cudaOnACpuMachineIsABadInput()
    {
        if (cudaAvailable())
            QSKIP("this machine has a GPU");
        Preset preset = shippedPreset("mlp_small");
        preset.training.device = DeviceChoice::Cuda;
        try {
            Trainer trainer(preset, *m_data, limitTo(100));
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("no CUDA GPU"), e.what());
        }
        QCOMPARE(resolveDevice(DeviceChoice::Auto).kind(), std::string("cpu"));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
