// SPDX-License-Identifier: MIT
// benchtop-run: runs a plan on a lab without a window and writes its files (docs/runs.md).
#include "run/runcommand.h"
#include "unixsignals.h"

#include <plugins/pluginregistry.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace Benchtop;

namespace {

int usage(const QString &message)
{
    std::fprintf(stderr, "benchtop-run: %s\n", qPrintable(message));
    return RunCommand::Usage;
}

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1"); // no window: Qt's own loop is the faster one
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("benchtop.dev"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHTOP_VERSION));
    QLoggingCategory::setFilterRules(QStringLiteral("benchtop.*.debug=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs PLAN (a TOML plan file, docs/runs.md) on the lab's devices and writes every point "
        "to FILE.h5 (NeXus), FILE.csv and FILE.jsonl in the data folder.\n\nExit codes: 0 the "
        "plan completed; 1 plan or lab errors, or an unwritable data folder (nothing moved, no "
        "file); 2 usage; 3 aborted or failed (the file is valid, its exit_status says why); 4 "
        "stopped by the user. Ctrl+C once stops after the current point; twice aborts."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lab(
        QStringLiteral("lab"), QStringLiteral("The lab FILE (TOML)."), QStringLiteral("FILE"));
    const QCommandLineOption out(QStringLiteral("out"),
        QStringLiteral("Write the run's files under DIR instead of the lab's data folder."),
        QStringLiteral("DIR"));
    const QCommandLineOption set(QStringLiteral("set"),
        QStringLiteral("Set a top-level plan key, or metadata.KEY, to VALUE (read as TOML: "
                       "points=50, metadata.sample=\"Si-3\"). Repeatable."),
        QStringLiteral("KEY=VALUE"));
    const QCommandLineOption check(QStringLiteral("check"),
        QStringLiteral("Check the plan against the lab and print its point count, axis ranges "
                       "and estimated duration; move nothing."));
    const QCommandLineOption pluginDir(QStringLiteral("plugin-dir"),
        QStringLiteral("Also load driver plugins from DIR (repeatable)."), QStringLiteral("DIR"));
    parser.addOptions({lab, out, set, check, pluginDir});
    parser.addPositionalArgument(QStringLiteral("PLAN"), QStringLiteral("The plan file."));
    if (!parser.parse(QCoreApplication::arguments()))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.isSet(lab))
        return usage(QStringLiteral("--lab FILE is required (see --help)"));
    if (parser.positionalArguments().size() != 1)
        return usage(QStringLiteral("give one PLAN file (see --help)"));
    for (const QString &value : parser.values(set)) {
        if (!value.contains(QLatin1Char('=')))
            return usage(QStringLiteral("--set %1: write KEY=VALUE").arg(value));
    }

    // Before the lab opens: a Ctrl+C must reach the run, not kill it with its file unclosed.
    UnixSignals unixSignals(2);

    PluginRegistry registry;
    for (const QString &dir : PluginRegistry::defaultSearchPaths())
        registry.addSearchPath(dir);
    for (const QString &dir : parser.values(pluginDir))
        registry.addSearchPath(dir);
    registry.scan();

    RunCommand::Options options;
    options.labPath = parser.value(lab);
    options.planPath = parser.positionalArguments().constFirst();
    options.outDir = parser.value(out);
    options.overrides = parser.values(set);
    options.checkOnly = parser.isSet(check);
    RunCommand command(registry, options);
    QObject::connect(&unixSignals, &UnixSignals::received, &command,
        [&command](int, int count) { command.interrupt(count); });
    int code = -1;
    QObject::connect(&command, &RunCommand::finished, &app, [&code](int exitCode) {
        code = exitCode;
        QCoreApplication::quit();
    });
    const int early = command.start();
    if (early >= 0)
        return early;
    QCoreApplication::exec();
    return code < 0 ? int(RunCommand::AbortedOrFailed) : code;
}
