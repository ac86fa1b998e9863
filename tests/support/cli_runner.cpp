// Running atelier-cli as a child process for the CLI suites.
#include "support/cli_runner.h"

#include <QProcess>
#include <QRegularExpression>

namespace atelier::test {

QString valueOf(const QString& output, const QString& key)
{
    const QRegularExpression line("^" + key + ": (.*)$", QRegularExpression::MultilineOption);
    return line.match(output).captured(1).trimmed();
}

CliResult runCli(const QStringList& arguments, const QProcessEnvironment& environment,
                 int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(ATELIER_CLI_PATH, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    CliResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace atelier::test
