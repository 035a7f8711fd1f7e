// SPDX-License-Identifier: MIT
// How long something held the device loop, as the log, the status bar and the panel header say
// it: milliseconds under a second, tenths of seconds from a second on.
#include "testsupport.h"

#include <widgets/formatheld.h>

#include <QTest>

using namespace std::chrono_literals;
using namespace Benchtop;

class TestFormatHeld : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void formatHeld_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("nothing") << qint64(0) << "0 ms";
        QTest::newRow("under a second") << qint64(25) << "25 ms";
        QTest::newRow("just under a second") << qint64(999) << "999 ms";
        QTest::newRow("a second") << qint64(1000) << "1.0 s";
        QTest::newRow("tenths, rounded") << qint64(1260) << "1.3 s";
        QTest::newRow("minutes stay seconds") << qint64(125'000) << "125.0 s";
    }

    void formatHeld()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(Ui::formatHeld(std::chrono::milliseconds(ms)), text);
    }
};

QTEST_GUILESS_MAIN(TestFormatHeld)
#include "tst_formatheld.moc"
