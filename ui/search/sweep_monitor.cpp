// A sweep folder kept current as its trials finish.
#include "ui/search/sweep_monitor.h"

#include "core/sweep_report.h"

#include <QDir>
#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace atelier::ui {

// What a read produces, off the GUI thread.
struct SweepMonitor::Reading
{
    std::optional<SweepFolder> folder;
    SweepPlan plan;
    std::vector<TrialRecord> records;
    SearchTable table;
    QString error;
};

namespace {

SweepMonitor::Reading readFolder(const QString& directory);

} // namespace

SweepMonitor::SweepMonitor(QObject* parent) : QObject(parent), m_poll(new QTimer(this))
{
    connect(m_poll, &QTimer::timeout, this, &SweepMonitor::refreshInBackground);
}

bool SweepMonitor::open(const QString& directory, QString* error)
{
    Reading reading = readFolder(directory);
    if (!reading.folder) {
        if (error)
            *error = reading.error;
        return false;
    }
    ++m_generation;
    apply(std::move(reading));
    return true;
}

void SweepMonitor::openInBackground(const QString& directory)
{
    const quint64 generation = ++m_generation;
    auto* watcher = new QFutureWatcher<Reading>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // another folder was opened (or this one closed) meanwhile
        Reading reading = watcher->result();
        if (!reading.folder) {
            Q_EMIT opened(false, reading.error);
            return;
        }
        apply(std::move(reading));
        Q_EMIT opened(true, QString());
    });
    watcher->setFuture(QtConcurrent::run(readFolder, directory));
}

void SweepMonitor::apply(Reading reading)
{
    Q_EMIT aboutToChangeFolder();
    m_folder = std::move(reading.folder);
    m_plan = std::move(reading.plan);
    m_records = std::move(reading.records);
    m_table = std::move(reading.table);
    Q_EMIT folderChanged();
    Q_EMIT updated();
}

void SweepMonitor::close()
{
    ++m_generation;
    Q_EMIT aboutToChangeFolder();
    m_folder.reset();
    m_plan = {};
    m_records.clear();
    m_table = {};
    Q_EMIT folderChanged();
    Q_EMIT updated();
}

QString SweepMonitor::directory() const
{
    return m_folder ? QString::fromStdString(m_folder->directory) : QString();
}

QString SweepMonitor::trialFolder(int row) const
{
    if (!m_folder || row < 0 || row >= int(m_records.size()))
        return {};
    return QString::fromStdString(trialFolderPath(m_folder->directory, m_records[row].index));
}

namespace {

SweepMonitor::Reading readFolder(const QString& directory)
{
    SweepMonitor::Reading reading;
    try {
        SweepFolder folder = openSweepFolder(QDir(directory).absolutePath().toStdString());
        reading.plan = planSweep(folder.spec);
        reading.records = readTrials(folder, reading.plan);
        reading.table = searchTable(folder.spec, reading.plan, reading.records);
        reading.folder = std::move(folder);
    } catch (const std::exception& failure) {
        reading.error = QString::fromUtf8(failure.what());
    }
    return reading;
}

// The trials of `records` that have not finished, read again; true when any changed.
bool rereadUnfinished(const SweepFolder& folder, std::vector<TrialRecord>& records)
{
    bool changed = false;
    for (TrialRecord& record : records) {
        if (trialFinished(record.status))
            continue;
        TrialRecord now;
        try {
            now = readTrial(folder, record.index);
        } catch (const std::exception&) {
            continue; // half-written by the process finishing it: read again next time
        }
        if (now.status != record.status || now.epochsDone != record.epochsDone ||
            now.problem != record.problem) {
            record = std::move(now);
            changed = true;
        }
    }
    return changed;
}

} // namespace

void SweepMonitor::refresh()
{
    if (!m_folder || !rereadUnfinished(*m_folder, m_records))
        return;
    m_table = searchTable(m_folder->spec, m_plan, m_records);
    Q_EMIT updated();
}

void SweepMonitor::refreshInBackground()
{
    if (!m_folder || m_refreshing)
        return;
    m_refreshing = true;
    const quint64 generation = m_generation;
    // The worker reads copies; the GUI thread's records stay untouched until it is done.
    struct Result
    {
        bool changed = false;
        std::vector<TrialRecord> records;
        SearchTable table;
    };
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        m_refreshing = false;
        Result result = watcher->result();
        if (generation != m_generation || !result.changed)
            return;
        m_records = std::move(result.records);
        m_table = std::move(result.table);
        Q_EMIT updated();
    });
    watcher->setFuture(
        QtConcurrent::run([folder = *m_folder, plan = m_plan, records = m_records]() mutable {
            Result result;
            result.changed = rereadUnfinished(folder, records);
            if (result.changed)
                result.table = searchTable(folder.spec, plan, records);
            result.records = std::move(records);
            return result;
        }));
}

void SweepMonitor::setPollInterval(int milliseconds)
{
    if (milliseconds <= 0) {
        m_poll->stop();
        return;
    }
    m_poll->start(milliseconds);
}

SearchProgress SweepMonitor::progress() const
{
    SearchProgress progress;
    if (!m_folder)
        return progress;
    progress.total = int(m_records.size());
    double finishedSeconds = 0;
    int timed = 0;
    for (const TrialRecord& record : m_records) {
        if (trialFinished(record.status)) {
            ++progress.finished;
            if (record.epochSeconds > 0) {
                finishedSeconds += record.epochSeconds;
                ++timed;
            }
        } else if (record.status == TrialStatus::Running) {
            ++progress.running;
        } else if (record.status == TrialStatus::Interrupted) {
            ++progress.interrupted;
        }
    }
    const std::vector<int> ranked = rankTrials(m_folder->spec, m_records);
    if (!ranked.empty()) {
        progress.bestTrial = ranked.front();
        progress.bestObjective = trialObjective(m_folder->spec, m_records[ranked.front()]);
    }
    const int left = progress.total - progress.finished;
    if (timed > 0 && left > 0 && progress.running > 0)
        progress.secondsLeft = finishedSeconds / timed * left / progress.running;
    return progress;
}

} // namespace atelier::ui
