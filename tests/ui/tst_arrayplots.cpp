// SPDX-License-Identifier: MIT
// A spectrometer's spectra in the window: its page, opened with a click in the device list,
// plots each 1-D channel live against its wavelengths (has-mapping) with their units, and
// follows each new measurement.
#include "windowclicks.h"
#include "windowtestsupport.h"

#include "devicelist/devicelistmodel.h"
#include "devicepage.h"
#include "mainwindow.h"
#include "plot/arrayplot.h"
#include "plot/devicearrayplots.h"
#include "plot/deviceplot.h"

#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace Benchtop::UiTest;
using Benchtop::Ui::ArrayPlot;
using Benchtop::Ui::MainWindow;

namespace {

const QByteArray kLab = R"(
[spectrometer]
driver = "sim-sensor"
channels = ["sample", "reference"]
units = "counts"
points = 512
wavelengths_nm = [400.0, 700.0]
integration_ms = 20

[camera-line]
driver = "sim-sensor"
channels = ["line"]
units = "counts"
points = 300
integration_ms = 20
)";

} // namespace

class TestArrayPlots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        failOnQtWarnings();
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void aSpectrometersPanelPlotsEachSpectrumOnItsWavelengths()
    {
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        clickDevice(window, QStringLiteral("spectrometer"));
        QWidget *page = window.panelTabs()->currentWidget();
        QVERIFY(page);
        QCOMPARE(page->objectName(), QStringLiteral("device:spectrometer"));

        // A plot per spectrum, shown beside the panel.
        ArrayPlot *sample = nullptr;
        QTRY_VERIFY((sample = page->findChild<ArrayPlot *>(QStringLiteral("arrayPlot:sample"))));
        QVERIFY(page->findChild<ArrayPlot *>(QStringLiteral("arrayPlot:reference")));
        QTRY_VERIFY(sample->isVisible());
        // The time plot has nothing to draw (no scalar channel): no empty axes.
        QVERIFY(page->findChild<Ui::DevicePlot *>()->isHidden());

        auto *measure = page->findChild<QPushButton *>(QStringLiteral("measureButton"));
        QVERIFY(measure);
        QTest::mouseClick(measure, Qt::LeftButton);
        QTRY_COMPARE(sample->valueCount(), 512);
        QTRY_VERIFY(sample->isOnAxis());
        QTRY_VERIFY(!sample->isRedrawPending());
        // 512 points fit the plot's width: every one is drawn, on its wavelength.
        QVERIFY(sample->columnCount() * 2 >= 512);
        QTRY_COMPARE(sample->plottedPoints().size(), 512);
        QCOMPARE(sample->plottedPoints().first().x(), 400.0);
        QCOMPARE(sample->plottedPoints().last().x(), 700.0);
        QCOMPARE(sample->xRange().lower, 400.0);
        QCOMPARE(sample->xRange().upper, 700.0);
        QCOMPARE(sample->xAxisLabel(), QStringLiteral("wavelength (nm)"));
        QCOMPARE(sample->yAxisLabel(), QStringLiteral("sample (counts)"));

        // A new measurement is drawn when it arrives.
        auto *id = page->findChild<QLabel *>(QStringLiteral("measurementIdLabel"));
        QTRY_COMPARE(id->text(), QStringLiteral("0"));
        const QList<QPointF> first = sample->plottedPoints();
        const int replots = sample->replotCount();
        QTRY_VERIFY(measure->isEnabled());
        QTest::mouseClick(measure, Qt::LeftButton);
        QTRY_COMPARE(id->text(), QStringLiteral("1"));
        QTRY_VERIFY(sample->replotCount() > replots);
        QTRY_VERIFY(sample->plottedPoints() != first);
        QCOMPARE(sample->plottedPoints().size(), 512);
    }

    void aSpectrumWithoutMappingIsPlottedOnItsIndex()
    {
        WindowFixture fixture(kLab);
        MainWindow window(*fixture.session);
        window.openLab(fixture.labPath);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        clickDevice(window, QStringLiteral("camera-line"));
        QWidget *page = window.panelTabs()->currentWidget();
        ArrayPlot *line = nullptr;
        QTRY_VERIFY((line = page->findChild<ArrayPlot *>(QStringLiteral("arrayPlot:line"))));
        QTest::mouseClick(
            page->findChild<QPushButton *>(QStringLiteral("measureButton")), Qt::LeftButton);
        QTRY_COMPARE(line->valueCount(), 300);
        QTRY_COMPARE(line->plottedPoints().size(), 300);
        QVERIFY(!line->isOnAxis());
        QCOMPARE(line->xRange().lower, 0.0);
        QCOMPARE(line->xRange().upper, 299.0);
        QCOMPARE(line->xAxisLabel(), QStringLiteral("index"));
        QCOMPARE(line->yAxisLabel(), QStringLiteral("line (counts)"));
    }
};

QTEST_MAIN(TestArrayPlots)
#include "tst_arrayplots.moc"
