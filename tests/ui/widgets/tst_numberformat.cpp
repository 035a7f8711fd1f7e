// SPDX-License-Identifier: MIT
// The window's one number formatter: a property's decimals come from its limits, else its units,
// else 6 significant digits, and every view writes its values the same way.
#include "testsupport.h"

#include <widgets/numberformat.h>

#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Ui;

class TestNumberFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void decimalsComeFromLimitsThenUnits_data()
    {
        QTest::addColumn<QString>("units");
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        const double none = qQNaN(); // no limits
        QTest::newRow("a 200 mm stage: µm") << "mm" << -100.0 << 100.0 << 12.34567 << "12.346 mm";
        QTest::newRow("a 25 mm stage: 0.1 µm") << "mm" << 0.0 << 25.0 << 1.0 << "1.0000 mm";
        QTest::newRow("a rotator: mdeg") << "deg" << 0.0 << 360.0 << 90.0 << "90.000 deg";
        QTest::newRow("mm without limits: µm") << "mm" << none << none << 2.5 << "2.500 mm";
        QTest::newRow("volts: 6 digits") << "V" << none << none << 0.0123456789 << "0.0123457 V";
        QTest::newRow("no units: 6 digits") << "" << none << none << 1234567.0 << "1.23457e+06";
        QTest::newRow("limits win over units") << "V" << 0.0 << 10.0 << 1.0 << "1.0000 V";
    }
    void decimalsComeFromLimitsThenUnits()
    {
        QFETCH(QString, units);
        QFETCH(double, lower);
        QFETCH(double, upper);
        QFETCH(double, value);
        QFETCH(QString, text);
        PropertyInfo property{.name = "x", .units = units};
        if (!qIsNaN(lower))
            property.limits = Limits{lower, upper};
        QCOMPARE(NumberFormat::of(property).withUnits(value), text);
    }

    void publishedValues()
    {
        const NumberFormat threeDecimals(3, "mm");
        QCOMPARE(threeDecimals.value(QVariant(2.0)), QStringLiteral("2.000"));
        QCOMPARE(threeDecimals.value(QVariant(7)), QStringLiteral("7")); // integers as they are
        QCOMPARE(threeDecimals.value(QVariant(true)), QStringLiteral("on"));
        QCOMPARE(threeDecimals.value(QVariant()), QStringLiteral("—"));
        QCOMPARE(NumberFormat().value(QVariant(3.14159265)), QStringLiteral("3.14159"));
    }

    void exactKeepsEveryTypedDigit()
    {
        QCOMPARE(NumberFormat::exact("mm").withUnits(50.0004), QStringLiteral("50.0004 mm"));
        QCOMPARE(NumberFormat::exact().number(0.1 + 0.2), QStringLiteral("0.3"));
        QCOMPARE(NumberFormat::exact().number(1e9), QStringLiteral("1000000000"));
    }
};

QTEST_GUILESS_MAIN(TestNumberFormat)
#include "tst_numberformat.moc"
