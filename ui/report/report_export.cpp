// File ▸ Export Report through atelier-cli.
#include "ui/report/report_export.h"

#include "ui/report/report_writer.h"
#include "ui/search/sweep_launcher.h"

#include <QProcess>

namespace atelier::ui {

ReportExport::ReportExport(QObject* parent) : QObject(parent) {}

ReportExport::~ReportExport()
{
    if (m_process) {
        m_process->disconnect(this); // nobody may hear of the end any more
        m_process->kill();           // a half-written report is never renamed into place
        m_process->waitForFinished(3000);
    }
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
    delete m_process;
    m_process = new QProcess(this);
    m_path = path;
    // Drawn offscreen, as from a terminal: never on this studio's display.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    m_process->setProcessEnvironment(environment);
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus how) {
        const bool ok = how == QProcess::NormalExit && exitCode == 0;
        QString message = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
        // Qt's own notes ("QStandardPaths: XDG_RUNTIME_DIR not set") are not the reason.
        QStringList lines = message.split(QLatin1Char('\n'));
        lines.removeIf(
            [](const QString& line) { return line.startsWith(QStringLiteral("QStandardPaths")); });
        message = ok ? m_path : lines.join(QLatin1Char('\n'));
        if (!ok && message.isEmpty())
            message = QStringLiteral("atelier-cli report stopped (exit code %1)").arg(exitCode);
        Q_EMIT finished(ok, m_path, message);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT finished(false, m_path,
                            QStringLiteral("Cannot start %1: %2")
                                .arg(m_process->program(), m_process->errorString()));
    });
    m_process->start(SweepLauncher::cliProgram(), arguments);
    return true;
}

} // namespace atelier::ui
