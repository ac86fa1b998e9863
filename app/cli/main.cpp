// atelier-cli: headless front end of the studio. Progress goes to stderr, results to stdout.
#include "commands.h"
#include "core/errors.h"
#include "core/preset.h"
#include "core/version_info.h"

#include <iostream>
#include <vector>

using namespace atelier;

int main(int argc, char** argv)
{
    CLI::App app{"Atelier: train and compare image classifiers on Fashion-MNIST", "atelier-cli"};
    app.require_subcommand(1, 1);
    // Asked only when --version is given: with CUDA compiled in, the answer starts CUDA.
    app.set_version_flag(
        "--version", [] { return versionText("atelier-cli"); },
        "Print the version, the LibTorch version and the devices, and exit");

    const std::vector<cli::Command> commands = {
        cli::addDataCommand(app),   cli::addSummaryCommand(app), cli::addTrainCommand(app),
        cli::addEvalCommand(app),   cli::addExportCommand(app),  cli::addReportCommand(app),
        cli::addSweepCommand(app),  cli::addLabCommand(app),     cli::addExportModelCommand(app),
        cli::addPredictCommand(app)};

    // CLI11 reports a misspelt command as "a subcommand is required"; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
        bool known = false;
        std::string names;
        for (const cli::Command& command : commands) {
            known = known || command.parser->get_name() == argv[1];
            names += (names.empty() ? "" : ", ") + command.parser->get_name();
        }
        if (!known) {
            std::cerr << "atelier-cli: unknown command '" << argv[1] << "'; commands: " << names
                      << "\n"
                      << "Run 'atelier-cli --help' for usage.\n";
            return cli::kExitBadInput;
        }
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "atelier-cli: " << e.what() << "\n"
                  << "Run 'atelier-cli --help' for usage.\n";
        return cli::kExitBadInput;
    }

    try {
        for (const cli::Command& command : commands)
            if (command.parser->parsed())
                return command.run();
        return cli::kExitBadInput;
    } catch (const PresetError& e) {
        for (const PresetProblem& problem : e.problems())
            std::cerr << problem.toString() << "\n";
        return cli::kExitBadInput;
    } catch (const InputError& e) {
        std::cerr << "atelier-cli: " << e.what() << "\n";
        return cli::kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "atelier-cli: internal error: " << e.what() << "\n";
        return cli::kExitInternal;
    }
}
