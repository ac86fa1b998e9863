// File ▸ Export Report through atelier-cli.
#include "ui/report/report_export.h"

#include "ui/report/report_writer.h"
#include "ui/search/sweep_launcher.h"

#include <QProcess>

namespace atelier::ui {

ReportExport::ReportExport(QObject* parent) : QObject(parent) {}

ReportExport::~ReportExport()
{
    if (!m_process)
        return;
    m_process->disconnect(this); // nobody may hear of the end any more
    // A report takes a second or two: closing the studio waits for it rather than lose it
    // (or leave its temporary file behind); a hung one is stopped.
    if (!m_process->waitForFinished(30000))
        m_process->kill();
}

bool ReportExport::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool ReportExport::start(const QStringList& folders, const QString& path,
                         const QString& dataDirectory, QString* whyNot)
{
    if (isRunning()) {
        *whyNot = QStringLiteral("A report is being written already (%1).").arg(m_path);
        return false;
    }
    if (!reportFormatForPath(path)) {
        *whyNot = QStringLiteral("%1: a report is written as .html or .pdf.").arg(path);
        return false;
    }
    QStringList arguments{QStringLiteral("report")};
    arguments << folders << QStringLiteral("--out") << path;
    if (!dataDirectory.isEmpty())
        arguments << QStringLiteral("--data") << dataDirectory;
    if (m_process) {
        // The last report's process may still be emitting (this can be called from a slot
        // on finished): never delete it under its own signal.
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    m_process = new QProcess(this);
    m_path = path;
    // Drawn offscreen, as from a terminal: never on this studio's display.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    m_process->setProcessEnvironment(environment);
    QProcess* process = m_process;
    connect(process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus how) {
                const bool ok = how == QProcess::NormalExit && exitCode == 0;
                // Qt's own notes ("QStandardPaths: XDG_RUNTIME_DIR not set") say nothing here;
                // the CLI's own lines are the error, or on success a note (no dataset).
                QStringList lines =
                    QString::fromUtf8(process->readAllStandardError()).trimmed().split('\n');
                lines.removeIf([](const QString& line) {
                    return line.isEmpty() || line.startsWith(QStringLiteral("QStandardPaths"));
                });
                QString message = lines.join(QLatin1Char('\n'));
                if (!ok && message.isEmpty())
                    message =
                        QStringLiteral("atelier-cli report stopped (exit code %1)").arg(exitCode);
                Q_EMIT finished(ok, m_path, message);
            });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) // no finished() follows
            Q_EMIT finished(false, m_path,
                            QStringLiteral("Cannot start %1: %2")
                                .arg(process->program(), process->errorString()));
    });
    m_process->start(SweepLauncher::cliProgram(), arguments);
    return true;
}

} // namespace atelier::ui
