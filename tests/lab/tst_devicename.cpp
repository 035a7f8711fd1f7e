// SPDX-License-Identifier: MIT
// The one device-name rule, for lab files, the Add device form and the yaq dialog alike.
#include "testsupport.h"

#include <lab/devicename.h>

#include <QTest>

using namespace Benchtop;

Q_DECLARE_METATYPE(DeviceNameRule)

class TestDeviceName : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void rule_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<DeviceNameRule>("rule");
        QTest::addColumn<QString>("problem");
        QTest::newRow("fine") << "Stage_2-x" << DeviceNameRule::Fine << "";
        QTest::newRow("64 characters") << QString(64, 'a') << DeviceNameRule::Fine << "";
        QTest::newRow("empty") << "" << DeviceNameRule::Empty
                               << "device name \"\" may only contain letters (A-Z, a-z), "
                                  "digits, \"-\" and \"_\"";
        QTest::newRow("space") << "my stage" << DeviceNameRule::BadCharacter
                               << "device name \"my stage\" may only contain letters (A-Z, "
                                  "a-z), digits, \"-\" and \"_\"";
        QTest::newRow("dot") << "a.b" << DeviceNameRule::BadCharacter
                             << "device name \"a.b\" may only contain letters (A-Z, a-z), "
                                "digits, \"-\" and \"_\"";
        // The "^...$" form of the rule, which the form's copy used, took this one.
        QTest::newRow("final newline") << "cam\n"
                                       << DeviceNameRule::BadCharacter
                                       << "device name \"cam\\n\" may only contain letters (A-Z, "
                                          "a-z), digits, \"-\" and \"_\"";
        QTest::newRow("non-ASCII letter") << "étage" << DeviceNameRule::BadCharacter
                                          << "device name \"étage\" may only contain letters "
                                             "(A-Z, a-z), digits, \"-\" and \"_\"";
        QTest::newRow("65 characters") << QString(65, 'a') << DeviceNameRule::TooLong
                                       << "device name \"" + QString(40, 'a')
                + "…\" (65 characters) is too long: at most 64 characters";
        QTest::newRow("reserved") << "benchtop" << DeviceNameRule::Reserved
                                  << "device name \"benchtop\" is reserved: [benchtop] holds the "
                                     "lab's own settings";
        QTest::newRow("another case is another name") << "Benchtop" << DeviceNameRule::Fine << "";
    }

    void rule()
    {
        QFETCH(QString, name);
        QFETCH(DeviceNameRule, rule);
        QFETCH(QString, problem);
        QCOMPARE(checkDeviceName(name), rule);
        QCOMPARE(isValidDeviceName(name), rule == DeviceNameRule::Fine);
        QCOMPARE(deviceNameProblem(name), problem);
    }
};

QTEST_GUILESS_MAIN(TestDeviceName)
#include "tst_devicename.moc"
