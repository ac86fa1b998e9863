// `atelier-cli sweep slurm SWEEP.yaml --out DIR`: writes DIR/slurm/sweep.sbatch, a Slurm job
// array with one task per trial still missing, and submits it with sbatch. Each task runs
// `atelier-cli sweep trial DIR $SLURM_ARRAY_TASK_ID` on the shared filesystem; Slurm's time
// limit sends SIGTERM, which leaves the trial resumable, and submitting again runs only what
// is still missing. Slurm schedules; Atelier has no scheduler of its own.
#include "commands.h"
#include "core/atomic_file.h"
#include "core/errors.h"
#include "sweep_commands.h"
#include "sweep_common.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace atelier::cli {
namespace {

// "0-5,7,9-63": the array indices Slurm accepts.
std::string arrayRanges(const std::vector<int>& indices)
{
    std::string text;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1)
            ++j;
        text += (text.empty() ? "" : ",") + std::to_string(indices[i]) +
                (j > i ? "-" + std::to_string(indices[j]) : "");
        i = j + 1;
    }
    return text;
}

std::string batchScript(const SweepFolder& folder, const std::vector<int>& missing,
                        const SweepOptions& options, const std::string& program,
                        const std::string& dataDirectory)
{
    const int cpus = options.threads > 0 ? options.threads : 2;
    std::string script = "#!/bin/bash\n";
    script += "# Written by atelier-cli sweep slurm: one array task per trial still missing.\n";
    script += "# Submitting again (atelier-cli sweep slurm) runs only what is missing then.\n";
    script += "#SBATCH --job-name=atelier-" + folder.spec.name + "\n";
    script += "#SBATCH --array=" + arrayRanges(missing) +
              (options.maxParallel > 0 ? "%" + std::to_string(options.maxParallel) : "") + "\n";
    script += "#SBATCH --output=" + folder.directory + "/logs/slurm-%A_%a.out\n";
    script += "#SBATCH --cpus-per-task=" + std::to_string(cpus) + "\n";
    for (const std::string& argument : options.sbatchArgs)
        script += "#SBATCH " + argument + "\n";
    // exec: Slurm's SIGTERM at the time limit reaches the trainer itself.
    script += "exec " + shellQuoted(program) + " sweep trial " + shellQuoted(folder.directory) +
              " \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-" +
              std::to_string(cpus) + "}\"" +
              (dataDirectory.empty() ? "" : " --data " + shellQuoted(dataDirectory)) + "\n";
    return script;
}

// Runs sbatch and returns its output; throws InputError with what it printed on failure.
std::string submit(const std::string& script)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        throw InputError(std::string("cannot run sbatch: ") + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int error = errno;
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        throw InputError(std::string("cannot run sbatch: ") + std::strerror(error));
    }
    if (pid == 0) {
        ::dup2(pipeFds[1], STDOUT_FILENO);
        ::dup2(pipeFds[1], STDERR_FILENO);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        const char* argv[] = {"sbatch", "--parsable", script.c_str(), nullptr};
        ::execvp("sbatch", const_cast<char* const*>(argv));
        ::_exit(errno == ENOENT ? 127 : 126);
    }
    ::close(pipeFds[1]);
    std::string output;
    char buffer[4096];
    ssize_t got;
    while ((got = ::read(pipeFds[0], buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0)
            output.append(buffer, std::size_t(got));
    ::close(pipeFds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    while (!output.empty() && (output.back() == '\n' || output.back() == ' '))
        output.pop_back();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 127)
        throw InputError("sbatch not found on PATH: is this a Slurm login node? The script is "
                         "written: " +
                         script +
                         " (submit it there with sbatch, or use --dry-run "
                         "to only write it)");
    if (code != 0)
        throw InputError("sbatch failed (exit " + std::to_string(code) +
                         "): " + (output.empty() ? "it printed nothing" : output) +
                         "; the script is " + script);
    return output;
}

} // namespace

int runSweepSlurm(const SweepOptions& options)
{
    // slurm.conf-style #SBATCH lines cannot quote, and Slurm expands % in --output.
    const std::string directory = absolutePath(options.directory);
    if (directory.find_first_of(" \t\n%") != std::string::npos)
        throw InputError(directory + ": a sweep folder for Slurm cannot have spaces or '%' in "
                                     "its path (#SBATCH lines cannot quote it)");
    const PreparedSweep sweep = prepareSweep(options);
    const SweepFolder& folder = sweep.folder;
    const SweepPlan& plan = sweep.plan;
    std::filesystem::create_directories(directory + "/slurm");

    std::vector<int> missing;
    int running = 0;
    for (const TrialRecord& record : readTrials(folder, plan)) {
        if (record.status == TrialStatus::Running)
            ++running;
        else if (!trialFinished(record.status))
            missing.push_back(record.index);
    }
    if (missing.empty()) {
        std::printf("sweep: %s\nnothing to submit: %zu trials finished%s\n", directory.c_str(),
                    plan.trials.size() - std::size_t(running),
                    running ? (", " + std::to_string(running) + " running").c_str() : "");
        return kExitOk;
    }
    const std::string dataDirectory =
        options.dataDirectory.empty() ? std::string() : absolutePath(options.dataDirectory);
    const std::string scriptPath = directory + "/slurm/sweep.sbatch";
    writeFileAtomically(scriptPath,
                        batchScript(folder, missing, options, selfExecutable(), dataDirectory));
    ::chmod(scriptPath.c_str(), 0755);
    std::printf("sweep: %s\nscript: %s\ntasks: %zu of %zu trials\n", directory.c_str(),
                scriptPath.c_str(), missing.size(), plan.trials.size());
    if (options.dryRun) {
        std::fprintf(stderr, "Dry run: not submitted. Submit it with: sbatch %s\n",
                     scriptPath.c_str());
        return kExitOk;
    }
    const std::string jobId = submit(scriptPath);
    std::printf("job: %s\n", jobId.c_str());
    std::fprintf(stderr, "Submitted. Follow it with: atelier-cli sweep status %s\n",
                 options.directory.c_str());
    return kExitOk;
}

} // namespace atelier::cli
