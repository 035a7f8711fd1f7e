// SPDX-License-Identifier: MIT
// benchtop-screenshots OUTPUT_DIR: starts the application's window on the demo lab (the same
// LabSession and MainWindow as `benchtop`, its state kept in a temporary directory), operates it
// the way a user does — selects devices, types a target and clicks Go, clicks Measure, turns
// Loop on, opens Add device… — and saves a PNG of the window after each step. Run it under a
// real X server (scripts/screenshots runs it under Xvfb) to see exactly what users see.
#include "dialogs/adddevicedialog.h"
#include "mainwindow.h"

#include <host/devicehandle.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>
#include <state/statestore.h>

#include <QAbstractSpinBox>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <functional>

using namespace Benchtop;

namespace {

struct Step {
    int delayMs; ///< after the previous step
    std::function<void()> action;
};

template<typename T>
T *inPage(Ui::MainWindow &window, const char *name)
{
    QWidget *page = window.panelTabs()->currentWidget();
    return page ? page->findChild<T *>(QLatin1String(name)) : nullptr;
}

const char kTroubleLab[] = R"(# A lab with trouble: a typo, and a sensor that fails after a moment.
[stage]
driver = "sim-motor"
speeed = 20.0

[meter]
driver = "sim-sensor"
channels = ["voltage"]
fail_after_s = 0.3

[signal]
driver = "sim-signal"
)";

void click(QPushButton *button)
{
    if (button)
        QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Benchtop"));
    QCoreApplication::setOrganizationName(QStringLiteral("Benchtop"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHTOP_VERSION));
    if (argc != 2) {
        std::fprintf(stderr, "usage: benchtop-screenshots OUTPUT_DIR\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    if (!QDir().mkpath(out.path())) {
        std::fprintf(stderr, "%s: cannot create the directory\n", argv[1]);
        return 1;
    }
    // The user's settings and saved state are not touched: this is a fresh installation.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toLocal8Bit());

    PluginRegistry registry;
    for (const QString &dir : PluginRegistry::defaultSearchPaths())
        registry.addSearchPath(dir);
    registry.scan();
    LabSession session(
        registry, std::make_shared<StateStore>(home.filePath(QStringLiteral("state"))));
    Ui::MainWindow window(session);
    window.resize(1400, 860);
    window.openLab(QStringLiteral(":/benchtop/labs/demo.toml"));
    window.show();

    int failures = 0;
    auto shoot = [&](const QString &name, QWidget *widget) {
        const QString path = out.filePath(name + QStringLiteral(".png"));
        if (!widget->grab().save(path)) {
            std::fprintf(stderr, "%s: cannot save\n", qPrintable(path));
            ++failures;
            return;
        }
        std::printf("%s\n", qPrintable(path));
    };

    const QList<Step> steps{
        {1500, [&] { shoot(QStringLiteral("01-demo-lab"), &window); }},
        {100,
            [&] {
                window.openPanel(QStringLiteral("stage-x"));
                if (auto *target = inPage<QAbstractSpinBox>(window, "targetSpin")) {
                    target->selectAll();
                    QTest::keyClicks(target, QStringLiteral("42"));
                }
                click(inPage<QPushButton>(window, "goButton"));
            }},
        {1200, [&] { shoot(QStringLiteral("02-stage-moving"), &window); }},
        {100,
            [&] {
                window.openPanel(QStringLiteral("spectrometer"));
                click(inPage<QPushButton>(window, "measureButton"));
            }},
        {600, [&] { click(inPage<QPushButton>(window, "loopButton")); }},
        {3000, [&] { shoot(QStringLiteral("03-spectrometer-loop"), &window); }},
        {100, [&] { window.openPanel(QStringLiteral("signal-100hz")); }},
        {4000, [&] { shoot(QStringLiteral("04-signal-plot"), &window); }},
        {100,
            [&] {
                window.openPanel(QStringLiteral("panel"));
                // The operator steps on the foot switch (bound to spectrometer.measure).
                if (DeviceHandle *panel = session.handle(QStringLiteral("panel")))
                    (void)panel->call(QStringLiteral("click"), {QStringLiteral("foot")});
                for (QPushButton *line :
                    window.panelTabs()->currentWidget()->findChildren<QPushButton *>()) {
                    if (line->text() == QLatin1String("green"))
                        click(line);
                }
            }},
        {800, [&] { shoot(QStringLiteral("05-digital-panel"), &window); }},
        {100, [&] { window.findChild<QAction *>(QStringLiteral("addDeviceAction"))->trigger(); }},
        {800,
            [&] {
                if (Ui::AddDeviceDialog *dialog = window.addDeviceDialog())
                    shoot(QStringLiteral("06-add-device"), dialog);
                else
                    ++failures;
            }},
        // A lab with trouble, in a small window: a device whose table has a typo (in fault from
        // the start, with a long reason) and one that fails while it runs, at 1024 × 700.
        {100,
            [&] {
                if (Ui::AddDeviceDialog *dialog = window.addDeviceDialog())
                    dialog->close();
                const QString path = home.filePath(QStringLiteral("trouble.toml"));
                QFile lab(path);
                if (!lab.open(QIODevice::WriteOnly)
                    || lab.write(kTroubleLab) != qint64(std::strlen(kTroubleLab))) {
                    ++failures;
                    return;
                }
                lab.close();
                window.openLab(path);
                window.resize(1024, 700);
            }},
        {1500,
            [&] {
                window.openPanel(QStringLiteral("stage"));
                shoot(QStringLiteral("07-fault-1024x700"), &window);
            }},
        // The demo lab again at 1024 × 700: a stage moving, its plot and legend.
        {100, [&] { window.openLab(QStringLiteral(":/benchtop/labs/demo.toml")); }},
        {1000,
            [&] {
                window.openPanel(QStringLiteral("stage-x"));
                if (auto *target = inPage<QAbstractSpinBox>(window, "targetSpin")) {
                    target->selectAll();
                    QTest::keyClicks(target, QStringLiteral("-12"));
                }
                click(inPage<QPushButton>(window, "goButton"));
            }},
        {1500, [&] { shoot(QStringLiteral("08-stage-1024x700"), &window); }},
        // The spectrometer at 1024 × 700: its spectra on their wavelengths beside the panel.
        {100,
            [&] {
                window.openPanel(QStringLiteral("spectrometer"));
                click(inPage<QPushButton>(window, "measureButton"));
            }},
        {1000, [&] { shoot(QStringLiteral("09-spectrometer-1024x700"), &window); }},
        {100, [&] { window.closeWithoutAsking(); }},
    };
    int at = 0;
    for (const Step &step : steps) {
        at += step.delayMs;
        QTimer::singleShot(at, &window, step.action);
    }
    app.exec();
    return failures == 0 ? 0 : 1;
}
