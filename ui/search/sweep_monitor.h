// A sweep folder as the Search view sees it: its space, its plan and every trial's state,
// kept current while trials finish — trials this studio started, or those a Slurm cluster
// or another terminal is running into the same folder. Refreshing re-reads only the trials
// that have not finished (a finished trial never changes), so a folder of 2,000 trials costs
// one directory's worth of small reads per refresh, not 2,000. Opening and polling read on a
// worker thread (planning 2,000 trials takes a fifth of a second, a cluster's shared
// filesystem can be slow): the GUI thread only takes the finished result.
#pragma once

#include "core/sweep_folder.h"
#include "ui/search/search_table.h"

#include <QObject>
#include <QString>
#include <optional>

class QTimer;

namespace atelier::ui {

struct SearchProgress
{
    int total = 0;                     // trials in the plan
    int finished = 0;                  // completed or diverged
    int running = 0;                   // a process holds the trial now
    int interrupted = 0;               // stopped with epochs left (resumable)
    std::optional<int> bestTrial;      // index into records(), by the objective
    double bestObjective = 0;          // when bestTrial
    std::optional<double> secondsLeft; // mean finished-trial time × trials left / parallel
};

class SweepMonitor : public QObject
{
    Q_OBJECT

public:
    explicit SweepMonitor(QObject* parent = nullptr);

    // A read's result, made on a worker thread (public for the reading functions).
    struct Reading;

    // Reads the sweep folder at `directory`; false with the reason (what is missing or
    // damaged, from core) when it is not one. The folder shown before stays shown then.
    bool open(const QString& directory, QString* error);
    // The same on a worker thread: returns at once, then emits opened().
    void openInBackground(const QString& directory);
    void close();
    bool isOpen() const { return m_folder.has_value(); }
    QString directory() const;

    const SweepFolder& folder() const { return *m_folder; }
    const SweepPlan& plan() const { return m_plan; }
    const std::vector<TrialRecord>& records() const { return m_records; }
    const SearchTable& table() const { return m_table; }
    SearchProgress progress() const;
    // The run folder of trial `row` (plan order), absolute.
    QString trialFolder(int row) const;

    // Re-reads the trials that have not finished; emits updated() when any changed.
    void refresh();
    // The same on a worker thread (what polling does).
    void refreshInBackground();
    // Refreshes every `milliseconds` while open, on a worker thread (0: only when asked).
    void setPollInterval(int milliseconds);

Q_SIGNALS:
    // Another folder (or none) is about to be shown, and now is: its trials are others.
    void aboutToChangeFolder();
    void folderChanged();
    // What is shown changed: another folder, or trials of this one that finished or moved on.
    void updated();
    void opened(bool ok, const QString& error);

private:
    void apply(Reading reading);

    std::optional<SweepFolder> m_folder;
    SweepPlan m_plan;
    std::vector<TrialRecord> m_records;
    SearchTable m_table;
    QTimer* m_poll;
    // Each read started is numbered: a result older than the newest open or close is dropped.
    quint64 m_generation = 0;
    bool m_refreshing = false;
};

} // namespace atelier::ui
