// Pieces of the training loop:
// - batch augmentation (core/training_steps.cpp): the shifted crops, taken in one gather on
//   the device, are exactly the per-image crops they replaced (drawn from the same seeded
//   generator in the same order), with and without flips; the border is the background
//   value; the generator advances by two draws per image;
// - the one-cycle learning rate: PyTorch's OneCycleLR values with its defaults.
#include "core/internal/training_state.h"
#include "core/internal/training_steps.h"
#include "core/random.h"

#include <QtTest>

using namespace atelier;

namespace {

namespace F = torch::nn::functional;

// The crops as they were taken before: pad, then each image narrowed at its own offset.
torch::Tensor cropImageByImage(const torch::Tensor& images, std::int64_t shift, float background,
                               std::mt19937_64& rng)
{
    const std::int64_t n = images.size(0);
    const torch::Tensor padded = F::pad(
        images,
        F::PadFuncOptions({shift, shift, shift, shift}).mode(torch::kConstant).value(background));
    std::vector<torch::Tensor> crops;
    for (std::int64_t i = 0; i < n; ++i) {
        const auto dy = std::int64_t(uniformIndex(rng, std::uint64_t(2 * shift + 1)));
        const auto dx = std::int64_t(uniformIndex(rng, std::uint64_t(2 * shift + 1)));
        crops.push_back(padded[i].narrow(1, dy, 28).narrow(2, dx, 28));
    }
    return torch::stack(crops).reshape({n, 784});
}

} // namespace

class TestTrainingSteps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shiftsAreThePerImageCrops_data()
    {
        QTest::addColumn<int>("shift");
        QTest::addColumn<bool>("flip");
        QTest::newRow("shift 1") << 1 << false;
        QTest::newRow("shift 3") << 3 << false;
        QTest::newRow("shift 8, flips") << 8 << true;
    }

    void shiftsAreThePerImageCrops()
    {
        QFETCH(int, shift);
        QFETCH(bool, flip);
        torch::manual_seed(3);
        const std::int64_t n = 37;
        const torch::Tensor batch = torch::rand({n, 784});
        const float background = -0.42f; // standardized data: the background is not 0
        std::mt19937_64 rng(99);
        std::mt19937_64 referenceRng = rng;

        torch::manual_seed(5); // the flips' draws
        const torch::Tensor augmented =
            augmentBatch(batch, Augmentation{flip, shift}, background, rng);

        torch::manual_seed(5);
        torch::Tensor images = batch.view({n, 1, 28, 28});
        if (flip) {
            const torch::Tensor flips = torch::rand({n, 1, 1, 1}).lt(0.5);
            images = torch::where(flips, images.flip({3}), images);
        }
        const torch::Tensor expected = cropImageByImage(images, shift, background, referenceRng);

        QCOMPARE(augmented.sizes(), expected.sizes());
        QVERIFY(torch::equal(augmented, expected));
        QCOMPARE(rng(), referenceRng()); // the same number of draws
        // Some image moved, and what came in at its border is background.
        QVERIFY(!torch::equal(augmented, batch));
        QVERIFY(augmented.eq(background).any().item<bool>());
    }

    // torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=10, pct_start=0.3,
    // anneal_strategy="cos", cycle_momentum=False), printed by Python's PyTorch 1.13.
    void oneCycleIsPyTorchsOneCycleLr()
    {
        const double expected[] = {0.0040000000000000036,
                                   0.052000000000000005,
                                   0.1,
                                   0.09504846320134738,
                                   0.0811745653949763,
                                   0.06112620219362893,
                                   0.03887419780637107,
                                   0.0188258346050237,
                                   0.004951936798652629,
                                   4e-07};
        for (int step = 0; step < 10; ++step)
            QVERIFY2(std::abs(oneCycleRate(0.1, 0.3, step, 10) - expected[step]) < 1e-12,
                     qPrintable(QString::number(step)));
    }

    void oneCycleEdges()
    {
        // One batch in all: PyTorch's answer is the final rate.
        QVERIFY(std::abs(oneCycleRate(0.05, 0.3, 0, 1) - 2e-7) < 1e-18);
        // Warm-up ending at batch 0, where PyTorch divides by zero: the start, then down.
        QCOMPARE(oneCycleRate(0.05, 0.1, 0, 10), 0.05 / 25);
        QCOMPARE(oneCycleRate(0.05, 0.1, 9, 10), 0.05 / 25 / 1e4);
        const double second = oneCycleRate(0.05, 0.1, 1, 10);
        QVERIFY(second < 0.05 && second > oneCycleRate(0.05, 0.1, 2, 10));
    }
};

QTEST_GUILESS_MAIN(TestTrainingSteps)
#include "tst_training_steps.moc"
