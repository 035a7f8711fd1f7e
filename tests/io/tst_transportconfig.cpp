// SPDX-License-Identifier: MIT
// Reading a device's link settings from its lab table: defaults, each key, each bad value.
#include "testsupport.h"

#include <device/deviceerror.h>
#include <io/serialtransport.h>
#include <io/tcptransport.h>
#include <io/transportconfig.h>

#include <QTest>

using namespace std::chrono_literals;
using namespace Benchtop;

namespace {
QString errorOf(const QVariantMap &config)
{
    try {
        Io::makeTransport(QStringLiteral("dmm"), config);
        Io::lineOptions(QStringLiteral("dmm"), config);
        Io::reconnectBackoff(QStringLiteral("dmm"), config);
    } catch (const DeviceError &e) {
        return e.message();
    }
    return {};
}
} // namespace

class TestTransportConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tcpByDefault()
    {
        auto transport = Io::makeTransport(QStringLiteral("dmm"), {{QStringLiteral("host"), QStringLiteral("10.0.0.5")}});
        QCOMPARE(transport->describe(), QStringLiteral("tcp 10.0.0.5:5025"));
        QVERIFY(transport->state() == LinkState::Disconnected);
    }

    void serialWithItsLineSettings()
    {
        const QVariantMap config{{QStringLiteral("transport"), QStringLiteral("serial")},
            {QStringLiteral("serial_port"), QStringLiteral("/dev/ttyUSB0")},
            {QStringLiteral("baud"), 115200LL}, {QStringLiteral("data_bits"), QStringLiteral("7")},
            {QStringLiteral("parity"), QStringLiteral("even")}, {QStringLiteral("stop_bits"), QStringLiteral("2")},
            {QStringLiteral("flow_control"), QStringLiteral("rts/cts")}};
        auto transport = Io::makeTransport(QStringLiteral("dmm"), config);
        QCOMPARE(transport->describe(), QStringLiteral("serial /dev/ttyUSB0 115200 7E2 rts/cts"));
    }

    void lineOptionsAndTheirDefaults()
    {
        const Io::LineOptions defaults = Io::lineOptions(QStringLiteral("dmm"), {});
        QCOMPARE(defaults.label, QStringLiteral("dmm"));
        QCOMPARE(defaults.writeTerminator, QByteArray("\n"));
        QCOMPARE(defaults.readTerminator, QByteArray("\n"));
        QCOMPARE(defaults.timeout, 2000ms);
        const Io::LineOptions given = Io::lineOptions(QStringLiteral("dmm"),
            {{QStringLiteral("write_terminator"), QStringLiteral("\\r\\n")},
                {QStringLiteral("read_terminator"), QStringLiteral("\\x03")},
                {QStringLiteral("timeout_ms"), 250LL}, {QStringLiteral("max_reply_bytes"), 100LL},
                {QStringLiteral("timeouts_before_disconnect"), 0LL}});
        QCOMPARE(given.writeTerminator, QByteArray("\r\n"));
        QCOMPARE(given.readTerminator, QByteArray("\x03"));
        QCOMPARE(given.timeout, 250ms);
        QCOMPARE(given.maxReplyBytes, qsizetype(100));
        QCOMPARE(given.timeoutsBeforeLost, 0);
    }

    void badValuesNameTheDeviceAndTheKey_data()
    {
        QTest::addColumn<QVariantMap>("config");
        QTest::addColumn<QString>("error");
        const QString host = QStringLiteral("host");
        const QString h = QStringLiteral("127.0.0.1");
        QTest::newRow("no host") << QVariantMap{}
                                 << "device \"dmm\": key \"host\" is needed for transport \"tcp\"";
        QTest::newRow("unknown transport")
            << QVariantMap{{QStringLiteral("transport"), QStringLiteral("gpib")}}
            << "device \"dmm\": key \"transport\" must be \"tcp\" or \"serial\", not \"gpib\"";
        QTest::newRow("no serial port")
            << QVariantMap{{QStringLiteral("transport"), QStringLiteral("serial")}}
            << "device \"dmm\": key \"serial_port\" is needed for transport \"serial\" (e.g. \"/dev/ttyUSB0\")";
        QTest::newRow("port out of range") << QVariantMap{{host, h}, {QStringLiteral("tcp_port"), 70000LL}}
                                           << "device \"dmm\": key \"tcp_port\" must be between 1 and 65535, not 70000";
        QTest::newRow("parity") << QVariantMap{{QStringLiteral("transport"), QStringLiteral("serial")},
            {QStringLiteral("serial_port"), QStringLiteral("/dev/x")}, {QStringLiteral("parity"), QStringLiteral("N")}}
                                << "device \"dmm\": key \"parity\" must be one of none, even, odd, space, mark, not \"N\"";
        QTest::newRow("empty terminator") << QVariantMap{{host, h}, {QStringLiteral("read_terminator"), QString()}}
                                          << "device \"dmm\": key \"read_terminator\" must not be empty";
        QTest::newRow("unknown escape") << QVariantMap{{host, h}, {QStringLiteral("write_terminator"), QStringLiteral("\\q")}}
                                        << "device \"dmm\": key \"write_terminator\" has an unknown escape \\q (known: \\n \\r \\t \\\\ \\xHH)";
        QTest::newRow("short hex escape") << QVariantMap{{host, h}, {QStringLiteral("write_terminator"), QStringLiteral("\\x4")}}
                                          << "device \"dmm\": key \"write_terminator\" has a bad \\x escape (two hex digits expected)";
        QTest::newRow("lone backslash") << QVariantMap{{host, h}, {QStringLiteral("write_terminator"), QStringLiteral("\\")}}
                                        << "device \"dmm\": key \"write_terminator\" ends with a lone backslash";
        QTest::newRow("backoff upside down")
            << QVariantMap{{host, h}, {QStringLiteral("reconnect_min_ms"), 5000LL}, {QStringLiteral("reconnect_max_ms"), 100LL}}
            << "device \"dmm\": key \"reconnect_max_ms\" must not be less than reconnect_min_ms";
        QTest::newRow("timeout not a number") << QVariantMap{{host, h}, {QStringLiteral("timeout_ms"), QStringLiteral("soon")}}
                                              << "device \"dmm\": key \"timeout_ms\" must be an integer";
    }
    void badValuesNameTheDeviceAndTheKey()
    {
        QFETCH(QVariantMap, config);
        QFETCH(QString, error);
        QCOMPARE(errorOf(config), error);
        // The lab's check finds the same, in the same words, about the same key, before any
        // transport is made (the form and `--check` say it; creation would refuse it).
        const QList<ConfigProblem> problems = Io::checkLinkConfig(config);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(QStringLiteral("device \"dmm\": ") + problems[0].message, error);
        QVERIFY(error.contains(QStringLiteral("key \"%1\"").arg(problems[0].key)));
    }

    // Every problem at once, where creation stops at the first.
    void theCheckFindsEveryProblem()
    {
        const QVariantMap config{{QStringLiteral("transport"), QStringLiteral("serial")},
            {QStringLiteral("read_terminator"), QString()},
            {QStringLiteral("write_terminator"), QStringLiteral("\\q")},
            {QStringLiteral("reconnect_min_ms"), 5000LL},
            {QStringLiteral("reconnect_max_ms"), 100LL}};
        QStringList keys;
        for (const ConfigProblem &problem : Io::checkLinkConfig(config))
            keys << problem.key;
        QCOMPARE(keys,
            (QStringList{QStringLiteral("serial_port"), QStringLiteral("write_terminator"),
                QStringLiteral("read_terminator"), QStringLiteral("reconnect_max_ms")}));
        QCOMPARE(Io::checkReconnectConfig(config).size(), 1);
        QVERIFY(Io::checkLinkConfig({{QStringLiteral("host"), QStringLiteral("h")}}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTransportConfig)
#include "tst_transportconfig.moc"
