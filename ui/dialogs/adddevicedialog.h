// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <lab/labcheck.h>
#include <lab/labfile.h>

#include <QDialog>
#include <QList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Benchtop::Ui {

class ConfigForm;
class FormScrollArea;
struct NewDeviceCheck;

/// "Add device…": pick a driver kind, name the device and fill in a form generated from the
/// kind's config schema (see ConfigForm). OK checks the device exactly as a lab file holding it
/// would be checked (checkNewDevice: the lab's one check, the driver's own rules included) and
/// accepts only when that check finds no error; otherwise every problem is listed under the
/// form (the label "errorLabel"), the name or rows at fault turn red, and the dialog stays open.
/// When the check finds only warnings, the first OK lists them the same way and the dialog
/// stays open; OK again with nothing changed adds the device. Children are named for tests:
/// "kindCombo", "nameEdit", "field_<key>", "errorLabel", "addButton". GUI thread only.
class AddDeviceDialog : public QDialog {
    Q_OBJECT
public:
    /// `drivers`: the kinds the loaded plugins offer, listed in this order, and their own checks
    /// (labDriversOf). `existing`: the devices of the open lab; a new device may not take their
    /// names, and its bindings may name them.
    AddDeviceDialog(LabDrivers drivers, QList<LabDevice> existing, QWidget *parent = nullptr);
    ~AddDeviceDialog() override;

    /// The device to add, once the dialog has been accepted: its name, its kind and its config
    /// as the lab checker normalizes it (every key of the kind's schema, defaults filled in).
    /// Empty before that.
    DeviceSettings settings() const;

    /// The driver kind chosen, or "" when there is none to choose.
    QString kind() const;
    /// Chooses the driver kind `kind`, as picking it in the list would; an unknown or empty kind
    /// changes nothing. (The window opens the dialog on the kind last chosen.)
    void setKind(const QString &kind);

public Q_SLOTS:
    /// Checks the device first; closes the dialog only when the check is clean.
    void accept() override;

private:
    void showKind(int index);
    void showProblems(const NewDeviceCheck &check, bool warnings);
    void clearProblems();

    LabDrivers m_drivers;
    QList<LabDevice> m_existing;
    QComboBox *m_kindCombo = nullptr;
    QLabel *m_descriptionLabel = nullptr;
    QLabel *m_nameLabel = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    FormScrollArea *m_scrollArea = nullptr;
    ConfigForm *m_form = nullptr;
    QLabel *m_requiredNote = nullptr;
    QLabel *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_suggestedName; ///< replaced on a change of kind only while the user kept it
    DeviceSettings m_settings;
    /// What the warnings last shown were about (kind, name, entries): OK with the same adds.
    QStringList m_warnedInput;
};

} // namespace Benchtop::Ui
