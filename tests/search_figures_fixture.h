// A fabricated search for the Search view's figure suites: a sweep with a categorical choice,
// log-uniform and integer ranges and two lists of numbers, planned for real, with trial
// records whose statuses follow a fixed pattern and whose accuracy depends on the parameters.
#pragma once

#include "sweep_spec_helpers.h"
#include "ui/export/figure_export.h"
#include "ui/search/search_table.h"

#include <QApplication>
#include <QImage>
#include <QPalette>
#include <cmath>
#include <string>
#include <vector>

namespace atelier::test {

using ui::FigurePainter;
using ui::SearchRow;
using ui::SearchTable;

// A categorical choice, a log-uniform and an integer range, listed numbers with a zero (a
// linear axis) and listed numbers spanning 256× (a log axis).
inline std::string sweepYaml(int trials, const char* objective)
{
    return kBase + "method: random\ntrials: " + std::to_string(trials) +
           "\nseed: 7\nobjective: " + objective + R"(
space:
  optimizer:
    path: training.optimizer
    values:
      sgd: {type: sgd, learning_rate: 0.01, momentum: 0.9}
      adam: {type: adam, learning_rate: 0.001}
  training.optimizer.learning_rate: {log_uniform: [0.0001, 0.1]}
  model.layers[1].units: {int: [16, 40]}
  dropout:
    paths: ["model.layers[2].rate", "model.layers[4].rate"]
    values: [0.0, 0.2, 0.4]
  training.batch_size: [1, 16, 256]
)";
}

enum Column
{
    Optimizer,
    LearningRate,
    Units,
    Dropout,
    BatchSize,
};

// Statuses in a fixed pattern (a few pending, running, interrupted and diverged trials), and
// for the completed ones an accuracy that depends on every parameter plus a little noise.
inline std::vector<TrialRecord> fabricateRecords(const SweepPlan& plan)
{
    std::vector<TrialRecord> records;
    for (const TrialConfig& trial : plan.trials) {
        const int i = trial.index;
        TrialRecord record;
        record.index = i;
        record.folder = QStringLiteral("trials/%1").arg(i, 4, 10, QLatin1Char('0')).toStdString();
        record.status = i % 13 == 4   ? TrialStatus::Pending
                        : i % 17 == 6 ? TrialStatus::Diverged
                        : i % 29 == 8 ? TrialStatus::Running
                        : i % 31 == 9 ? TrialStatus::Interrupted
                                      : TrialStatus::Completed;
        const double noise = std::sin(i * 12.9898) * 0.01;
        const double lr = *trial.numbers[LearningRate];
        const double accuracy = 0.80 + (trial.labels[Optimizer] == "adam" ? 0.03 : 0.0) -
                                0.015 * std::abs(std::log10(lr) + 3) +
                                0.002 * (*trial.numbers[Units] - 16) -
                                0.05 * *trial.numbers[Dropout] + noise;
        if (record.status == TrialStatus::Completed || record.status == TrialStatus::Diverged) {
            record.metrics.status = trialStatusName(record.status);
            record.metrics.devAccuracy = accuracy;
            record.metrics.devLoss =
                record.status == TrialStatus::Diverged ? std::nan("") : 1.5 - accuracy;
            record.metrics.testAccuracy = accuracy - 0.005;
        }
        records.push_back(record);
    }
    return records;
}

struct Search
{
    SweepSpec spec;
    SweepPlan plan;
    std::vector<TrialRecord> records;
    SearchTable table;
};

inline Search makeSearch(int trials, const char* objective = "val_accuracy")
{
    Search search;
    search.spec = parsedOk(sweepYaml(trials, objective));
    search.plan = planSweep(search.spec);
    search.records = fabricateRecords(search.plan);
    search.table = ui::searchTable(search.spec, search.plan, search.records);
    return search;
}

// Rows whose value on `axis` (the objective after the parameters) lies in [low, high].
inline std::vector<int> rowsInside(const SearchTable& table, int axis, double low, double high,
                                   const std::vector<int>& among)
{
    std::vector<int> rows;
    for (const int r : among) {
        const SearchRow& row = table.rows[std::size_t(r)];
        const double v =
            axis == int(table.columns.size()) ? row.objective : row.values[std::size_t(axis)];
        if (v >= low && v <= high)
            rows.push_back(r);
    }
    return rows;
}

inline std::vector<int> allRows(const SearchTable& table)
{
    std::vector<int> rows(table.rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        rows[r] = int(r);
    return rows;
}

// Pixels that differ from the figure's background: something was drawn.
inline int inkedPixels(const QImage& image)
{
    const QRgb background = QApplication::palette().color(QPalette::Base).rgb();
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            count += (image.pixel(x, y) | 0xff000000) != (background | 0xff000000);
    return count;
}

template <typename Chart> FigurePainter painterOf(Chart& chart)
{
    return [&chart](QPainter& painter, const QRectF& area) { chart.renderFigure(&painter, area); };
}

} // namespace atelier::test
