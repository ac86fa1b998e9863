// `atelier-cli sweep run SWEEP.yaml --out DIR [--jobs N]`: runs the trials on this machine,
// N at a time, each as its own `atelier-cli sweep trial` process (the code path a Slurm task
// uses) with its output in DIR/logs/. Running it again on the same folder resumes: finished
// trials are kept, interrupted ones continue from their checkpoints. Ctrl-C or SIGTERM stops
// every trial after its batch and leaves the folder resumable (exit 130).
#include "commands.h"
#include "core/dataset.h"
#include "core/errors.h"
#include "core/stop_signals.h"
#include "sweep_commands.h"
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

// One `sweep run` per folder at a time: two would start the same trials.
class SweepRunLock
{
public:
    explicit SweepRunLock(const std::string& directory)
        : m_fd(::open((directory + "/.run.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
    {
        if (m_fd < 0)
            throw InputError(directory + "/.run.lock: cannot create: " + std::strerror(errno));
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0)
            throw InputError(directory + ": another `atelier-cli sweep run` works on this "
                                         "folder now");
    }
    ~SweepRunLock() { ::close(m_fd); }

private:
    int m_fd;
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
    std::vector<std::string> arguments = {program, "sweep", "trial", directory,
                                          std::to_string(index), "--threads",
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

} // namespace

int runSweepLocal(const SweepOptions& options)
{
    const SweepSpec spec = loadSweep(options.sweepFile);
    SweepPlan plan = planSweep(spec);
    if (plan.trials.empty())
        throw InputError(options.sweepFile + ": no trial is a trainable model (see "
                                             "`atelier-cli sweep plan`)");
    // Checked before anything starts: every trial would fail on missing data.
    const std::string dataDirectory =
        options.dataDirectory.empty() ? std::string() : absolutePath(options.dataDirectory);
    requireDataFiles(resolveDataDirectory(dataDirectory));

    SweepSettings settings;
    settings.limit = std::size_t(options.limit);
    settings.device = options.device;
    std::string note;
    const std::string directory = absolutePath(options.directory);
    const SweepFolder folder = prepareSweepFolder(directory, spec, settings, note);
    const SweepRunLock runLock(directory);
    std::filesystem::create_directories(directory + "/logs");

    const std::vector<TrialRecord> before = readTrials(folder, plan);
    std::vector<int> todo;
    int finished = 0, elsewhere = 0;
    for (const TrialRecord& record : before) {
        if (trialFinished(record.status))
            ++finished;
        else if (record.status == TrialStatus::Running)
            ++elsewhere;
        else
            todo.push_back(record.index);
    }
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const int jobs = std::max(1, std::min<int>(options.jobs, int(todo.size())));
    const int threads = options.threads > 0 ? options.threads : std::max(1, cores / jobs);
    if (!note.empty())
        std::cerr << "Note: " << note << "\n";
    if (!plan.shortfall.empty())
        std::cerr << "Note: " << plan.shortfall << "\n";
    std::cerr << "Sweep " << spec.name << ": " << plan.trials.size() << " trials, " << finished
              << " finished, " << todo.size() << " to run"
              << (elsewhere ? ", " + std::to_string(elsewhere) + " running elsewhere" : "")
              << "; " << jobs << (jobs == 1 ? " job × " : " jobs × ") << threads
              << (threads == 1 ? " thread" : " threads") << "; logs in " << directory
              << "/logs\n";

    const std::string program = selfExecutable();
    const StopSignalHandlers handlers(onSweepStopSignal);
    std::map<pid_t, RunningTrial> running;
    std::size_t next = 0;
    int done = 0, failed = 0;
    double secondsDone = 0;
    int forwarded = 0;
    std::vector<std::string> failures;
    while (next < todo.size() || !running.empty()) {
        if (g_stopRequests > forwarded) {
            // Each stop request passed on once: the first stops the trials after their batch,
            // a second ends them at once.
            for (const auto& [pid, trial] : running)
                ::kill(pid, SIGTERM);
            forwarded = g_stopRequests;
        }
        while (g_stopRequests == 0 && next < todo.size() && int(running.size()) < jobs) {
            const int index = todo[next++];
            const pid_t pid =
                startTrialProcess(program, directory, index, threads, dataDirectory);
            running[pid] = {index, Clock::now()};
        }
        if (running.empty())
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
        const auto found = running.find(pid);
        if (found == running.end())
            continue;
        const RunningTrial trial = found->second;
        running.erase(found);
        const double seconds =
            std::chrono::duration<double>(Clock::now() - trial.started).count();
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        char logName[48];
        std::snprintf(logName, sizeof logName, "/logs/trial-%04d.log", trial.index);
        if (g_stopRequests > 0 && code != 0)
            continue; // stopped on request: resumable, reported below
        // Any other non-zero exit, 130 included (a trial stopped by a signal sent to it
        // alone), leaves the trial unfinished: reported, never counted as done.
        if (code != 0) {
            ++failed;
            const std::string why = code == kExitInterrupted
                                        ? "stopped by a signal sent to it alone (interrupted, "
                                          "resumable)"
                                        : "failed (exit " + std::to_string(code) +
                                              "): " + lastLine(directory + logName);
            failures.push_back("trial " + std::to_string(trial.index) + " " + why + "  [" +
                               directory + logName + "]");
            if (!options.quiet)
                std::cerr << "Trial " << trial.index << " " << why << "\n";
            continue;
        }
        ++done;
        secondsDone += seconds;
        if (!options.quiet) {
            const std::vector<TrialRecord> records = readTrials(folder, plan);
            const TrialRecord& record = records[std::size_t(trial.index)];
            const int best = bestTrial(spec, records);
            const std::size_t left = todo.size() - std::size_t(done + failed);
            const double eta = secondsDone / done * double(left) / jobs;
            char line[256];
            std::snprintf(line, sizeof line, "[%d/%zu] trial %d %s in %s: %s", finished + done,
                          plan.trials.size(), trial.index, trialStatusName(record.status).c_str(),
                          durationText(seconds).c_str(),
                          trialFinished(record.status) ? objectiveText(spec, record).c_str()
                                                       : "no result");
            std::cerr << line;
            if (best >= 0)
                std::cerr << " · best " << objectiveText(spec, records[std::size_t(best)])
                          << " (trial " << best << ")";
            if (left > 0)
                std::cerr << " · ETA " << durationText(eta);
            std::cerr << "\n";
        }
    }

    rebuildTrialsCsv(folder, plan);
    const std::vector<TrialRecord> records = readTrials(folder, plan);
    int finishedNow = 0;
    for (const TrialRecord& record : records)
        finishedNow += trialFinished(record.status) ? 1 : 0;
    const int best = bestTrial(spec, records);
    std::printf("sweep: %s\ntrials: %zu\nfinished: %d\n", directory.c_str(), plan.trials.size(),
                finishedNow);
    if (best >= 0)
        std::printf("best: trial %d, %s, test_accuracy %.4f\n", best,
                    objectiveText(spec, records[std::size_t(best)]).c_str(),
                    records[std::size_t(best)].metrics.testAccuracy);
    if (g_stopRequests > 0) {
        std::cerr << "Interrupted: " << finishedNow << " of " << plan.trials.size()
                  << " trials finished. Resume with the same command:\n  atelier-cli sweep run "
                  << options.sweepFile << " --out " << options.directory << "\n";
        return kExitInterrupted;
    }
    if (failed > 0) {
        std::cerr << failed << (failed == 1 ? " trial did" : " trials did")
                  << " not finish; run the same command again to retry or resume:\n";
        for (const std::string& failure : failures)
            std::cerr << "  " << failure << "\n";
        return kExitInternal;
    }
    std::cerr << "Done. Ranked report: atelier-cli sweep report " << options.directory << "\n";
    return kExitOk;
}

} // namespace atelier::cli
