// `atelier-cli sweep run` and `sweep slurm` started from the studio.
#include "ui/search/sweep_launcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>
#include <csignal>
#include <unistd.h>

namespace atelier::ui {
namespace {

// What `finished` quotes of the command's output when it fails, and what is kept of it.
constexpr int kLastLines = 6;
constexpr qsizetype kMaxOutput = 64 * 1024;

QString lastLines(const QString& text)
{
    QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    if (lines.size() > kLastLines)
        lines = lines.mid(lines.size() - kLastLines);
    return lines.join(QLatin1Char('\n'));
}

// The processes `pid` started (Linux: /proc/PID/task/PID/children).
QList<pid_t> childrenOf(pid_t pid)
{
    QList<pid_t> children;
    QFile file(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return children;
    for (const QByteArray& field : file.readAll().split(' '))
        if (const int child = field.trimmed().toInt(); child > 0)
            children.append(pid_t(child));
    return children;
}

} // namespace

SweepLauncher::SweepLauncher(QObject* parent) : QObject(parent) {}

SweepLauncher::~SweepLauncher()
{
    // Nobody may hear of the end any more: the object listening may be half destroyed.
    if (m_process)
        m_process->disconnect(this);
    stopAndWait();
}

QString SweepLauncher::cliProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("ATELIER_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString nextToStudio =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("atelier-cli"));
    if (QFileInfo(nextToStudio).isExecutable())
        return nextToStudio;
#ifdef ATELIER_BUILD_CLI_PATH
    if (QFileInfo(QStringLiteral(ATELIER_BUILD_CLI_PATH)).isExecutable())
        return QStringLiteral(ATELIER_BUILD_CLI_PATH);
#endif
    return QStringLiteral("atelier-cli"); // from PATH
}

bool SweepLauncher::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool SweepLauncher::runLocally(const SweepLaunch& launch, QString* error)
{
    QStringList arguments = {
        QStringLiteral("sweep"),     QStringLiteral("run"), QString(),
        QStringLiteral("--out"),     launch.directory,      QStringLiteral("--jobs"),
        QString::number(launch.jobs)};
    if (launch.threads > 0)
        arguments << QStringLiteral("--threads") << QString::number(launch.threads);
    return start(arguments, launch, error);
}

bool SweepLauncher::submitToSlurm(const SweepLaunch& launch, QString* error)
{
    QStringList arguments = {QStringLiteral("sweep"), QStringLiteral("slurm"), QString(),
                             QStringLiteral("--out"), launch.directory};
    if (launch.threads > 0)
        arguments << QStringLiteral("--threads") << QString::number(launch.threads);
    if (launch.maxParallel > 0)
        arguments << QStringLiteral("--max-parallel") << QString::number(launch.maxParallel);
    if (launch.dryRun)
        arguments << QStringLiteral("--dry-run");
    return start(arguments, launch, error);
}

bool SweepLauncher::start(const QStringList& arguments, const SweepLaunch& launch, QString* error)
{
    auto refuse = [error](const QString& reason) {
        if (error)
            *error = reason;
        return false;
    };
    if (isRunning())
        return refuse(QStringLiteral("A search is already running from this studio."));
    if (launch.directory.isEmpty())
        return refuse(QStringLiteral("Choose a folder for the search's results."));
    // The sweep file the command reads: the draft as it is now, kept until the command ends
    // (a resumed search is checked against the folder's own copy).
    auto file = std::make_unique<QTemporaryFile>(QDir::tempPath() +
                                                 QStringLiteral("/atelier-sweep-XXXXXX.yaml"));
    if (!file->open() || file->write(launch.sweepYaml.toUtf8()) < 0 || !file->flush())
        return refuse(QStringLiteral("Cannot write the sweep file to %1: %2")
                          .arg(QDir::tempPath(), file->errorString()));
    QStringList full = arguments;
    full[2] = file->fileName();
    if (launch.limit > 0)
        full << QStringLiteral("--limit") << QString::number(launch.limit);
    if (!launch.dataDirectory.isEmpty())
        full << QStringLiteral("--data") << launch.dataDirectory;

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_output.clear();
    m_decoder.resetState();
    m_paused = false;
    m_directory = launch.directory;
    connect(m_process, &QProcess::readyRead, this, [this] {
        const QString text = m_decoder.decode(m_process->readAll());
        m_output += text;
        if (m_output.size() > kMaxOutput)
            m_output.remove(0, m_output.size() - kMaxOutput);
        Q_EMIT outputAdded(text);
    });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus how) {
        m_sweepFile.reset();
        if (m_paused) {
            m_paused = false;
            Q_EMIT pausedChanged(false);
        }
        Q_EMIT runningChanged(false);
        Q_EMIT finished(how == QProcess::NormalExit ? exitCode : -1, lastLines(m_output));
    });
    m_process->start(cliProgram(), full);
    if (!m_process->waitForStarted(10000))
        return refuse(
            QStringLiteral("Cannot start %1: %2").arg(cliProgram(), m_process->errorString()));
    m_sweepFile = std::move(file);
    Q_EMIT runningChanged(true);
    return true;
}

void SweepLauncher::signalTree(int signal, Order order) const
{
    if (!isRunning())
        return;
    // Each trial runs in its own process group (so a terminal's Ctrl-C reaches only the
    // search): the trials are signalled one by one, as /proc lists them.
    const pid_t pid = pid_t(m_process->processId());
    if (order == Order::ParentFirst)
        ::kill(pid, signal);
    for (pid_t child : childrenOf(pid))
        ::kill(child, signal);
    if (order == Order::ChildrenFirst)
        ::kill(pid, signal);
}

void SweepLauncher::pause()
{
    if (!isRunning() || m_paused)
        return;
    signalTree(SIGSTOP, Order::ParentFirst);
    m_paused = true;
    Q_EMIT pausedChanged(true);
}

void SweepLauncher::resume()
{
    if (!m_paused)
        return;
    signalTree(SIGCONT, Order::ChildrenFirst);
    m_paused = false;
    Q_EMIT pausedChanged(false);
}

void SweepLauncher::stop()
{
    if (!isRunning())
        return;
    resume(); // a stopped process cannot act on SIGINT
    // To the search alone: it passes one SIGTERM to each trial, which checkpoints and exits.
    ::kill(pid_t(m_process->processId()), SIGINT);
}

void SweepLauncher::stopAndWait()
{
    if (!isRunning())
        return;
    stop();
    if (!m_process->waitForFinished(120000)) {
        m_process->kill(); // the trials get SIGTERM from the kernel (PR_SET_PDEATHSIG)
        m_process->waitForFinished(5000);
    }
}

} // namespace atelier::ui
