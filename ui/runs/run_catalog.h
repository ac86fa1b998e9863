// The runs the studio knows, owned in one place: those started since the studio opened, the
// run folders on disk, and sweep trials opened from the Search view; the one training now;
// and the selection (several runs overlay on the Train view's charts, the current one is what
// the Evaluate view and export show). Views read from it and follow its signals; only the
// catalog changes a RunData, on the GUI thread, from the TrainingController's signals.
#pragma once

#include "ui/runs/run_data.h"

#include <QList>
#include <QObject>
#include <memory>
#include <vector>

namespace atelier::ui {

class TrainingController;
struct BatchUpdate;
struct EpochUpdate;
struct RunFinished;
struct RunStarted;
struct TrainingJob;

class RunCatalog : public QObject
{
    Q_OBJECT

public:
    explicit RunCatalog(TrainingController* training, QObject* parent = nullptr);

    int count() const { return int(m_runs.size()); }
    std::shared_ptr<RunData> run(int index) const { return m_runs.at(std::size_t(index)); }
    int indexOf(const RunData* run) const;
    int indexOfFolder(const QString& folder) const; // -1 when not listed

    int add(std::shared_ptr<RunData> run); // returns its index
    // Reads every run folder directly inside `directory` that is not listed yet; returns how
    // many were added. Folders without results are listed too, as incomplete (resumable when
    // a checkpoint can continue them), training elsewhere, or damaged (with the reason).
    int addFolders(const QString& directory);
    // Lists one run folder (a sweep trial, a folder the user picked) under `name`, or reads
    // it again when it is listed and not training here (a trial that finished meanwhile);
    // returns its index.
    int addFolder(const QString& folder, const QString& name = {});

    // Trains `job` on the controller; `run` is what the catalog shows for it until the
    // worker reports (a new run, or the stopped run being resumed). False, with the reason,
    // when a training is running.
    bool train(const TrainingJob& job, std::shared_ptr<RunData> run, QString* whyNot);
    std::shared_ptr<RunData> live() const { return m_live; }

    // The selection, in catalog indices; `current` (one of them, or -1 for the last) is the
    // run the Evaluate view shows.
    void select(const QList<int>& indices, int current = -1);
    QList<int> selection() const { return m_selection; }
    std::vector<std::shared_ptr<RunData>> selectedRuns() const;
    std::shared_ptr<RunData> currentRun() const { return m_current; }

Q_SIGNALS:
    void runAdded(int index);
    // A run's data changed: its status, an epoch, its end, or it was read again.
    void runChanged(const atelier::ui::RunData* run);
    // The live run's batch losses and layer-statistics samples grew (charts only; arrives up
    // to 20 times a second).
    void batchesAdded(const atelier::ui::RunData* run);
    void selectionChanged();
    void currentRunChanged(std::shared_ptr<atelier::ui::RunData> run);
    void statusMessage(const QString& message);

private:
    void onStarted(const RunStarted& started);
    void onBatch(const BatchUpdate& update);
    void onEpoch(const EpochUpdate& update);
    void onFinished(const RunFinished& finished);
    void onFailed(const QString& message);
    void onPaused(bool paused);
    void setCurrent(std::shared_ptr<RunData> run);

    TrainingController* m_training;
    std::vector<std::shared_ptr<RunData>> m_runs;
    std::shared_ptr<RunData> m_live;
    bool m_liveIsResumed = false; // m_live is a stopped run that was continued
    QList<int> m_selection;
    std::shared_ptr<RunData> m_current;
};

} // namespace atelier::ui
