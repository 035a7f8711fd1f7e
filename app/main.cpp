// SPDX-License-Identifier: MIT
#include "commandline.h"
#include "log/eventlog.h"
#include "mainwindow.h"
#include "startupprobe.h"
#include "unixsignals.h"

#include <host/labloader.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>
#include <state/statestore.h>

#include <QApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace Benchtop;

namespace {

/// Whether Qt has somewhere to show a window: without one, QApplication aborts.
bool hasDisplay()
{
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("benchtop.dev"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHTOP_VERSION));
}

int runWindow(const CommandLine &options, PluginRegistry &registry)
{
    QGuiApplication::setDesktopFileName(QStringLiteral("dev.benchtop.Benchtop"));
    LabSession session(registry, std::make_shared<StateStore>(StateStore::defaultDirectory()));
    if (options.watchdog())
        session.setWatchdog(*options.watchdog());
    Ui::MainWindow window(session);
    installStartupProbe(&window);
    // Unsafe plugin folders (already on stderr, from the registry's log) in the window's log too.
    for (const QString &warning : registry.warnings())
        window.log()->add(Ui::EventLog::Category::Plugin, {}, warning);
    window.openLab(options.labPath());
    window.show();
    // Lab errors also go to the terminal, for whoever started it from one.
    for (int row = 0; row < window.log()->rowCount(); ++row) {
        if (window.log()->entry(row).category == Ui::EventLog::Category::Fault)
            std::fprintf(stderr, "%s\n", qPrintable(window.log()->entry(row).message));
    }

    // Ctrl+C or a service manager's stop: close like the close button, state saved, but without
    // asking about unsaved changes to the lab: nobody may be there to answer.
    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::shutdownRequested, &window, [&window](int signal) {
        std::fprintf(stderr,
            "benchtop: %s: closing the lab (state saved); press Ctrl+C again "
            "to quit at once\n",
            signal == SIGINT ? "interrupted" : "asked to stop");
        window.closeWithoutAsking();
    });

    // For scripts and CI: quit on its own after the window has been up this long.
    bool ok = false;
    const int quitAfterMs = qEnvironmentVariableIntValue("BENCHTOP_QUIT_AFTER_MS", &ok);
    if (ok && quitAfterMs >= 0)
        QTimer::singleShot(quitAfterMs, &window, &Ui::MainWindow::closeWithoutAsking);
    return QApplication::exec(); // closing the window closes the lab (state saved)
}

} // namespace

int main(int argc, char *argv[])
{
    // The command line is read first, with no display needed: a usage error, --help, --check
    // and --list-plugins must work on a machine without one.
    CommandLine options;
    std::unique_ptr<QCoreApplication> app = std::make_unique<QCoreApplication>(argc, argv);
    setIdentity();
    if (const int exitCode = options.parse(QCoreApplication::arguments()); exitCode >= 0)
        return exitCode;
    const bool windowed = !options.check() && !options.listPlugins();
    if (windowed) {
        if (!hasDisplay()) {
            std::fputs("benchtop: no display to show the window on (DISPLAY and WAYLAND_DISPLAY "
                       "are not set); --check and --list-plugins need none\n",
                stderr);
            return 2;
        }
        app.reset(); // one application object at a time
        app = std::make_unique<QApplication>(argc, argv);
        setIdentity();
    }
    // Our debug output is for developers who ask for it (QT_LOGGING_RULES overrides this).
    QLoggingCategory::setFilterRules(QStringLiteral("benchtop.*.debug=false"));

    PluginRegistry registry;
    for (const QString &dir : PluginRegistry::defaultSearchPaths())
        registry.addSearchPath(dir);
    for (const QString &dir : options.pluginDirs())
        registry.addSearchPath(dir);
    registry.scan();

    if (options.listPlugins())
        return listPlugins(registry, stdout);
    if (options.check())
        return checkLab(options.labPath(), registry, stdout, stderr);
    return runWindow(options, registry);
}
