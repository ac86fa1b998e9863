// The report of a search.
#include "ui/report/search_report.h"

#include "core/errors.h"
#include "core/run_folder.h"
#include "core/sweep_report.h"
#include "ui/report/report_format.h"
#include "ui/report/run_report.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/parameter_effects_chart.h"
#include "ui/search/search_scale.h"
#include "ui/search/sweep_monitor.h"
#include "ui/widgets/layer_text.h"

#include <QDir>
#include <QPainter>
#include <cmath>

namespace atelier::ui {
namespace {

constexpr QSize kWideFigure(1100, 560); // one axis or panel per parameter

QString methodText(const SweepSpec& spec, const SweepPlan& plan)
{
    if (spec.method == SweepMethod::Grid)
        return QStringLiteral("grid: every one of %1 combinations")
            .arg(countText(std::int64_t(plan.gridPoints)));
    QString space =
        plan.continuous
            ? QStringLiteral("a space with ranges")
            : QStringLiteral("a %1-point grid").arg(countText(std::int64_t(plan.gridPoints)));
    QString size = spec.fraction > 0
                       ? QStringLiteral("%1 of %2").arg(percentText(spec.fraction), space)
                       : QStringLiteral("%1 trials from %2").arg(spec.trials).arg(space);
    return QStringLiteral("random: %1, seed %2").arg(size).arg(spec.seed);
}

ReportTable rankedTable(const SweepMonitor& search, const std::vector<int>& ranked)
{
    const SearchTable& columns = search.table();
    ReportTable table;
    table.header << QStringLiteral("Rank") << QStringLiteral("Trial");
    table.numeric = {true, true};
    for (const SearchColumn& column : columns.columns) {
        table.header << shortColumnName(column.name);
        table.numeric.push_back(column.numeric);
    }
    table.header << columns.objectiveName << QStringLiteral("test acc.")
                 << QStringLiteral("epochs (best)") << QStringLiteral("seconds");
    table.numeric.insert(table.numeric.end(), {true, true, true, true});
    const bool lossObjective = search.folder().spec.objective == SweepObjective::ValLoss;
    for (std::size_t r = 0; r < ranked.size() && int(r) < kReportedTrials; ++r) {
        const int row = ranked[r];
        const TrialRecord& trial = search.records()[std::size_t(row)];
        QStringList cells{QString::number(r + 1), QString::number(trial.index)};
        for (int c = 0; c < int(columns.columns.size()); ++c)
            cells << columns.valueText(row, c);
        const double objective = columns.rows[std::size_t(row)].objective;
        cells << (lossObjective ? decimalText(objective, 4) : percentText(objective))
              << percentText(trial.metrics.testAccuracy)
              << QStringLiteral("%1 (%2)").arg(trial.metrics.epochsRun).arg(trial.metrics.bestEpoch)
              << QString::number(std::lround(trial.metrics.trainSeconds));
        table.rows.push_back(cells);
    }
    table.highlightedRow = table.rows.empty() ? -1 : 0;
    table.caption = QStringLiteral("Ranked by %1 on the dev split (the test set chose "
                                   "nothing). Seconds: training time, validation excluded.")
                        .arg(columns.objectiveName);
    if (int(ranked.size()) > kReportedTrials)
        table.caption += QStringLiteral(" The first %1 of %2 finished trials; trials.csv in the "
                                        "sweep folder lists every one.")
                             .arg(kReportedTrials)
                             .arg(ranked.size());
    return table;
}

ReportTable effectsTable(const SearchTable& columns, bool lossObjective)
{
    auto value = [lossObjective](double v) {
        return lossObjective ? decimalText(v, 4) : percentText(v);
    };
    ReportTable table;
    table.header = {QStringLiteral("Parameter"), QStringLiteral("Value"),
                    QStringLiteral("Trials"),    QStringLiteral("Mean"),
                    QStringLiteral("Std. dev."), QStringLiteral("Spearman ρ")};
    table.numeric = {false, false, true, true, true, true};
    for (const ParameterSummary& summary : summarizeParameters(columns)) {
        const QString name = shortColumnName(columns.columns[std::size_t(summary.column)].name);
        const QString rho =
            summary.spearman ? decimalText(*summary.spearman, 2) : QStringLiteral("–");
        if (summary.groups.empty()) // a range: one line for all its trials
            table.rows.push_back({name, QStringLiteral("(range)"),
                                  QString::number(summary.overall.trials),
                                  value(summary.overall.mean), value(summary.overall.stddev), rho});
        for (std::size_t g = 0; g < summary.groups.size(); ++g) {
            const EffectGroup& group = summary.groups[g];
            table.rows.push_back({g == 0 ? name : QString(), group.label,
                                  QString::number(group.trials), value(group.mean),
                                  value(group.stddev), g == 0 ? rho : QString()});
        }
    }
    table.caption = QStringLiteral(
        "Per value, the finished trials' mean objective and its spread; for numbers, Spearman's "
        "rank correlation with the objective. ρ measures a steady trend only: a parameter whose "
        "middle value is best gets a small ρ, so read it with the means. In a random share of "
        "the grid each mean also mixes in the other parameters' values.");
    return table;
}

} // namespace

ReportDocument searchReport(const QString& sweepFolder, std::shared_ptr<const FashionMnist> data)
{
    SweepMonitor search;
    QString error;
    if (!search.open(sweepFolder, &error))
        throw InputError(error.toStdString());
    const SweepSpec& spec = search.folder().spec;
    const std::vector<int> ranked = rankTrials(spec, search.records());
    const SearchProgress progress = search.progress();
    const bool lossObjective = spec.objective == SweepObjective::ValLoss;

    ReportDocument report;
    report.title = QStringLiteral("Search %1").arg(qs(spec.name));
    report.subtitle = qs(spec.description);

    report.heading(1, QStringLiteral("Search"));
    ReportFacts facts;
    facts.emplace_back(QStringLiteral("Sweep folder"), QDir(sweepFolder).absolutePath());
    facts.emplace_back(QStringLiteral("Method"), methodText(spec, search.plan()));
    QStringList parameters;
    for (const SearchColumn& column : search.table().columns)
        parameters << shortColumnName(column.name);
    facts.emplace_back(QStringLiteral("Parameters"), parameters.join(QStringLiteral(", ")));
    facts.emplace_back(QStringLiteral("Objective"),
                       QStringLiteral("%1, %2 is better")
                           .arg(search.table().objectiveName, lossObjective
                                                                  ? QStringLiteral("lower")
                                                                  : QStringLiteral("higher")));
    int diverged = 0;
    double seconds = 0;
    for (const TrialRecord& trial : search.records()) {
        diverged += trial.status == TrialStatus::Diverged;
        if (trialFinished(trial.status))
            seconds += trial.metrics.trainSeconds;
    }
    QString trials = QStringLiteral("%1 of %2 finished").arg(progress.finished).arg(progress.total);
    if (diverged > 0)
        trials += QStringLiteral(" (%1 diverged)").arg(diverged);
    if (progress.running > 0)
        trials += QStringLiteral(", %1 running").arg(progress.running);
    if (progress.interrupted > 0)
        trials += QStringLiteral(", %1 interrupted").arg(progress.interrupted);
    facts.emplace_back(QStringLiteral("Trials"), trials);
    facts.emplace_back(QStringLiteral("Training time"),
                       QStringLiteral("%1 in all (validation excluded)").arg(secondsText(seconds)));
    if (!ranked.empty()) {
        const TrialRecord& best = search.records()[std::size_t(ranked.front())];
        const double objective = search.table().rows[std::size_t(ranked.front())].objective;
        facts.emplace_back(
            QStringLiteral("Best trial"),
            QStringLiteral("trial %1: %2 %3, test accuracy %4")
                .arg(best.index)
                .arg(search.table().objectiveName,
                     lossObjective ? decimalText(objective, 4) : percentText(objective),
                     percentText(best.metrics.testAccuracy)));
    }
    report.facts(facts);

    report.heading(2, QStringLiteral("Trials ranked"));
    if (ranked.empty())
        report.paragraph(QStringLiteral("No trial has finished yet."));
    else
        report.table(rankedTable(search, ranked));

    auto parallel = std::make_shared<ParallelCoordinatesChart>();
    auto effects = std::make_shared<ParameterEffectsChart>();
    parallel->setTable(search.table());
    effects->setTable(search.table());
    report.heading(2, QStringLiteral("Trials by parameter"));
    report.figure(
        {QStringLiteral("Trials by parameter"), kWideFigure,
         [parallel](QPainter& p, const QRectF& area) { parallel->renderFigure(&p, area); },
         QStringLiteral("Parallel coordinates: one line per finished trial through "
                        "its parameter values to its objective (right), coloured by "
                        "the objective.")});
    report.heading(2, QStringLiteral("Effect of each parameter"));
    report.figure({QStringLiteral("Objective by parameter"), kWideFigure,
                   [effects](QPainter& p, const QRectF& area) { effects->renderFigure(&p, area); },
                   QStringLiteral("Each panel: the objective of every finished trial by the "
                                  "parameter's value, with the mean per value.")});
    report.table(effectsTable(search.table(), lossObjective));

    if (!ranked.empty()) {
        const TrialRecord& best = search.records()[std::size_t(ranked.front())];
        const RunRecord run = loadRun(QDir(sweepFolder).filePath(qs(best.folder)).toStdString());
        ReportFacts values; // what this trial tried
        const SearchTable& columns = search.table();
        for (int c = 0; c < int(columns.columns.size()); ++c)
            values.emplace_back(shortColumnName(columns.columns[std::size_t(c)].name),
                                columns.valueText(ranked.front(), c));
        addRunSections(
            report, run, std::move(data), RunDetail::Full,
            QStringLiteral("Best trial: trial %1 (%2)").arg(best.index).arg(qs(best.folder)),
            values);
    }
    return report;
}

} // namespace atelier::ui
