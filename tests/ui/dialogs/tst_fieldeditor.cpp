// SPDX-License-Identifier: MIT
// The add-device form's editors write values as every TOML writer of Benchtop does.
#include "testsupport.h"
#include "tomlsamples.h"

#include "dialogs/fieldeditor.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QTest>

#include <memory>

using namespace Benchtop;
using namespace Benchtop::Ui;

class TestFieldEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    // Byte for byte as tests/support/tomlsamples.h says. Lists and tables show their default as
    // text; a number, a string or a boolean is written from its editor once the user changed it
    // (for a required key, whatever it holds).
    void writesValuesAsEveryTomlWriterDoes()
    {
        QWidget parent;
        int compared = 0;
        for (const Test::TomlSample &sample : Test::tomlSamples()) {
            ConfigField field;
            field.name = sample.key;
            field.defaultValue = sample.value;
            switch (sample.value.typeId()) {
            case QMetaType::QVariantList:
            case QMetaType::QStringList:
            case QMetaType::QVariantMap: {
                field.type = sample.value.typeId() == QMetaType::QVariantMap
                    ? ValueType::Map
                    : ValueType::DoubleList;
                auto *edit = qobject_cast<QLineEdit *>(createFieldEditor(field, &parent));
                QVERIFY(edit);
                QCOMPARE(edit->text(), sample.text);
                ++compared;
                continue;
            }
            case QMetaType::Bool:
                field.type = ValueType::Bool;
                break;
            case QMetaType::LongLong:
                field.type = ValueType::Int;
                break;
            case QMetaType::Double:
                field.type = ValueType::Double;
                break;
            case QMetaType::QString:
                field.type = ValueType::String;
                break;
            default:
                QFAIL(qPrintable("no editor for the sample " + sample.key));
            }
            // The editor starts at the sample (a number too, whatever it is: inf, nan, 1e21,
            // -0.0, beyond an int); written as a required key's, it is written as is.
            QWidget *editor = createFieldEditor(field, &parent);
            ConfigField required = field;
            required.defaultValue = QVariant();
            QCOMPARE(fieldEditorToml(required, editor).value_or(QStringLiteral("(none)")),
                sample.text);
            ++compared;
        }
        QVERIFY2(compared >= 15, qPrintable(QString::number(compared)));
    }

    // A number is written as typed, whatever the field's limits and type: the check, not the
    // editor, says what is wrong with it (a spin box made "-5" 5 and put "0" back to 5).
    void numbersAreWrittenAsTyped_data()
    {
        QTest::addColumn<bool>("integer");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("written");
        QTest::newRow("below the minimum") << false << "-5"
                                           << "-5.0";
        QTest::newRow("zero") << false << "0"
                              << "0.0";
        QTest::newRow("a fraction for an integer") << true << "2.5"
                                                   << "2.5";
        QTest::newRow("not a number") << false << "fast"
                                      << "\"fast\"";
        QTest::newRow("empty") << true << ""
                               << "\"\"";
        QTest::newRow("spaces around") << true << " 15 "
                                       << "15";
    }
    void numbersAreWrittenAsTyped()
    {
        QFETCH(bool, integer);
        QFETCH(QString, typed);
        QFETCH(QString, written);
        ConfigField field;
        field.name = QStringLiteral("speed");
        field.type = integer ? ValueType::Int : ValueType::Double;
        field.minimum = 0.001;
        field.maximum = 100;
        field.defaultValue = integer ? QVariant::fromValue(qlonglong(5)) : QVariant(5.0);
        QWidget parent;
        auto *edit = qobject_cast<QLineEdit *>(createFieldEditor(field, &parent));
        QVERIFY(edit);
        QCOMPARE(edit->text(), QStringLiteral("5"));
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, typed);
        QCOMPARE(edit->text(), typed);
        QCOMPARE(fieldEditorToml(field, edit), std::optional<QString>(written));
    }
};

QTEST_MAIN(TestFieldEditor)
#include "tst_fieldeditor.moc"
