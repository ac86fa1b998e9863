// The Search view's summary and duration estimate (see sweep_summary.h).
#include "ui/search/sweep_summary.h"

#include "core/sweep_estimate.h"
#include "core/text_format.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>
#include <exception>

namespace atelier::ui {
namespace {

// Reasons for invalid points listed in full; the rest are counted.
constexpr std::size_t kReasonsShown = 5;

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString count(std::uint64_t n)
{
    return qs(withThousands(std::int64_t(n)));
}

QString methodText(const SweepSpec& spec)
{
    if (spec.method == SweepMethod::Grid)
        return QStringLiteral("grid: every point");
    if (spec.fraction > 0)
        return QStringLiteral("random: %1% of the grid, seed %2")
            .arg(spec.fraction * 100, 0, 'g', 4)
            .arg(spec.seed);
    return QStringLiteral("random: %1 trials, seed %2").arg(spec.trials).arg(spec.seed);
}

QString problemsText(const SweepSummary& summary)
{
    QStringList lines = {summary.problems.size() == 1
                             ? QStringLiteral("1 problem:")
                             : QStringLiteral("%1 problems:").arg(summary.problems.size())};
    for (const PresetProblem& problem : summary.problems)
        lines << QStringLiteral("  ") + qs(problem.toString());
    return lines.join(QLatin1Char('\n'));
}

QString planText(const SweepSpec& spec, const SweepPlan& plan)
{
    QStringList lines;
    lines << QStringLiteral("Space: %1 parameter%2, %3")
                 .arg(spec.parameters.size())
                 .arg(spec.parameters.size() == 1 ? "" : "s")
                 .arg(plan.continuous ? QStringLiteral("with ranges (no finite grid)")
                                      : QStringLiteral("%1 grid point%2")
                                            .arg(count(plan.gridPoints))
                                            .arg(plan.gridPoints == 1 ? "" : "s"));
    lines << QStringLiteral("Trials: %1 (%2)").arg(count(plan.trials.size()), methodText(spec));
    lines << QStringLiteral("Not trainable: %1 of %2 point%3 checked")
                 .arg(count(plan.invalid), count(plan.examined))
                 .arg(plan.examined == 1 ? "" : "s");
    for (std::size_t i = 0; i < plan.invalidReasons.size() && i < kReasonsShown; ++i) {
        const InvalidReason& reason = plan.invalidReasons[i];
        TrialConfig example;
        example.labels = reason.example;
        lines << QStringLiteral("  %1 × %2").arg(count(reason.count), qs(reason.reason));
        lines << QStringLiteral("      e.g. %1").arg(qs(describeTrial(spec, example)));
    }
    if (plan.invalidReasons.size() > kReasonsShown)
        lines << QStringLiteral("  … and %1 more reasons")
                     .arg(plan.invalidReasons.size() - kReasonsShown);
    if (!plan.shortfall.empty())
        lines << QStringLiteral("Note: ") + qs(plan.shortfall);
    return lines.join(QLatin1Char('\n'));
}

// Seconds for `program --version` to start and exit; kDefaultStartSeconds when it fails.
double startSeconds(const QString& program)
{
    if (program.isEmpty())
        return kDefaultStartSeconds;
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(program, {QStringLiteral("--version")});
    if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        return kDefaultStartSeconds;
    return double(timer.nsecsElapsed()) / 1e9;
}

} // namespace

SweepSummary summarizeSweep(const QString& yaml, const QString& fileName,
                            const QString& baseDirectory)
{
    SweepSummary summary;
    summary.yaml = yaml;
    SweepParseResult parsed =
        parseSweep(yaml.toStdString(), fileName.toStdString(), baseDirectory.toStdString());
    summary.problems = std::move(parsed.problems);
    if (!summary.problems.empty()) {
        summary.text = problemsText(summary);
        return summary;
    }
    summary.spec = std::move(parsed.spec);
    try {
        summary.plan = planSweep(summary.spec, InvalidCount::WholeGrid);
    } catch (const std::exception& e) {
        summary.text = QStringLiteral("The plan failed: %1").arg(qs(e.what()));
        return summary;
    }
    summary.text = planText(summary.spec, *summary.plan);
    return summary;
}

QString estimateDurationText(const DurationRequest& request)
{
    try {
        const SweepParseResult parsed =
            parseSweep(request.yaml.toStdString(), request.fileName.toStdString(), "");
        if (!parsed.problems.empty())
            return QStringLiteral("No estimate: the sweep has problems (see above).");
        const SweepPlan plan = planSweep(parsed.spec);
        if (plan.trials.empty())
            return QStringLiteral("No estimate: the sweep has no trainable trial.");
        SweepEstimateOptions options;
        options.jobs = request.jobs;
        options.threads = request.threads;
        options.imageLimit = request.imageLimit;
        options.processStartSeconds = startSeconds(request.cliPath);
        options.dataDirectory = request.dataDirectory.toStdString();
        const SweepEstimate e = estimateSweepDuration(plan, options);
        return QStringLiteral(
                   "At most %1 with %2 job%3 × %4 thread%5 on this machine (every trial running "
                   "all its epochs; early stopping ends most sooner).\n"
                   "A training step costs %6 µs per image in trial %7 (smallest) and %8 µs in "
                   "trial %9 (largest); each trial also takes %10 s to start and %11 s to load "
                   "the data.")
            .arg(qs(durationText(e.wallSeconds)))
            .arg(request.jobs)
            .arg(request.jobs == 1 ? "" : "s")
            .arg(e.threads)
            .arg(e.threads == 1 ? "" : "s")
            .arg(e.smallestMicrosecondsPerImage, 0, 'f', 1)
            .arg(e.smallestTrial)
            .arg(e.largestMicrosecondsPerImage, 0, 'f', 1)
            .arg(e.largestTrial)
            .arg(e.startSeconds, 0, 'f', 1)
            .arg(e.loadSeconds, 0, 'f', 1);
    } catch (const std::exception& e) {
        return QStringLiteral("No estimate: %1").arg(qs(e.what()));
    }
}

} // namespace atelier::ui
