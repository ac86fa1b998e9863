// Per-class precision, recall, F1 and macro averages against a hand-computed example.
#include "core/metrics.h"

#include <QtTest>

using namespace atelier;

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputedExample()
    {
        // Class 0: 8 right, 2 taken for class 1.  Class 1: 5 right, 1 taken for 0.
        // Class 2: 3 right, 1 taken for 0.  Classes 3-9: no images; class 9 predicted once
        // for a class-2 image.
        ConfusionMatrix confusion{};
        confusion[0][0] = 8;
        confusion[0][1] = 2;
        confusion[1][1] = 5;
        confusion[1][0] = 1;
        confusion[2][2] = 3;
        confusion[2][0] = 1;
        confusion[2][9] = 1;
        const ClassificationReport report = classificationReport(confusion);

        // Class 0: predicted 10 times (8 + 1 + 1), 8 right → precision 0.8; recall 8/10.
        QCOMPARE(report.perClass[0].precision, 0.8);
        QCOMPARE(report.perClass[0].recall, 0.8);
        QCOMPARE(report.perClass[0].f1, 0.8);
        QCOMPARE(report.perClass[0].support, qint64(10));
        // Class 1: predicted 7 times, 5 right → 5/7; recall 5/6.
        QCOMPARE(report.perClass[1].precision, 5.0 / 7.0);
        QCOMPARE(report.perClass[1].recall, 5.0 / 6.0);
        QVERIFY(
            qFuzzyCompare(report.perClass[1].f1, 2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6)));
        // Class 2: predicted 3 times, all right → 1.0; recall 3/5.
        QCOMPARE(report.perClass[2].precision, 1.0);
        QCOMPARE(report.perClass[2].recall, 0.6);
        QVERIFY(qFuzzyCompare(report.perClass[2].f1, 0.75));
        // Class 9: predicted once, wrongly; no support → all zero, no division by zero.
        QCOMPARE(report.perClass[9].precision, 0.0);
        QCOMPARE(report.perClass[9].recall, 0.0);
        QCOMPARE(report.perClass[9].f1, 0.0);
        QCOMPARE(report.perClass[9].support, qint64(0));

        QVERIFY(qFuzzyCompare(report.macroPrecision, (0.8 + 5.0 / 7 + 1.0) / 10));
        QVERIFY(qFuzzyCompare(report.macroRecall, (0.8 + 5.0 / 6 + 0.6) / 10));
        QCOMPARE(report.accuracy, 16.0 / 21.0);
    }

    void perfectAndEmpty()
    {
        ConfusionMatrix perfect{};
        for (int c = 0; c < kNumClasses; ++c)
            perfect[c][c] = 7;
        const ClassificationReport report = classificationReport(perfect);
        QCOMPARE(report.accuracy, 1.0);
        QCOMPARE(report.macroF1, 1.0);

        const ClassificationReport empty = classificationReport(ConfusionMatrix{});
        QCOMPARE(empty.accuracy, 0.0);
        QCOMPARE(empty.macroF1, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
