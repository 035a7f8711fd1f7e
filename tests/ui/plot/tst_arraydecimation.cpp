// SPDX-License-Identifier: MIT
// decimateArray: the points of an array (a spectrum) drawn on a plot some pixels wide: at most
// two per pixel column, every extreme kept, in index order.
#include "testsupport.h"

#include <plot/arraydecimation.h>

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

std::vector<qsizetype> decimated(const std::vector<double> &values, int columns)
{
    std::vector<qsizetype> indices;
    decimateArray(
        qsizetype(values.size()), columns, [&](qsizetype i) { return values[size_t(i)]; }, indices);
    return indices;
}

} // namespace

class TestArrayDecimation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void aLongArrayKeepsEveryColumnsMinimumAndMaximum()
    {
        // 100,000 points of noise with a peak and a dip, one point wide each.
        QRandomGenerator random(7);
        std::vector<double> values(100'000);
        for (double &value : values)
            value = random.generateDouble();
        values[31'337] = 25.0;
        values[77'001] = -25.0;
        const int columns = 640;
        const std::vector<qsizetype> indices = decimated(values, columns);

        QVERIFY(qsizetype(indices.size()) <= 2 * columns);
        QVERIFY(qsizetype(indices.size()) >= columns); // every column has points
        QVERIFY(std::is_sorted(indices.begin(), indices.end()));
        QVERIFY(std::adjacent_find(indices.begin(), indices.end()) == indices.end());
        QVERIFY(std::find(indices.begin(), indices.end(), 31'337) != indices.end());
        QVERIFY(std::find(indices.begin(), indices.end(), 77'001) != indices.end());
        // Each column's own extremes are kept, not only the array's.
        for (int column = 0; column < columns; ++column) {
            const qsizetype begin = qsizetype(column) * 100'000 / columns;
            const qsizetype end = qsizetype(column + 1) * 100'000 / columns;
            const auto [low, high]
                = std::minmax_element(values.begin() + begin, values.begin() + end);
            const qsizetype lowAt = low - values.begin();
            const qsizetype highAt = high - values.begin();
            QVERIFY(std::binary_search(indices.begin(), indices.end(), lowAt));
            QVERIFY(std::binary_search(indices.begin(), indices.end(), highAt));
        }
    }

    void aShortArrayIsDrawnWhole()
    {
        std::vector<double> values{3, 1, 4, 1, 5, 9, 2, 6};
        const std::vector<qsizetype> indices = decimated(values, 4);
        QCOMPARE(indices, (std::vector<qsizetype>{0, 1, 2, 3, 4, 5, 6, 7}));
    }

    void aFlatColumnGivesOnePoint()
    {
        const std::vector<double> values(1'000, 2.5);
        const std::vector<qsizetype> indices = decimated(values, 10);
        QCOMPARE(indices.size(), size_t(10));
    }

    void nonFiniteValuesAreNeverDrawn()
    {
        std::vector<double> values(1'000, 1.0);
        values[0] = std::numeric_limits<double>::quiet_NaN();
        values[500] = std::numeric_limits<double>::infinity();
        values[501] = 7.0;
        const std::vector<qsizetype> indices = decimated(values, 10);
        QVERIFY(std::find(indices.begin(), indices.end(), 0) == indices.end());
        QVERIFY(std::find(indices.begin(), indices.end(), 500) == indices.end());
        QVERIFY(std::find(indices.begin(), indices.end(), 501) != indices.end());
        // A run of nothing but NaN gives nothing.
        const std::vector<double> none(100, std::numeric_limits<double>::quiet_NaN());
        QVERIFY(decimated(none, 10).empty());
    }

    void nothingForNoColumnsOrNoValues()
    {
        QVERIFY(decimated({}, 10).empty());
        QVERIFY(decimated({1.0, 2.0}, 0).empty());
    }
};

QTEST_MAIN(TestArrayDecimation)
#include "tst_arraydecimation.moc"
