// SPDX-License-Identifier: MIT
// The add-device form's editors write values as every TOML writer of Benchtop does.
#include "testsupport.h"
#include "tomlsamples.h"

#include "dialogs/fieldeditor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

#include <bit>
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
            // The editor starts at the sample; written as a required key's, it is written as is.
            QWidget *editor = createFieldEditor(field, &parent);
            if (auto *spin = qobject_cast<QSpinBox *>(editor);
                spin && spin->value() != sample.value.toLongLong())
                continue; // beyond an int spin box
            if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor); spin
                && std::bit_cast<quint64>(spin->value())
                    != std::bit_cast<quint64>(sample.value.toDouble()))
                continue; // beyond what a spin box holds (inf, nan, 1e21, -0.0)
            ConfigField required = field;
            required.defaultValue = QVariant();
            QCOMPARE(fieldEditorToml(required, editor), std::optional<QString>(sample.text));
            ++compared;
        }
        QVERIFY2(compared >= 15, qPrintable(QString::number(compared)));
    }
};

QTEST_MAIN(TestFieldEditor)
#include "tst_fieldeditor.moc"
