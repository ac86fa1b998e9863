// atelier: the studio window. Without a display it says so and exits instead of letting Qt
// abort with a platform-plugin error.
#include "ui/studio/application.h"

int main(int argc, char** argv)
{
    return atelier::ui::runStudio(argc, argv);
}
