// SPDX-License-Identifier: MIT
#include "newdevicecheck.h"

#include <device/diagnostics.h>
#include <lab/devicename.h>

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

bool isTaken(const QString &name, const QList<LabDevice> &existing)
{
    return std::any_of(existing.cbegin(), existing.cend(),
        [&name](const LabDevice &device) { return device.name == name; });
}

QString tr(const char *text)
{
    return QCoreApplication::translate("NewDeviceCheck", text);
}

} // namespace

QString freeDeviceName(const QString &base, const QList<LabDevice> &existing)
{
    for (int n = 1;; ++n) {
        QString name = base + QLatin1Char('-') + QString::number(n);
        if (!isTaken(name, existing))
            return name;
    }
}

QString deviceNameProblem(const QString &name, const QList<LabDevice> &existing)
{
    switch (checkDeviceName(name)) {
    case DeviceNameRule::Fine:
        break;
    case DeviceNameRule::Empty:
        return tr("The device needs a name.");
    case DeviceNameRule::TooLong:
        return tr("The name %1 is too long: at most %2 characters.")
            .arg(quoted(name))
            .arg(kMaxDeviceNameLength);
    case DeviceNameRule::BadCharacter:
        return tr("The name %1 may only contain letters (A-Z, a-z), digits, \"-\" and \"_\".")
            .arg(quoted(name));
    case DeviceNameRule::Reserved:
        return tr("The name %1 is reserved for the lab's own settings.").arg(quoted(name));
    }
    if (isTaken(name, existing))
        return tr("There is already a device called %1 in this lab.").arg(quoted(name));
    return {};
}

NewDeviceCheck checkNewDevice(const QString &name, const QString &kind,
    const QList<TomlEntry> &entries, const QList<LabDevice> &existing, const LabDrivers &drivers)
{
    NewDeviceCheck check;
    check.nameProblem = deviceNameProblem(name, existing);
    // The settings are checked even under a name that cannot be used, so that every problem
    // shows at once.
    const QString deviceName = check.nameProblem.isEmpty()
        ? name
        : freeDeviceName(QStringLiteral("new-device"), existing);

    LabDevice device;
    device.name = deviceName;
    device.kind = kind;
    QSet<QString> unreadableKeys;
    for (const TomlEntry &entry : entries) {
        QString problem;
        if (const std::optional<QVariant> value = parseLabValue(entry.text, &problem)) {
            device.config.insert(entry.key, *value);
        } else {
            check.problems << SettingProblem{
                entry.key, QStringLiteral("key %1 %2").arg(quoted(entry.key), problem)};
            unreadableKeys << entry.key;
        }
    }

    // Of the other devices only names and kinds matter here (a binding names a device and
    // needs its kind's traits); their own settings are not this device's problem.
    Lab lab;
    lab.path = QStringLiteral("lab");
    QSet<QString> listed;
    for (const LabDevice &other : existing) {
        if (listed.contains(other.name))
            continue;
        listed << other.name;
        LabDevice stub;
        stub.name = other.name;
        stub.kind = other.kind;
        lab.devices << stub;
    }
    lab.devices << device;
    const std::optional<DriverInfo> info = drivers.driver(kind);
    for (const LabError &error : checkLab(lab, drivers)) {
        if (error.device != deviceName)
            continue;
        // "missing required key" for a key whose value could not even be read says nothing new.
        if (unreadableKeys.contains(error.key))
            continue;
        // Only a setting of the form is marked (not `driver`, which the kind combo chose).
        const QString key = info && info->field(error.key) ? error.key : QString();
        (error.isError() ? check.problems : check.warnings) << SettingProblem{key, error.message};
    }

    // In the order of the form's entries; problems of the device as a whole first.
    auto entryIndex = [&entries](const SettingProblem &problem) {
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if (entries[i].key == problem.key)
                return i;
        }
        return qsizetype(-1);
    };
    const auto byEntry = [&](const SettingProblem &a, const SettingProblem &b) {
        return entryIndex(a) < entryIndex(b);
    };
    std::stable_sort(check.problems.begin(), check.problems.end(), byEntry);
    std::stable_sort(check.warnings.begin(), check.warnings.end(), byEntry);

    if (check.ok())
        check.config = lab.devices.last().config;
    return check;
}

} // namespace Benchtop::Ui
