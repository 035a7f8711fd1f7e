// SPDX-License-Identifier: MIT
#include "commandline.h"
#include "mainwindow.h"

#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/labloader.h>
#include <host/localdevicehandle.h>
#include <plugins/pluginregistry.h>
#include <state/statestore.h>

#include <QApplication>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <cstring>

using namespace Benchtop;

namespace {

/// --check and --list-plugins must work without a display: they get a QCoreApplication.
bool wantsWindow(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *headless :
            {"--check", "--list-plugins", "--help", "-h", "--version", "-v"}) {
            if (std::strcmp(argv[i], headless) == 0)
                return false;
        }
    }
    return true;
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
    const QString labPath = options.labPath();
    LoadedLab loaded = loadLab(labPath, registry);
    QStringList errors;
    for (const LabError &error : std::as_const(loaded.errors)) {
        errors << error.toString();
        std::fprintf(stderr, "%s\n", qPrintable(error.toString()));
    }

    DeviceThread devices;
    auto store = std::make_shared<StateStore>(StateStore::defaultDirectory());
    DeviceHost *host = devices.start([&] {
        auto host = std::make_unique<DeviceHost>(driversFrom(registry, loaded.deviceErrors), store);
        host->open(loaded.devices, reloaderFor(labPath, registry));
        return host;
    });

    int status = 0;
    {
        Ui::MainWindow window;
        std::vector<std::unique_ptr<DeviceHandle>> handles;
        for (const DeviceSettings &device : std::as_const(loaded.devices))
            handles.push_back(std::make_unique<LocalDeviceHandle>(host, device.name));
        const QString title = labPath == CommandLine::demoLab() ? QObject::tr("Demo lab")
                                                                : QFileInfo(labPath).fileName();
        window.showLab(title, std::move(handles), errors);
        window.show();

        // For scripts and CI: quit on its own after the window has been up this long.
        bool ok = false;
        const int quitAfterMs = qEnvironmentVariableIntValue("BENCHTOP_QUIT_AFTER_MS", &ok);
        if (ok && quitAfterMs >= 0)
            QTimer::singleShot(quitAfterMs, &window, &QWidget::close);
        status = QApplication::exec();
    } // the window and its handles go before the devices
    devices.stop();
    return status;
}

} // namespace

int main(int argc, char *argv[])
{
    std::unique_ptr<QCoreApplication> app;
    if (wantsWindow(argc, argv))
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    setIdentity();
    // Our debug output is for developers who ask for it (QT_LOGGING_RULES overrides this).
    QLoggingCategory::setFilterRules(QStringLiteral("benchtop.*.debug=false"));

    CommandLine options;
    if (const int exitCode = options.parse(QCoreApplication::arguments()); exitCode >= 0)
        return exitCode;

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
