// SPDX-License-Identifier: MIT
// The live-value helpers the panels share: how a published value reads, labels whose text is set
// only when it changed, and the fixed size that keeps a new value from re-laying out a panel.
#include "testsupport.h"

#include <widgets/livetext.h>

#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Ui;

class TestLiveText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void formatValue_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("double, 6 significant digits") << QVariant(3.14159265) << "3.14159";
        QTest::newRow("large double") << QVariant(1234567.0) << "1.23457e+06";
        QTest::newRow("int as it is") << QVariant(42) << "42";
        QTest::newRow("true") << QVariant(true) << "on";
        QTest::newRow("false") << QVariant(false) << "off";
        QTest::newRow("string") << QVariant(QStringLiteral("red")) << "red";
        QTest::newRow("no value") << QVariant() << "—";
        QTest::newRow("empty array") << QVariant(QVariantList{}) << "[0 values]";
        QTest::newRow("short array, each value")
            << QVariant(QVariantList{1.5, true, QStringLiteral("x")}) << "[1.5, on, x]";
        QTest::newRow("long numeric array, its range")
            << QVariant(QVariantList{3.0, -1.25, 8.0, 2.0}) << "[4 values] -1.25 … 8";
        QTest::newRow("long array of text, its length") << QVariant(QVariantList{
            QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")})
                                                        << "[4 values]";
        QTest::newRow("string list") << QVariant(QStringList{"a", "b"}) << "a, b";
        QTest::newRow("map, key order")
            << QVariant(QVariantMap{{"b", 2.5}, {"a", false}}) << "a: off, b: 2.5";
    }

    void formatValue()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, text);
        QCOMPARE(Ui::formatValue(value), text);
    }

    void setTextIfChangedSetsOnlyNewText()
    {
        QLabel label;
        QVERIFY(setTextIfChanged(&label, QStringLiteral("1.5")));
        QCOMPARE(label.text(), QStringLiteral("1.5"));
        QVERIFY(!setTextIfChanged(&label, QStringLiteral("1.5")));
        QVERIFY(setTextIfChanged(&label, QStringLiteral("2")));
        QCOMPARE(label.text(), QStringLiteral("2"));
    }

    void aLiveLabelHasAFixedSizeAndCopies()
    {
        QWidget parent;
        QLabel *label = makeLiveLabel(8, &parent);
        QCOMPARE(label->parent(), &parent);
        QCOMPARE(label->minimumSize(), label->maximumSize()); // fixed: no re-layout on setText
        QCOMPARE(label->textFormat(), Qt::PlainText);
        const QSize before = label->size();
        label->setText(QStringLiteral("12345678"));
        QCOMPARE(label->size(), before);
        auto *copy = label->findChild<QAction *>(QStringLiteral("copyAction"));
        QVERIFY(copy);
        QVERIFY(label->actions().contains(copy));
    }
};

QTEST_MAIN(TestLiveText)
#include "tst_livetext.moc"
