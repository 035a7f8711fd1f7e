// SPDX-License-Identifier: MIT
// ArrayPlot: a spectrum against its index or its driver's axis, decimated to the pixel width,
// redrawn on the frame clock (stepped on manual time: FrameStepper) however fast arrays come.
#include "framestepper.h"
#include "testsupport.h"

#include <host/frameclock.h>
#include <plot/arrayplot.h>

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

QVariantList ramp(qsizetype count, double offset = 0)
{
    QVariantList values;
    values.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        values << offset + std::sin(double(i) * 1e-3);
    return values;
}

QList<double> evenlySpaced(double first, double last, qsizetype count)
{
    QList<double> values;
    for (qsizetype i = 0; i < count; ++i)
        values << first + (last - first) * double(i) / double(count - 1);
    return values;
}

bool hasValue(const QList<QPointF> &points, double value)
{
    return std::any_of(
        points.cbegin(), points.cend(), [&](const QPointF &p) { return p.y() == value; });
}

} // namespace

class TestArrayPlot : public QObject {
    Q_OBJECT

    bool showAndSettle(ArrayPlot &plot)
    {
        plot.resize(800, 400);
        plot.show();
        if (!QTest::qWaitForWindowExposed(&plot))
            return false;
        return redrawn(plot);
    }

    bool redrawn(ArrayPlot &plot)
    {
        return m_steps->until([&] { return !plot.isRedrawPending(); });
    }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        m_steps = std::make_unique<Test::FrameStepper>();
        QVERIFY(m_steps->wasQuiet());
    }
    void cleanup() { m_steps.reset(); }

    void aLongArrayIsDrawnDecimatedAgainstItsIndex()
    {
        ArrayPlot plot;
        plot.setChannel(QStringLiteral("sample"), QStringLiteral("counts"));
        QVERIFY(showAndSettle(plot));
        QVariantList values = ramp(100'000);
        values[12'345] = 40.0;
        values[87'654] = -40.0;
        plot.setValues(values);
        QVERIFY(redrawn(plot));
        QCOMPARE(plot.valueCount(), 100'000);
        const QList<QPointF> points = plot.plottedPoints();
        QVERIFY(plot.columnCount() > 100);
        QVERIFY2(points.size() <= 2 * plot.columnCount(),
            qPrintable(QStringLiteral("%1 points on %2 columns")
                           .arg(points.size())
                           .arg(plot.columnCount())));
        QVERIFY(hasValue(points, 40.0));
        QVERIFY(hasValue(points, -40.0));
        QVERIFY(!plot.isOnAxis());
        QCOMPARE(plot.xRange().lower, 0.0);
        QCOMPARE(plot.xRange().upper, 99'999.0);
        QVERIFY(plot.yRange().contains(40.0) && plot.yRange().contains(-40.0));
        QCOMPARE(plot.xAxisLabel(), QStringLiteral("index"));
        QCOMPARE(plot.yAxisLabel(), QStringLiteral("sample (counts)"));
    }

    void aShortArrayIsDrawnWholeOnItsAxis()
    {
        ArrayPlot plot;
        plot.setChannel(QStringLiteral("sample"), QStringLiteral("counts"));
        plot.setAxis(
            QStringLiteral("wavelength"), QStringLiteral("nm"), evenlySpaced(400, 700, 512));
        QVERIFY(showAndSettle(plot));
        plot.setValues(ramp(512));
        QVERIFY(redrawn(plot));
        QVERIFY(plot.isOnAxis());
        const QList<QPointF> points = plot.plottedPoints();
        QCOMPARE(points.size(), 512);
        QCOMPARE(points.first().x(), 400.0);
        QCOMPARE(points.last().x(), 700.0);
        QCOMPARE(plot.xRange().lower, 400.0);
        QCOMPARE(plot.xRange().upper, 700.0);
        QCOMPARE(plot.xAxisLabel(), QStringLiteral("wavelength (nm)"));

        // An axis that does not fit the array is not used: the index is.
        plot.setValues(ramp(100));
        QVERIFY(redrawn(plot));
        QVERIFY(!plot.isOnAxis());
        QCOMPARE(plot.xAxisLabel(), QStringLiteral("index"));
        QCOMPARE(plot.xRange().upper, 99.0);
    }

    void arraysFasterThanFramesAreDrawnOnceTheNewest()
    {
        ArrayPlot plot;
        QVERIFY(showAndSettle(plot));
        plot.setValues(ramp(10'000));
        QVERIFY(redrawn(plot));
        const int before = plot.replotCount();
        for (int k = 1; k <= 50; ++k)
            plot.setValues(ramp(10'000, 100.0 * k));
        QCOMPARE(plot.replotCount(), before); // storing draws nothing by itself
        QVERIFY(plot.isRedrawPending());
        QVERIFY(redrawn(plot));
        // One frame, and perhaps one more if new tick labels changed the plot area's width.
        QVERIFY2(plot.replotCount() - before <= 2, qPrintable(QString::number(plot.replotCount())));
        QCOMPARE(plot.plottedPoints().first().y(), 5'000.0);
        // Nothing new, nothing drawn.
        const int settled = plot.replotCount();
        m_steps->ticks(10);
        QCOMPARE(plot.replotCount(), settled);
    }

    void aHiddenPlotDrawsWhenShown()
    {
        ArrayPlot plot;
        QVERIFY(showAndSettle(plot));
        plot.hide();
        const int before = plot.replotCount();
        plot.setValues(ramp(300, 2.0));
        m_steps->ticks(10);
        QCOMPARE(plot.replotCount(), before);
        plot.show();
        QVERIFY(m_steps->until([&] { return plot.replotCount() > before; }));
        QVERIFY(redrawn(plot));
        QCOMPARE(plot.plottedPoints().size(), 300);
    }

private:
    std::unique_ptr<Test::FrameStepper> m_steps;
};

QTEST_MAIN(TestArrayPlot)
#include "tst_arrayplot.moc"
