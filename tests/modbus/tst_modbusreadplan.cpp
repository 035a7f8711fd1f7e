// SPDX-License-Identifier: MIT
// Grouping of register and line reads into requests: contiguous or overlapping ranges share a
// request, gaps never do, and a request never exceeds Modbus's size limit.
#include "testsupport.h"

#include <readplan.h>

#include <QTest>

using namespace Benchtop::Modbus;

Q_DECLARE_METATYPE(QList<AddressRange>)
Q_DECLARE_METATYPE(QList<ReadBlock>)

namespace QTest {
template<>
char *toString(const QList<ReadBlock> &blocks)
{
    QStringList parts;
    for (const ReadBlock &b : blocks) {
        QStringList members;
        for (int m : b.members)
            members << QString::number(m);
        parts << QStringLiteral("{%1+%2: %3}").arg(b.start).arg(b.count).arg(members.join(u','));
    }
    return qstrdup(qPrintable(parts.join(QLatin1Char(' '))));
}
} // namespace QTest

class TestModbusReadPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void groups_data()
    {
        QTest::addColumn<QList<AddressRange>>("ranges");
        QTest::addColumn<int>("maxCount");
        QTest::addColumn<QList<ReadBlock>>("blocks");

        QTest::newRow("nothing") << QList<AddressRange>{} << 125 << QList<ReadBlock>{};
        QTest::newRow("one") << QList<AddressRange>{{7, 2}} << 125 << QList<ReadBlock>{{7, 2, {0}}};
        QTest::newRow("touching") << QList<AddressRange>{{10, 2}, {12, 2}, {14, 1}} << 125
                                  << QList<ReadBlock>{{10, 5, {0, 1, 2}}};
        QTest::newRow("a gap splits") << QList<AddressRange>{{0, 1}, {2, 1}} << 125
                                      << QList<ReadBlock>{{0, 1, {0}}, {2, 1, {1}}};
        QTest::newRow("overlapping, any order") << QList<AddressRange>{{21, 2}, {20, 1}, {20, 2},
            {23, 2}} << 125 << QList<ReadBlock>{{20, 5, {1, 2, 0, 3}}};
        QTest::newRow("inside another")
            << QList<AddressRange>{{10, 2}, {11, 1}} << 125 << QList<ReadBlock>{{10, 2, {0, 1}}};
        QTest::newRow("size limit") << QList<AddressRange>{{0, 2}, {2, 2}, {4, 2}} << 4
                                    << QList<ReadBlock>{{0, 4, {0, 1}}, {4, 2, {2}}};
        QTest::newRow("the last address") << QList<AddressRange>{{65534, 2}, {65533, 1}} << 125
                                          << QList<ReadBlock>{{65533, 3, {1, 0}}};
        QTest::newRow("bits") << QList<AddressRange>{{3, 1}, {0, 1}, {1, 1}, {5, 1}} << 2000
                              << QList<ReadBlock>{{0, 2, {1, 2}}, {3, 1, {0}}, {5, 1, {3}}};
    }

    void groups()
    {
        QFETCH(QList<AddressRange>, ranges);
        QFETCH(int, maxCount);
        QFETCH(QList<ReadBlock>, blocks);
        QCOMPARE(groupContiguous(ranges, maxCount), blocks);
    }
};

QTEST_GUILESS_MAIN(TestModbusReadPlan)
#include "tst_modbusreadplan.moc"
