// SPDX-License-Identifier: MIT
// The panel's own out_of_limits check: what is sent, and what the operator is told.
#include "testsupport.h"

#include <panels/targetcheck.h>

#include <QTest>

#include <limits>

using namespace Benchtop;
using namespace Benchtop::Ui;

Q_DECLARE_METATYPE(Benchtop::OutOfLimits)
Q_DECLARE_METATYPE(Benchtop::Ui::TargetCheck::Verdict)

class TestTargetCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void verdicts_data()
    {
        QTest::addColumn<double>("requested");
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        QTest::addColumn<OutOfLimits>("policy");
        QTest::addColumn<TargetCheck::Verdict>("verdict");
        QTest::addColumn<double>("target");
        QTest::addColumn<QString>("message");
        using V = TargetCheck::Verdict;
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("inside") << 5.0 << -10.0 << 10.0 << OutOfLimits::Error << V::InLimits << 5.0
                                << QString();
        QTest::newRow("on the limit")
            << 10.0 << -10.0 << 10.0 << OutOfLimits::Error << V::InLimits << 10.0 << QString();
        QTest::newRow("error above")
            << 50.0 << -10.0 << 10.0 << OutOfLimits::Error << V::Refused << 50.0
            << "Target 50 mm is above the upper limit 10 mm: refused (out_of_limits = error); "
               "not sent";
        QTest::newRow("closest below")
            << -12.5 << -10.0 << 10.0 << OutOfLimits::Closest << V::Clamped << -10.0
            << "Target -12.5 mm is below the lower limit -10 mm: moving to the limit instead";
        QTest::newRow("ignore above")
            << 11.0 << -10.0 << 10.0 << OutOfLimits::Ignore << V::Ignored << 11.0
            << "Target 11 mm is above the upper limit 10 mm: the device ignores such targets "
               "(out_of_limits = ignore); not sent";
        QTest::newRow("unbounded below")
            << -1e6 << -inf << 10.0 << OutOfLimits::Error << V::InLimits << -1e6 << QString();
        QTest::newRow("not a number")
            << std::numeric_limits<double>::quiet_NaN() << -10.0 << 10.0 << OutOfLimits::Closest
            << V::Refused << std::numeric_limits<double>::quiet_NaN()
            << QStringLiteral("The target is not a number");
    }

    void verdicts()
    {
        QFETCH(double, requested);
        QFETCH(double, lower);
        QFETCH(double, upper);
        QFETCH(OutOfLimits, policy);
        QFETCH(TargetCheck::Verdict, verdict);
        QFETCH(double, target);
        QFETCH(QString, message);
        const TargetCheck check
            = checkTarget(requested, Limits{lower, upper}, policy, QStringLiteral("mm"));
        QCOMPARE(check.verdict, verdict);
        QCOMPARE(check.message, message);
        if (std::isnan(target))
            QVERIFY(std::isnan(check.target));
        else
            QCOMPARE(check.target, target);
        QCOMPARE(check.sends(),
            verdict == TargetCheck::Verdict::InLimits || verdict == TargetCheck::Verdict::Clamped);
    }

    void withoutLimitsEverythingIsSent()
    {
        const TargetCheck check = checkTarget(1e300, std::nullopt, OutOfLimits::Error, {});
        QCOMPARE(check.verdict, TargetCheck::Verdict::InLimits);
        QCOMPARE(check.target, 1e300);
    }
};

QTEST_GUILESS_MAIN(TestTargetCheck)
#include "tst_targetcheck.moc"
