// The subcommands of atelier-cli. Each registers its options on the app and returns the
// function that runs it; errors are thrown (InputError → exit 2, others → exit 1).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace atelier::cli {

// Exit codes shared with DESIGN.md: scripts and the studio rely on them.
enum ExitCode
{
    kExitOk = 0,
    kExitInternal = 1,
    kExitBadInput = 2,
    kExitInterrupted = 130,
};

struct Command
{
    CLI::App* parser = nullptr; // the subcommand, to ask whether it was chosen
    std::function<int()> run;
};

Command addDataCommand(CLI::App& app);
Command addSummaryCommand(CLI::App& app);
Command addTrainCommand(CLI::App& app);
Command addEvalCommand(CLI::App& app);
Command addExportCommand(CLI::App& app);
Command addReportCommand(CLI::App& app);
Command addSweepCommand(CLI::App& app);
Command addLabCommand(CLI::App& app);
Command addExportModelCommand(CLI::App& app);
Command addPredictCommand(CLI::App& app);

} // namespace atelier::cli
