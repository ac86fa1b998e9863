// `atelier-cli sweep run SWEEP.yaml --out DIR [--jobs N]`: runs the trials on this machine,
// N at a time, each as its own `atelier-cli sweep trial` process (the code path a Slurm task
// uses) with its output in DIR/logs/. Running it again on the same folder resumes: finished
// trials are kept, interrupted ones continue from their checkpoints. Ctrl-C or SIGTERM stops
// every trial after its batch and leaves the folder resumable (exit 130).
#include "commands.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/stop_signals.h"
#include "sweep_common.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <map>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace atelier::cli {
namespace {

volatile std::sig_atomic_t g_stopRequests = 0;

extern "C" void onSweepStopSignal(int)
{
    g_stopRequests = g_stopRequests + 1;
}

using Clock = std::chrono::steady_clock;

struct RunningTrial
{
    int index = 0;
    Clock::time_point started;
};

// Starts `sweep trial DIR INDEX` with its output appended to DIR/logs/trial-NNNN.log. The
// child gets its own process group, so a terminal's Ctrl-C reaches only this process, which
// passes one SIGTERM on; and SIGTERM when this process dies, however it dies.
pid_t startTrialProcess(const std::string& program, const std::string& directory, int index,
                        int threads, const std::string& dataDirectory)
{
    char logName[48];
    std::snprintf(logName, sizeof logName, "/logs/trial-%04d.log", index);
    const std::string log = directory + logName;
    std::vector<std::string> arguments = {program,
                                          "sweep",
                                          "trial",
                                          directory,
                                          std::to_string(index),
                                          "--threads",
                                          std::to_string(threads)};
    if (!dataDirectory.empty()) {
        arguments.push_back("--data");
        arguments.push_back(dataDirectory);
    }
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0)
        throw InputError(std::string("cannot start a trial process: ") + std::strerror(errno));
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(kExitInterrupted); // the parent died before prctl took effect
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
        }
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        ::execv(program.c_str(), argv.data());
        // Into the trial's log, so that the sweep's report says why (async-signal-safe calls
        // only: this is a forked copy of the parent).
        const char* reason = "atelier-cli sweep: cannot start the trial: exec failed for ";
        (void)!::write(STDERR_FILENO, reason, std::strlen(reason));
        (void)!::write(STDERR_FILENO, program.c_str(), program.size());
        (void)!::write(STDERR_FILENO, "\n", 1);
        ::_exit(127);
    }
    return pid;
}

std::string lastLine(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "r");
    if (!file)
        return "";
    std::string line, last;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, file)) {
        line = buffer;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();
        if (!line.empty())
            last = line;
    }
    std::fclose(file);
    return last;
}

// The trials to start: neither finished nor trained by another process now.
struct Workload
{
    std::vector<int> todo;
    int finished = 0;
    int elsewhere = 0;
};

Workload workloadOf(const SweepFolder& folder, const SweepPlan& plan)
{
    Workload workload;
    for (const TrialRecord& record : readTrials(folder, plan)) {
        if (trialFinished(record.status))
            ++workload.finished;
        else if (record.status == TrialStatus::Running)
            ++workload.elsewhere;
        else
            workload.todo.push_back(record.index);
    }
    return workload;
}

// Keeps `jobs` trial processes busy until every trial of the workload ran, or a stop
// request came and the running ones ended. Prints a line per trial on stderr.
class TrialScheduler
{
public:
    TrialScheduler(const PreparedSweep& sweep, const Workload& workload, int jobs, int threads,
                   const std::string& dataDirectory, bool quiet)
        : m_sweep(sweep), m_workload(workload), m_jobs(jobs), m_threads(threads),
          m_dataDirectory(dataDirectory), m_quiet(quiet), m_program(selfExecutable())
    {}

    void run()
    {
        while (m_next < m_workload.todo.size() || !m_running.empty()) {
            forwardStopRequests();
            startTrials();
            if (m_running.empty())
                break;
            // Polled, not a blocking wait: a stop signal that arrives just before a blocking
            // wait would otherwise go unnoticed until some trial ends.
            int status = 0;
            const pid_t pid = ::waitpid(-1, &status, WNOHANG);
            if (pid == 0 || (pid < 0 && errno == EINTR)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            if (pid < 0)
                throw InputError(std::string("waiting for the trials: ") + std::strerror(errno));
            trialEnded(pid, status);
        }
    }

    const std::vector<std::string>& failures() const { return m_failures; }

private:
    // Each stop request is passed on once: the first stops the trials after their batch, a
    // second ends them at once (they resume from their last completed epoch).
    void forwardStopRequests()
    {
        if (g_stopRequests <= m_forwarded)
            return;
        for (const auto& entry : m_running)
            ::kill(entry.first, SIGTERM);
        m_forwarded = g_stopRequests;
    }

    void startTrials()
    {
        while (g_stopRequests == 0 && m_next < m_workload.todo.size() &&
               int(m_running.size()) < m_jobs) {
            const int index = m_workload.todo[m_next++];
            const pid_t pid =
                startTrialProcess(m_program, m_sweep.directory, index, m_threads, m_dataDirectory);
            m_running[pid] = {index, Clock::now()};
        }
    }

    void trialEnded(pid_t pid, int status)
    {
        const auto found = m_running.find(pid);
        if (found == m_running.end())
            return;
        const RunningTrial trial = found->second;
        m_running.erase(found);
        const double seconds = std::chrono::duration<double>(Clock::now() - trial.started).count();
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (g_stopRequests > 0 && code != 0)
            return; // stopped on request: resumable, reported at the end
        // Any other non-zero exit, 130 included (a trial stopped by a signal sent to it
        // alone), leaves the trial unfinished: reported, never counted as done.
        if (code != 0) {
            char logName[48];
            std::snprintf(logName, sizeof logName, "/logs/trial-%04d.log", trial.index);
            const std::string log = m_sweep.directory + logName;
            const std::string why =
                code == kExitInterrupted
                    ? "stopped by a signal sent to it alone (interrupted, "
                      "resumable)"
                    : "failed (exit " + std::to_string(code) + "): " + lastLine(log);
            m_failures.push_back("trial " + std::to_string(trial.index) + " " + why + "  [" + log +
                                 "]");
            if (!m_quiet)
                std::cerr << "Trial " << trial.index << " " << why << "\n";
            return;
        }
        ++m_done;
        m_secondsDone += seconds;
        if (!m_quiet)
            printProgress(trial.index, seconds);
    }

    void printProgress(int index, double seconds) const
    {
        const SweepSpec& spec = m_sweep.folder.spec;
        const std::vector<TrialRecord> records = readTrials(m_sweep.folder, m_sweep.plan);
        const TrialRecord& record = records[std::size_t(index)];
        const int best = bestTrial(spec, records);
        const std::size_t left = m_workload.todo.size() - std::size_t(m_done) - m_failures.size();
        char line[256];
        std::snprintf(line, sizeof line, "[%d/%zu] trial %d %s in %s: %s",
                      m_workload.finished + m_done, m_sweep.plan.trials.size(), index,
                      trialStatusName(record.status).c_str(), durationText(seconds).c_str(),
                      trialFinished(record.status) ? objectiveText(spec, record).c_str()
                                                   : "no result");
        std::cerr << line;
        if (best >= 0)
            std::cerr << " · best " << objectiveText(spec, records[std::size_t(best)]) << " (trial "
                      << best << ")";
        if (left > 0)
            std::cerr << " · ETA " << durationText(m_secondsDone / m_done * double(left) / m_jobs);
        std::cerr << "\n";
    }

    const PreparedSweep& m_sweep;
    const Workload& m_workload;
    int m_jobs, m_threads;
    std::string m_dataDirectory;
    bool m_quiet;
    std::string m_program;
    std::map<pid_t, RunningTrial> m_running;
    std::size_t m_next = 0;
    int m_done = 0;
    double m_secondsDone = 0;
    int m_forwarded = 0;
    std::vector<std::string> m_failures;
};

// The command that continues this sweep, with the options that matter for it.
std::string resumeCommand(const SweepOptions& options)
{
    std::string command = "atelier-cli sweep run " + shellQuoted(options.sweepFile) + " --out " +
                          shellQuoted(options.directory);
    if (options.jobs > 1)
        command += " --jobs " + std::to_string(options.jobs);
    if (!options.dataDirectory.empty())
        command += " --data " + shellQuoted(options.dataDirectory);
    return command; // --limit and --device are the folder's own (sweep.json)
}

} // namespace

int runSweepLocal(const SweepOptions& options)
{
    // Checked before anything starts: every trial would fail on missing data.
    const std::string dataDirectory =
        options.dataDirectory.empty() ? std::string() : absolutePath(options.dataDirectory);
    requireDataFiles(resolveDataDirectory(dataDirectory));
    const PreparedSweep sweep = prepareSweep(options);
    const SweepSpec& spec = sweep.folder.spec;
    const Workload workload = workloadOf(sweep.folder, sweep.plan);
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const int jobs = std::max(1, std::min<int>(options.jobs, int(workload.todo.size())));
    const int threads = options.threads > 0 ? options.threads : std::max(1, cores / jobs);
    if (!sweep.plan.shortfall.empty())
        std::cerr << "Note: " << sweep.plan.shortfall << "\n";
    std::cerr << "Sweep " << spec.name << ": " << sweep.plan.trials.size() << " trials, "
              << workload.finished << " finished, " << workload.todo.size() << " to run"
              << (workload.elsewhere
                      ? ", " + std::to_string(workload.elsewhere) + " running elsewhere"
                      : "")
              << "; " << jobs << (jobs == 1 ? " job × " : " jobs × ") << threads
              << (threads == 1 ? " thread" : " threads") << "; logs in " << sweep.directory
              << "/logs\n";

    TrialScheduler scheduler(sweep, workload, jobs, threads, dataDirectory, options.quiet);
    {
        const StopSignalHandlers handlers(onSweepStopSignal);
        scheduler.run();
    }

    rebuildTrialsCsv(sweep.folder, sweep.plan);
    const std::vector<TrialRecord> records = readTrials(sweep.folder, sweep.plan);
    int finished = 0;
    for (const TrialRecord& record : records)
        finished += trialFinished(record.status) ? 1 : 0;
    const int best = bestTrial(spec, records);
    std::printf("sweep: %s\ntrials: %zu\nfinished: %d\n", sweep.directory.c_str(),
                sweep.plan.trials.size(), finished);
    if (best >= 0)
        std::printf("best: trial %d, %s, test_accuracy %.4f\n", best,
                    objectiveText(spec, records[std::size_t(best)]).c_str(),
                    records[std::size_t(best)].metrics.testAccuracy);
    if (g_stopRequests > 0) {
        std::cerr << "Interrupted: " << finished << " of " << sweep.plan.trials.size()
                  << " trials finished. Resume with:\n  " << resumeCommand(options) << "\n";
        return kExitInterrupted;
    }
    if (!scheduler.failures().empty()) {
        std::cerr << scheduler.failures().size()
                  << (scheduler.failures().size() == 1 ? " trial did" : " trials did")
                  << " not finish; run the same command again to retry or resume:\n";
        for (const std::string& failure : scheduler.failures())
            std::cerr << "  " << failure << "\n";
        return kExitInternal;
    }
    std::cerr << "Done. Ranked report: atelier-cli sweep report " << options.directory << "\n";
    return kExitOk;
}

} // namespace atelier::cli
