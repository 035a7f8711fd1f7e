// SPDX-License-Identifier: MIT
// The SCPI reply parsers: tables of replies real instruments send, and of malformed ones (empty,
// garbage, huge, binary, 100 kB) that must each throw BadReply with a one-line message naming
// the problem, never crash, hang or throw anything else. Command templates and number formatting,
// including the round trip formatCommand → parseNumber.
#include "checkthrows.h"
#include "testsupport.h"

#include <scpireply.h>

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace Benchtop::Scpi;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Bytes as an instrument might send them, invalid UTF-8 included (as the transport would
/// decode them); QByteArray keeps embedded NULs, which a C string would cut.
QString fromBytes(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

QString hundredKilobytes(QChar c)
{
    return QString(qsizetype(100) * 1024, c);
}

bool sameDouble(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

QString show(double x)
{
    return QString::number(x, 'g', 17);
}

} // namespace

class TestScpiReply : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void parseNumber_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<double>("expected");
        QTest::newRow("NR1") << QStringLiteral("42") << 42.0;
        QTest::newRow("NR3 signed") << QStringLiteral("+1.23456E-03") << 1.23456e-3;
        QTest::newRow("no integer part") << QStringLiteral("-.5") << -0.5;
        QTest::newRow("no fraction digits") << QStringLiteral("1.") << 1.0;
        QTest::newRow("spaces") << QStringLiteral(" 7 ") << 7.0;
        QTest::newRow("CR LF") << QStringLiteral("3.5\r\n") << 3.5;
        QTest::newRow("tab and CR") << QStringLiteral("\t-2.25E+2\r") << -225.0;
        QTest::newRow("lower-case e") << QStringLiteral("1e3") << 1000.0;
        QTest::newRow("zero") << QStringLiteral("0") << 0.0;
        QTest::newRow("-0") << QStringLiteral("-0") << -0.0;
        QTest::newRow("leading zeros") << QStringLiteral("000123") << 123.0;
        QTest::newRow("exponent with zeros") << QStringLiteral("5E-0003") << 5e-3;
        QTest::newRow("largest double")
            << QStringLiteral("1.7976931348623157E308") << std::numeric_limits<double>::max();
        QTest::newRow("denormal") << QStringLiteral("4.9E-324")
                                  << std::numeric_limits<double>::denorm_min();
        QTest::newRow("underflow is zero") << QStringLiteral("1E-999") << 0.0;
        QTest::newRow("negative underflow") << QStringLiteral("-1E-999") << -0.0;
        QTest::newRow("long fraction underflows")
            << QStringLiteral("0.") + QString(qsizetype(100) * 1024, u'0') + QStringLiteral("1E10")
            << 0.0;
        QTest::newRow("zero, huge exponent") << QStringLiteral("0E999999999999999999") << 0.0;
        QTest::newRow("100 kB of leading zeros") << hundredKilobytes(u'0') + u'1' << 1.0;
        QTest::newRow("INF") << QStringLiteral("INF") << kInf;
        QTest::newRow("inf") << QStringLiteral("inf") << kInf;
        QTest::newRow("+Inf") << QStringLiteral("+Inf") << kInf;
        QTest::newRow("-INF") << QStringLiteral("-INF") << -kInf;
        QTest::newRow("NAN") << QStringLiteral("NAN") << kNaN;
        QTest::newRow("nan") << QStringLiteral(" nan\r\n") << kNaN;
        QTest::newRow("SCPI overflow") << QStringLiteral("9.9E37") << kInf;
        QTest::newRow("SCPI overflow, other spelling") << QStringLiteral("+9.90000E+37") << kInf;
        QTest::newRow("SCPI negative overflow") << QStringLiteral("-9.9E37") << -kInf;
        QTest::newRow("SCPI not a number") << QStringLiteral("9.91E37") << kNaN;
        QTest::newRow("SCPI not a number, negative") << QStringLiteral("-9.91E+37") << kNaN;
        QTest::newRow("near the marker") << QStringLiteral("9.8E37") << 9.8e37;
    }

    void parseNumber()
    {
        QFETCH(QString, reply);
        QFETCH(double, expected);
        const double actual = Benchtop::Scpi::parseNumber(reply);
        QVERIFY2(sameDouble(actual, expected), qPrintable(show(actual)));
    }

    void parseNumberRejects_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("problem");
        const QString notANumber = QStringLiteral("not a number: ");
        QTest::newRow("empty") << QString() << QStringLiteral("not a number: empty reply");
        QTest::newRow("whitespace") << QStringLiteral(" \t ") << QStringLiteral("empty reply");
        QTest::newRow("CR LF") << QStringLiteral("\r\n") << QStringLiteral("empty reply");
        QTest::newRow("two points") << QStringLiteral("1.2.3V") << notANumber + "\"1.2.3V\"";
        QTest::newRow("units") << QStringLiteral("1.2V") << notANumber + "\"1.2V\"";
        QTest::newRow("units after a space") << QStringLiteral("5 V") << notANumber + "\"5 V\"";
        QTest::newRow("two numbers") << QStringLiteral("1 2") << notANumber + "\"1 2\"";
        QTest::newRow("a list") << QStringLiteral("1,2") << notANumber + "\"1,2\"";
        QTest::newRow("hex") << QStringLiteral("0x1A") << notANumber + "\"0x1A\"";
        QTest::newRow("#H hex") << QStringLiteral("#H1A") << notANumber;
        QTest::newRow("dangling e") << QStringLiteral("1e") << notANumber + "\"1e\"";
        QTest::newRow("dangling e sign") << QStringLiteral("1E+") << notANumber;
        QTest::newRow("exponent only") << QStringLiteral("e5") << notANumber;
        QTest::newRow("point only") << QStringLiteral(".") << notANumber;
        QTest::newRow("sign only") << QStringLiteral("+") << notANumber;
        QTest::newRow("minus only") << QStringLiteral("-") << notANumber;
        QTest::newRow("two signs") << QStringLiteral("+-1") << notANumber;
        QTest::newRow("fractional exponent") << QStringLiteral("1E5.5") << notANumber;
        QTest::newRow("space in exponent") << QStringLiteral("1E 5") << notANumber;
        QTest::newRow("INFINITY") << QStringLiteral("INFINITY") << notANumber;
        QTest::newRow("+NAN") << QStringLiteral("+NAN") << notANumber;
        QTest::newRow("word") << QStringLiteral("garbage") << notANumber + "\"garbage\"";
        QTest::newRow("quoted") << QStringLiteral("\"1\"") << notANumber + "\"\\\"1\\\"\"";
        QTest::newRow("digit separator") << QStringLiteral("1_000") << notANumber;
        QTest::newRow("decimal comma") << QStringLiteral("1,5") << notANumber;
        QTest::newRow("Arabic-Indic digits") << QStringLiteral("\u0661\u0662") << notANumber;
        QTest::newRow("full-width digit") << QStringLiteral("\uFF11") << notANumber;
        QTest::newRow("embedded NUL") << fromBytes(QByteArray("1\0", 2)) << notANumber + "\"1\\0\"";
        QTest::newRow("NUL only") << fromBytes(QByteArray("\0", 1)) << notANumber + "\"\\0\"";
        QTest::newRow("bell") << QStringLiteral("\a5") << notANumber + "\"\\x075\"";
        QTest::newRow("invalid UTF-8") << fromBytes("\xff\xfe") << notANumber;
        QTest::newRow("invalid UTF-8 after digits") << fromBytes("12\xc3") << notANumber;
        QTest::newRow("lone comma") << QStringLiteral(",") << notANumber;
        QTest::newRow("1e999") << QStringLiteral("1e999")
                               << QStringLiteral("number out of range: \"1e999\"");
        QTest::newRow("-1e999") << QStringLiteral("-1E999") << QStringLiteral("out of range");
        QTest::newRow("huge exponent")
            << QStringLiteral("1E99999999999999999999") << QStringLiteral("out of range");
        QTest::newRow("digits past a negative exponent")
            << QString(400, u'9') + QStringLiteral("E-10") << QStringLiteral("out of range");
        QTest::newRow("100 kB of digits")
            << hundredKilobytes(u'1') << QStringLiteral("out of range: \"1111");
        QTest::newRow("100 kB of letters")
            << hundredKilobytes(u'x') << QStringLiteral("xxxx…\" (102400 characters)");
        QTest::newRow("100 kB of NULs") << hundredKilobytes(QChar(0)) << notANumber + "\"\\0\\0";
    }

    void parseNumberRejects()
    {
        QFETCH(QString, reply);
        QFETCH(QString, problem);
        CHECK_THROWS(BadReply, Benchtop::Scpi::parseNumber(reply), problem);
    }

    void parseNumberList_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<bool>("allowEmpty");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("three") << QStringLiteral("1,2.5,-3E1") << false
                               << QList<double>{1, 2.5, -30};
        QTest::newRow("one") << QStringLiteral("42") << false << QList<double>{42};
        QTest::newRow("spaces and CR LF")
            << QStringLiteral(" 1 , 2 \r\n") << false << QList<double>{1, 2};
        QTest::newRow("markers") << QStringLiteral("9.9E37,-9.9E37,1") << false
                                 << QList<double>{kInf, -kInf, 1};
        QTest::newRow("empty, allowed") << QString() << true << QList<double>{};
        QTest::newRow("whitespace, allowed") << QStringLiteral(" \r\n") << true << QList<double>{};
        QTest::newRow("many") << QStringList(10000, QStringLiteral("0.5")).join(u',') << false
                              << QList<double>(10000, 0.5);
    }

    void parseNumberList()
    {
        QFETCH(QString, reply);
        QFETCH(bool, allowEmpty);
        QFETCH(QList<double>, expected);
        QCOMPARE(Benchtop::Scpi::parseNumberList(reply, allowEmpty), expected);
    }

    void parseNumberListRejects_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<bool>("allowEmpty");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QString() << false
                               << QStringLiteral("not a list of numbers: empty reply");
        QTest::newRow("whitespace")
            << QStringLiteral("  ") << false << QStringLiteral("empty reply");
        QTest::newRow("lone comma") << QStringLiteral(",") << false
                                    << QStringLiteral("empty item 1 of 2 in the list \",\"");
        QTest::newRow("lone comma, empty allowed")
            << QStringLiteral(",") << true << QStringLiteral("empty item 1 of 2");
        QTest::newRow("empty item")
            << QStringLiteral("1,,2") << false << QStringLiteral("empty item 2 of 3");
        QTest::newRow("trailing comma")
            << QStringLiteral("1,2,") << false << QStringLiteral("empty item 3 of 3");
        QTest::newRow("leading comma")
            << QStringLiteral(",1") << false << QStringLiteral("empty item 1 of 2");
        QTest::newRow("garbage item")
            << QStringLiteral("1,x,3") << false
            << QStringLiteral("not a number in item 2 of 3: \"x\" (reply \"1,x,3\")");
        QTest::newRow("units") << QStringLiteral("1V,2V") << false
                               << QStringLiteral("not a number in item 1 of 2: \"1V\"");
        QTest::newRow("semicolons")
            << QStringLiteral("1;2") << false << QStringLiteral("not a number in item 1 of 1");
        QTest::newRow("huge item") << QStringLiteral("1,1e999") << false
                                   << QStringLiteral("number out of range in item 2 of 2");
        QTest::newRow("embedded NUL")
            << fromBytes(QByteArray("1,\0", 3)) << false << QStringLiteral("item 2 of 2: \"\\0\"");
        QTest::newRow("invalid UTF-8")
            << fromBytes("1,\xff") << false << QStringLiteral("not a number in item 2 of 2");
        QTest::newRow("100 kB of commas")
            << hundredKilobytes(u',') << false << QStringLiteral("empty item 1 of 102401");
        QTest::newRow("100 kB item") << QStringLiteral("1,") + hundredKilobytes(u'7') << false
                                     << QStringLiteral("number out of range in item 2 of 2");
    }

    void parseNumberListRejects()
    {
        QFETCH(QString, reply);
        QFETCH(bool, allowEmpty);
        QFETCH(QString, problem);
        CHECK_THROWS(BadReply, Benchtop::Scpi::parseNumberList(reply, allowEmpty), problem);
    }

    void parseBool_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<bool>("expected");
        QTest::newRow("1") << QStringLiteral("1") << true;
        QTest::newRow("0") << QStringLiteral("0") << false;
        QTest::newRow("ON") << QStringLiteral("ON") << true;
        QTest::newRow("OFF") << QStringLiteral("OFF") << false;
        QTest::newRow("on") << QStringLiteral("on") << true;
        QTest::newRow("Off") << QStringLiteral("Off") << false;
        QTest::newRow("1 CR LF") << QStringLiteral(" 1\r\n") << true;
        QTest::newRow("OFF LF") << QStringLiteral("\tOFF\n") << false;
    }

    void parseBool()
    {
        QFETCH(QString, reply);
        QFETCH(bool, expected);
        QCOMPARE(Benchtop::Scpi::parseBool(reply), expected);
    }

    void parseBoolRejects_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("problem");
        const QString notABoolean = QStringLiteral("not a boolean (1, 0, ON or OFF): ");
        QTest::newRow("empty") << QString() << notABoolean + "empty reply";
        QTest::newRow("whitespace") << QStringLiteral(" \r\n") << notABoolean + "empty reply";
        QTest::newRow("2") << QStringLiteral("2") << notABoolean + "\"2\"";
        QTest::newRow("-0") << QStringLiteral("-0") << notABoolean + "\"-0\"";
        QTest::newRow("+1") << QStringLiteral("+1") << notABoolean;
        QTest::newRow("1.0") << QStringLiteral("1.0") << notABoolean;
        QTest::newRow("TRUE") << QStringLiteral("TRUE") << notABoolean;
        QTest::newRow("ONN") << QStringLiteral("ONN") << notABoolean;
        QTest::newRow("O N") << QStringLiteral("O N") << notABoolean;
        QTest::newRow("1e999") << QStringLiteral("1e999") << notABoolean;
        QTest::newRow("two") << QStringLiteral("1,0") << notABoolean;
        QTest::newRow("embedded NUL")
            << fromBytes(QByteArray("1\0", 2)) << notABoolean + "\"1\\0\"";
        QTest::newRow("invalid UTF-8") << fromBytes("\xc0\xaf") << notABoolean;
        QTest::newRow("100 kB") << hundredKilobytes(u'1') << notABoolean + "\"1111";
    }

    void parseBoolRejects()
    {
        QFETCH(QString, reply);
        QFETCH(QString, problem);
        CHECK_THROWS(BadReply, Benchtop::Scpi::parseBool(reply), problem);
    }

    void parseIdentity_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("Keysight") << QStringLiteral(
            "Keysight Technologies,34465A,MY12345678,A.02.14-02.40-02.14\n")
                                  << QStringList{"Keysight Technologies", "34465A", "MY12345678",
                                         "A.02.14-02.40-02.14"};
        QTest::newRow("spaces") << QStringLiteral(" RIGOL , DS1054Z , DS1ZA1 , 00.04.04 \r\n")
                                << QStringList{"RIGOL", "DS1054Z", "DS1ZA1", "00.04.04"};
        QTest::newRow("quoted, with commas")
            << QStringLiteral("\"ACME, Inc.\",\"Model 1\",\"SN1\",\"1.0\"")
            << QStringList{"ACME, Inc.", "Model 1", "SN1", "1.0"};
        QTest::newRow("quoted, with spaces")
            << QStringLiteral(" \" ACME \" ,M1,0,1") << QStringList{"ACME", "M1", "0", "1"};
        QTest::newRow("doubled quote") << QStringLiteral("\"ACME \"\"Labs\"\"\",M1,0,1.0")
                                       << QStringList{"ACME \"Labs\"", "M1", "0", "1.0"};
        QTest::newRow("empty serial and firmware")
            << QStringLiteral("ACME,M1,,") << QStringList{"ACME", "M1", "", ""};
        QTest::newRow("zero serial")
            << QStringLiteral("ACME,M1,0,0") << QStringList{"ACME", "M1", "0", "0"};
        QTest::newRow("empty quoted serial")
            << QStringLiteral("ACME,M1,\"\",2") << QStringList{"ACME", "M1", "", "2"};
        QTest::newRow("non-ASCII") << QStringLiteral("Société Générale,Modèle µ,0,1")
                                   << QStringList{"Société Générale", "Modèle µ", "0", "1"};
        // A Latin-1 byte decoded as UTF-8 is a replacement character, not a reason to refuse
        // the instrument.
        QTest::newRow("invalid UTF-8 in the serial")
            << fromBytes("ACME,M1,SN\xe9,1") << QStringList{"ACME", "M1", "SN\uFFFD", "1"};
    }

    void parseIdentity()
    {
        QFETCH(QString, reply);
        QFETCH(QStringList, fields);
        const Identity identity = Benchtop::Scpi::parseIdentity(reply);
        QCOMPARE(identity.manufacturer, fields[0]);
        QCOMPARE(identity.model, fields[1]);
        QCOMPARE(identity.serial, fields[2]);
        QCOMPARE(identity.firmware, fields[3]);
    }

    void parseIdentityRejects_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("problem");
        const QString fields = QStringLiteral(
            "identity must have 4 comma-separated fields (manufacturer, model, serial, firmware), "
            "not %1");
        QTest::newRow("empty") << QString()
                               << QStringLiteral("not an identity (*IDN?): empty reply");
        QTest::newRow("whitespace") << QStringLiteral(" \r\n") << QStringLiteral("empty reply");
        QTest::newRow("three fields")
            << QStringLiteral("ACME,M1,0") << fields.arg(3) + ": \"ACME,M1,0\"";
        QTest::newRow("five fields") << QStringLiteral("ACME,M1,0,1,extra") << fields.arg(5);
        QTest::newRow("one field") << QStringLiteral("garbage") << fields.arg(1);
        QTest::newRow("lone comma") << QStringLiteral(",") << fields.arg(2);
        QTest::newRow("only commas")
            << QStringLiteral(",,,") << QStringLiteral("empty manufacturer in identity: \",,,\"");
        QTest::newRow("empty model")
            << QStringLiteral("ACME,,0,1") << QStringLiteral("empty model in identity");
        QTest::newRow("blank quoted manufacturer")
            << QStringLiteral("\"  \",M1,0,1") << QStringLiteral("empty manufacturer");
        QTest::newRow("unbalanced quote")
            << QStringLiteral("\"ACME,M1,0,1") << QStringLiteral("unbalanced quote in identity");
        QTest::newRow("quote at the end")
            << QStringLiteral("ACME,M1,0,\"") << QStringLiteral("unbalanced quote");
        QTest::newRow("stray quote") << QStringLiteral("ACME\",M1,0,1")
                                     << QStringLiteral("a quote inside an unquoted field");
        QTest::newRow("text after quote")
            << QStringLiteral("\"ACME\"x,M1,0,1") << QStringLiteral("text after a closing quote");
        QTest::newRow("embedded NUL")
            << fromBytes(QByteArray("ACME\0,M1,0,1", 12))
            << QStringLiteral("control character in identity: \"ACME\\0,");
        QTest::newRow("tab inside")
            << QStringLiteral("ACME\tInc,M1,0,1") << QStringLiteral("control character");
        QTest::newRow("newline inside") << QStringLiteral(
            "ACME\nM1,0,1\n") << QStringLiteral("control character in identity: \"ACME\\nM1");
        QTest::newRow("escape sequence")
            << QStringLiteral("\x1b[31mACME,M1,0,1") << QStringLiteral("\"\\x1b[31m");
        QTest::newRow("C1 control")
            << QStringLiteral("ACME\u0085,M1,0,1") << QStringLiteral("control character");
        QTest::newRow("invalid UTF-8 only") << fromBytes("\xff\xfe\xfd") << fields.arg(1);
        QTest::newRow("1e999") << QStringLiteral("1e999") << fields.arg(1);
        QTest::newRow("100 kB") << hundredKilobytes(u'a') << fields.arg(1);
        QTest::newRow("100 kB of commas") << hundredKilobytes(u',') << fields.arg(102401);
        // An even number of quotes is one quoted field of quotes ("" is one); an odd one is open.
        QTest::newRow("100 kB of quotes") << hundredKilobytes(u'"') << fields.arg(1);
        QTest::newRow("100 kB of quotes, odd")
            << hundredKilobytes(u'"') + u'"' << QStringLiteral("unbalanced quote in identity");
    }

    void parseIdentityRejects()
    {
        QFETCH(QString, reply);
        QFETCH(QString, problem);
        CHECK_THROWS(BadReply, Benchtop::Scpi::parseIdentity(reply), problem);
    }

    void parseErrorLine_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("undefined header") << QStringLiteral("-113,\"Undefined header\"") << -113
                                          << QStringLiteral("Undefined header");
        QTest::newRow("+0") << QStringLiteral("+0,\"No error\"") << 0 << QStringLiteral("No error");
        QTest::newRow("0") << QStringLiteral("0,\"No error\"\r\n") << 0
                           << QStringLiteral("No error");
        QTest::newRow("semicolon in message")
            << QStringLiteral("-222,\"Data out of range;VOLT 99\"") << -222
            << QStringLiteral("Data out of range;VOLT 99");
        QTest::newRow("comma in message") << QStringLiteral("-100,\"Command error, at 3\"") << -100
                                          << QStringLiteral("Command error, at 3");
        QTest::newRow("doubled quote") << QStringLiteral("-410,\"Query \"\"INTERRUPTED\"\"\"")
                                       << -410 << QStringLiteral("Query \"INTERRUPTED\"");
        QTest::newRow("no quotes") << QStringLiteral("-113,Undefined header") << -113
                                   << QStringLiteral("Undefined header");
        QTest::newRow("bare code") << QStringLiteral("0") << 0 << QString();
        QTest::newRow("bare negative code") << QStringLiteral(" -350 ") << -350 << QString();
        QTest::newRow("spaces") << QStringLiteral(" -350 , \"Queue overflow\" \r\n") << -350
                                << QStringLiteral("Queue overflow");
        QTest::newRow("empty message") << QStringLiteral("-113,") << -113 << QString();
        QTest::newRow("empty quoted message") << QStringLiteral("-113,\"\"") << -113 << QString();
        QTest::newRow("-0") << QStringLiteral("-0,\"No error\"") << 0 << QStringLiteral("No error");
        QTest::newRow("leading zeros") << QStringLiteral("0005,\"x\"") << 5 << QStringLiteral("x");
        QTest::newRow("lowest") << QStringLiteral("-32768,\"x\"") << -32768 << QStringLiteral("x");
        QTest::newRow("highest") << QStringLiteral("32767,\"x\"") << 32767 << QStringLiteral("x");
    }

    void parseErrorLine()
    {
        QFETCH(QString, reply);
        QFETCH(int, code);
        QFETCH(QString, message);
        const InstrumentError error = Benchtop::Scpi::parseErrorLine(reply);
        QCOMPARE(error.code, code);
        QCOMPARE(error.message, message);
        QCOMPARE(error.isNoError(), code == 0);
    }

    void parseErrorLineRejects_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("problem");
        const QString notAnEntry = QStringLiteral("not an error queue entry (code,\"message\"): ");
        const QString outOfRange
            = QStringLiteral("error code out of range (-32768 to 32767) in error queue entry: ");
        QTest::newRow("empty") << QString() << notAnEntry + "empty reply";
        QTest::newRow("whitespace") << QStringLiteral(" \r\n") << notAnEntry + "empty reply";
        QTest::newRow("word") << QStringLiteral("garbage") << notAnEntry + "\"garbage\"";
        QTest::newRow("no code") << QStringLiteral(",\"No error\"") << notAnEntry;
        QTest::newRow("lone comma") << QStringLiteral(",") << notAnEntry + "\",\"";
        QTest::newRow("sign only") << QStringLiteral("-,\"x\"") << notAnEntry;
        QTest::newRow("space after sign") << QStringLiteral("- 1,\"x\"") << notAnEntry;
        QTest::newRow("two numbers") << QStringLiteral("1 2,\"x\"") << notAnEntry;
        QTest::newRow("fraction") << QStringLiteral("1.5,\"x\"") << notAnEntry;
        QTest::newRow("hex") << QStringLiteral("0x10,\"x\"") << notAnEntry;
        QTest::newRow("quoted code") << QStringLiteral("\"-113\",\"x\"") << notAnEntry;
        QTest::newRow("32768") << QStringLiteral("32768,\"x\"")
                               << outOfRange + "\"32768,\\\"x\\\"\"";
        QTest::newRow("-32769") << QStringLiteral("-32769") << outOfRange;
        QTest::newRow("huge") << QStringLiteral("99999999999999999999,\"x\"") << outOfRange;
        QTest::newRow("1e999") << QStringLiteral("1e999,\"x\"") << notAnEntry;
        QTest::newRow("100 kB code") << hundredKilobytes(u'9') << outOfRange + "\"9999";
        QTest::newRow("unbalanced quote") << QStringLiteral(
            "-113,\"Undefined header") << QStringLiteral("unbalanced quote in error queue entry");
        QTest::newRow("lone quote")
            << QStringLiteral("-113,\"") << QStringLiteral("unbalanced quote");
        QTest::newRow("text after quote")
            << QStringLiteral("-113,\"a\"b") << QStringLiteral("text after a closing quote");
        QTest::newRow("two messages")
            << QStringLiteral("-113,\"a\",\"b\"") << QStringLiteral("text after a closing quote");
        QTest::newRow("NUL in message") << fromBytes(QByteArray("-113,\"a\0\"", 9))
                                        << QStringLiteral("control character in error queue entry");
        QTest::newRow("NUL in code")
            << fromBytes(QByteArray("-1\0", 3)) << QStringLiteral("control character");
        QTest::newRow("newline inside")
            << QStringLiteral("-113,\"a\nb\"") << QStringLiteral("control character");
        QTest::newRow("invalid UTF-8") << fromBytes("\xff,\"x\"") << notAnEntry;
        QTest::newRow("100 kB of quotes, odd") << QStringLiteral("1,") + hundredKilobytes(u'"')
                + u'"' << QStringLiteral("unbalanced quote");
    }

    void parseErrorLineRejects()
    {
        QFETCH(QString, reply);
        QFETCH(QString, problem);
        CHECK_THROWS(BadReply, Benchtop::Scpi::parseErrorLine(reply), problem);
    }

    void formatCommand_data()
    {
        QTest::addColumn<QString>("commandTemplate");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("command");
        QTest::newRow("decimal") << QStringLiteral("VOLT {value}") << 12.5
                                 << QStringLiteral("VOLT 12.5");
        QTest::newRow("small, with *WAI") << QStringLiteral("SOUR:VOLT {value};*WAI") << 1e-7
                                          << QStringLiteral("SOUR:VOLT 1e-07;*WAI");
        QTest::newRow("alone") << QStringLiteral("{value}") << 42.0 << QStringLiteral("42");
        QTest::newRow("negative") << QStringLiteral("CURR {value}") << -3.25
                                  << QStringLiteral("CURR -3.25");
        QTest::newRow("shortest round trip")
            << QStringLiteral("X {value}") << 0.1 << QStringLiteral("X 0.1");
        QTest::newRow("third") << QStringLiteral("X {value}") << 1.0 / 3
                               << QStringLiteral("X 0.3333333333333333");
        QTest::newRow("large") << QStringLiteral("FREQ {value}") << 1e20
                               << QStringLiteral("FREQ 1e+20");
        QTest::newRow("integer") << QStringLiteral("X {value}") << 123456789.0
                                 << QStringLiteral("X 123456789");
        QTest::newRow("-0 is 0") << QStringLiteral("X {value}") << -0.0 << QStringLiteral("X 0");
        QTest::newRow("in the middle") << QStringLiteral("APPL:DC DEF,{value},MAX") << 2.0
                                       << QStringLiteral("APPL:DC DEF,2,MAX");
    }

    void formatCommand()
    {
        QFETCH(QString, commandTemplate);
        QFETCH(double, value);
        QFETCH(QString, command);
        QCOMPARE(checkTemplate(commandTemplate), QString());
        QCOMPARE(Benchtop::Scpi::formatCommand(commandTemplate, value), command);
    }

    /// A German default locale (decimal comma) must not reach the instrument.
    void formatCommandIgnoresTheLocale()
    {
        const QLocale previous;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const QString command
            = Benchtop::Scpi::formatCommand(QStringLiteral("VOLT {value}"), 1234.5);
        QLocale::setDefault(previous);
        QCOMPARE(command, QStringLiteral("VOLT 1234.5"));
    }

    /// What formatCommand sends, parseNumber reads back as the same double, for any finite
    /// double (bit patterns at random, fixed seed).
    void formattedNumbersRoundTrip()
    {
        QRandomGenerator random(20240611);
        QList<double> values{std::numeric_limits<double>::max(),
            -std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min(),
            std::numeric_limits<double>::min(), 9.9e37, 1e-300, 0.1, 0.2 + 0.1};
        while (values.size() < 20000) {
            const double x = std::bit_cast<double>(random.generate64());
            if (std::isfinite(x))
                values << x;
        }
        for (const double x : std::as_const(values)) {
            const QString command = Benchtop::Scpi::formatCommand(QStringLiteral("{value}"), x);
            const double back = Benchtop::Scpi::parseNumber(command);
            // 9.9E37 is the SCPI overflow marker: it reads back as infinity, by design.
            const double expected = std::abs(x) == 9.9e37 ? std::copysign(kInf, x) : x;
            QVERIFY2(back == expected, qPrintable(command + QStringLiteral(" → ") + show(back)));
        }
    }

    void badTemplates_data()
    {
        QTest::addColumn<QString>("commandTemplate");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QString()
                               << QStringLiteral("no {value} placeholder in command template \"\"");
        QTest::newRow("whitespace")
            << QStringLiteral("  ") << QStringLiteral("no {value} placeholder");
        QTest::newRow("no placeholder") << QStringLiteral(
            "VOLT 5") << QStringLiteral("no {value} placeholder in command template \"VOLT 5\"");
        QTest::newRow("two") << QStringLiteral("VOLT {value};CURR {value}")
                             << QStringLiteral("more than one {value} placeholder");
        QTest::newRow("unknown") << QStringLiteral("VOLT {volts}")
                                 << QStringLiteral(
                                        "unknown placeholder \"{volts}\" (the only one is {value}) "
                                        "in command template \"VOLT {volts}\"");
        QTest::newRow("upper case")
            << QStringLiteral("VOLT {VALUE}") << QStringLiteral("unknown placeholder \"{VALUE}\"");
        QTest::newRow("empty braces")
            << QStringLiteral("VOLT {value} {}") << QStringLiteral("unknown placeholder \"{}\"");
        QTest::newRow("doubled braces") << QStringLiteral("VOLT {{value}}")
                                        << QStringLiteral("unknown placeholder \"{{value}\"");
        QTest::newRow("unclosed") << QStringLiteral("VOLT {value")
                                  << QStringLiteral("unclosed \"{\"");
        QTest::newRow("unmatched")
            << QStringLiteral("VOLT value}") << QStringLiteral("unmatched \"}\"");
        QTest::newRow("newline") << QStringLiteral("VOLT {value}\n")
                                 << QStringLiteral("control character (one command, one line) in "
                                                   "command template \"VOLT {value}\\n\"");
        QTest::newRow("two lines")
            << QStringLiteral("VOLT {value}\r\nOUTP ON") << QStringLiteral("control character");
        QTest::newRow("tab") << QStringLiteral("VOLT\t{value}")
                             << QStringLiteral("control character");
        QTest::newRow("NUL") << fromBytes(QByteArray("VOLT {value}\0", 13))
                             << QStringLiteral("control character");
        QTest::newRow("100 kB, no placeholder")
            << hundredKilobytes(u'V') << QStringLiteral("no {value} placeholder");
        QTest::newRow("100 kB of placeholders")
            << QStringLiteral("{value}").repeated(15000) << QStringLiteral("more than one");
        QTest::newRow("100 kB of open braces")
            << hundredKilobytes(u'{') << QStringLiteral("unclosed \"{\"");
    }

    void badTemplates()
    {
        QFETCH(QString, commandTemplate);
        QFETCH(QString, problem);
        const QString message = checkTemplate(commandTemplate);
        QVERIFY2(message.contains(problem), qPrintable(message));
        QVERIFY(message.size() < Benchtop::Test::kLongestMessage);
        CHECK_THROWS(
            std::invalid_argument, Benchtop::Scpi::formatCommand(commandTemplate, 1.0), problem);
    }

    void formatCommandRejectsNonFiniteValues_data()
    {
        QTest::addColumn<double>("value");
        QTest::newRow("NaN") << kNaN;
        QTest::newRow("inf") << kInf;
        QTest::newRow("-inf") << -kInf;
    }

    void formatCommandRejectsNonFiniteValues()
    {
        QFETCH(double, value);
        CHECK_THROWS(std::invalid_argument,
            Benchtop::Scpi::formatCommand(QStringLiteral("VOLT {value}"), value),
            QStringLiteral("not a finite number"));
    }
};

QTEST_GUILESS_MAIN(TestScpiReply)
#include "tst_scpireply.moc"
