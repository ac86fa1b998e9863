// Start-up of the studio: checks for a display, sets the application's identity (settings
// location), opens the main window and, if given, a preset from the command line.
#pragma once

namespace atelier::ui {

int runStudio(int argc, char** argv);

} // namespace atelier::ui
