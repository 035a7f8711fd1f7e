// SPDX-License-Identifier: MIT
// RegisterCodec: the exact registers of known values in both word orders, round trips of every
// type, rounding, the edges of each range and the CodecError of values that do not fit.
#include "checkthrows.h"
#include "testsupport.h"

#include <registercodec.h>

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Benchtop::Modbus;
using Registers = QList<quint16>;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

Registers swapped(const Registers &registers)
{
    return registers.size() == 2 ? Registers{registers[1], registers[0]} : registers;
}

} // namespace

class TestRegisterCodec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void registerCounts()
    {
        QCOMPARE(registerCount(DataType::Int16), 1);
        QCOMPARE(registerCount(DataType::UInt16), 1);
        QCOMPARE(registerCount(DataType::Int32), 2);
        QCOMPARE(registerCount(DataType::UInt32), 2);
        QCOMPARE(registerCount(DataType::Float32), 2);
    }

    void names()
    {
        for (DataType type : {DataType::Int16, DataType::UInt16, DataType::Int32, DataType::UInt32,
                 DataType::Float32})
            QVERIFY(dataTypeFromString(toString(type)) == type);
        QCOMPARE(toString(DataType::Float32), QStringLiteral("float32"));
        QCOMPARE(toString(WordOrder::Big), QStringLiteral("big"));
        QCOMPARE(toString(WordOrder::Little), QStringLiteral("little"));
        QVERIFY(wordOrderFromString(QStringLiteral("big")) == WordOrder::Big);
        QVERIFY(wordOrderFromString(QStringLiteral("little")) == WordOrder::Little);
        for (const QString &name :
            {QString(), QStringLiteral("Int16"), QStringLiteral("float"), QStringLiteral("int16 "),
                QStringLiteral("double"), QString(qsizetype(100) * 1024, u'x')})
            QVERIFY(!dataTypeFromString(name));
        for (const QString &name : {QString(), QStringLiteral("Big"), QStringLiteral("big-endian"),
                 QStringLiteral("ABCD")})
            QVERIFY(!wordOrderFromString(name));
    }

    /// Registers as the wire has them, big word order (ABCD); little (CDAB) is the same two
    /// words swapped.
    void knownRegisters_data()
    {
        QTest::addColumn<double>("raw");
        QTest::addColumn<DataType>("type");
        QTest::addColumn<Registers>("big");
        QTest::newRow("float32 21.5") << 21.5 << DataType::Float32 << Registers{0x41AC, 0x0000};
        QTest::newRow("float32 1") << 1.0 << DataType::Float32 << Registers{0x3F80, 0x0000};
        QTest::newRow("float32 -1") << -1.0 << DataType::Float32 << Registers{0xBF80, 0x0000};
        QTest::newRow("float32 -0") << -0.0 << DataType::Float32 << Registers{0x8000, 0x0000};
        QTest::newRow("float32 largest") << double(std::numeric_limits<float>::max())
                                         << DataType::Float32 << Registers{0x7F7F, 0xFFFF};
        QTest::newRow("int32 -123456") << -123456.0 << DataType::Int32 << Registers{0xFFFE, 0x1DC0};
        QTest::newRow("int32 lowest")
            << -2147483648.0 << DataType::Int32 << Registers{0x8000, 0x0000};
        QTest::newRow("int32 highest")
            << 2147483647.0 << DataType::Int32 << Registers{0x7FFF, 0xFFFF};
        QTest::newRow("int32 -1") << -1.0 << DataType::Int32 << Registers{0xFFFF, 0xFFFF};
        QTest::newRow("uint32 0x12345678")
            << double(0x12345678) << DataType::UInt32 << Registers{0x1234, 0x5678};
        QTest::newRow("uint32 highest")
            << 4294967295.0 << DataType::UInt32 << Registers{0xFFFF, 0xFFFF};
        QTest::newRow("uint32 65536") << 65536.0 << DataType::UInt32 << Registers{0x0001, 0x0000};
        QTest::newRow("int16 -1") << -1.0 << DataType::Int16 << Registers{0xFFFF};
        QTest::newRow("int16 lowest") << -32768.0 << DataType::Int16 << Registers{0x8000};
        QTest::newRow("int16 highest") << 32767.0 << DataType::Int16 << Registers{0x7FFF};
        QTest::newRow("uint16 highest") << 65535.0 << DataType::UInt16 << Registers{0xFFFF};
        QTest::newRow("uint16 0") << 0.0 << DataType::UInt16 << Registers{0x0000};
        QTest::newRow("uint16 0x1234") << double(0x1234) << DataType::UInt16 << Registers{0x1234};
    }

    void knownRegisters()
    {
        QFETCH(double, raw);
        QFETCH(DataType, type);
        QFETCH(Registers, big);
        QCOMPARE(encode(raw, type, WordOrder::Big), big);
        QCOMPARE(encode(raw, type, WordOrder::Little), swapped(big));
        QCOMPARE(decode(big, type, WordOrder::Big), raw);
        QCOMPARE(decode(swapped(big), type, WordOrder::Little), raw);
    }

    /// A float32 holds the nearest float: 0.1 is 0x3DCCCCCD, which reads back as 0.1f.
    void float32Rounds()
    {
        QCOMPARE(encode(0.1, DataType::Float32, WordOrder::Big), (Registers{0x3DCC, 0xCCCD}));
        QCOMPARE(decode({0x3DCC, 0xCCCD}, DataType::Float32, WordOrder::Big), double(0.1f));
        // Below the smallest float: zero, not an error.
        QCOMPARE(encode(1e-50, DataType::Float32, WordOrder::Big), (Registers{0x0000, 0x0000}));
    }

    void float32SpecialValuesDecode()
    {
        QVERIFY(std::isnan(decode({0x7FC0, 0x0000}, DataType::Float32, WordOrder::Big)));
        QCOMPARE(decode({0x7F80, 0x0000}, DataType::Float32, WordOrder::Big), kInf);
        QCOMPARE(decode({0x0000, 0xFF80}, DataType::Float32, WordOrder::Little), -kInf);
        QCOMPARE(decode({0x0000, 0x0001}, DataType::Float32, WordOrder::Big),
            double(std::numeric_limits<float>::denorm_min()));
    }

    void rounding_data()
    {
        QTest::addColumn<double>("raw");
        QTest::addColumn<DataType>("type");
        QTest::addColumn<double>("stored");
        QTest::newRow("1.4") << 1.4 << DataType::Int16 << 1.0;
        QTest::newRow("1.5 up") << 1.5 << DataType::Int16 << 2.0;
        QTest::newRow("2.5 away from zero") << 2.5 << DataType::Int16 << 3.0;
        QTest::newRow("-1.5 away from zero") << -1.5 << DataType::Int16 << -2.0;
        QTest::newRow("-0.4 is 0 for uint16") << -0.4 << DataType::UInt16 << 0.0;
        QTest::newRow("32767.4") << 32767.4 << DataType::Int16 << 32767.0;
        QTest::newRow("-32768.4") << -32768.4 << DataType::Int16 << -32768.0;
        QTest::newRow("65535.49") << 65535.49 << DataType::UInt16 << 65535.0;
        QTest::newRow("int32 -2147483648.4") << -2147483648.4 << DataType::Int32 << -2147483648.0;
        QTest::newRow("uint32 4294967295.3") << 4294967295.3 << DataType::UInt32 << 4294967295.0;
        QTest::newRow("int32 99.99") << 99.99 << DataType::Int32 << 100.0;
    }

    void rounding()
    {
        QFETCH(double, raw);
        QFETCH(DataType, type);
        QFETCH(double, stored);
        for (WordOrder order : {WordOrder::Big, WordOrder::Little})
            QCOMPARE(decode(encode(raw, type, order), type, order), stored);
    }

    void doesNotFit_data()
    {
        QTest::addColumn<double>("raw");
        QTest::addColumn<DataType>("type");
        QTest::addColumn<QString>("message");
        QTest::newRow("int16 70000")
            << 70000.0 << DataType::Int16
            << QStringLiteral("70000 does not fit int16 (-32768 to 32767)");
        QTest::newRow("int16 32767.5")
            << 32767.5 << DataType::Int16
            << QStringLiteral("32767.5 does not fit int16 (-32768 to 32767)");
        QTest::newRow("int16 -32768.5")
            << -32768.5 << DataType::Int16 << QStringLiteral("-32768.5 does not fit int16");
        QTest::newRow("uint16 -1")
            << -1.0 << DataType::UInt16 << QStringLiteral("-1 does not fit uint16 (0 to 65535)");
        QTest::newRow("uint16 -0.5")
            << -0.5 << DataType::UInt16 << QStringLiteral("-0.5 does not fit uint16 (0 to 65535)");
        QTest::newRow("uint16 65536") << 65536.0 << DataType::UInt16
                                      << QStringLiteral("65536 does not fit uint16 (0 to 65535)");
        QTest::newRow("int32 2^31")
            << 2147483648.0 << DataType::Int32
            << QStringLiteral("2147483648 does not fit int32 (-2147483648 to 2147483647)");
        QTest::newRow("uint32 2^32")
            << 4294967296.0 << DataType::UInt32
            << QStringLiteral("4294967296 does not fit uint32 (0 to 4294967295)");
        QTest::newRow("uint32 -1")
            << -1.0 << DataType::UInt32 << QStringLiteral("-1 does not fit uint32");
        QTest::newRow("int32 1e300")
            << 1e300 << DataType::Int32 << QStringLiteral("1e+300 does not fit int32");
        QTest::newRow("float32 1e39")
            << 1e39 << DataType::Float32
            << QStringLiteral("1e+39 does not fit float32 (-3.4028235e+38 to 3.4028235e+38)");
        QTest::newRow("float32 -1e39")
            << -1e39 << DataType::Float32 << QStringLiteral("-1e+39 does not fit float32");
        QTest::newRow("float32 largest double")
            << std::numeric_limits<double>::max() << DataType::Float32
            << QStringLiteral("does not fit float32");
        for (DataType type : {DataType::Int16, DataType::UInt16, DataType::Int32, DataType::UInt32,
                 DataType::Float32}) {
            const QString name = toString(type);
            QTest::addRow("%s NaN", qPrintable(name)) << kNaN << type << "nan does not fit " + name;
            QTest::addRow("%s inf", qPrintable(name)) << kInf << type << "inf does not fit " + name;
            QTest::addRow("%s -inf", qPrintable(name))
                << -kInf << type << "-inf does not fit " + name;
        }
    }

    void doesNotFit()
    {
        QFETCH(double, raw);
        QFETCH(DataType, type);
        QFETCH(QString, message);
        CHECK_THROWS(CodecError, encode(raw, type, WordOrder::Big), message);
        CHECK_THROWS(CodecError, encode(raw, type, WordOrder::Little), message);
    }

    void wrongRegisterCount_data()
    {
        QTest::addColumn<Registers>("registers");
        QTest::addColumn<DataType>("type");
        QTest::addColumn<QString>("message");
        QTest::newRow("int16, none")
            << Registers{} << DataType::Int16 << QStringLiteral("int16 takes 1 register, not 0");
        QTest::newRow("uint16, two") << Registers{1, 2} << DataType::UInt16
                                     << QStringLiteral("uint16 takes 1 register, not 2");
        QTest::newRow("int32, one")
            << Registers{1} << DataType::Int32 << QStringLiteral("int32 takes 2 registers, not 1");
        QTest::newRow("uint32, none")
            << Registers{} << DataType::UInt32 << QStringLiteral("uint32 takes 2 registers, not 0");
        QTest::newRow("float32, three") << Registers{1, 2, 3} << DataType::Float32
                                        << QStringLiteral("float32 takes 2 registers, not 3");
        QTest::newRow("float32, 100 kB") << Registers(qsizetype(50) * 1024, 0xFFFF)
                                         << DataType::Float32 << QStringLiteral("not 51200");
    }

    void wrongRegisterCount()
    {
        QFETCH(Registers, registers);
        QFETCH(DataType, type);
        QFETCH(QString, message);
        CHECK_THROWS(CodecError, decode(registers, type, WordOrder::Big), message);
        CHECK_THROWS(CodecError, decode(registers, type, WordOrder::Little), message);
    }

    /// Every register pattern of each 32-bit type survives decode → encode, in both orders
    /// (random patterns, fixed seed; NaN patterns excepted: their payload is not a value).
    void roundTrips_data()
    {
        QTest::addColumn<DataType>("type");
        QTest::addColumn<WordOrder>("order");
        for (DataType type : {DataType::Int16, DataType::UInt16, DataType::Int32, DataType::UInt32,
                 DataType::Float32}) {
            for (WordOrder order : {WordOrder::Big, WordOrder::Little})
                QTest::addRow("%s %s", qPrintable(toString(type)), qPrintable(toString(order)))
                    << type << order;
        }
    }

    void roundTrips()
    {
        QFETCH(DataType, type);
        QFETCH(WordOrder, order);
        QRandomGenerator random(7);
        const int count = registerCount(type);
        QList<Registers> patterns{Registers(count, 0x0000), Registers(count, 0xFFFF),
            Registers(count, 0x8000), Registers(count, 0x7FFF)};
        for (int i = 0; i < 20000; ++i) {
            Registers registers;
            for (int j = 0; j < count; ++j)
                registers << static_cast<quint16>(random.bounded(0x10000));
            patterns << registers;
        }
        for (const Registers &registers : std::as_const(patterns)) {
            const double value = decode(registers, type, order);
            if (std::isnan(value) || std::isinf(value))
                continue;
            QCOMPARE(encode(value, type, order), registers);
        }
        // And values: what goes in comes out (as the type holds it).
        for (double value : {0.0, 1.0, -1.0, 100.0, 12345.0, -32768.0, 32767.0, 65535.0}) {
            bool fits = true;
            try {
                const double back = decode(encode(value, type, order), type, order);
                QCOMPARE(back, value);
            } catch (const CodecError &) {
                fits = false;
            }
            const bool signedType
                = type == DataType::Int16 || type == DataType::Int32 || type == DataType::Float32;
            QCOMPARE(
                fits, (value >= 0 || signedType) && (value <= 32767 || type != DataType::Int16));
        }
    }

    void scaling()
    {
        const Scaling identity;
        QCOMPARE(identity.toEngineering(123), 123.0);
        QCOMPARE(identity.toRaw(123), 123.0);
        const Scaling tenths{0.1, -40};
        QCOMPARE(tenths.toEngineering(655), 0.1 * 655 - 40);
        QVERIFY(std::abs(tenths.toRaw(25.5) - 655) < 1e-9);
        const Scaling negative{-2, 10};
        QCOMPARE(negative.toEngineering(3), 4.0);
        QCOMPARE(negative.toRaw(4), 3.0);
    }
};

QTEST_GUILESS_MAIN(TestRegisterCodec)
#include "tst_registercodec.moc"
