// SPDX-License-Identifier: MIT
// The window keeps every device's recent readings from the lab's start, whether or not its
// panel is open: a panel opened with a click plots the recent past at once (issue 18 item 5),
// and a device that never measured anything has nothing kept for it.
#include "windowclicks.h"
#include "windowtestsupport.h"

#include "devicelist/devicelistmodel.h"
#include "devicepage.h"
#include "mainwindow.h"
#include "plot/deviceplot.h"
#include "plot/labhistory.h"
#include "plot/liveplot.h"

#include <host/devicehandle.h>

#include <QRegularExpression>
#include <QSettings>
#include <QTableView>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using Benchtop::Ui::MainWindow;

namespace {

const QByteArray kLab = R"(
[source]
driver = "sim-signal"
rate_hz = 50.0
channel = "signal"
units = "V"
frequency_hz = 1.0
amplitude = 1.0

[stage]
driver = "sim-motor"
speed = 20.0
acceleration = 400.0

[broken]
driver = "sim-motor"
speeed = 20.0
)";

Ui::LivePlot *plotOfCurrentTab(MainWindow &window)
{
    auto *page = qobject_cast<Ui::DevicePage *>(window.panelTabs()->currentWidget());
    return page ? page->plot()->plot() : nullptr;
}

} // namespace

class TestPlotHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        failOnQtWarnings();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void aPanelOpenedLaterPlotsTheRecentPast()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^broken is in fault: "));
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.panelTabs()->count(), 0);
        // A second of readings with no panel open.
        DeviceHandle *source = fixture.session->handle(QStringLiteral("source"));
        QVERIFY(source);
        const QString key = QStringLiteral("measured/signal");
        auto kept = [&] {
            const Ui::DeviceHistory *history = window.history().find(QStringLiteral("source"));
            return history ? history->samples(key) : std::vector<Ui::Sample>();
        };
        QTRY_VERIFY(!kept().empty());
        const double firstKept = kept().front().t;
        QTRY_VERIFY(Ui::LivePlot::secondsNow() - firstKept > 1.0);

        const double opened = Ui::LivePlot::secondsNow();
        clickDevice(window, QStringLiteral("source"));
        Ui::LivePlot *plot = plotOfCurrentTab(window);
        QVERIFY(plot);
        const QList<Ui::Sample> samples = plot->samples(key);
        QVERIFY2(samples.size() >= 10, qPrintable(QString::number(samples.size())));
        QCOMPARE(samples.first().t, firstKept);
        QVERIFY(samples.first().t < opened - 1.0);
        // and it is drawn from there, not from the click on
        QTRY_VERIFY(!plot->plottedPoints(key).isEmpty());
        QTRY_VERIFY(plot->plottedPoints(key).first().x() < -1.0);

        // The stage at rest read its position once, at the start: the plot draws it from then.
        clickDevice(window, QStringLiteral("stage"));
        Ui::LivePlot *stagePlot = plotOfCurrentTab(window);
        QVERIFY(stagePlot);
        const QList<Ui::Sample> positions = stagePlot->samples(QStringLiteral("position"));
        QVERIFY(!positions.isEmpty());
        QVERIFY(positions.first().t < opened - 1.0);
    }

    // A device that never measured anything (in fault from its creation) has no history at all.
    void nothingIsKeptForADeviceThatNeverMeasured()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^broken is in fault: "));
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        QTRY_VERIFY(window.history().find(QStringLiteral("source")));
        QTRY_VERIFY(window.history().find(QStringLiteral("stage")));
        QVERIFY(!window.history().find(QStringLiteral("broken")));
        QCOMPARE(window.history().deviceCount(), 2);
    }
};

QTEST_MAIN(TestPlotHistory)
#include "tst_plothistory.moc"
