// SPDX-License-Identifier: MIT
#include "labcheck.h"

#include "devicename.h"
#include "tablechecker_p.h"

#include <device/diagnostics.h>
#include <device/traits.h>

#include <algorithm>
#include <exception>

namespace Benchtop {

namespace {

const QString kDriverKey = QStringLiteral("driver");
const QString kPortKey = QStringLiteral("port");
/// A driver setting that `port` used to be, before `port` became where benchtopd serves a
/// device: a lab written then gives `port` alone, meaning the instrument's port.
const QString kTcpPortKey = QStringLiteral("tcp_port");
/// A driver's choice of link (scpi's "tcp" or "serial"): `tcp_port` means nothing to a device
/// that does not use TCP.
const QString kTransportKey = QStringLiteral("transport");
const QString kTcpTransport = QStringLiteral("tcp");

/// The setting a path into a table is about: the longest of `keys` that the path is or starts
/// (followed by '.' or '['); else the path up to its first '.' or '['.
QString settingOf(const QString &path, const QStringList &keys)
{
    QString best;
    for (const QString &key : keys) {
        const bool match = path == key
            || (path.startsWith(key)
                && (path.at(key.size()) == QLatin1Char('.')
                    || path.at(key.size()) == QLatin1Char('[')));
        if (match && key.size() > best.size())
            best = key;
    }
    if (!best.isEmpty())
        return best;
    const auto cut = std::find_if(path.cbegin(), path.cend(),
        [](QChar c) { return c == QLatin1Char('.') || c == QLatin1Char('['); });
    return path.left(cut - path.cbegin());
}

QStringList fieldNames(const QList<ConfigField> &fields)
{
    QStringList names;
    names.reserve(fields.size());
    for (const ConfigField &field : fields)
        names << field.name;
    return names;
}

/// Checks one device's config; collects its errors and warnings.
class DeviceChecker {
public:
    DeviceChecker(
        const Lab &lab, const LabDevice &device, const DriverInfo &info, const LabDrivers &drivers)
        : m_lab(lab)
        , m_device(device)
        , m_info(info)
        , m_drivers(drivers)
        , m_table(lab.path, device.name, device.keyPositions, {device.line, device.column})
    {
    }

    /// The normalized config, or nullopt when a value does not fit its schema.
    std::optional<QVariantMap> check()
    {
        QVariantMap normalized;
        const QStringList keys = fieldNames(m_info.config);
        bool fits = true;
        for (auto it = m_device.config.cbegin(); it != m_device.config.cend(); ++it) {
            const ConfigField *field = m_info.field(it.key());
            if (!field) {
                m_table.unknownKey(it.key(), keys,
                    keys.isEmpty()
                        ? QStringLiteral(" (driver %1 takes no settings)").arg(quoted(m_info.kind))
                        : QStringLiteral(" (driver %1 takes %2)")
                              .arg(quoted(m_info.kind), quotedList(keys)));
                fits = false;
                continue;
            }
            if (!it.value().isValid()) {
                fits = false; // parseLabText has reported it
                continue;
            }
            std::optional<QVariant> value = m_table.value(*field, it.key(), it.value());
            if (value && field->type == ValueType::Bindings && !bindings(it.key(), value->toMap()))
                value.reset();
            if (value)
                normalized.insert(it.key(), *value);
            else
                fits = false;
        }

        for (const ConfigField &field : m_info.config) {
            if (m_device.config.contains(field.name))
                continue;
            if (field.required()) {
                m_table.errorAtTable(field.name,
                    QStringLiteral("missing required key %1 (%2)")
                        .arg(quoted(field.name), ConfigField::expected(field.type)));
                fits = false;
                continue;
            }
            // A default is the plugin's, not the user's: the registry has checked it already
            // (as JSON, where a whole number is also an integer); one that still does not fit is
            // kept as written.
            const FieldCheck check = field.check(field.defaultValue, ConfigField::Source::Json);
            normalized.insert(field.name, check.ok() ? check.value : field.defaultValue);
        }

        if (!oldStylePort())
            fits = false;
        if (!fits)
            return std::nullopt;
        driverRules(normalized);
        return normalized;
    }

    const QList<LabError> &errors() const { return m_table.errors(); }

private:
    /// A lab from before `port` was the yaq port gives the instrument's TCP port as `port`:
    /// refused, so that it does not silently become the port the device is served on.
    bool oldStylePort()
    {
        if (m_device.port == 0 || !m_info.field(kTcpPortKey)
            || m_device.config.contains(kTcpPortKey) || !usesTcp())
            return true;
        m_table.error(kPortKey, kPortKey,
            QStringLiteral("key \"port\" is the port benchtopd serves this device on (yaq), no "
                           "longer the instrument's: write the instrument's TCP port as "
                           "tcp_port = %1, and keep \"port\" only if the device is to be served "
                           "on it")
                .arg(m_device.port));
        return false;
    }

    /// False for a device whose driver has a `transport` setting set (or defaulting) to anything
    /// but TCP: a serial instrument that is served has a `port` and no TCP port of its own.
    bool usesTcp() const
    {
        const ConfigField *transport = m_info.field(kTransportKey);
        if (!transport)
            return true;
        return m_device.config.value(kTransportKey, transport->defaultValue).toString()
            == kTcpTransport;
    }

    /// The driver's own rules, on the normalized config.
    void driverRules(const QVariantMap &normalized)
    {
        if (!m_drivers.checkDevice)
            return;
        QList<ConfigProblem> problems;
        try {
            problems = m_drivers.checkDevice(
                DeviceSettings{m_device.name, m_device.kind, normalized, m_device.port});
        } catch (const std::exception &e) {
            problems = {ConfigProblem::error({},
                QStringLiteral("the driver's check of its settings failed: %1")
                    .arg(QString::fromLocal8Bit(e.what())))};
        }
        const QStringList keys = fieldNames(m_info.config);
        for (const ConfigProblem &problem : std::as_const(problems)) {
            m_table.error(problem.key.isEmpty() ? QString() : settingOf(problem.key, keys),
                problem.key, problem.message,
                problem.isError() ? LabError::Severity::Error : LabError::Severity::Warning);
        }
    }

    /// Each binding's device is in this lab, and the message is one its traits trigger.
    bool bindings(const QString &key, const QVariantMap &map)
    {
        bool ok = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            const QString path = key + QLatin1Char('.') + it.key();
            const QString target = it.value().toString();
            const qsizetype dot = target.indexOf(QLatin1Char('.'));
            const QString deviceName = target.left(dot);
            const QString message = target.mid(dot + 1);
            const LabDevice *device = m_lab.device(deviceName);
            if (!device) {
                QStringList names;
                for (const LabDevice &d : m_lab.devices)
                    names << d.name;
                m_table.error(key, path,
                    QStringLiteral("%1: there is no device %2 in this lab%3")
                        .arg(keyLabel(path), quoted(deviceName), didYouMean(deviceName, names)));
                ok = false;
                continue;
            }
            if (device->kind.isEmpty())
                continue; // its own error says why it has no driver
            const std::optional<DriverInfo> info = m_drivers.driver(device->kind);
            if (!info)
                continue; // reported as an unknown driver on that device
            const QStringList allowed = triggerMessages(info->traits);
            if (allowed.contains(message))
                continue;
            ok = false;
            if (allowed.isEmpty()) {
                m_table.error(key, path,
                    QStringLiteral("%1: device %2 (%3) has nothing a binding can trigger")
                        .arg(keyLabel(path), quoted(deviceName), quoted(device->kind)));
            } else {
                m_table.error(key, path,
                    QStringLiteral("%1: device %2 (%3) cannot be triggered with %4; it takes %5")
                        .arg(keyLabel(path), quoted(deviceName), quoted(device->kind),
                            quoted(message), quotedList(allowed)));
            }
        }
        return ok;
    }

    const Lab &m_lab;
    const LabDevice &m_device;
    const DriverInfo &m_info;
    const LabDrivers &m_drivers;
    TableChecker m_table;
};

/// The `[benchtop]` table: its known keys, each against its field; nothing filled in.
QList<LabError> checkSettings(LabSettings &settings, const QString &file)
{
    if (!settings.present)
        return {};
    const QList<ConfigField> schema = labSettingsSchema();
    const QStringList keys = fieldNames(schema);
    TableChecker table(file, {}, settings.keyPositions, {settings.line, settings.column});
    const QString prefix = QStringLiteral("table %1: ").arg(quoted(QString(kLabSettingsTable)));
    QVariantMap normalized;
    for (auto it = settings.values.cbegin(); it != settings.values.cend(); ++it) {
        const auto field = std::find_if(schema.cbegin(), schema.cend(),
            [&](const ConfigField &f) { return f.name == it.key(); });
        if (field == schema.cend()) {
            QString otherwise = QStringLiteral(" (it takes %1)").arg(quotedList(keys));
            if (it.key() == kDriverKey) {
                otherwise = QStringLiteral(": [%1] holds the lab's own settings, not a device; "
                                           "call the device something else")
                                .arg(kLabSettingsTable);
            }
            table.unknownKey(it.key(), keys, otherwise);
            continue;
        }
        if (!it.value().isValid())
            continue; // parseLabText has reported it
        if (const std::optional<QVariant> value = table.value(*field, it.key(), it.value()))
            normalized.insert(it.key(), *value);
    }
    QList<LabError> errors = table.errors();
    for (LabError &error : errors)
        error.message.prepend(prefix);
    if (errors.isEmpty())
        settings.values = normalized;
    return errors;
}

} // namespace

std::optional<DriverInfo> LabDrivers::driver(const QString &kind) const
{
    for (const DriverInfo &info : kinds) {
        if (info.kind == kind)
            return info;
    }
    return std::nullopt;
}

QStringList LabDrivers::kindNames() const
{
    QStringList names;
    for (const DriverInfo &info : kinds)
        names << info.kind;
    return names;
}

QList<ConfigField> labSettingsSchema()
{
    ConfigField bind;
    bind.name = QStringLiteral("bind");
    bind.help = QStringLiteral("The address benchtopd listens on.");
    ConfigField runsPort;
    runsPort.name = QStringLiteral("runs_port");
    runsPort.type = ValueType::Int;
    runsPort.minimum = 1;
    runsPort.maximum = 65535;
    runsPort.help = QStringLiteral("The TCP port runs are served on.");
    ConfigField dataDir;
    dataDir.name = QStringLiteral("data_dir");
    dataDir.help = QStringLiteral("Where the data of runs goes (a relative folder is taken "
                                  "from the lab file's folder).");
    return {bind, runsPort, dataDir};
}

QList<LabError> checkLab(Lab &lab, const LabDrivers &drivers)
{
    QList<LabError> errors = checkSettings(lab.settings, lab.path);
    const QStringList known = drivers.kindNames();
    for (LabDevice &device : lab.devices) {
        if (device.kind.isEmpty())
            continue; // parseLabText has said why
        const std::optional<DriverInfo> info = drivers.driver(device.kind);
        if (!info) {
            QString message = QStringLiteral("unknown driver ") + quoted(device.kind);
            const QString suggestion = didYouMean(device.kind, known);
            if (!suggestion.isEmpty())
                message += suggestion;
            else if (!known.isEmpty())
                message += QStringLiteral(" (known drivers: %1)").arg(quotedList(known));
            const QPair<int, int> at = device.keyPositions.value(
                kDriverKey, QPair<int, int>(device.line, device.column));
            errors.append({lab.path, at.first, at.second, message, device.name, kDriverKey,
                LabError::Severity::Error});
            continue;
        }
        DeviceChecker checker(lab, device, *info, drivers);
        if (std::optional<QVariantMap> normalized = checker.check())
            device.config = std::move(*normalized);
        errors.append(checker.errors());
    }
    std::stable_sort(errors.begin(), errors.end(), [](const LabError &a, const LabError &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return errors;
}

} // namespace Benchtop
