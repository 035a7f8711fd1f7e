// SPDX-License-Identifier: MIT
// An opened device's page: its panel in a scroll area at the panel's natural width, beside its
// plot; no empty axes for a device with nothing to plot; both follow a description that comes
// later (a device still connecting).
#include "scriptedhandle.h"
#include "testsupport.h"

#include <devicepage.h>
#include <panels/devicepanel.h>
#include <plot/devicearrayplots.h>
#include <plot/deviceplot.h>

#include <QScrollArea>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::Ui;

namespace {

PropertyInfo hinted(const QString &stateKey, ValueType type)
{
    return {.name = stateKey.section(QLatin1Char('/'), -1),
        .type = type,
        .getter = QStringLiteral("get_") + stateKey.section(QLatin1Char('/'), 0, 0),
        .stateKey = stateKey,
        .controlKind = ControlKind::Hinted};
}

DeviceDescription sensor()
{
    return {.name = "meter",
        .kind = "scripted",
        .traits = {"is-daemon", "is-sensor", "has-measure-trigger"},
        .messages = {"measure", "stop_looping"},
        .properties = {hinted("measured/x", ValueType::Double)}};
}

QScrollArea *scrollOf(DevicePage &page)
{
    return qobject_cast<QScrollArea *>(page.widget(0));
}

} // namespace

class TestDevicePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void thePanelBesideItsPlot()
    {
        ScriptedHandle handle(sensor());
        DevicePage page(&handle);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QCOMPARE(page.objectName(), QStringLiteral("device:meter"));
        QCOMPARE(page.count(), 2);
        QVERIFY(scrollOf(page));
        QVERIFY(scrollOf(page)->isAncestorOf(page.panel()));
        // The plots' column: the time plot above the array plots (none here: no arrays).
        QCOMPARE(page.widget(1), page.plots());
        QCOMPARE(page.plots()->widget(0), page.plot());
        QVERIFY(page.plot()->isVisible());
        QVERIFY(page.arrayPlots()->isHidden());
        QCOMPARE(scrollOf(page)->minimumWidth(), page.panel()->minimumSizeHint().width() + 24);
    }

    void nothingToPlotGetsNoPlotUntilThereIsSomething()
    {
        ScriptedHandle handle(DeviceDescription{.name = "lines",
            .kind = "scripted",
            .properties
            = {hinted("outputs/led", ValueType::Bool), hinted("turret", ValueType::String)}});
        DevicePage page(&handle);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.plot()->isHidden());
        QVERIFY(page.plots()->isHidden());
        handle.describe({hinted("outputs/led", ValueType::Bool), hinted("count", ValueType::Int)});
        QVERIFY(!page.plot()->isHidden());
        QVERIFY(!page.plots()->isHidden());
        handle.describe({hinted("outputs/led", ValueType::Bool)});
        QVERIFY(page.plot()->isHidden());
        QVERIFY(page.plots()->isHidden());
    }

    // A device still connecting is described later: the panel's width is taken again once its
    // new sections are laid out.
    void aLaterDescriptionIsFittedAgain()
    {
        ScriptedHandle handle(DeviceDescription{.name = "meter", .kind = "scripted"});
        DevicePage page(&handle);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.plot()->isHidden());
        const int before = scrollOf(page)->minimumWidth();
        handle.describeAs(sensor());
        QVERIFY(!page.plot()->isHidden());
        QTRY_COMPARE(scrollOf(page)->minimumWidth(), page.panel()->minimumSizeHint().width() + 24);
        QVERIFY(scrollOf(page)->minimumWidth() > before); // a sensor's section is wider
    }
};

QTEST_MAIN(TestDevicePage)
#include "tst_devicepage.moc"
