// SPDX-License-Identifier: MIT
// Saving a lab back (editedLabText): the file's text is kept where its tables did not change,
// changed keys are edited where they stand, removed tables go with their comments, added ones are
// appended; what cannot be edited in place gives nullopt (the caller then writes the lab whole).
#include "testsupport.h"

#include <lab/labedit.h>
#include <lab/labwriter.h>

#include <QTest>

using namespace Benchtop;

namespace {

DriverInfo motorInfo()
{
    DriverInfo info;
    info.kind = "motor";
    info.config << ConfigField{.name = "speed", .type = ValueType::Double, .defaultValue = 10.0}
                << ConfigField{.name = "limits",
                       .type = ValueType::DoubleList,
                       .defaultValue = QVariantList{-100.0, 100.0}}
                << ConfigField{.name = "units", .type = ValueType::String, .defaultValue = "mm"}
                << ConfigField{.name = "on_press",
                       .type = ValueType::Bindings,
                       .defaultValue = QVariantMap()};
    return info;
}

std::optional<DriverInfo> lookup(const QString &kind)
{
    if (kind == "motor")
        return motorInfo();
    return std::nullopt;
}

/// A table as the loader gives it: every key of the schema, defaults filled in.
DeviceSettings motor(const QString &name, QVariantMap config = {}, int port = 0)
{
    for (const ConfigField &field : motorInfo().config) {
        if (!config.contains(field.name))
            config.insert(field.name, field.defaultValue);
    }
    return {name, "motor", config, port};
}

const QByteArray kLab = "# Top of the file.\n"
                        "\n"
                        "# The x stage.\n"
                        "[x]\n"
                        "driver = \"motor\"\n"
                        "\"µ-key\" = 1 # not the schema's: never changed here\n"
                        "speed =   2.5    # mm/s\n"
                        "units = \"µm\"    # ² and µ before and in values\n"
                        "\n"
                        "# The y stage.\n"
                        "[y]\n"
                        "driver = \"motor\"\n"
                        "limits = [\n"
                        "  -1.0,\n"
                        "  1.0,\n"
                        "] # a range over lines\n"
                        "\n"
                        "# The z stage.\n"
                        "[z]\n"
                        "driver = \"motor\"\n";

QList<DeviceSettings> labTables()
{
    DeviceSettings x = motor("x", {{"speed", 2.5}, {"units", QString::fromUtf8("µm")}});
    x.config.insert(QString::fromUtf8("µ-key"), 1);
    return {x, motor("y", {{"limits", QVariantList{-1.0, 1.0}}}), motor("z")};
}

QByteArray edited(const QList<DeviceSettings> &after, const QByteArray &text = kLab,
    const QList<DeviceSettings> &before = labTables())
{
    const std::optional<QByteArray> result = editedLabText(text, before, after, lookup);
    if (!result)
        return "(nullopt)";
    return *result;
}

} // namespace

class TestLabEdit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void anUnchangedLabIsKeptToTheByte()
    {
        QCOMPARE(edited(labTables()), kLab);
        // CRLF lines and a last line without a line break too.
        QByteArray crlf = QByteArray(kLab).replace("\n", "\r\n");
        crlf.chop(2);
        QCOMPARE(edited(labTables(), crlf), crlf);
    }

    void aChangedValueIsReplacedWhereItStands()
    {
        QList<DeviceSettings> after = labTables();
        after[0].config.insert("speed", 0.1);
        after[0].config.insert("units", QString::fromUtf8("nm"));
        after[1].config.insert("limits", QVariantList{-2.0, 2.0});
        QByteArray expected = kLab;
        expected.replace("speed =   2.5    # mm/s", "speed =   0.1    # mm/s")
            .replace("units = \"µm\"    # ²", "units = \"nm\"    # ²")
            .replace(
                "limits = [\n  -1.0,\n  1.0,\n] # a range", "limits = [ -2.0, 2.0 ] # a range");
        QCOMPARE(edited(after), expected);

        // In a file with CRLF lines, the new lines end as the others do.
        after = labTables();
        after[2].config.insert("speed", 3.0);
        after[2].port = 36001;
        const QByteArray crlf = QByteArray(kLab).replace("\n", "\r\n");
        QCOMPARE(edited(after, crlf), crlf + QByteArray("port = 36001\r\nspeed = 3.0\r\n"));
    }

    void newKeysFollowTheLastKeyAndDefaultsAreNotWritten()
    {
        QList<DeviceSettings> after = labTables();
        after[1].config.insert("speed", 4.0);
        after[1].config.insert("units", QStringLiteral("mm")); // the default: not written
        after[1].port = 36002;
        QByteArray expected = kLab;
        expected.replace("[y]\ndriver = \"motor\"\n", "[y]\ndriver = \"motor\"\nport = 36002\n")
            .replace("] # a range over lines\n", "] # a range over lines\nspeed = 4.0\n");
        QCOMPARE(edited(after), expected);
    }

    void aKeyNoLongerInTheTableLosesItsLines()
    {
        // Another kind: `driver` is edited, and the keys it does not take go.
        QList<DeviceSettings> after = labTables();
        after[1] = {"y", "lamp", {{"power", 2}}, 0};
        QByteArray expected = kLab;
        expected.replace("[y]\ndriver = \"motor\"\nlimits = [\n  -1.0,\n  1.0,\n] # a range over "
                         "lines\n",
            "[y]\ndriver = \"lamp\"\npower = 2\n");
        QCOMPARE(edited(after), expected);

        // A port that goes.
        QList<DeviceSettings> before = labTables();
        before[2].port = 36003;
        const QByteArray served = kLab + "port = 36003\n";
        QCOMPARE(edited(labTables(), served, before), kLab);
    }

    void aRemovedTableGoesWithItsComment()
    {
        const QList<DeviceSettings> all = labTables();
        QCOMPARE(edited({all[1], all[2]}),
            QByteArray(kLab).remove(
                kLab.indexOf("# The x"), kLab.indexOf("# The y") - kLab.indexOf("# The x")));
        // The last one: the empty line before it goes too.
        QCOMPARE(edited({all[0], all[1]}), kLab.left(kLab.indexOf("\n# The z")));
        QCOMPARE(edited({}), QByteArray("# Top of the file.\n"));
    }

    void anAddedTableIsAppendedAsLabTextWritesIt()
    {
        QList<DeviceSettings> after = labTables();
        after << motor("w", {{"speed", 7.0}});
        QCOMPARE(edited(after), kLab + "\n[w]\ndriver = \"motor\"\nspeed = 7.0\n");
        // Removed and added again (now after z): it moves to the end.
        after = labTables();
        after.move(0, 2);
        QCOMPARE(edited(after),
            QByteArray(kLab).remove(
                kLab.indexOf("# The x"), kLab.indexOf("# The y") - kLab.indexOf("# The x"))
                + "\n[x]\ndriver = \"motor\"\nspeed = 2.5\nunits = \"µm\"\n\"µ-key\" = 1\n");
    }

    void anInlineTableIsWrittenAgainInline()
    {
        const QByteArray text = "s = { driver = \"motor\", speed = 5.0 } # slow\n\n[x]\ndriver = "
                                "\"motor\"\n";
        const QList<DeviceSettings> before{motor("s", {{"speed", 5.0}}), motor("x")};
        QList<DeviceSettings> after = before;
        after[0].config.insert("units", QStringLiteral("um"));
        QCOMPARE(edited(after, text, before),
            QByteArray(text).replace("{ driver = \"motor\", speed = 5.0 }",
                "{ driver = \"motor\", speed = 5.0, units = \"um\" }"));
    }

    void whatCannotBeEditedInPlaceIsRefused()
    {
        // A changed key written as a sub-table, or with dotted keys.
        const QList<DeviceSettings> before{
            motor("x", {{"on_press", QVariantMap{{"a", "y.home"}}}})};
        QList<DeviceSettings> after = before;
        after[0].config.insert("on_press", QVariantMap{{"a", "y.stop"}});
        QCOMPARE(edited(after, "[x]\ndriver = \"motor\"\n[x.on_press]\na = \"y.home\"\n", before),
            QByteArray("(nullopt)"));
        QCOMPARE(edited(after, "[x]\ndriver = \"motor\"\non_press.a = \"y.home\"\n", before),
            QByteArray("(nullopt)"));
        // Unchanged, the same texts are kept.
        QCOMPARE(edited(before, "[x]\ndriver = \"motor\"\non_press.a = \"y.home\"\n", before),
            QByteArray("[x]\ndriver = \"motor\"\non_press.a = \"y.home\"\n"));
        // A table whose sub-table comes after another table; a text that does not parse; tables
        // that are not the text's.
        const QByteArray interleaved = "[x]\ndriver = \"motor\"\n[y]\ndriver = \"motor\"\n"
                                       "[x.on_press]\na = \"y.home\"\n";
        QCOMPARE(edited(after, interleaved, {before[0], motor("y")}), QByteArray("(nullopt)"));
        QCOMPARE(edited(after, "[x\n", before), QByteArray("(nullopt)"));
        QCOMPARE(edited(after, "[y]\ndriver = \"motor\"\n", before), QByteArray("(nullopt)"));
    }
};

QTEST_GUILESS_MAIN(TestLabEdit)
#include "tst_labedit.moc"
