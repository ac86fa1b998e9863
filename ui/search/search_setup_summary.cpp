// The Search setup's live summary and its duration estimate, both computed on a pool thread
// from a copy of the sweep's YAML (a result that arrives after a newer change is dropped),
// and what the panel tells the Search view and tests.
#include "ui/search/search_setup_panel.h"
#include "ui/search/sweep_draft.h"
#include "ui/search/sweep_summary.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>

namespace atelier::ui {

void SearchSetupPanel::startSummary()
{
    const quint64 generation = m_generation;
    const QString yaml = m_draft->toYaml();
    const QString path = m_draft->filePath();
    const QString fileName = path.isEmpty() ? QStringLiteral("sweep.yaml") : path;
    const QString directory = path.isEmpty() ? QString() : QFileInfo(path).path();
    auto* watcher = new QFutureWatcher<SweepSummary>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == m_generation) // else a newer summary is on its way
            showSummary(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(summarizeSweep, yaml, fileName, directory));
}

void SearchSetupPanel::showSummary(const SweepSummary& summary)
{
    QString text = summary.text;
    if (!m_draft->hasBase())
        text = QStringLiteral("No base preset yet: press From Current Preset, or open a sweep "
                              "file.\n") +
               text;
    m_summary->setText(text);
    m_yaml->setPlainText(summary.yaml);
    m_shownGeneration = m_generation;
    Q_EMIT summaryUpdated(m_draft->hasBase() && summary.valid());
}

void SearchSetupPanel::estimateDuration()
{
    if (m_estimating || !m_estimateAllowed)
        return;
    const EstimateSettings settings =
        m_estimateSettings ? m_estimateSettings() : EstimateSettings{};
    DurationRequest request;
    request.yaml = m_draft->toYaml();
    request.fileName =
        m_draft->filePath().isEmpty() ? QStringLiteral("sweep.yaml") : m_draft->filePath();
    request.jobs = std::max(1, settings.jobs);
    request.threads = settings.threads;
    request.imageLimit = settings.imageLimit;
    request.cliPath = settings.cliPath;
    request.dataDirectory = settings.dataDirectory;
    m_estimating = true;
    m_estimateButton->setEnabled(false);
    m_estimate->setText(
        QStringLiteral("Timing a few training steps of the smallest and the largest trial…"));
    const quint64 generation = m_generation;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        m_estimating = false;
        m_estimateButton->setEnabled(m_estimateAllowed);
        const QString text = generation == m_generation
                                 ? watcher->result()
                                 : QStringLiteral("The sweep changed while it was timed: "
                                                  "estimate again.");
        m_estimate->setText(text);
        Q_EMIT estimateFinished(text);
    });
    watcher->setFuture(QtConcurrent::run(estimateDurationText, request));
}

QString SearchSetupPanel::summaryText() const
{
    return m_summary->text();
}

QString SearchSetupPanel::estimateText() const
{
    return m_estimate->text();
}

QString SearchSetupPanel::messageText() const
{
    return m_message->text();
}

void SearchSetupPanel::setEstimateSettingsSource(std::function<EstimateSettings()> source)
{
    m_estimateSettings = std::move(source);
}

void SearchSetupPanel::setEstimateAllowed(bool allowed, const QString& why)
{
    m_estimateAllowed = allowed;
    m_estimateButton->setEnabled(allowed && !m_estimating);
    m_estimateButton->setToolTip(
        allowed ? QStringLiteral("Times a few training steps of the smallest and the largest "
                                 "trial on this machine")
                : why);
}

std::optional<SearchSetupPanel::ValidSweep> SearchSetupPanel::validSweep() const
{
    if (!m_draft->hasBase())
        return std::nullopt;
    SweepParseResult parsed = m_draft->parse();
    if (!parsed.problems.empty())
        return std::nullopt;
    return ValidSweep{std::move(parsed.spec), m_draft->toYaml()};
}

} // namespace atelier::ui
