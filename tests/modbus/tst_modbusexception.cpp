// SPDX-License-Identifier: MIT
// Modbus exception responses: the text of each code, and telling an exception response from a
// normal one in a raw PDU, including malformed ones (never reading past the end).
#include "checkthrows.h"
#include "testsupport.h"

#include <modbusexception.h>
#include <registercodec.h>

#include <QTest>

using namespace Benchtop::Modbus;

class TestModbusException : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void texts_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::newRow("1") << 1 << QStringLiteral("illegal function (exception 1)");
        QTest::newRow("2") << 2 << QStringLiteral("illegal data address (exception 2)");
        QTest::newRow("3") << 3 << QStringLiteral("illegal data value (exception 3)");
        QTest::newRow("4") << 4 << QStringLiteral("server device failure (exception 4)");
        QTest::newRow("5") << 5 << QStringLiteral("acknowledge (exception 5)");
        QTest::newRow("6") << 6 << QStringLiteral("server device busy (exception 6)");
        QTest::newRow("8") << 8 << QStringLiteral("memory parity error (exception 8)");
        QTest::newRow("10") << 0x0A << QStringLiteral("gateway path unavailable (exception 10)");
        QTest::newRow("11") << 0x0B
                            << QStringLiteral(
                                   "gateway target device failed to respond (exception 11)");
        QTest::newRow("0") << 0 << QStringLiteral("unknown exception code 0x00 (exception 0)");
        QTest::newRow("7") << 7 << QStringLiteral("unknown exception code 0x07 (exception 7)");
        QTest::newRow("9") << 9 << QStringLiteral("unknown exception code 0x09 (exception 9)");
        QTest::newRow("12") << 0x0C << QStringLiteral("unknown exception code 0x0C (exception 12)");
        QTest::newRow("255") << 0xFF
                             << QStringLiteral("unknown exception code 0xFF (exception 255)");
        QTest::newRow("256") << 256 << QStringLiteral("unknown exception code 256 (exception 256)");
        QTest::newRow("-1") << -1 << QStringLiteral("unknown exception code -1 (exception -1)");
    }

    void texts()
    {
        QFETCH(int, code);
        QFETCH(QString, text);
        QCOMPARE(exceptionText(code), text);
    }

    void codes_data()
    {
        QTest::addColumn<QByteArray>("pdu");
        QTest::addColumn<int>("code"); // -1: a normal response
        QTest::newRow("read holding, illegal address") << QByteArray::fromHex("8302") << 2;
        QTest::newRow("read coils, illegal function") << QByteArray::fromHex("8101") << 1;
        QTest::newRow("write register, busy") << QByteArray::fromHex("8606") << 6;
        QTest::newRow("code 0") << QByteArray::fromHex("8300") << 0;
        QTest::newRow("code 255") << QByteArray::fromHex("83ff") << 255;
        QTest::newRow("function 0x7F") << QByteArray::fromHex("ff0b") << 11;
        QTest::newRow("normal read") << QByteArray::fromHex("0304000102ff") << -1;
        QTest::newRow("normal, function only") << QByteArray::fromHex("03") << -1;
        QTest::newRow("normal, long") << QByteArray(qsizetype(100) * 1024, '\x03') << -1;
        QTest::newRow("normal, NULs") << QByteArray::fromHex("0100000000") << -1;
    }

    void codes()
    {
        QFETCH(QByteArray, pdu);
        QFETCH(int, code);
        const std::optional<int> actual = exceptionCode(pdu);
        QCOMPARE(actual.value_or(-1), code);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("pdu");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray()
                               << QStringLiteral("empty Modbus response (no function code)");
        QTest::newRow("no code") << QByteArray::fromHex("83")
                                 << QStringLiteral(
                                        "malformed Modbus exception response: 1 byte (83), "
                                        "expected 2 (function, exception code)");
        QTest::newRow("too long") << QByteArray::fromHex("830200")
                                  << QStringLiteral("3 bytes (83 02 00), expected 2");
        QTest::newRow("function 0")
            << QByteArray::fromHex("80")
            << QStringLiteral("malformed Modbus exception response: function "
                              "code 0 (80)");
        QTest::newRow("function 0 with a code")
            << QByteArray::fromHex("8001") << QStringLiteral("function code 0 (80 01)");
        QTest::newRow("100 kB") << QByteArray(qsizetype(100) * 1024, '\x83')
                                << QStringLiteral("102400 bytes (83 83 83 83 83 83 83 83 …)");
    }

    void malformed()
    {
        QFETCH(QByteArray, pdu);
        QFETCH(QString, message);
        CHECK_THROWS(CodecError, exceptionCode(pdu), message);
    }

    /// Only the bytes of the array are read: a PDU cut out of a larger buffer.
    void readsOnlyItsBytes()
    {
        const QByteArray buffer = QByteArray::fromHex("8302");
        QCOMPARE(exceptionCode(QByteArray::fromRawData(buffer.constData(), 2)).value_or(-1), 2);
        CHECK_THROWS(CodecError, exceptionCode(QByteArray::fromRawData(buffer.constData(), 1)),
            QStringLiteral("1 byte (83)"));
    }
};

QTEST_GUILESS_MAIN(TestModbusException)
#include "tst_modbusexception.moc"
