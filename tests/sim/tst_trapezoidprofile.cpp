// SPDX-License-Identifier: MIT
// TrapezoidProfile: durations of trapezoidal and triangular moves, exact end points, and the
// invariants of every profile (continuity, speed and acceleration bounds), including moves that
// start with a velocity (a retargeted move).
#include "testsupport.h"

#include <trapezoidprofile.h>

#include <QTest>

#include <cmath>
#include <stdexcept>

using Benchtop::Sim::TrapezoidProfile;

class TestTrapezoidProfile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void atRest()
    {
        const TrapezoidProfile profile(3.5);
        QCOMPARE(profile.duration(), 0.0);
        QCOMPARE(profile.position(-1), 3.5);
        QCOMPARE(profile.position(10), 3.5);
        QCOMPARE(profile.velocity(0.5), 0.0);
        QVERIFY(profile.isDone(0));
        QVERIFY(!profile.isTriangular());
    }

    void aMoveToWhereItIsTakesNoTime()
    {
        const TrapezoidProfile profile(2, 2, 10, 50);
        QCOMPARE(profile.duration(), 0.0);
        QCOMPARE(profile.position(1), 2.0);
    }

    void durations_data()
    {
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<double>("speed");
        QTest::addColumn<double>("acceleration");
        QTest::addColumn<double>("duration");
        QTest::addColumn<bool>("triangular");
        QTest::addColumn<double>("peak");
        // Trapezoid: d / v + v / a. Triangle: 2 sqrt(d / a), peak sqrt(d a).
        QTest::newRow("trapezoid") << 0.0 << 10.0 << 10.0 << 50.0 << 1.2 << false << 10.0;
        QTest::newRow("trapezoid backwards")
            << 10.0 << -10.0 << 10.0 << 50.0 << 2.2 << false << 10.0;
        QTest::newRow("long cruise") << -100.0 << 100.0 << 20.0 << 1000.0 << 10.02 << false << 20.0;
        QTest::newRow("triangle") << 0.0 << 1.0 << 10.0 << 50.0 << 2 * std::sqrt(1.0 / 50) << true
                                  << std::sqrt(50.0);
        QTest::newRow("triangle backwards")
            << 0.0 << -0.5 << 10.0 << 50.0 << 2 * std::sqrt(0.5 / 50) << true << std::sqrt(25.0);
        // d = v^2 / a exactly: the peak just reaches the speed, with no cruise.
        QTest::newRow("boundary") << 0.0 << 2.0 << 10.0 << 50.0 << 0.4 << true << 10.0;
    }

    void durations()
    {
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(double, speed);
        QFETCH(double, acceleration);
        QFETCH(double, duration);
        QFETCH(bool, triangular);
        QFETCH(double, peak);
        const TrapezoidProfile profile(from, to, speed, acceleration);
        QVERIFY2(std::abs(profile.duration() - duration) < 1e-9,
            qPrintable(QString::number(profile.duration(), 'g', 17)));
        QCOMPARE(profile.isTriangular(), triangular);
        QVERIFY(std::abs(profile.peakSpeed() - peak) < 1e-9);
        QCOMPARE(profile.from(), from);
        QCOMPARE(profile.to(), to);
    }

    void endPointsAreExact()
    {
        const TrapezoidProfile profile(0.1, 0.7, 3, 7);
        QCOMPARE(profile.position(-1), 0.1);
        QCOMPARE(profile.position(0), 0.1);
        QCOMPARE(profile.position(profile.duration()), 0.7);
        QCOMPARE(profile.position(profile.duration() + 5), 0.7);
        QCOMPARE(profile.velocity(profile.duration()), 0.0);
        QVERIFY(!profile.isDone(profile.duration() / 2));
        QVERIFY(profile.isDone(profile.duration()));
    }

    void aMoveFromRestIsSymmetric()
    {
        const TrapezoidProfile profile(0, 10, 10, 50);
        const double half = profile.duration() / 2;
        QVERIFY(std::abs(profile.position(half) - 5) < 1e-9);
        QVERIFY(std::abs(profile.velocity(half) - 10) < 1e-9);
        // Accelerating phase: x = a t^2 / 2.
        QVERIFY(std::abs(profile.position(0.1) - 0.25) < 1e-9);
        QVERIFY(std::abs(profile.velocity(0.1) - 5) < 1e-9);
        for (double t = 0; t < half; t += 0.01)
            QVERIFY(std::abs(profile.position(t) + profile.position(profile.duration() - t) - 10)
                < 1e-9);
    }

    void invariants_data()
    {
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<double>("speed");
        QTest::addColumn<double>("acceleration");
        QTest::addColumn<double>("initialVelocity");
        QTest::newRow("from rest") << 0.0 << 10.0 << 10.0 << 50.0 << 0.0;
        QTest::newRow("triangle") << 0.0 << -0.3 << 10.0 << 50.0 << 0.0;
        QTest::newRow("moving towards, room to spare") << 0.0 << 10.0 << 10.0 << 50.0 << 4.0;
        QTest::newRow("moving towards at full speed") << 0.0 << 10.0 << 10.0 << 50.0 << 10.0;
        QTest::newRow("moving towards, too close to stop") << 0.0 << 0.2 << 10.0 << 50.0 << 10.0;
        QTest::newRow("moving away") << 0.0 << 5.0 << 10.0 << 50.0 << -8.0;
        QTest::newRow("moving away, backwards") << 0.0 << -5.0 << 10.0 << 50.0 << 8.0;
        QTest::newRow("moving, target here") << 1.0 << 1.0 << 10.0 << 50.0 << 3.0;
        QTest::newRow("faster than allowed") << 0.0 << 50.0 << 10.0 << 50.0 << 25.0;
        QTest::newRow("faster than allowed, short") << 0.0 << 3.0 << 10.0 << 50.0 << 20.0;
    }

    void invariants()
    {
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(double, speed);
        QFETCH(double, acceleration);
        QFETCH(double, initialVelocity);
        const TrapezoidProfile profile(from, to, speed, acceleration, initialVelocity);
        const double dt = 1e-4;
        const double maxSpeed = std::max(speed, std::abs(initialVelocity));
        QCOMPARE(profile.position(0), from);
        QVERIFY(std::abs(profile.velocity(dt / 10) - initialVelocity) < acceleration * dt);
        double x = profile.position(0);
        double v = profile.velocity(0);
        for (double t = dt; t <= profile.duration() + 2 * dt; t += dt) {
            const double x2 = profile.position(t);
            const double v2 = profile.velocity(t);
            // Continuous position, speed within bounds, acceleration within bounds.
            QVERIFY2(std::abs(x2 - x) <= maxSpeed * dt + 1e-9, qPrintable(QString::number(t)));
            QVERIFY2(std::abs(v2) <= maxSpeed + 1e-9, qPrintable(QString::number(t)));
            QVERIFY2(std::abs(v2 - v) <= acceleration * dt + 1e-6, qPrintable(QString::number(t)));
            // The velocity is the derivative of the position.
            QVERIFY2(std::abs((x2 - x) / dt - (v + v2) / 2) <= acceleration * dt,
                qPrintable(QString::number(t)));
            x = x2;
            v = v2;
        }
        QCOMPARE(profile.position(profile.duration()), to);
        QCOMPARE(profile.velocity(profile.duration()), 0.0);
    }

    void aRetargetTowardsTheTargetDoesNotStop()
    {
        const TrapezoidProfile profile(0, 10, 10, 50, 5);
        for (double t = 0; t < profile.duration() - 1e-3; t += 1e-3)
            QVERIFY(profile.velocity(t) > 0);
        // From 5 to 10 (0.1 s, 0.75), cruise, brake from 10 (0.2 s, 1.0): 8.25 at speed 10.
        QVERIFY(std::abs(profile.duration() - (0.1 + 0.825 + 0.2)) < 1e-9);
    }

    void tooFastToStopOvershootsAndComesBack()
    {
        const TrapezoidProfile profile(0, 0.2, 10, 50, 10); // stopping distance 1.0
        double farthest = 0;
        for (double t = 0; t < profile.duration(); t += 1e-3)
            farthest = std::max(farthest, profile.position(t));
        QVERIFY(std::abs(farthest - 1.0) < 1e-3);
        QCOMPARE(profile.position(profile.duration()), 0.2);
    }

    void movingAwayBrakesFirst()
    {
        const TrapezoidProfile profile(0, 5, 10, 50, -8); // stopping distance 0.64
        double nearest = 0;
        for (double t = 0; t < profile.duration(); t += 1e-3)
            nearest = std::min(nearest, profile.position(t));
        QVERIFY(std::abs(nearest + 0.64) < 1e-3);
        QVERIFY(profile.velocity(0.01) < 0);
        QCOMPARE(profile.position(profile.duration()), 5.0);
    }

    void invalidArgumentsAreRefused()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrapezoidProfile(0, 1, 0, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrapezoidProfile(0, 1, 1, -1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrapezoidProfile(0, NAN, 1, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrapezoidProfile(0, 1, INFINITY, 1));
    }
};

QTEST_GUILESS_MAIN(TestTrapezoidProfile)
#include "tst_trapezoidprofile.moc"
