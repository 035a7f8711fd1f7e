// SPDX-License-Identifier: MIT
// The register map of a Modbus device's lab table: channels, the setpoint and digital lines as
// the TOML reader hands them over (QVariantMap, qlonglong, double, QString), their defaults, and
// every error with its full message.
#include "checkthrows.h"
#include "testsupport.h"

#include <registermap.h>

#include <QTest>

#include <limits>

using namespace Benchtop::Modbus;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A spec as one comparable line.
QString describe(const RegisterSpec &spec)
{
    return QStringLiteral("%1: %2 %3 %4 %5 *%6 %7%8 [%9]")
        .arg(spec.name, toString(spec.table))
        .arg(spec.address)
        .arg(toString(spec.type), toString(spec.order))
        .arg(spec.scaling.scale)
        .arg(spec.scaling.offset < 0 ? QString() : QStringLiteral("+"))
        .arg(spec.scaling.offset)
        .arg(spec.units);
}

QVariantMap channel(qlonglong address)
{
    return {{QStringLiteral("address"), address}};
}

QVariantMap with(QVariantMap map, const QString &key, const QVariant &value)
{
    map.insert(key, value);
    return map;
}

} // namespace

class TestRegisterMap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void channels_data()
    {
        QTest::addColumn<QVariantMap>("channels");
        QTest::addColumn<QStringList>("specs");
        QTest::newRow("none") << QVariantMap() << QStringList();
        QTest::newRow("defaults") << QVariantMap{{"t", channel(0)}}
                                  << QStringList{"t: holding 0 uint16 big *1 +0 []"};
        QTest::newRow("everything")
            << QVariantMap{{"temperature",
                   QVariantMap{{"table", "input"}, {"address", 100LL}, {"type", "float32"},
                       {"word_order", "little"}, {"scale", 0.1}, {"offset", -40.0},
                       {"units", QStringLiteral("°C")}}}}
            << QStringList{"temperature: input 100 float32 little *0.1 -40 [°C]"};
        QTest::newRow("sorted by name")
            << QVariantMap{{"b", channel(1)}, {"a", with(channel(2), "type", "int32")}}
            << QStringList{"a: holding 2 int32 big *1 +0 []", "b: holding 1 uint16 big *1 +0 []"};
        QTest::newRow("last register") << QVariantMap{{"t", channel(65535)}}
                                       << QStringList{"t: holding 65535 uint16 big *1 +0 []"};
        QTest::newRow("last two registers")
            << QVariantMap{{"t", with(channel(65534), "type", "uint32")}}
            << QStringList{"t: holding 65534 uint32 big *1 +0 []"};
        QTest::newRow("integral float address")
            << QVariantMap{{"t", QVariantMap{{"address", 10.0}}}}
            << QStringList{"t: holding 10 uint16 big *1 +0 []"};
        QTest::newRow("integer scale, negative")
            << QVariantMap{{"t", with(with(channel(3), "scale", -2LL), "offset", 5LL)}}
            << QStringList{"t: holding 3 uint16 big *-2 +5 []"};
        QTest::newRow("name with a space")
            << QVariantMap{{"room temp", with(channel(1), "type", "int16")}}
            << QStringList{"room temp: holding 1 int16 big *1 +0 []"};
    }

    void channels()
    {
        QFETCH(QVariantMap, channels);
        QFETCH(QStringList, specs);
        QStringList actual;
        for (const RegisterSpec &spec : parseChannels(channels, QStringLiteral("channels")))
            actual << describe(spec);
        QCOMPARE(actual, specs);
    }

    void badChannels_data()
    {
        QTest::addColumn<QVariantMap>("channels");
        QTest::addColumn<QString>("message");
        const QVariantMap one = channel(1);
        QTest::newRow("not a table")
            << QVariantMap{{"t", 5LL}}
            << QStringLiteral(
                   "channels.t: must be a table such as { address = 0 }, not an integer");
        QTest::newRow("an array")
            << QVariantMap{{"t", QVariantList{1, 2}}}
            << QStringLiteral("channels.t: must be a table such as { address = 0 }, not an array");
        QTest::newRow("nothing")
            << QVariantMap{{"t", QVariant()}}
            << QStringLiteral("channels.t: must be a table such as { address = 0 }, not nothing");
        QTest::newRow("no address")
            << QVariantMap{{"t", QVariantMap()}}
            << QStringLiteral(
                   "channels.t: missing required key \"address\" (an integer 0 to 65535)");
        QTest::newRow("address a string")
            << QVariantMap{{"t", QVariantMap{{"address", "5"}}}}
            << QStringLiteral("channels.t: \"address\" must be an integer, not a string");
        QTest::newRow("address a boolean")
            << QVariantMap{{"t", QVariantMap{{"address", true}}}}
            << QStringLiteral("channels.t: \"address\" must be an integer, not a boolean");
        QTest::newRow("address a fraction")
            << QVariantMap{{"t", QVariantMap{{"address", 2.5}}}}
            << QStringLiteral("channels.t: \"address\" must be an integer, not 2.5");
        QTest::newRow("address NaN")
            << QVariantMap{{"t", QVariantMap{{"address", kNaN}}}}
            << QStringLiteral("channels.t: \"address\" must be an integer, not nan");
        QTest::newRow("address inf")
            << QVariantMap{{"t", QVariantMap{{"address", kInf}}}}
            << QStringLiteral("channels.t: \"address\" must be an integer, not inf");
        QTest::newRow("address -1")
            << QVariantMap{{"t", channel(-1)}}
            << QStringLiteral("channels.t: \"address\" is -1, outside 0 to 65535");
        QTest::newRow("address -0.0 is 0, 70000 is not")
            << QVariantMap{{"t", channel(70000)}}
            << QStringLiteral("channels.t: \"address\" is 70000, outside 0 to 65535");
        QTest::newRow("address 1e999 as float")
            << QVariantMap{{"t", QVariantMap{{"address", 1e300}}}}
            << QStringLiteral("channels.t: \"address\" is 1e+300, outside 0 to 65535");
        QTest::newRow("address huge unsigned")
            << QVariantMap{{"t", QVariantMap{{"address", std::numeric_limits<qulonglong>::max()}}}}
            << QStringLiteral(
                   "channels.t: \"address\" is 18446744073709551615, outside 0 to 65535");
        QTest::newRow("address lowest")
            << QVariantMap{{"t", channel(std::numeric_limits<qlonglong>::min())}}
            << QStringLiteral("\"address\" is -9223372036854775808, outside");
        QTest::newRow("float32 past the end")
            << QVariantMap{{"t", with(channel(65535), "type", "float32")}}
            << QStringLiteral(
                   "channels.t: float32 at address 65535 runs past the last register (65535)");
        QTest::newRow("unknown key, close")
            << QVariantMap{{"t", with(one, "adress", 2LL)}}
            << QStringLiteral("channels.t: unknown key \"adress\" (did you mean \"address\"?)");
        QTest::newRow("unknown key, case")
            << QVariantMap{{"t", with(one, "Units", "V")}}
            << QStringLiteral("unknown key \"Units\" (did you mean \"units\"?)");
        QTest::newRow("unknown key, far")
            << QVariantMap{{"t", with(one, "colour", "red")}}
            << QStringLiteral(
                   "channels.t: unknown key \"colour\" (known keys: \"table\", \"address\", "
                   "\"type\", \"word_order\", \"scale\", \"offset\", \"units\")");
        QTest::newRow("unknown key, 100 kB")
            << QVariantMap{{"t", with(one, QString(qsizetype(100) * 1024, u'k'), 1LL)}}
            << QStringLiteral("channels.t: unknown key \"kkkk");
        QTest::newRow("type misspelt")
            << QVariantMap{{"t", with(one, "type", "floatt")}}
            << QStringLiteral(
                   "channels.t: \"type\" must be one of \"int16\", \"uint16\", \"int32\", "
                   "\"uint32\", \"float32\", not \"floatt\" (did you mean \"float32\"?)");
        QTest::newRow("type unknown") << QVariantMap{{"t", with(one, "type", "double")}}
                                      << QStringLiteral("\"float32\", not \"double\"");
        QTest::newRow("type not a string")
            << QVariantMap{{"t", with(one, "type", 5LL)}}
            << QStringLiteral("channels.t: \"type\" must be a string, not an integer");
        QTest::newRow("type empty")
            << QVariantMap{{"t", with(one, "type", "")}} << QStringLiteral("not \"\"");
        QTest::newRow("table coil")
            << QVariantMap{{"t", with(one, "table", "coil")}}
            << QStringLiteral(
                   "channels.t: \"table\" must be \"holding\" or \"input\", not \"coil\"");
        QTest::newRow("table misspelt")
            << QVariantMap{{"t", with(one, "table", "inptu")}}
            << QStringLiteral("not \"inptu\" (did you mean \"input\"?)");
        QTest::newRow("word order capitalised")
            << QVariantMap{{"t", with(one, "word_order", "Big")}}
            << QStringLiteral("channels.t: \"word_order\" must be \"big\" or \"little\", not "
                              "\"Big\" (did you mean \"big\"?)");
        QTest::newRow("word order ABCD")
            << QVariantMap{{"t", with(one, "word_order", "ABCD")}}
            << QStringLiteral("\"word_order\" must be \"big\" or \"little\", not \"ABCD\"");
        QTest::newRow("scale 0") << QVariantMap{{"t", with(one, "scale", 0LL)}}
                                 << QStringLiteral(
                                        "channels.t: \"scale\" must be finite and non-zero, not 0");
        QTest::newRow("scale -0") << QVariantMap{{"t", with(one, "scale", -0.0)}}
                                  << QStringLiteral("\"scale\" must be finite and non-zero, not 0");
        QTest::newRow("scale inf")
            << QVariantMap{{"t", with(one, "scale", kInf)}}
            << QStringLiteral("\"scale\" must be finite and non-zero, not inf");
        QTest::newRow("scale NaN")
            << QVariantMap{{"t", with(one, "scale", kNaN)}}
            << QStringLiteral("\"scale\" must be finite and non-zero, not nan");
        QTest::newRow("scale a string")
            << QVariantMap{{"t", with(one, "scale", "0.1")}}
            << QStringLiteral("channels.t: \"scale\" must be a number, not a string");
        QTest::newRow("offset inf")
            << QVariantMap{{"t", with(one, "offset", -kInf)}}
            << QStringLiteral("channels.t: \"offset\" must be finite, not -inf");
        QTest::newRow("offset a table")
            << QVariantMap{{"t", with(one, "offset", QVariantMap())}}
            << QStringLiteral("\"offset\" must be a number, not a table");
        QTest::newRow("units a number")
            << QVariantMap{{"t", with(one, "units", 5.5)}}
            << QStringLiteral("channels.t: \"units\" must be a string, not a float");
        QTest::newRow("empty name")
            << QVariantMap{{"", one}} << QStringLiteral("channels.\"\": a channel needs a name");
        QTest::newRow("newline in the name")
            << QVariantMap{{"a\nb", 1LL}} << QStringLiteral("channels.\"a\\nb\": must be a table");
        QTest::newRow("newline at the end of the name")
            << QVariantMap{{"t\n", 1LL}} << QStringLiteral("channels.\"t\\n\": must be a table");
        QTest::newRow("NUL in the name")
            << QVariantMap{{QString::fromUtf8(QByteArray("a\0b", 3)), 1LL}}
            << QStringLiteral("channels.\"a\\0b\": must be a table");
        QTest::newRow("100 kB name")
            << QVariantMap{{QString(qsizetype(100) * 1024, u'n'), 1LL}}
            << QStringLiteral("nnnnnnnn…\" (102400 characters): must be a table");
        QTest::newRow("invalid UTF-8 name")
            << QVariantMap{{QString::fromUtf8("\xff\xfe"), 1LL}}
            << QStringLiteral("channels.\"\uFFFD\uFFFD\": must be a table");
        QTest::newRow("the first bad one") << QVariantMap{{"a", one}, {"b", channel(-5)},
            {"c", 5LL}} << QStringLiteral("channels.b: \"address\" is -5");
    }

    void badChannels()
    {
        QFETCH(QVariantMap, channels);
        QFETCH(QString, message);
        CHECK_THROWS(MapError, parseChannels(channels, QStringLiteral("channels")), message);
    }

    void noPrefixWithoutWhere()
    {
        CHECK_THROWS(
            MapError, parseChannels({{"t", 1LL}}, QString()), QStringLiteral("t: must be a table"));
    }

    void setpoint()
    {
        QVERIFY(!parseSetpoint({}, QStringLiteral("setpoint")));
        const std::optional<RegisterSpec> spec = parseSetpoint(
            QVariantMap{{"address", 10LL}, {"type", "int16"}, {"scale", 0.1}, {"units", "V"}},
            QStringLiteral("setpoint"));
        QVERIFY(spec);
        QCOMPARE(describe(*spec), QStringLiteral("setpoint: holding 10 int16 big *0.1 +0 [V]"));
        QCOMPARE(describe(*parseSetpoint(QVariantMap{{"table", "holding"}, {"address", 1LL}},
                     QStringLiteral("setpoint"))),
            QStringLiteral("setpoint: holding 1 uint16 big *1 +0 []"));
    }

    void badSetpoints_data()
    {
        QTest::addColumn<QVariantMap>("setpoint");
        QTest::addColumn<QString>("message");
        QTest::newRow("input register")
            << QVariantMap{{"table", "input"}, {"address", 1LL}}
            << QStringLiteral("setpoint: \"table\" must be \"holding\" (input registers are "
                              "read-only), not \"input\"");
        QTest::newRow("no address") << QVariantMap{{"type", "int16"}}
                                    << QStringLiteral("setpoint: missing required key \"address\"");
        QTest::newRow("address a string")
            << QVariantMap{{"address", "x"}}
            << QStringLiteral("setpoint: \"address\" must be an integer, not a string");
        QTest::newRow("misspelt key")
            << QVariantMap{{"address", 1LL}, {"typ", "int16"}}
            << QStringLiteral("setpoint: unknown key \"typ\" (did you mean \"type\"?)");
        QTest::newRow("past the end") << QVariantMap{{"address", 65535LL},
            {"type", "int32"}} << QStringLiteral("setpoint: int32 at address 65535 runs past");
        QTest::newRow("scale 0") << QVariantMap{{"address", 1LL},
            {"scale", 0.0}} << QStringLiteral("setpoint: \"scale\" must be finite and non-zero");
    }

    void badSetpoints()
    {
        QFETCH(QVariantMap, setpoint);
        QFETCH(QString, message);
        CHECK_THROWS(MapError, parseSetpoint(setpoint, QStringLiteral("setpoint")), message);
    }

    void lines_data()
    {
        QTest::addColumn<QVariantMap>("lines");
        QTest::addColumn<QVariantMap>("expected"); // name → int address
        QTest::newRow("none") << QVariantMap() << QVariantMap();
        QTest::newRow("integers and integral floats")
            << QVariantMap{{"foot", 3LL}, {"led", 4.0}, {"last", 65535LL}, {"first", 0.0}}
            << QVariantMap{{"foot", 3}, {"led", 4}, {"last", 65535}, {"first", 0}};
        QTest::newRow("-0.0 is 0") << QVariantMap{{"x", -0.0}} << QVariantMap{{"x", 0}};
    }

    void lines()
    {
        QFETCH(QVariantMap, lines);
        QFETCH(QVariantMap, expected);
        const QMap<QString, quint16> actual = parseLines(lines, QStringLiteral("lines"));
        QCOMPARE(actual.keys(), expected.keys());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QCOMPARE(int(actual.value(it.key())), it.value().toInt());
    }

    void badLines_data()
    {
        QTest::addColumn<QVariantMap>("lines");
        QTest::addColumn<QString>("message");
        QTest::newRow("a string") << QVariantMap{{"foot",
            "3"}} << QStringLiteral("lines.foot: the address must be an integer, not a string");
        QTest::newRow("a fraction") << QVariantMap{
            {"foot", 2.5}} << QStringLiteral("lines.foot: the address must be an integer, not 2.5");
        QTest::newRow("NaN") << QVariantMap{{"foot",
            kNaN}} << QStringLiteral("lines.foot: the address must be an integer, not nan");
        QTest::newRow("-inf") << QVariantMap{{"foot", -kInf}}
                              << QStringLiteral("the address must be an integer, not -inf");
        QTest::newRow("negative") << QVariantMap{
            {"foot", -1LL}} << QStringLiteral("lines.foot: the address is -1, outside 0 to 65535");
        QTest::newRow("too large float")
            << QVariantMap{{"foot", 65536.0}}
            << QStringLiteral("lines.foot: the address is 65536, outside 0 to 65535");
        QTest::newRow("1e999-ish")
            << QVariantMap{{"foot", 1e300}} << QStringLiteral("the address is 1e+300, outside");
        QTest::newRow("a table") << QVariantMap{{"foot", QVariantMap{{"address", 1LL}}}}
                                 << QStringLiteral(
                                        "lines.foot: the address must be an integer, not a table");
        QTest::newRow("a boolean")
            << QVariantMap{{"foot", false}} << QStringLiteral("not a boolean");
        QTest::newRow("empty name")
            << QVariantMap{{" ", 1LL}} << QStringLiteral("lines.\" \": a line needs a name");
        QTest::newRow("quote in the name") << QVariantMap{
            {"a\"b", "x"}} << QStringLiteral("lines.\"a\\\"b\": the address must be");
    }

    void badLines()
    {
        QFETCH(QVariantMap, lines);
        QFETCH(QString, message);
        CHECK_THROWS(MapError, parseLines(lines, QStringLiteral("lines")), message);
    }
};

QTEST_GUILESS_MAIN(TestRegisterMap)
#include "tst_registermap.moc"
