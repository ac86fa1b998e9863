// `atelier-cli export` and `report` in a build without the studio (no Qt, e.g. a GPU box): the
// figures are drawn by the studio's code, so the command says what is missing instead.
#include "commands.h"
#include "core/errors.h"

namespace atelier::cli {

Command addExportCommand(CLI::App& app)
{
    CLI::App* command =
        app.add_subcommand("export", "Write a run's figures (needs a build with the studio)");
    command->allow_extras();
    return {command, []() -> int {
                throw InputError("export: this atelier-cli was built without the studio "
                                 "(-DATELIER_BUILD_GUI=OFF); build with Qt 6 to export figures");
            }};
}

Command addReportCommand(CLI::App& app)
{
    CLI::App* command =
        app.add_subcommand("report", "Write a report (needs a build with the studio)");
    command->allow_extras();
    return {command, []() -> int {
                throw InputError("report: this atelier-cli was built without the studio "
                                 "(-DATELIER_BUILD_GUI=OFF); build with Qt 6 to write reports");
            }};
}

} // namespace atelier::cli
