// SPDX-License-Identifier: MIT
// benchtopd: the lab's devices without a window, each served as a yaq daemon on its `port`.
#include "daemon.h"
#include "unixsignals.h"

#include <plugins/pluginregistry.h>
#include <state/statestore.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <csignal>
#include <cstdio>

using namespace Benchtop;

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "benchtopd: %s\n", qPrintable(line));
}

} // namespace

int main(int argc, char *argv[])
{
    // No window, so no need for GLib's event loop: Qt's own is faster for many small socket
    // events (bench_yaq: about 20-45% more calls a second). The user's choice wins.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("benchtop.dev"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHTOP_VERSION));
    QLoggingCategory::setFilterRules(QStringLiteral("benchtop.*.debug=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs a lab's devices without a window and serves each device that has a \"port\" in "
        "the lab file as a yaq daemon (yaq.fyi) on that port."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lab(
        QStringLiteral("lab"), QStringLiteral("The lab FILE (TOML)."), QStringLiteral("FILE"));
    const QCommandLineOption bind(QStringLiteral("bind"),
        QStringLiteral("Listen on ADDR (default 127.0.0.1: this computer only). yaq has no "
                       "authentication: bind to a trusted network's address only."),
        QStringLiteral("ADDR"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption pluginDir(QStringLiteral("plugin-dir"),
        QStringLiteral("Also load driver plugins from DIR (repeatable)."), QStringLiteral("DIR"));
    const QCommandLineOption watchdog(QStringLiteral("loop-watchdog"),
        QStringLiteral("Log a step that holds the device loop longer than MS milliseconds "
                       "(default 20; 0: off)."),
        QStringLiteral("MS"), QStringLiteral("20"));
    parser.addOptions({lab, bind, pluginDir, watchdog});
    if (!parser.parse(QCoreApplication::arguments())) {
        say(parser.errorText());
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.isSet(lab)) {
        say(QStringLiteral("--lab FILE is required (see --help)"));
        return 2;
    }
    Daemon::Options options;
    options.labPath = parser.value(lab);
    if (!options.bind.setAddress(parser.value(bind))) {
        say(QStringLiteral("--bind: \"%1\" is not an IP address").arg(parser.value(bind)));
        return 2;
    }
    bool ok = false;
    const int watchdogMs = parser.value(watchdog).toInt(&ok);
    if (!ok || watchdogMs < 0) {
        say(QStringLiteral("--loop-watchdog: \"%1\" is not a number of milliseconds")
                .arg(parser.value(watchdog)));
        return 2;
    }
    options.watchdog = std::chrono::milliseconds(watchdogMs);

    // Before anything is said or served: a SIGTERM that follows any line we print must find
    // the handler in place (it is then handled once the loop runs), not kill us unsaved.
    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::shutdownRequested, &app, [](int signal) {
        say(QStringLiteral("%1: shutting down (state saved); press Ctrl+C again to quit at once")
                .arg(signal == SIGINT ? QStringLiteral("interrupted")
                                      : QStringLiteral("asked to stop")));
        QCoreApplication::quit();
    });

    PluginRegistry registry;
    for (const QString &dir : PluginRegistry::defaultSearchPaths())
        registry.addSearchPath(dir);
    for (const QString &dir : parser.values(pluginDir))
        registry.addSearchPath(dir);
    registry.scan();

    Daemon daemon(registry, std::make_shared<StateStore>(StateStore::defaultDirectory()), options);
    QObject::connect(&daemon, &Daemon::logLine, &say);
    QStringList errors;
    const bool serving = daemon.start(&errors);
    for (const QString &error : std::as_const(errors))
        say(error);
    if (!serving) {
        say(QStringLiteral("nothing to serve; exiting"));
        return 1;
    }
    for (const QString &line : daemon.served())
        say(QStringLiteral("serving ") + line);
    if (!options.bind.isLoopback()) {
        say(QStringLiteral("listening on %1, not only this computer: yaq has no authentication, "
                           "so anyone who can reach this address can move these instruments")
                .arg(options.bind.toString()));
    }

    QObject::connect(&daemon, &Daemon::finished, &app, [] {
        say(QStringLiteral("every daemon was shut down by its clients; exiting"));
        QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    daemon.stop();
    say(QStringLiteral("stopped"));
    return code;
}
