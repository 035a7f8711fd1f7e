// SPDX-License-Identifier: MIT
#include "labfile.h"

#include "devicename.h"
#include "tablechecker_p.h"
#include "tomlsupport_p.h"

#include <device/diagnostics.h>

#include <QFile>

#include <algorithm>
#include <string_view>

namespace Benchtop {

namespace {

const QString kDriverKey = QStringLiteral("driver");
const QString kPortKey = QStringLiteral("port");
constexpr int kLowestPort = 1;
constexpr int kHighestPort = 65535;

/// The key of a table a path into it starts with: "limits" for "limits[1]" or "a.b".
QString keyOf(const QString &path)
{
    const auto cut = std::find_if(path.cbegin(), path.cend(),
        [](QChar c) { return c == QLatin1Char('.') || c == QLatin1Char('['); });
    return path.left(cut - path.cbegin());
}

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

const LabDevice *Lab::device(const QString &name) const
{
    for (const LabDevice &d : devices) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

LabParseResult parseLabFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        LabParseResult result;
        result.lab.path = path;
        result.errors.append(
            {path, 0, 0, QStringLiteral("cannot read the lab file: %1").arg(file.errorString()), {},
                {}, LabError::Severity::Error});
        return result;
    }
    return parseLabText(file.readAll(), path);
}

LabParseResult parseLabText(const QByteArray &text, const QString &displayPath)
{
    LabParseResult result;
    result.lab.path = displayPath;
    result.lab.text = text;
    auto addError = [&](std::pair<int, int> position, const QString &message,
                        const QString &device = {}, const QString &key = {}) {
        result.errors.append({displayPath, position.first, position.second, message, device, key,
            LabError::Severity::Error});
    };

    TomlSupport::SyntaxError syntaxError;
    const std::optional<toml::table> table = TomlSupport::parse(text, &syntaxError);
    if (!table) {
        addError({syntaxError.line, syntaxError.column}, syntaxError.message);
        return result;
    }

    for (const auto &[key, node] : *table) {
        const QString name = fromUtf8(key.str());
        const std::pair<int, int> keyPosition{
            static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column)};
        const toml::table *deviceTable = node.as_table();
        if (!deviceTable) {
            addError(keyPosition,
                QStringLiteral("a lab holds one table per device; %1 is not a table (it is %2)")
                    .arg(quoted(name), TomlSupport::describe(node)));
            continue;
        }
        // `[name]` starts where its header does; `name = { ... }` where its key does.
        const std::pair<int, int> position
            = deviceTable->is_inline() ? keyPosition : TomlSupport::positionOf(node);

        QVariantMap values;
        QHash<QString, QPair<int, int>> keyPositions;
        const TomlSupport::NodeVisitor recordPosition
            = [&](const QString &path, const toml::node &value) {
                  const std::pair<int, int> p = TomlSupport::positionOf(value);
                  keyPositions.insert(path, {p.first, p.second});
              };
        // The lab's own settings have no device to name.
        const bool settings = name == kLabSettingsTable;
        const QString device = settings ? QString() : name;
        const TomlSupport::NodeVisitor unsupported
            = [&](const QString &path, const toml::node &value) {
                  addError(TomlSupport::positionOf(value),
                      (settings ? QStringLiteral("table %1: ").arg(quoted(name)) : QString())
                          + QStringLiteral("%1 is %2; dates and times are not supported")
                                .arg(keyLabel(path), TomlSupport::describe(value)),
                      device, keyOf(path));
              };

        if (settings) {
            LabSettings &lab = result.lab.settings;
            lab.present = true;
            lab.line = position.first;
            lab.column = position.second;
            for (const auto &[settingKey, value] : *deviceTable) {
                const QString setting = fromUtf8(settingKey.str());
                lab.values.insert(
                    setting, TomlSupport::toVariant(value, setting, recordPosition, unsupported));
            }
            lab.keyPositions = std::move(keyPositions);
            continue;
        }

        LabDevice labDevice;
        labDevice.name = name;
        labDevice.line = position.first;
        labDevice.column = position.second;
        // The name's own error has no device: a name that breaks the rule names none.
        if (const QString problem = deviceNameProblem(name); !problem.isEmpty())
            addError(position, problem);

        bool hasDriver = false;
        for (const auto &[settingKey, value] : *deviceTable) {
            const QString setting = fromUtf8(settingKey.str());
            if (setting == kDriverKey) {
                hasDriver = true;
                recordPosition(setting, value);
                if (const toml::value<std::string> *kind = value.as_string())
                    labDevice.kind = fromUtf8(kind->get());
                if (labDevice.kind.isEmpty()) {
                    addError(TomlSupport::positionOf(value),
                        QStringLiteral("key \"driver\" must be the name of a driver kind (a "
                                       "non-empty string), not %1")
                            .arg(value.is_string() ? QStringLiteral("an empty string")
                                                   : TomlSupport::describe(value)),
                        device, kDriverKey);
                }
                continue;
            }
            if (setting == kPortKey) {
                // Not a setting of the driver: where benchtopd serves the device (yaq).
                recordPosition(setting, value);
                const toml::value<int64_t> *port = value.as_integer();
                if (port && port->get() >= kLowestPort && port->get() <= kHighestPort) {
                    labDevice.port = int(port->get());
                } else {
                    QString given
                        = port ? QString::number(port->get()) : TomlSupport::describe(value);
                    if (port && port->get() == 0)
                        given += QStringLiteral(" (leave \"port\" out for a device that is not "
                                                "served)");
                    addError(TomlSupport::positionOf(value),
                        QStringLiteral("key \"port\" must be a TCP port number from %1 to %2 "
                                       "(yaq daemons use 36000 to 39999), not %3")
                            .arg(kLowestPort)
                            .arg(kHighestPort)
                            .arg(given),
                        device, kPortKey);
                }
                continue;
            }
            values.insert(
                setting, TomlSupport::toVariant(value, setting, recordPosition, unsupported));
        }
        if (!hasDriver) {
            addError(position,
                QStringLiteral("missing key \"driver\" (the kind of driver that runs it, such as "
                               "\"sim-motor\")"),
                device, kDriverKey);
        }
        labDevice.config = std::move(values);
        labDevice.keyPositions = std::move(keyPositions);
        result.lab.devices.append(std::move(labDevice));
    }

    // toml++ keeps keys sorted; a lab keeps the file's order, and so do its errors.
    std::stable_sort(result.lab.devices.begin(), result.lab.devices.end(),
        [](const LabDevice &a, const LabDevice &b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
    // Two devices cannot be served on one port: the later one is wrong, naming the earlier.
    QHash<int, const LabDevice *> portOwners;
    for (const LabDevice &labDevice : std::as_const(result.lab.devices)) {
        if (labDevice.port == 0)
            continue;
        const LabDevice *owner = portOwners.value(labDevice.port);
        if (!owner) {
            portOwners.insert(labDevice.port, &labDevice);
            continue;
        }
        const QPair<int, int> at = labDevice.keyPositions.value(kPortKey);
        addError({at.first, at.second},
            QStringLiteral("key \"port\": %1 is already the port of device %2 (line %3); each "
                           "device is served on a port of its own")
                .arg(labDevice.port)
                .arg(quoted(owner->name))
                .arg(owner->keyPositions.value(kPortKey).first),
            labDevice.name, kPortKey);
    }
    std::stable_sort(
        result.errors.begin(), result.errors.end(), [](const LabError &a, const LabError &b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
    return result;
}

std::optional<QVariant> parseLabValue(const QString &text, QString *problem)
{
    if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
        *problem = QStringLiteral("must be written on one line");
        return std::nullopt;
    }
    TomlSupport::SyntaxError syntaxError;
    const std::optional<toml::table> table
        = TomlSupport::parse(QByteArray("value = ") + text.toUtf8() + '\n', &syntaxError);
    // One line holds one key/value at most, so the table holds `value` alone.
    if (!table || table->size() != 1 || !table->get("value")) {
        *problem = QStringLiteral("is not a TOML value: %1")
                       .arg(table ? QStringLiteral("it holds more than one") : syntaxError.message);
        return std::nullopt;
    }
    QString unsupported;
    QVariant value = TomlSupport::toVariant(
        *table->get("value"), QString(), {}, [&](const QString &, const toml::node &node) {
            if (unsupported.isEmpty()) {
                unsupported = QStringLiteral("is %1; dates and times are not supported")
                                  .arg(TomlSupport::describe(node));
            }
        });
    if (!value.isValid()) {
        *problem = unsupported;
        return std::nullopt;
    }
    return value;
}

} // namespace Benchtop
