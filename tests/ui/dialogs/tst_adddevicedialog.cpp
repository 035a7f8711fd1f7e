// SPDX-License-Identifier: MIT
// Add device…: the form drawn from a kind's schema (the real sim schema and made-up ones), typed
// into like a person would, and the check that runs before the dialog accepts (and the scpi
// schema for its transport settings).
#include "testsupport.h"

#include "dialogs/adddevicedialog.h"
#include "dialogs/fieldeditor.h"
#include "simchecks.h"

#include <lab/tomlwriter.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
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
#include <QStyle>
#include <QStyleOptionButton>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

using namespace Benchtop;
using namespace Benchtop::Ui;

namespace {

/// The kinds of a plugin's metadata, read as the registry reads them.
QList<DriverInfo> driversOf(const char *path)
{
    QFile file(QString::fromUtf8(path));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", path);
    QString error;
    const std::optional<PluginInfo> plugin
        = parsePluginMetadata(QJsonDocument::fromJson(file.readAll()).object(), &error);
    if (!plugin)
        qFatal("%s: %s", path, qPrintable(error));
    return plugin->drivers;
}

QList<DriverInfo> simDrivers()
{
    return driversOf(BENCHTOP_SIM_JSON);
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
            // Fault knobs, and only they, are in the collapsed "Fault injection" section.
            QCOMPARE(f.group == "Fault injection", f.help.startsWith("Fault knob"));
            QCOMPARE(editor->isVisibleTo(&dialog), f.group.isEmpty());
            switch (f.type) {
            case ValueType::Bool:
                QVERIFY(qobject_cast<QCheckBox *>(editor));
                QCOMPARE(qobject_cast<QCheckBox *>(editor)->isChecked(), f.defaultValue.toBool());
                break;
            case ValueType::Int:
            case ValueType::Double: {
                auto *edit = qobject_cast<QLineEdit *>(editor);
                QVERIFY(edit);
                // Shortest form: "0.5", "10", not "10.0000000000".
                QCOMPARE(edit->text(), numberText(f.defaultValue));
                QCOMPARE(edit->text().toDouble(), f.defaultValue.toDouble());
                QVERIFY(!edit->property("invalid").toBool());
                // Units in the label, the kind's own for "units" (sim-motor: mm).
                if (!f.units.isEmpty()) {
                    QVERIFY2(label->text().endsWith(")" + QString(f.required() ? " *" : "")),
                        qPrintable(label->text()));
                    QVERIFY2(!label->text().contains("units") || kind != "sim-motor",
                        qPrintable(label->text()));
                }
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
        typeInto(fieldOf(dialog, "units"), "µm");
        QTest::mouseClick(dialog.findChild<QToolButton *>("group_Fault injection"), Qt::LeftButton);
        typeInto(fieldOf(dialog, "latency_ms"), "15");
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

    // The units of speed and acceleration are the stage's own, as they are typed.
    void unitsFollowTheUnitsField()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(labelOf(fieldOf(dialog, "speed"))->text(), "speed (mm/s)");
        QCOMPARE(labelOf(fieldOf(dialog, "acceleration"))->text(), "acceleration (mm/s²)");
        typeInto(fieldOf(dialog, "units"), "deg");
        QCOMPARE(labelOf(fieldOf(dialog, "speed"))->text(), "speed (deg/s)");
        QCOMPARE(labelOf(fieldOf(dialog, "acceleration"))->text(), "acceleration (deg/s²)");
        typeInto(fieldOf(dialog, "units"), "");
        QCOMPARE(labelOf(fieldOf(dialog, "speed"))->text(), "speed (units/s)");
        QCOMPARE(labelOf(fieldOf(dialog, "hold_loop_ms"))->text(), "hold_loop_ms (ms)");
    }

    // A number the schema refuses is marked as it is typed and kept as typed; Add refuses it
    // with the check's words. (A spin box made "-5" 5 and put "0" back to 5.)
    void anInvalidNumberIsMarkedNotReplaced_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("error");
        QTest::newRow("negative") << "speed"
                                  << "-5"
                                  << "key \"speed\" must be at least 0.001 units/s, not -5";
        QTest::newRow("zero") << "speed"
                              << "0"
                              << "key \"speed\" must be at least 0.001 units/s, not 0";
        QTest::newRow("not a number") << "speed"
                                      << "fast"
                                      << "key \"speed\" must be a number, not a string";
        QTest::newRow("empty") << "acceleration"
                               << ""
                               << "key \"acceleration\" must be a number, not a string";
        QTest::newRow("a fraction for an integer") << "seed"
                                                   << "2.5"
                                                   << "key \"seed\" must be an integer, not 2.5";
    }
    void anInvalidNumberIsMarkedNotReplaced()
    {
        QFETCH(QString, key);
        QFETCH(QString, typed);
        QFETCH(QString, error);
        AddDeviceDialog dialog(simDrivers(), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto *edit = fieldOf<QLineEdit>(dialog, key);
        QVERIFY(edit);
        QTest::mouseClick(edit, Qt::LeftButton);
        typeInto(edit, typed);
        QVERIFY(edit->property("invalid").toBool()); // at once, before Add
        QTest::mouseClick(dialog.findChild<QLineEdit *>("nameEdit"), Qt::LeftButton);
        QCOMPARE(edit->text(), typed); // left as typed when the focus goes

        clickAdd(dialog);
        QCOMPARE(accepted.size(), 0);
        QVERIFY2(errorText(dialog).contains(error), qPrintable(errorText(dialog)));
        QCOMPARE(edit->text(), typed);
        QVERIFY(edit->property("invalid").toBool());

        typeInto(edit, "7");
        QVERIFY(!edit->property("invalid").toBool());
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 1);
    }

    // Fault knobs are in a section of their own, collapsed; a problem in one opens it.
    void faultKnobsAreCollapsed()
    {
        AddDeviceDialog dialog(simDrivers(), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *group = dialog.findChild<QToolButton *>("group_Fault injection");
        QVERIFY(group);
        QVERIFY(group->isVisible());
        QVERIFY(!group->isChecked());
        QVERIFY(!fieldOf(dialog, "timeout_rate")->isVisibleTo(&dialog));
        QVERIFY(fieldOf(dialog, "seed")->isVisibleTo(&dialog)); // not a fault knob
        QTest::mouseClick(group, Qt::LeftButton);
        QVERIFY(fieldOf(dialog, "timeout_rate")->isVisibleTo(&dialog));
        typeInto(fieldOf(dialog, "timeout_rate"), "2");
        QTest::mouseClick(group, Qt::LeftButton);
        QVERIFY(!fieldOf(dialog, "timeout_rate")->isVisibleTo(&dialog));

        clickAdd(dialog);
        QVERIFY2(errorText(dialog).contains("key \"timeout_rate\" must be at most 1, not 2"),
            qPrintable(errorText(dialog)));
        QVERIFY(group->isChecked());
        QVERIFY(fieldOf(dialog, "timeout_rate")->isVisibleTo(&dialog));
    }

    // An scpi instrument's serial settings show with transport = "serial" only, its host with
    // "tcp" only; what is hidden is not written.
    void transportSettingsFollowTheTransport()
    {
        AddDeviceDialog dialog(driversOf(BENCHTOP_SCPI_JSON), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto shown
            = [&dialog](const char *key) { return fieldOf(dialog, key)->isVisibleTo(&dialog); };
        QCOMPARE(fieldOf<QComboBox>(dialog, "transport")->currentText(), "tcp");
        QVERIFY(shown("host") && shown("tcp_port"));
        for (const char *key :
            {"serial_port", "baud", "data_bits", "parity", "stop_bits", "flow_control"})
            QVERIFY2(!shown(key), key);
        QVERIFY(shown("timeout_ms") && shown("channels")); // for both

        typeInto(fieldOf(dialog, "host"), "192.168.1.20");
        typeInto(fieldOf(dialog, "channels"), "{ v = \"READ?\" }");
        auto *transport = fieldOf<QComboBox>(dialog, "transport");
        transport->setFocus();
        QTest::keyClick(transport, Qt::Key_Down);
        QCOMPARE(transport->currentText(), "serial");
        QVERIFY(!shown("host") && !shown("tcp_port"));
        QVERIFY(shown("serial_port") && shown("baud") && shown("parity"));
        typeInto(fieldOf(dialog, "serial_port"), "/dev/ttyUSB0");
        clickAdd(dialog);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.settings().config.value("serial_port"), QVariant("/dev/ttyUSB0"));
        QCOMPARE(dialog.settings().config.value("host"), QVariant("")); // typed, then hidden
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
