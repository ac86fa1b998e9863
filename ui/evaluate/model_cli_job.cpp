// runCliJob: one QProcess per job, deleted later (never under its own signal).
#include "ui/evaluate/model_cli_job.h"

#include "ui/search/sweep_launcher.h"

#include <QProcess>
#include <memory>

namespace atelier::ui {

void runCliJob(QObject* owner, const QStringList& arguments,
               std::function<void(const CliOutcome&)> done)
{
    auto* process = new QProcess(owner);
    auto reported = std::make_shared<bool>(false);
    auto report = [process, reported, done](CliOutcome outcome) {
        if (*reported)
            return;
        *reported = true;
        process->deleteLater();
        done(outcome);
    };
    QObject::connect(
        process, &QProcess::finished, owner,
        [process, report](int exitCode, QProcess::ExitStatus how) {
            CliOutcome outcome;
            outcome.ok = how == QProcess::NormalExit && exitCode == 0;
            outcome.out = QString::fromUtf8(process->readAllStandardOutput());
            QStringList lines =
                QString::fromUtf8(process->readAllStandardError()).trimmed().split('\n');
            lines.removeIf([](const QString& line) {
                return line.isEmpty() || line.startsWith(QStringLiteral("QStandardPaths"));
            });
            // "atelier-cli: " starts every error line; the studio names itself.
            for (QString& line : lines)
                if (line.startsWith(QStringLiteral("atelier-cli: ")))
                    line.remove(0, 13);
            outcome.message = lines.join('\n');
            if (!outcome.ok && outcome.message.isEmpty())
                outcome.message =
                    QStringLiteral("atelier-cli stopped (exit code %1)").arg(exitCode);
            report(outcome);
        });
    QObject::connect(process, &QProcess::errorOccurred, owner,
                     [process, report](QProcess::ProcessError error) {
                         if (error != QProcess::FailedToStart) // finished() follows
                             return;
                         report({false,
                                 {},
                                 QStringLiteral("Cannot start %1: %2")
                                     .arg(process->program(), process->errorString())});
                     });
    process->start(SweepLauncher::cliProgram(), arguments);
}

} // namespace atelier::ui
