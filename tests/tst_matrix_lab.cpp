// The study's matrix experiment (core/matrix_lab, `atelier-cli lab matrices`): products of
// random matrices vanish to 0 from [0, 0.1] and explode to inf from [0, 10]; He scaling
// through ReLU and Glorot scaling without activation stay finite; the same seed gives the
// same numbers; bad options are refused with the option named.
#include "core/errors.h"
#include "core/matrix_lab.h"
#include "support/cli_runner.h"

#include <QTest>
#include <cmath>

using namespace atelier;
using namespace atelier::test;

class TestMatrixLab : public QObject
{
    Q_OBJECT

    static MatrixLabResult run(const std::string& init, const std::string& activation, int size = 4,
                               int depth = 100, std::uint64_t seed = 1)
    {
        MatrixLabOptions options;
        options.init = parseMatrixInit(init);
        options.activation = parseMatrixActivation(activation);
        options.size = size;
        options.depth = depth;
        options.seed = seed;
        return runMatrixLab(options);
    }

private Q_SLOTS:
    void smallUniformVanishesToZero()
    {
        const MatrixLabResult result = run("uniform:0:0.1", "none");
        QCOMPARE(int(result.depths.size()), 100);
        QVERIFY(result.firstAllZero > 0 && result.firstAllZero <= 100);
        QCOMPARE(result.firstInf, 0);
        QCOMPARE(result.firstNan, 0);
        QCOMPARE(result.depths.back().norm, 0.0);
        // It shrinks all the way: each factor about size × 0.05 = 0.2.
        for (std::size_t d = 1; d < std::size_t(result.firstAllZero); ++d)
            QVERIFY(result.depths[d].norm < result.depths[d - 1].norm);
    }

    void largeUniformExplodesToInfAndNan()
    {
        const MatrixLabResult result = run("uniform:0:10", "none");
        QVERIFY(result.firstInf > 0 && result.firstInf < 100);
        QCOMPARE(result.firstAllZero, 0);
        const MatrixDepthStats& last = result.depths.back();
        QVERIFY(std::isinf(last.mean));
        QVERIFY(std::isinf(last.norm));
        QVERIFY(std::isnan(last.stddev)); // inf - inf in the spread
        // Finite before the first inf.
        QVERIFY(std::isfinite(result.depths[std::size_t(result.firstInf) - 2].norm));
    }

    void scaledInitialisationsStayFinite()
    {
        // He through ReLU and Glorot without activation keep the scale: after 100 factors
        // the norm is within a few orders of magnitude of the first factor's.
        for (const auto& [init, activation] : {std::pair{"he", "relu"}, {"glorot", "none"}}) {
            const MatrixLabResult result = run(init, activation, 64);
            QCOMPARE(result.firstAllZero, 0);
            QCOMPARE(result.firstInf, 0);
            QCOMPARE(result.firstNan, 0);
            const double ratio = result.depths.back().norm / result.depths.front().norm;
            QVERIFY2(ratio > 1e-4 && ratio < 1e4,
                     qPrintable(QStringLiteral("%1/%2: %3").arg(init, activation).arg(ratio)));
        }
    }

    void sameSeedSameNumbers()
    {
        const MatrixLabResult a = run("he", "relu", 16, 20, 7);
        const MatrixLabResult b = run("he", "relu", 16, 20, 7);
        const MatrixLabResult c = run("he", "relu", 16, 20, 8);
        for (std::size_t d = 0; d < a.depths.size(); ++d) {
            QCOMPARE(a.depths[d].norm, b.depths[d].norm);
            QCOMPARE(a.depths[d].mean, b.depths[d].mean);
        }
        QVERIFY(a.depths.back().norm != c.depths.back().norm);
    }

    void keepGoingStopsBetweenDepths()
    {
        MatrixLabOptions options;
        int asked = 0;
        options.keepGoing = [&asked] { return ++asked <= 5; };
        const MatrixLabResult stopped = runMatrixLab(options);
        QCOMPARE(int(stopped.depths.size()), 5);
        QCOMPARE(asked, 6);
        options.keepGoing = nullptr;
        const MatrixLabResult full = runMatrixLab(options);
        QCOMPARE(int(full.depths.size()), 100);
        QCOMPARE(stopped.depths[4].norm, full.depths[4].norm); // the same numbers up to the stop
    }

    void badOptionsAreRefusedByName()
    {
        for (const char* text :
             {"uniform:1:0", "uniform:a:1", "uniform:0", "uniform:0:inf", "normal", ""}) {
            try {
                parseMatrixInit(text);
                QFAIL(qPrintable(QStringLiteral("accepted --init '%1'").arg(text)));
            } catch (const InputError& error) {
                QVERIFY2(QString(error.what()).startsWith(QStringLiteral("--init '%1'").arg(text)),
                         error.what());
            }
        }
        QVERIFY_THROWS_EXCEPTION(InputError, parseMatrixActivation("tanh"));
        MatrixLabOptions options;
        options.size = kMaxMatrixSize + 1;
        QVERIFY_THROWS_EXCEPTION(InputError, runMatrixLab(options));
    }

    void commandLinePrintsEveryDepthAndTheVerdict()
    {
        const CliResult vanish = runCli({"lab", "matrices"});
        QVERIFY2(vanish.exitCode == 0, qPrintable(vanish.err));
        QVERIFY(vanish.out.contains(QStringLiteral("vanished: every entry is 0 from depth")));
        QCOMPARE(vanish.out.count(QLatin1Char('\n')), 2 + 100 + 1); // title, header, rows, verdict
        const CliResult explode = runCli({"lab", "matrices", "--init", "uniform:0:10"});
        QVERIFY2(explode.exitCode == 0, qPrintable(explode.err));
        QVERIFY(explode.out.contains(QStringLiteral("exploded: the first inf at depth")));
        QVERIFY(explode.out.contains(QStringLiteral(" inf ")));
        QVERIFY(explode.out.contains(QStringLiteral(" nan")));
        QVERIFY(!explode.out.contains(QStringLiteral("-nan")));
        const CliResult stable =
            runCli({"lab", "matrices", "--init", "he", "--activation", "relu", "--size", "64"});
        QVERIFY(stable.out.contains(QStringLiteral("stayed finite and non-zero")));
        const CliResult bad = runCli({"lab", "matrices", "--depth", "0"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("--depth")), qPrintable(bad.err));
        const CliResult badInit = runCli({"lab", "matrices", "--init", "uniform:2:1"});
        QCOMPARE(badInit.exitCode, 2);
        QVERIFY2(badInit.err.contains(QStringLiteral("--init 'uniform:2:1'")),
                 qPrintable(badInit.err));
    }
};

QTEST_GUILESS_MAIN(TestMatrixLab)
#include "tst_matrix_lab.moc"
