// SPDX-License-Identifier: MIT
#include "commandline.h"

#include <host/labloader.h>
#include <plugins/pluginregistry.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace Benchtop {

int CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchtop: operate laboratory instruments interactively."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lab(QStringLiteral("lab"),
        QStringLiteral("Open the lab FILE (TOML) instead of the built-in demo lab."),
        QStringLiteral("FILE"));
    const QCommandLineOption check(QStringLiteral("check"),
        QStringLiteral("Check the lab (--lab FILE, or the demo lab) and exit: 0 when valid, 1 with "
                       "every error on stderr otherwise. Needs no display."));
    const QCommandLineOption listPlugins(QStringLiteral("list-plugins"),
        QStringLiteral("List the driver plugins found, their driver kinds and traits, and every "
                       "plugin file refused with its reason; then exit. Needs no display."));
    const QCommandLineOption pluginDir(QStringLiteral("plugin-dir"),
        QStringLiteral("Also look for driver plugins in DIR (repeatable)."), QStringLiteral("DIR"));
    const QCommandLineOption watchdog(QStringLiteral("loop-watchdog"),
        QStringLiteral("Report any driver step that holds the device loop longer than MS "
                       "milliseconds (default 20; 0: off)."),
        QStringLiteral("MS"));
    parser.addOptions({lab, check, listPlugins, pluginDir, watchdog});

    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "benchtop: %s\n\n%s", qPrintable(parser.errorText()),
            qPrintable(parser.helpText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()),
            qPrintable(QCoreApplication::applicationVersion()));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "benchtop: unexpected argument '%s'\n\n%s",
            qPrintable(parser.positionalArguments().constFirst()), qPrintable(parser.helpText()));
        return 2;
    }
    m_lab = parser.value(lab);
    m_pluginDirs = parser.values(pluginDir);
    m_check = parser.isSet(check);
    m_listPlugins = parser.isSet(listPlugins);

    // Paths that cannot be what they name are usage errors, before anything starts. (--check
    // reports a lab it cannot read as a lab error instead, exit 1, like any other.)
    const auto refuse = [&](const QString &option, const QString &path, const char *why) {
        std::fprintf(stderr, "benchtop: --%s %s: %s\n\n%s", qPrintable(option), qPrintable(path),
            why, qPrintable(parser.helpText()));
        return 2;
    };
    if (parser.isSet(watchdog)) {
        bool ok = false;
        const int ms = parser.value(watchdog).toInt(&ok);
        if (!ok || ms < 0 || ms > 60'000)
            return refuse(QStringLiteral("loop-watchdog"), parser.value(watchdog),
                "not a number of milliseconds from 0 to 60000");
        m_watchdog = std::chrono::milliseconds(ms);
    }
    for (const QString &dir : std::as_const(m_pluginDirs)) {
        if (!QFileInfo(dir).isDir())
            return refuse(QStringLiteral("plugin-dir"), dir,
                QFileInfo::exists(dir) ? "not a directory" : "no such directory");
    }
    if (!m_lab.isEmpty() && !m_check && !m_listPlugins) {
        const QFileInfo file(m_lab);
        if (!file.exists())
            return refuse(QStringLiteral("lab"), m_lab, "no such file");
        if (file.isDir())
            return refuse(QStringLiteral("lab"), m_lab, "is a directory, not a lab file");
    }
    return -1;
}

int listPlugins(const PluginRegistry &registry, std::FILE *out)
{
    const QList<PluginInfo> plugins = registry.plugins();
    if (plugins.isEmpty())
        std::fprintf(out, "No driver plugins found.\n");
    for (const PluginInfo &plugin : plugins) {
        std::fprintf(out, "%s %s (%s)\n", qPrintable(plugin.name), qPrintable(plugin.version),
            qPrintable(plugin.path));
        for (const DriverInfo &driver : plugin.drivers) {
            std::fprintf(out, "  %s: %s\n", qPrintable(driver.kind),
                qPrintable(driver.traits.join(QLatin1String(", "))));
        }
    }
    const QList<PluginRefusal> refusals = registry.refusals();
    if (!refusals.isEmpty()) {
        std::fprintf(out, "Refused:\n");
        for (const PluginRefusal &refusal : refusals)
            std::fprintf(out, "  %s: %s\n", qPrintable(refusal.path), qPrintable(refusal.reason));
    }
    const QStringList warnings = registry.warnings();
    if (!warnings.isEmpty()) {
        std::fprintf(out, "Warnings:\n");
        for (const QString &warning : warnings)
            std::fprintf(out, "  %s\n", qPrintable(warning));
    }
    return 0;
}

int checkLab(const QString &path, PluginRegistry &registry, std::FILE *out, std::FILE *err)
{
    const LoadedLab loaded = loadLab(path, registry);
    for (const LabError &error : loaded.errors)
        std::fprintf(err, "%s\n", qPrintable(error.toString()));
    if (!loaded.ok())
        return 1;
    const auto warnings = static_cast<long long>(loaded.errors.size());
    std::fprintf(out, "%s: %lld devices, no errors%s\n", qPrintable(path),
        static_cast<long long>(loaded.devices.size()),
        warnings == 0 ? ""
                      : qPrintable(QStringLiteral(", %1 warning%2")
                                       .arg(warnings)
                                       .arg(warnings == 1 ? QString() : QStringLiteral("s"))));
    return 0;
}

} // namespace Benchtop
