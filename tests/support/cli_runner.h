// Test helper: runs the built atelier-cli and captures its exit code and output.
#pragma once

#include <QProcessEnvironment>
#include <QStringList>

namespace atelier::test {

struct CliResult
{
    int exitCode = -1; // -1: did not finish in time (killed); -2: crashed
    QString out;
    QString err;
};

// The value of a `key: value` line of atelier-cli's stdout ("run", "status", ...).
QString valueOf(const QString& output, const QString& key);

CliResult runCli(const QStringList& arguments,
                 const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                 int timeoutMs = 300000);

} // namespace atelier::test
