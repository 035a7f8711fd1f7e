// SPDX-License-Identifier: MIT
#include "newdevicecheck.h"

#include <lab/tomlwriter.h>

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

bool isTaken(const QString &name, const QList<LabDevice> &existing)
{
    return std::any_of(existing.cbegin(), existing.cend(),
        [&name](const LabDevice &device) { return device.name == name; });
}

QString keyLabel(const QString &key)
{
    return QStringLiteral("key \"%1\"").arg(key);
}

/// Why `text` is not one TOML value on one line, or an empty string. Checked alone, so that a
/// broken value is blamed on its own key: an unclosed array would otherwise run on into the
/// next lines of the lab and be reported there.
QString valueSyntaxProblem(const QString &key, const QString &text)
{
    if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')))
        return QStringLiteral("%1 must be written on one line").arg(keyLabel(key));
    const LabParseResult parsed
        = parseLabText(QByteArray("[device]\nvalue = ") + text.toUtf8() + '\n', QString());
    // Only a syntax error leaves the lab empty.
    if (!parsed.lab.devices.isEmpty() || parsed.errors.isEmpty())
        return {};
    return QStringLiteral("%1 is not a TOML value: %2")
        .arg(keyLabel(key), parsed.errors.first().message);
}

/// The schema key a message about the device as a whole names (`missing required key
/// "serial_port"`).
QString keyNamedIn(const QString &message, const QList<DriverInfo> &drivers, const QString &kind)
{
    for (const DriverInfo &info : drivers) {
        if (info.kind != kind)
            continue;
        for (const ConfigField &field : info.config) {
            const QString label = QStringLiteral("key \"") + field.name;
            for (const QChar after : {u'"', u'[', u'.'}) {
                if (message.contains(label + after))
                    return field.name;
            }
        }
    }
    return {};
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
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (name.isEmpty())
        return QStringLiteral("The device needs a name.");
    if (!pattern.match(name).hasMatch()) {
        return QStringLiteral("The name \"%1\" may only contain letters (A-Z, a-z), digits, "
                              "\"-\" and \"_\".")
            .arg(name);
    }
    if (isTaken(name, existing))
        return QStringLiteral("There is already a device called \"%1\" in this lab.").arg(name);
    return {};
}

NewDeviceCheck checkNewDevice(const QString &name, const QString &kind,
    const QList<TomlEntry> &entries, const QList<LabDevice> &existing,
    const QList<DriverInfo> &drivers)
{
    NewDeviceCheck check;
    check.nameProblem = deviceNameProblem(name, existing);
    // The settings are checked even under a name that cannot be used, so that every problem
    // shows at once; a stand-in name keeps the lab text readable.
    const QString tableName = check.nameProblem.isEmpty()
        ? name
        : freeDeviceName(QStringLiteral("new-device"), existing);

    QList<TomlEntry> readable;
    QSet<QString> unreadableKeys;
    for (const TomlEntry &entry : entries) {
        const QString problem = valueSyntaxProblem(entry.key, entry.text);
        if (problem.isEmpty()) {
            readable << entry;
        } else {
            check.problems << SettingProblem{entry.key, problem};
            unreadableKeys << entry.key;
        }
    }

    // Of the other devices only names and kinds matter here (a binding names a device and
    // needs its kind's traits); their own settings are not this device's problem.
    QStringList lines;
    QSet<QString> written;
    for (const LabDevice &device : existing) {
        if (written.contains(device.name))
            continue;
        written << device.name;
        lines << QLatin1Char('[') + tomlKey(device.name) + QLatin1Char(']');
        if (!device.kind.isEmpty())
            lines << QLatin1String("driver = ") + tomlValue(device.kind);
        lines << QString();
    }
    const int headerLine = static_cast<int>(lines.size()) + 1;
    lines << QLatin1Char('[') + tomlKey(tableName) + QLatin1Char(']');
    lines << QLatin1String("driver = ") + tomlValue(kind);
    QHash<int, QString> keyAtLine;
    for (const TomlEntry &entry : std::as_const(readable)) {
        keyAtLine.insert(static_cast<int>(lines.size()) + 1, entry.key);
        lines << tomlKey(entry.key) + QLatin1String(" = ") + entry.text;
    }

    LabParseResult parsed
        = parseLabText(lines.join(QLatin1Char('\n')).toUtf8() + '\n', QStringLiteral("lab"));
    QList<LabError> errors = parsed.errors;
    errors += checkLab(parsed.lab, drivers);
    std::stable_sort(errors.begin(), errors.end(), [](const LabError &a, const LabError &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });

    const QString prefix = QStringLiteral("device \"%1\": ").arg(tableName);
    for (const LabError &error : std::as_const(errors)) {
        if (error.line < headerLine)
            continue;
        QString message = error.message;
        if (message.startsWith(prefix))
            message.remove(0, prefix.size());
        QString key = keyAtLine.value(error.line);
        if (key.isEmpty())
            key = keyNamedIn(message, drivers, kind);
        // "missing required key" for a key whose value could not even be read says nothing new.
        if (unreadableKeys.contains(key))
            continue;
        check.problems << SettingProblem{key, message};
    }

    // A value that could not be read goes where its line would have been.
    auto entryIndex = [&entries](const SettingProblem &problem) {
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if (entries[i].key == problem.key)
                return i;
        }
        return qsizetype(-1);
    };
    std::stable_sort(check.problems.begin(), check.problems.end(),
        [&](const SettingProblem &a, const SettingProblem &b) {
            return entryIndex(a) < entryIndex(b);
        });

    const LabDevice *device = parsed.lab.device(tableName);
    if (!device && check.problems.isEmpty()) {
        // Every value was readable alone, so the lab should be too; never accept unchecked.
        check.problems << SettingProblem{{},
            QStringLiteral("The device could not be checked: %1")
                .arg(parsed.errors.isEmpty() ? QStringLiteral("it is not in the lab text")
                                             : parsed.errors.first().message)};
    }
    if (check.ok())
        check.config = device->config;
    return check;
}

} // namespace Benchtop::Ui
