// Runs a search from the studio: `atelier-cli sweep run` in a child process (each trial in
// turn its own process, as on the command line), or `atelier-cli sweep slurm` to write and
// submit the cluster's job array. The studio uses the CLI's own code path rather than a copy
// of it on a thread: a trial that crashes takes nothing of the studio with it, the folder is
// the one the CLI would write, and the cost is that of `sweep run` itself. Progress is read
// from the sweep folder (SweepMonitor), like a folder a cluster fills.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringDecoder>
#include <memory>

class QTemporaryFile;

namespace atelier::ui {

struct SweepLaunch
{
    QString sweepYaml; // the sweep file's text (its base preset inline)
    QString directory; // the sweep folder: created, or resumed when it holds this sweep
    int jobs = 1;      // trials at once
    int threads = 0;   // per trial (0: the cores split between the jobs)
    qint64 limit = 0;  // training images per trial (0: all)
    QString dataDirectory;
    // Slurm only.
    int maxParallel = 0;
    bool dryRun = false; // write the script, do not submit it
};

class SweepLauncher : public QObject
{
    Q_OBJECT

public:
    explicit SweepLauncher(QObject* parent = nullptr);
    ~SweepLauncher() override;

    // The atelier-cli this studio runs: $ATELIER_CLI, else the one next to the studio's
    // executable, else the one of the build tree the studio was built in.
    static QString cliProgram();

    bool runLocally(const SweepLaunch& launch, QString* error);
    bool submitToSlurm(const SweepLaunch& launch, QString* error);
    bool isRunning() const;
    bool isPaused() const { return m_paused; }
    // The sweep folder of the search started last (absolute), whatever the view shows now.
    QString directory() const { return m_directory; }
    // The `sweep run` process while it runs (0 otherwise), for tests and diagnostics.
    qint64 processId() const { return isRunning() ? m_process->processId() : 0; }
    // Pause holds the search and every trial process where they are (SIGSTOP; memory stays
    // in use); resume continues them. Stop asks `sweep run` to stop as Ctrl-C does: running
    // trials write a checkpoint and are interrupted, and running the search again resumes.
    void pause();
    void resume();
    void stop();
    // Stops and waits (closing the studio): the trials' checkpoints are written.
    void stopAndWait();
    QString output() const { return m_output; } // everything the command printed

Q_SIGNALS:
    void runningChanged(bool running);
    void pausedChanged(bool paused);
    void outputAdded(const QString& text);
    // The command ended: exit code 0 (done), 130 (stopped), -1 (it crashed or was killed),
    // else a failure whose reason is the command's last lines.
    void finished(int exitCode, const QString& lastLines);

private:
    bool start(const QStringList& arguments, const SweepLaunch& launch, QString* error);
    enum class Order
    {
        ParentFirst,   // SIGSTOP: a search held first cannot start a trial the pause misses
        ChildrenFirst, // SIGCONT: trials go on before the search looks at them again
    };
    void signalTree(int signal, Order order) const;

    QProcess* m_process = nullptr;
    std::unique_ptr<QTemporaryFile> m_sweepFile;
    QString m_directory;
    QString m_output;                               // its last kMaxOutput characters
    QStringDecoder m_decoder{QStringDecoder::Utf8}; // a "×" split between two reads stays whole
    bool m_paused = false;
};

} // namespace atelier::ui
