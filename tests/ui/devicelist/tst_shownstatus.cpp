// SPDX-License-Identifier: MIT
// What the device list shows for a snapshot: which state wins when several hold at once.
#include "testsupport.h"

#include <device/devicesnapshot.h>
#include <devicelist/shownstatus.h>

#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

using namespace Benchtop;
using namespace Benchtop::Ui;

class TestShownStatus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void shownStatus_data()
    {
        QTest::addColumn<DeviceStatus>("status");
        QTest::addColumn<bool>("busy");
        QTest::addColumn<LinkState>("link");
        QTest::addColumn<Heard>("heard");
        QTest::addColumn<QString>("shown");

        using enum DeviceStatus;
        using enum LinkState;
        QTest::newRow("ready") << Ready << false << Connected << Heard::Recently << "idle";
        QTest::newRow("busy") << Ready << true << Connected << Heard::Recently << "busy";
        QTest::newRow("fault") << Fault << false << Connected << Heard::Recently << "fault";
        QTest::newRow("stopped") << Stopped << false << Connected << Heard::Recently << "stopped";
        QTest::newRow("reconnecting")
            << Ready << true << Connecting << Heard::Recently << "connecting";
        QTest::newRow("link lost while ready")
            << Ready << false << Disconnected << Heard::Recently << "disconnected";
        QTest::newRow("link lost, then fault")
            << Fault << false << Disconnected << Heard::Recently << "disconnected";
        QTest::newRow("fault while connecting")
            << Fault << false << Connecting << Heard::Recently << "fault";
        QTest::newRow("nothing heard yet")
            << Ready << false << Connected << Heard::Never << "connecting";
        QTest::newRow("silent and busy")
            << Ready << true << Connected << Heard::TooLongAgo << "stale";
        QTest::newRow("silent in fault")
            << Fault << false << Disconnected << Heard::TooLongAgo << "stale";
    }
    void shownStatus()
    {
        QFETCH(DeviceStatus, status);
        QFETCH(bool, busy);
        QFETCH(LinkState, link);
        QFETCH(Heard, heard);
        QFETCH(QString, shown);
        DeviceSnapshot snapshot;
        snapshot.status = status;
        snapshot.busy = busy;
        snapshot.link = link;
        QCOMPARE(toString(Ui::shownStatus(snapshot, heard)), shown);
    }

    void everyStatusHasItsOwnColour()
    {
        const QList<ShownStatus> all{ShownStatus::Idle, ShownStatus::Busy, ShownStatus::Stopped,
            ShownStatus::Fault, ShownStatus::Connecting, ShownStatus::Disconnected,
            ShownStatus::Stale};
        QSet<QRgb> colours;
        for (ShownStatus status : all) {
            QVERIFY(dotColour(status).isValid());
            colours.insert(dotColour(status).rgb());
        }
        QCOMPARE(colours.size(), all.size());
    }

    // The window shows the word translated; the key that signals and roles carry stays as it is.
    void theShownWordIsTranslatedTheKeyIsNot()
    {
        class Shouting : public QTranslator {
        public:
            QString translate(
                const char *context, const char *source, const char *, int) const override
            {
                return QLatin1String(context) == QLatin1String("ShownStatus")
                    ? QString::fromLatin1(source).toUpper()
                    : QString();
            }
        };
        Shouting translator;
        QCoreApplication::installTranslator(&translator);
        const QString shown = displayName(ShownStatus::Disconnected);
        const QString key = toString(ShownStatus::Disconnected);
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(shown, QStringLiteral("DISCONNECTED"));
        QCOMPARE(key, QStringLiteral("disconnected"));
        QCOMPARE(displayName(ShownStatus::Disconnected), QStringLiteral("disconnected"));
    }
};

QTEST_GUILESS_MAIN(TestShownStatus)
#include "tst_shownstatus.moc"
