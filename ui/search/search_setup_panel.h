// Where the user builds a search: the base preset, a table of parameters (key paths and their
// values or ranges), the method, the number of trials, the seed and the objective, with a
// live summary (problems with their lines, space size, trials, points that are not trainable
// models and why) computed off the GUI thread after every change, and an estimated duration
// on request. It edits the SweepDraft it is given and launches nothing: the Search view puts
// its Run buttons beside it and takes the sweep from validSweep().
#pragma once

#include "core/sweep.h"

#include <QWidget>
#include <functional>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;

namespace atelier::ui {

class PresetDocument;
class SweepDraft;
class SweepParameterModel;
struct SweepSummary;

class SearchSetupPanel : public QWidget
{
    Q_OBJECT

public:
    // How the estimate times the sweep: what a run would use.
    struct EstimateSettings
    {
        int jobs = 1;
        int threads = 0;          // per trial; 0: the cores divided between the jobs
        long long imageLimit = 0; // 0: every training image
        QString dataDirectory;    // "" the default place
        QString cliPath;          // atelier-cli, to time its start; "" assumes 0.3 s
    };

    // A sweep without problems: what a run takes.
    struct ValidSweep
    {
        SweepSpec spec;
        QString yaml;
    };

    SearchSetupPanel(SweepDraft* draft, PresetDocument* document, QWidget* parent = nullptr);

    SweepDraft* draft() const { return m_draft; }
    QTableView* table() const { return m_table; }
    SweepParameterModel* parameterModel() const { return m_model; }
    QPushButton* estimateButton() const { return m_estimateButton; }
    QString summaryText() const;
    QString estimateText() const;
    // The last refusal or error (a path searched twice, a file that did not open); "" if none.
    QString messageText() const;
    // Whether the summary shown is of the draft as it is now (no change since it was made).
    bool summaryIsCurrent() const { return m_shownGeneration == m_generation; }

    // The draft as it is now, when it has a base and no problems.
    std::optional<ValidSweep> validSweep() const;

    // Read when "Estimate Duration" is pressed; without one: 1 job, all cores, all images.
    void setEstimateSettingsSource(std::function<EstimateSettings()> source);
    // The estimate trains a few steps (and reseeds LibTorch's generator): the Search view
    // turns it off while a training runs, saying why.
    void setEstimateAllowed(bool allowed, const QString& why = {});

public Q_SLOTS:
    void useCurrentPreset();
    bool openSweep(const QString& path);
    bool saveSweepAs(const QString& path);
    // A row for `keyPath` starting from the base preset's value there.
    bool addParameter(const QString& keyPath);
    void removeSelectedParameters();
    void estimateDuration();

Q_SIGNALS:
    // After each summary of the current draft: whether it can run.
    void summaryUpdated(bool valid);
    void estimateFinished(const QString& text);

private:
    QWidget* buildSourceRow();
    QWidget* buildParameters();
    QWidget* buildMethod();
    QWidget* buildSummary();
    void draftChanged();
    void refreshControls();
    void startSummary();
    void showSummary(const SweepSummary& summary);
    void showMessage(const QString& text);

    SweepDraft* m_draft;
    PresetDocument* m_document;
    SweepParameterModel* m_model = nullptr;
    QLabel* m_baseLabel = nullptr;
    QLineEdit* m_name = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_newPath = nullptr;
    QComboBox* m_method = nullptr;
    QComboBox* m_count = nullptr;
    QDoubleSpinBox* m_fraction = nullptr;
    QSpinBox* m_trials = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_objective = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_summary = nullptr;
    QPlainTextEdit* m_yaml = nullptr;
    QPushButton* m_estimateButton = nullptr;
    QLabel* m_estimate = nullptr;
    QTimer* m_summaryTimer = nullptr;
    std::function<EstimateSettings()> m_estimateSettings;
    bool m_estimateAllowed = true;
    bool m_estimating = false;
    quint64 m_generation = 0;      // one per change of the draft
    quint64 m_shownGeneration = 0; // of the summary on screen
};

} // namespace atelier::ui
