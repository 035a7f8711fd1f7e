// SPDX-License-Identifier: MIT
// Add device…: the form drawn from a kind's schema (the real sim schema and made-up ones), typed
// into like a person would, and the check that runs before the dialog accepts.
#include "testsupport.h"

#include "dialogs/adddevicedialog.h"
#include "simchecks.h"

#include <lab/tomlwriter.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QStyleOptionButton>
#include <QTest>
#include <QWheelEvent>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

QList<DriverInfo> simDrivers()
{
    QFile file(QStringLiteral(BENCHTOP_SIM_JSON));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", BENCHTOP_SIM_JSON);
    QString error;
    const std::optional<PluginInfo> plugin
        = parsePluginMetadata(QJsonDocument::fromJson(file.readAll()).object(), &error);
    if (!plugin)
        qFatal("sim.json: %s", qPrintable(error));
    return plugin->drivers;
}

const DriverInfo &simDriver(const QString &kind)
{
    static const QList<DriverInfo> drivers = simDrivers();
    for (const DriverInfo &driver : drivers) {
        if (driver.kind == kind)
            return driver;
    }
    qFatal("no sim kind %s", qPrintable(kind));
}

ConfigField field(const QString &name, ValueType type, const QVariant &defaultValue)
{
    ConfigField f;
    f.name = name;
    f.type = type;
    f.defaultValue = defaultValue;
    f.help = QStringLiteral("Help for %1.").arg(name);
    return f;
}

/// A kind with a required key and a list whose elements have limits.
DriverInfo scanner()
{
    DriverInfo info;
    info.kind = "test-scanner";
    info.description = "A made-up scanner.";
    info.traits = {"is-daemon"};
    ConfigField port = field("serial_port", ValueType::String, QVariant());
    ConfigField window = field("window", ValueType::DoubleList, QVariantList{0.0, 5.0});
    window.minimum = 0.0;
    window.maximum = 10.0;
    window.units = "mm";
    info.config = {port, window};
    return info;
}

QList<LabDevice> labWithStage()
{
    LabDevice stage;
    stage.name = "stage";
    stage.kind = "sim-motor";
    return {stage};
}

template<typename T = QWidget>
T *fieldOf(const QDialog &dialog, const QString &key)
{
    return dialog.findChild<T *>(QStringLiteral("field_") + key);
}

QLabel *labelOf(QWidget *editor)
{
    auto *form = qobject_cast<QFormLayout *>(editor->parentWidget()->layout());
    return form ? qobject_cast<QLabel *>(form->labelForField(editor)) : nullptr;
}

/// Replaces what `widget` holds by typing, as a person would: select all, then type.
void typeInto(QWidget *widget, const QString &text)
{
    QTest::keyClick(widget, Qt::Key_A, Qt::ControlModifier);
    if (text.isEmpty())
        QTest::keyClick(widget, Qt::Key_Backspace);
    else
        QTest::keyClicks(widget, text);
}

/// Picks a kind with the keyboard: Home, then Down until it is there.
void chooseKind(QDialog &dialog, const QString &kind)
{
    auto *combo = dialog.findChild<QComboBox *>("kindCombo");
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < combo->count() && combo->currentText() != kind; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(combo->currentText(), kind);
}

/// Clicks a check box where a person would: on its box (it has no text, and is as wide as the
/// form).
void clickCheckBox(QCheckBox *box)
{
    QStyleOptionButton option;
    option.initFrom(box);
    const QRect indicator
        = box->style()->subElementRect(QStyle::SE_CheckBoxIndicator, &option, box);
    QTest::mouseClick(box, Qt::LeftButton, Qt::NoModifier, indicator.center());
}

void clickAdd(QDialog &dialog)
{
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::mouseClick(ok, Qt::LeftButton);
}

QString errorText(const QDialog &dialog)
{
    return dialog.findChild<QLabel *>("errorLabel")->text();
}

} // namespace

class TestAddDeviceDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { Test::failOnQtWarnings(); }

    void listsEveryKind()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        auto *combo = dialog.findChild<QComboBox *>("kindCombo");
        QStringList kinds;
        for (int i = 0; i < combo->count(); ++i)
            kinds << combo->itemText(i);
        QCOMPARE(kinds,
            (QStringList{"sim-motor", "sim-sensor", "sim-filter-wheel", "sim-accelerometer",
                "sim-digital", "sim-signal"}));
        QCOMPARE(
            combo->itemData(0, Qt::ToolTipRole).toString(), simDriver("sim-motor").description);
        QCOMPARE(dialog.findChild<QLabel *>("descriptionLabel")->text(),
            simDriver("sim-motor").description);
    }

    void formFollowsTheSimSchema_data()
    {
        QTest::addColumn<QString>("kind");
        for (const DriverInfo &driver : simDrivers())
            QTest::newRow(qPrintable(driver.kind)) << driver.kind;
    }

    void formFollowsTheSimSchema()
    {
        QFETCH(QString, kind);
        AddDeviceDialog dialog(simDrivers(), {});
        chooseKind(dialog, kind);
        const DriverInfo &driver = simDriver(kind);

        QStringList fieldNames;
        for (const QWidget *w : dialog.findChildren<QWidget *>()) {
            if (w->objectName().startsWith("field_"))
                fieldNames << w->objectName().mid(6);
        }
        QStringList schemaNames;
        for (const ConfigField &f : driver.config)
            schemaNames << f.name;
        fieldNames.sort();
        schemaNames.sort();
        QCOMPARE(fieldNames, schemaNames);

        for (const ConfigField &f : driver.config) {
            QWidget *editor = fieldOf(dialog, f.name);
            QVERIFY2(editor, qPrintable(f.name));
            QCOMPARE(editor->toolTip(), f.help);
            QLabel *label = labelOf(editor);
            QVERIFY(label);
            QVERIFY(label->text().startsWith(f.name));
            QVERIFY(!label->font().bold()); // no sim key is required
            switch (f.type) {
            case ValueType::Bool:
                QVERIFY(qobject_cast<QCheckBox *>(editor));
                QCOMPARE(qobject_cast<QCheckBox *>(editor)->isChecked(), f.defaultValue.toBool());
                break;
            case ValueType::Int: {
                auto *spin = qobject_cast<QSpinBox *>(editor);
                QVERIFY(spin);
                QCOMPARE(spin->value(), f.defaultValue.toInt());
                QCOMPARE(spin->minimum(), f.minimum ? int(*f.minimum) : INT_MIN);
                QCOMPARE(spin->maximum(), f.maximum ? int(*f.maximum) : INT_MAX);
                QCOMPARE(spin->suffix(), f.units.isEmpty() ? QString() : " " + f.units);
                break;
            }
            case ValueType::Double: {
                auto *spin = qobject_cast<QDoubleSpinBox *>(editor);
                QVERIFY(spin);
                QCOMPARE(spin->value(), f.defaultValue.toDouble());
                if (f.minimum)
                    QCOMPARE(spin->minimum(), *f.minimum);
                if (f.maximum)
                    QCOMPARE(spin->maximum(), *f.maximum);
                QCOMPARE(spin->suffix(), f.units.isEmpty() ? QString() : " " + f.units);
                // Shortest form: "0.5", "10", not "10.0000000000".
                QCOMPARE(spin->cleanText(),
                    QString::number(
                        f.defaultValue.toDouble(), 'f', QLocale::FloatingPointShortest));
                break;
            }
            case ValueType::String:
                if (f.options.isEmpty()) {
                    QVERIFY(qobject_cast<QLineEdit *>(editor));
                    QCOMPARE(qobject_cast<QLineEdit *>(editor)->text(), f.defaultValue.toString());
                } else {
                    auto *combo = qobject_cast<QComboBox *>(editor);
                    QVERIFY(combo);
                    QCOMPARE(combo->count(), f.options.size());
                    QCOMPARE(combo->currentText(), f.defaultValue.toString());
                }
                break;
            default:
                QVERIFY(qobject_cast<QLineEdit *>(editor));
                QCOMPARE(qobject_cast<QLineEdit *>(editor)->text(), tomlValue(f.defaultValue));
            }
        }
    }

    // As a lab file writes them (one TOML writer, tests/support/tomlsamples.h).
    void defaultsAreWrittenAsToml()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        QCOMPARE(fieldOf<QLineEdit>(dialog, "limits")->text(), "[ -100.0, 100.0 ]");
        chooseKind(dialog, "sim-digital");
        QCOMPARE(fieldOf<QLineEdit>(dialog, "inputs")->text(), "[ \"foot\", \"button\" ]");
        QCOMPARE(fieldOf<QLineEdit>(dialog, "on_press")->text(), "{}");
    }

    void requiredKeysAreMarked()
    {
        AddDeviceDialog dialog(QList<DriverInfo>{scanner()}, {});
        QLabel *port = labelOf(fieldOf(dialog, "serial_port"));
        QCOMPARE(port->text(), "serial_port *");
        QVERIFY(port->font().bold());
        QLabel *window = labelOf(fieldOf(dialog, "window"));
        QCOMPARE(window->text(), "window (mm)");
        QVERIFY(!window->font().bold());

        auto noteShown = [](const QDialog &d) {
            for (const QLabel *label : d.findChildren<QLabel *>()) {
                if (label->text().contains("marked * are required"))
                    return label->isVisibleTo(&d);
            }
            return false;
        };
        QVERIFY(noteShown(dialog));
        AddDeviceDialog sim(simDrivers(), {});
        QVERIFY(!noteShown(sim));
    }

    void nameIsPrefilledWithAFreeOne()
    {
        LabDevice taken;
        taken.name = "sim-motor-1";
        taken.kind = "sim-motor";
        AddDeviceDialog dialog(simDrivers(), {taken});
        QCOMPARE(dialog.findChild<QLineEdit *>("nameEdit")->text(), "sim-motor-2");
    }

    void typedDeviceIsAccepted()
    {
        AddDeviceDialog dialog(simDrivers(), labWithStage());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);

        typeInto(dialog.findChild<QLineEdit *>("nameEdit"), "stage-y");
        typeInto(fieldOf(dialog, "speed"), "25");
        typeInto(fieldOf(dialog, "acceleration"), "12.345678"); // more decimals than usual
        typeInto(fieldOf(dialog, "limits"), "[-50, 50]");
        QTest::keyClicks(fieldOf(dialog, "out_of_limits"), "error");
        typeInto(fieldOf(dialog, "latency_ms"), "15");
        typeInto(fieldOf(dialog, "units"), "µm");
        clickCheckBox(fieldOf<QCheckBox>(dialog, "stuck_busy"));
        clickAdd(dialog);

        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.result(), QDialog::Accepted);
        QVERIFY(!dialog.isVisible());
        const DeviceSettings settings = dialog.settings();
        QCOMPARE(settings.name, "stage-y");
        QCOMPARE(settings.kind, "sim-motor");
        QCOMPARE(settings.config.size(), simDriver("sim-motor").config.size());
        QCOMPARE(settings.config.value("speed"), QVariant(25.0));
        QCOMPARE(settings.config.value("limits"), QVariant(QVariantList{-50.0, 50.0}));
        QCOMPARE(settings.config.value("out_of_limits"), QVariant("error"));
        QCOMPARE(settings.config.value("latency_ms"), QVariant::fromValue(qlonglong(15)));
        QCOMPARE(settings.config.value("units"), QVariant("µm"));
        QCOMPARE(settings.config.value("stuck_busy"), QVariant(true));
        QCOMPARE(settings.config.value("acceleration"), QVariant(12.345678));
        // Untouched keys: their defaults, normalized like a lab file's.
        QCOMPARE(settings.config.value("timeout_rate"), QVariant(0.0));
        QCOMPARE(settings.config.value("hw_limits"), QVariant(QVariantList{-110.0, 110.0}));
        QCOMPARE(settings.config.value("seed"), QVariant::fromValue(qlonglong(0)));
    }

    void wrongEntriesKeepTheDialogOpen_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("error");

        QTest::newRow("element out of range") << "test-scanner"
                                              << "window"
                                              << "[2, 20]"
                                              << "key \"window[1]\" must be at most 10 mm, not 20";
        QTest::newRow("not TOML") << "sim-motor"
                                  << "limits"
                                  << "[-50, 50"
                                  << "key \"limits\" is not a TOML value: ";
        QTest::newRow("wrong element type") << "sim-motor"
                                            << "limits"
                                            << "[\"a\", 5]"
                                            << "key \"limits[0]\" must be a number, not a string";
        QTest::newRow("binding to a device not in the lab")
            << "sim-digital"
            << "on_press"
            << "{ foot = \"camera.measure\" }"
            << "key \"on_press.foot\": there is no device \"camera\" in this lab";
        QTest::newRow("binding to a message the device does not take")
            << "sim-digital"
            << "on_press"
            << "{ foot = \"stage.measure\" }"
            << "key \"on_press.foot\": device \"stage\" (\"sim-motor\") cannot be triggered with "
               "\"measure\"";
        QTest::newRow("required key left empty")
            << "test-scanner"
            << "serial_port"
            << ""
            << "missing required key \"serial_port\" (a string)";
    }

    void wrongEntriesKeepTheDialogOpen()
    {
        QFETCH(QString, kind);
        QFETCH(QString, key);
        QFETCH(QString, typed);
        QFETCH(QString, error);
        AddDeviceDialog dialog(simDrivers() << scanner(), labWithStage());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        chooseKind(dialog, kind);
        if (kind == "test-scanner" && key != "serial_port")
            typeInto(fieldOf(dialog, "serial_port"), "COM3");

        typeInto(fieldOf(dialog, key), typed);
        clickAdd(dialog);

        QCOMPARE(accepted.size(), 0);
        QVERIFY(dialog.isVisible());
        auto *errorLabel = dialog.findChild<QLabel *>("errorLabel");
        QVERIFY(errorLabel->isVisible());
        QVERIFY2(errorLabel->text().contains(error), qPrintable(errorLabel->text()));
        QCOMPARE(errorLabel->text().count('\n'), 0); // that problem only
        QVERIFY(fieldOf(dialog, key)->property("invalid").toBool());
        QCOMPARE(labelOf(fieldOf(dialog, key))->palette().color(QPalette::WindowText),
            errorLabel->palette().color(QPalette::WindowText));
        QVERIFY(dialog.settings().name.isEmpty());
    }

    void wrongNamesKeepTheDialogOpen_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");

        QTest::newRow("empty") << ""
                               << "The device needs a name.";
        QTest::newRow("space") << "my stage"
                               << "The name \"my stage\" may only contain letters";
        QTest::newRow("taken") << "stage"
                               << "There is already a device called \"stage\"";
    }

    void wrongNamesKeepTheDialogOpen()
    {
        QFETCH(QString, name);
        QFETCH(QString, error);
        AddDeviceDialog dialog(simDrivers(), labWithStage());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto *nameEdit = dialog.findChild<QLineEdit *>("nameEdit");
        typeInto(nameEdit, name);
        clickAdd(dialog);

        QCOMPARE(accepted.size(), 0);
        QVERIFY(dialog.isVisible());
        QVERIFY2(errorText(dialog).contains(error), qPrintable(errorText(dialog)));
        QVERIFY(nameEdit->property("invalid").toBool());
    }

    // The sim driver's own rules (checkSimConfig, as SimFactory::checkConfig runs them): an
    // error keeps the dialog open, marking its row; a warning is shown once, and Add again adds.
    void theDriversOwnRulesAreChecked()
    {
        const LabDrivers drivers(simDrivers(), &Sim::checkSimConfig);
        AddDeviceDialog dialog(drivers, labWithStage());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto *errors = dialog.findChild<QLabel *>("errorLabel");

        typeInto(dialog.findChild<QLineEdit *>("nameEdit"), "stage-y");
        typeInto(fieldOf(dialog, "home_position"), "500");
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 0);
        QCOMPARE(errors->text(), "• key \"home_position\" (500) is outside hw_limits [-110, 110]");
        QCOMPARE(fieldOf(dialog, "home_position")->property("invalid"), QVariant(true));

        typeInto(fieldOf(dialog, "home_position"), "0");
        typeInto(fieldOf(dialog, "limits"), "[-200, 200]");
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 0);
        QCOMPARE(errors->text(),
            "• Warning: key \"limits\" [-200, 200] reaches beyond hw_limits [-110, 110]: the "
            "limits in force are [-110, 110]\nPress Add again to add the device all the same.");
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.settings().config.value("limits"), QVariant(QVariantList{-200.0, 200.0}));
    }

    void fixedEntryIsAccepted()
    {
        AddDeviceDialog dialog(simDrivers(), labWithStage());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        chooseKind(dialog, "sim-digital");
        QWidget *onPress = fieldOf(dialog, "on_press");
        typeInto(onPress, "{ foot = \"stage\" }");
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 0);
        QVERIFY(onPress->property("invalid").toBool());

        typeInto(onPress, "{ foot = \"stage.home\" }");
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 1);
        QVERIFY(!dialog.findChild<QLabel *>("errorLabel")->isVisibleTo(&dialog));
        QVERIFY(!onPress->property("invalid").toBool());
        QCOMPARE(dialog.settings().name, "sim-digital-1");
        QCOMPARE(dialog.settings().config.value("on_press"),
            QVariant(QVariantMap{{"foot", "stage.home"}}));
    }

    void changingTheKindRebuildsTheForm()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        auto *nameEdit = dialog.findChild<QLineEdit *>("nameEdit");
        QVERIFY(fieldOf(dialog, "speed"));
        QVERIFY(!fieldOf(dialog, "channels"));

        chooseKind(dialog, "sim-sensor");
        QVERIFY(!fieldOf(dialog, "speed"));
        QCOMPARE(fieldOf<QLineEdit>(dialog, "channels")->text(), "[ \"signal\", \"reference\" ]");
        QCOMPARE(fieldOf<QLineEdit>(dialog, "units")->text(), "V"); // the sensor's default now
        QCOMPARE(nameEdit->text(), "sim-sensor-1");
        QCOMPARE(dialog.findChild<QLabel *>("descriptionLabel")->text(),
            simDriver("sim-sensor").description);

        // A name the user typed is theirs: a change of kind keeps it.
        typeInto(nameEdit, "spectrometer");
        chooseKind(dialog, "sim-signal");
        QCOMPARE(nameEdit->text(), "spectrometer");
    }

    void problemsGoAwayWithTheKind()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typeInto(fieldOf(dialog, "limits"), "nonsense");
        clickAdd(dialog);
        QVERIFY(dialog.findChild<QLabel *>("errorLabel")->isVisible());
        chooseKind(dialog, "sim-sensor");
        QVERIFY(!dialog.findChild<QLabel *>("errorLabel")->isVisible());
    }

    // The wheel over a spin box or a combo never changes its value; the editor leaves the event
    // unaccepted, which lets QApplication pass a real wheel turn on to the scrolling form.
    void wheelDoesNotChangeValues()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        for (const char *key : {"speed", "latency_ms", "out_of_limits"}) {
            QWidget *editor = fieldOf(dialog, key);
            const char *property = qobject_cast<QComboBox *>(editor) ? "currentText" : "text";
            const QString before = editor->property(property).toString();
            const QPointF inside(editor->width() / 2.0, editor->height() / 2.0);
            for (const int delta : {120, -120}) {
                QWheelEvent wheel(inside, editor->mapToGlobal(inside), QPoint(), QPoint(0, delta),
                    Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
                QApplication::sendEvent(editor, &wheel);
                QVERIFY2(!wheel.isAccepted(), key);
                QCOMPARE(editor->property(property).toString(), before);
            }
            QCOMPARE(editor->focusPolicy(), Qt::StrongFocus); // not focused by the wheel either
        }
    }

    void noDriversNothingToAdd()
    {
        AddDeviceDialog dialog({}, {});
        QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(!ok->isEnabled());
        QVERIFY(dialog.findChild<QLabel *>("descriptionLabel")->text().contains("No driver"));
    }
};

QTEST_MAIN(TestAddDeviceDialog)
#include "tst_adddevicedialog.moc"
