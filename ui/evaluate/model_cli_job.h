// Model work the studio hands to atelier-cli (export-model, predict): building a run's network
// in the studio's process would reseed and draw from LibTorch's global random generator, the
// one a training run in this process draws its dropout masks from, and the run would no
// longer reproduce from its seed. A separate process also keeps the window responsive.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

namespace atelier::ui {

struct CliOutcome
{
    bool ok = false;
    QString out;     // stdout
    QString message; // the CLI's own error lines (Qt's start-up notes left out), or why it
                     // could not start
};

// Runs `atelier-cli arguments...` in the background; `done` runs on the GUI thread when it
// has finished, unless `owner` was destroyed first (the process is then killed).
void runCliJob(QObject* owner, const QStringList& arguments,
               std::function<void(const CliOutcome&)> done);

} // namespace atelier::ui
