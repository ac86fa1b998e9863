// Training memory: the estimate behind "needs about ... to train", its refusal in words,
// and the sizes it is written in (split from tst_model_analysis).
#include "core/errors.h"
#include "core/model_analysis.h"
#include "core/text_format.h"
#include "layer_spec_helpers.h"

#include <QtTest>
#include <climits>
#include <limits>

using namespace atelier;
using namespace atelier::test;

Q_DECLARE_METATYPE(atelier::ModelSpec)

class TestTrainingMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Finding 5 of issue 9: each layer was bounded but not the model.
    void trainingMemoryIsEstimatedAndRefusedInWords_data()
    {
        QTest::addColumn<ModelSpec>("spec");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("optimizerSlots");
        QTest::addColumn<qint64>("machineBytes");
        QTest::addColumn<qint64>("expectedBytes"); // -1: saturated
        QTest::addColumn<QString>("refusal");      // empty: fits
        const ModelSpec mlp = flatModel({dense(128, ActivationKind::Relu), dense(10)});
        // 101,770 parameters × 4 B × (weight, gradient, best copy) + 32 images × (784 input
        // + 128 × 2 around the relu + 10 outputs) × 4 B × 2 (values and gradients).
        const qint64 mlpBytes = 101770LL * 4 * 3 + 32LL * (784 + 256 + 10) * 4 * 2;
        QTest::newRow("mlp, sgd") << mlp << 32 << 0 << (qint64(1) << 30) << mlpBytes << "";
        QTest::newRow("mlp, adam")
            << mlp << 32 << 2 << (qint64(1) << 30) << mlpBytes + 101770LL * 4 * 2 << "";
        // BatchNorm's 2 × 64 running statistics have no gradient and no optimizer state.
        const ModelSpec withBatchNorm =
            flatModel({dense(64), plain(LayerType::BatchNorm), dense(10)});
        const qint64 trainable = 784 * 64 + 64 + 2 * 64 + 64 * 10 + 10;
        QTest::newRow("batch norm, sgd with momentum")
            << withBatchNorm << 1 << 1 << (qint64(1) << 30)
            << trainable * 4 * 4 + 128 * 4 * 2 + (784 + 64 + 64 + 10) * 4 * 2 << "";
        const ModelSpec trillions = flatModel({dense(1000000), dense(1000000), dense(1000000),
                                               dense(1000000), dense(280000), dense(10)});
        QTest::newRow("3.28 trillion parameters")
            << trillions << 32 << 0 << qint64(23'400'000'000) << qint64(-2)
            << "model: needs about 39.4 TB to train at batch 32 (3.28 trillion parameters: "
               "39.4 TB for weights, gradients, optimizer state and a copy of the best weights; "
               "1.1 GB of activations for one batch); this machine has 23.4 GB";
        // 784 inputs + 64 × 28 × 28 outputs twice (around the relu) + 50,176 flattened + 10
        // per image: 72.6 GB of activations at batch 60,000, while 6 MB fit the weights.
        const ModelSpec wideConv =
            imageModel({withActivation(conv(64, 3, Padding::Same), ActivationKind::Relu),
                        plain(LayerType::Flatten), dense(10)});
        QTest::newRow("wide conv, batch 1")
            << wideConv << 1 << 0 << qint64(16'000'000'000) << qint64(-2) << "";
        QTest::newRow("wide conv, batch 60000")
            << wideConv << 60000 << 0 << qint64(16'000'000'000) << qint64(-2)
            << "model: needs about 72.6 GB to train at batch 60000";
        const ModelSpec overflowing =
            flatModel({dense(INT_MAX), dense(INT_MAX), dense(INT_MAX), dense(10)});
        QTest::newRow("beyond int64") << overflowing << 1 << 0 << (qint64(1) << 40) << qint64(-1)
                                      << "model: needs more than 9.22 EB to train at batch 1 "
                                         "(9.22 quintillion parameters";
    }

    void trainingMemoryIsEstimatedAndRefusedInWords()
    {
        QFETCH(ModelSpec, spec);
        QFETCH(int, batch);
        QFETCH(int, optimizerSlots);
        QFETCH(qint64, machineBytes);
        QFETCH(qint64, expectedBytes);
        QFETCH(QString, refusal);
        const ModelReport report =
            analyzeModel(spec, 10, TrainingLoad{batch, optimizerSlots}, machineBytes);
        QVERIFY(report.totalParams() > 0); // never wrapped to a negative count
        QCOMPARE(report.memory.batchSize, batch);
        if (expectedBytes >= 0)
            QCOMPARE(report.memory.totalBytes(), expectedBytes);
        if (expectedBytes == -1)
            QCOMPARE(report.memory.totalBytes(), std::numeric_limits<qint64>::max());
        QStringList errors;
        for (const std::string& e : report.errors())
            errors << QString::fromStdString(e);
        if (refusal.isEmpty()) {
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join("\n")));
            return;
        }
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.front().startsWith(refusal), qPrintable(errors.front()));
        QVERIFY_EXCEPTION_THROWN(requireValidModel(report), ModelError);
    }

    void theStudioCheckIsTrainingAtAllOnThisMachine()
    {
        const ModelSpec trillions = flatModel({dense(1000000), dense(1000000), dense(1000000),
                                               dense(1000000), dense(280000), dense(10)});
        const auto errors = analyzeModel(trillions, 10).errors();
        QCOMPARE(errors.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(errors.front()).contains("to train at batch 1 ("),
                 errors.front().c_str());
        QVERIFY(analyzeModel(flatModel({dense(128), dense(10)}), 10).valid());
        QVERIFY(physicalMemoryBytes() > 0);
    }

    void sizesReadAsWords_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("bytes");
        QTest::addColumn<QString>("count");
        QTest::newRow("small") << qint64(999) << "999 B"
                               << "999";
        QTest::newRow("thousands") << qint64(398090) << "398 kB"
                                   << "398,090";
        QTest::newRow("rounds up a unit") << qint64(999'600) << "1 MB"
                                          << "999,600";
        QTest::newRow("millions") << qint64(12'345'678) << "12.3 MB"
                                  << "12.3 million";
        QTest::newRow("trillions") << qint64(3'280'000'000'000) << "3.28 TB"
                                   << "3.28 trillion";
        QTest::newRow("largest") << std::numeric_limits<qint64>::max() << "9.22 EB"
                                 << "9.22 quintillion";
    }

    void sizesReadAsWords()
    {
        QFETCH(qint64, value);
        QFETCH(QString, bytes);
        QFETCH(QString, count);
        QCOMPARE(QString::fromStdString(formatBytes(value)), bytes);
        QCOMPARE(QString::fromStdString(formatCount(value)), count);
    }
};

QTEST_GUILESS_MAIN(TestTrainingMemory)
#include "tst_training_memory.moc"
