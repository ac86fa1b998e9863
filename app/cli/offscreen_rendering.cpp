// Qt offscreen for the drawing commands, and their optional dataset.
#include "offscreen_rendering.h"

#include "common.h"
#include "core/errors.h"

#include <clocale>
#include <iostream>

namespace atelier::cli {

std::unique_ptr<QApplication> startOffscreenApplication()
{
    // Rendering needs a QApplication but never a window: no display required.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "atelier-cli";
    static char* argv[] = {name, nullptr};
    auto app = std::make_unique<QApplication>(argc, argv);
    std::setlocale(LC_NUMERIC, "C"); // QApplication took the environment's; core needs "C"
    return app;
}

std::shared_ptr<const FashionMnist> datasetForFigures(const std::string& directory,
                                                      const std::string& leftOut)
{
    try {
        return std::make_shared<const FashionMnist>(
            loadFashionMnist(resolveDataDirectory(directory)));
    } catch (const DataError& error) {
        std::cerr << "atelier-cli: " << error.what() << "\n(" << leftOut << " are left out)\n";
        return nullptr;
    }
}

} // namespace atelier::cli
