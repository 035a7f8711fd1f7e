// SPDX-License-Identifier: MIT
#include "labfile.h"

#include "tomlsupport_p.h"

#include <device/traits.h>

#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop {

namespace {

const QString kDriverKey = QStringLiteral("driver");
const QString kPortKey = QStringLiteral("port");
constexpr int kLowestPort = 1;
constexpr int kHighestPort = 65535;
/// A driver setting that `port` used to be, before `port` became where benchtopd serves a
/// device: a lab written then gives `port` alone, meaning the instrument's port.
const QString kTcpPortKey = QStringLiteral("tcp_port");

using TomlSupport::quoted;

QString quotedList(const QStringList &items)
{
    QStringList quotedItems;
    quotedItems.reserve(items.size());
    for (const QString &item : items)
        quotedItems << quoted(item);
    return quotedItems.join(QLatin1String(", "));
}

QString formatNumber(double value)
{
    // Whole numbers in full ("100000", not "1e+05"), as a lab file would write them.
    if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15)
        return QString::number(qlonglong(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

/// A value as the user wrote it, for "must be X, not Y": scalars by value (a float keeps its
/// decimal point, so that 5.0 does not read as the integer 5), the rest by kind.
QString describeValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return value.toString();
    case QMetaType::Double:
    case QMetaType::Float: {
        QString text = formatNumber(value.toDouble());
        if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e'))
            && !text.contains(QLatin1Char('n')))
            text += QLatin1String(".0");
        return text;
    }
    case QMetaType::QString:
        return QStringLiteral("a string");
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return QStringLiteral("an array");
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
        return QStringLiteral("a table");
    default:
        return QStringLiteral("a value of type %1").arg(QLatin1String(value.typeName()));
    }
}

QString expected(ValueType type)
{
    switch (type) {
    case ValueType::Bool:
        return QStringLiteral("a boolean (true or false)");
    case ValueType::Int:
        return QStringLiteral("an integer");
    case ValueType::Double:
        return QStringLiteral("a number");
    case ValueType::String:
        return QStringLiteral("a string");
    case ValueType::StringList:
        return QStringLiteral("an array of strings");
    case ValueType::DoubleList:
        return QStringLiteral("an array of numbers");
    case ValueType::StringMap:
        return QStringLiteral("a table of strings");
    case ValueType::DoubleMap:
        return QStringLiteral("a table of numbers");
    case ValueType::Map:
        return QStringLiteral("a table");
    case ValueType::Bindings:
        return QStringLiteral("a table of bindings (input line = \"device.message\")");
    }
    return {};
}

bool isInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
        return true;
    case QMetaType::ULongLong:
        return value.toULongLong()
            <= static_cast<qulonglong>(std::numeric_limits<qlonglong>::max());
    default:
        return false;
    }
}

bool isNumber(const QVariant &value)
{
    return isInteger(value) || value.typeId() == QMetaType::Double
        || value.typeId() == QMetaType::Float;
}

bool isMap(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantMap || value.typeId() == QMetaType::QVariantHash;
}

bool isList(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantList || value.typeId() == QMetaType::QStringList;
}

/// Levenshtein distance, ignoring case: how far a misspelling is from a name.
int editDistance(const QString &a, const QString &b)
{
    const QString x = a.toCaseFolded();
    const QString y = b.toCaseFolded();
    QList<int> previous(y.size() + 1);
    QList<int> current(y.size() + 1);
    for (qsizetype j = 0; j <= y.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= x.size(); ++i) {
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= y.size(); ++j) {
            const int substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[y.size()];
}

/// The candidate closest to `word` when it is at most two edits away (and not a wholly
/// different short word); empty otherwise. Ties go to the earlier candidate.
QString closest(const QString &word, const QStringList &candidates)
{
    QString best;
    int bestDistance = 3;
    for (const QString &candidate : candidates) {
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance && distance < std::max(word.size(), candidate.size())) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

QString keyLabel(const QString &path)
{
    return QStringLiteral("key ") + quoted(path);
}

QString devicePrefix(const QString &device)
{
    return QStringLiteral("device ") + quoted(device) + QLatin1String(": ");
}

/// Names become file names (`<kind>/<name>-state.toml`) and column entries: 64 is generous.
constexpr qsizetype kMaxDeviceNameLength = 64;

bool isValidDeviceName(const QString &name)
{
    // Anchored: "$" alone would also match before a final newline ("cam\n").
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_-]+")));
    return pattern.match(name).hasMatch();
}

void sortByPosition(QList<LabError> &errors)
{
    std::stable_sort(errors.begin(), errors.end(), [](const LabError &a, const LabError &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
}

/// Checks one device's config; collects its errors.
class DeviceChecker {
public:
    DeviceChecker(const Lab &lab, const LabDevice &device, const DriverInfo &info,
        const DriverLookup &driverFor)
        : m_lab(lab)
        , m_device(device)
        , m_info(info)
        , m_driverFor(driverFor)
    {
    }

    /// The normalized config, or nullopt when there were errors (in errors()).
    std::optional<QVariantMap> check()
    {
        QVariantMap normalized;
        QStringList keys;
        keys.reserve(m_info.config.size());
        for (const ConfigField &field : m_info.config)
            keys << field.name;

        for (auto it = m_device.config.cbegin(); it != m_device.config.cend(); ++it) {
            const ConfigField *field = m_info.field(it.key());
            if (!field) {
                QString message = QStringLiteral("unknown key ") + quoted(it.key());
                const QString suggestion = closest(it.key(), keys);
                if (!suggestion.isEmpty())
                    message += QStringLiteral(" (did you mean %1?)").arg(quoted(suggestion));
                else if (keys.isEmpty())
                    message += QStringLiteral(" (driver %1 takes no settings)")
                                   .arg(quoted(m_info.kind));
                else
                    message += QStringLiteral(" (driver %1 takes %2)")
                                   .arg(quoted(m_info.kind), quotedList(keys));
                error(it.key(), message);
                continue;
            }
            if (!it.value().isValid()) {
                m_failed = true; // parseLabText has reported it
                continue;
            }
            if (std::optional<QVariant> value = normalize(*field, it.value(), it.key()))
                normalized.insert(it.key(), *value);
        }

        for (const ConfigField &field : m_info.config) {
            if (m_device.config.contains(field.name))
                continue;
            if (field.required()) {
                errorAtTable(QStringLiteral("missing required key %1 (%2)")
                                 .arg(quoted(field.name), expected(field.type)));
                continue;
            }
            // A default is the plugin's, not the user's: convert it quietly and keep it as
            // written when it does not fit (plugin metadata parsing owns that check).
            DeviceChecker quiet(m_lab, m_device, m_info, m_driverFor);
            quiet.m_lenient = true;
            const std::optional<QVariant> value
                = quiet.normalize(field, field.defaultValue, field.name);
            normalized.insert(field.name, value.value_or(field.defaultValue));
        }

        oldStylePort();

        if (m_failed || !m_errors.isEmpty())
            return std::nullopt;
        return normalized;
    }

    const QList<LabError> &errors() const { return m_errors; }

private:
    /// A lab from before `port` was the yaq port gives the instrument's TCP port as `port`:
    /// refused, so that it does not silently become the port the device is served on.
    void oldStylePort()
    {
        if (m_device.port == 0 || !m_info.field(kTcpPortKey)
            || m_device.config.contains(kTcpPortKey))
            return;
        error(kPortKey,
            QStringLiteral("key \"port\" is the port benchtopd serves this device on (yaq), no "
                           "longer the instrument's: write the instrument's TCP port as "
                           "tcp_port = %1, and keep \"port\" only if the device is to be served "
                           "on it")
                .arg(m_device.port));
    }

    QPair<int, int> positionOf(const QString &path) const
    {
        // An element's position, else the key's (a[1].b → a[1] → a), else the table's.
        QString p = path;
        while (true) {
            const auto it = m_device.keyPositions.constFind(p);
            if (it != m_device.keyPositions.cend() && it->first > 0)
                return *it;
            const qsizetype cut
                = std::max(p.lastIndexOf(QLatin1Char('.')), p.lastIndexOf(QLatin1Char('[')));
            if (cut <= 0)
                return {m_device.line, m_device.column};
            p.truncate(cut);
        }
    }

    void error(const QString &path, const QString &message)
    {
        m_failed = true;
        if (m_lenient)
            return;
        const QPair<int, int> position = positionOf(path);
        m_errors.append(
            {m_lab.path, position.first, position.second, devicePrefix(m_device.name) + message});
    }

    void errorAtTable(const QString &message)
    {
        m_failed = true;
        if (m_lenient)
            return;
        m_errors.append(
            {m_lab.path, m_device.line, m_device.column, devicePrefix(m_device.name) + message});
    }

    void wrongType(const QString &path, ValueType type, const QVariant &value)
    {
        error(path,
            QStringLiteral("%1 must be %2, not %3")
                .arg(keyLabel(path), expected(type), describeValue(value)));
    }

    std::optional<double> number(
        const ConfigField &field, const QVariant &value, const QString &path)
    {
        if (!isNumber(value)) {
            wrongType(path, ValueType::Double, value);
            return std::nullopt;
        }
        const double x = value.toDouble();
        if (!inLimits(field, x, path))
            return std::nullopt;
        return x;
    }

    /// [lower, upper]: two numbers, lower ≤ upper (NaN in either is refused); or [] when that
    /// is the field's default ("no range").
    bool isRange(const ConfigField &field, const QVariantList &numbers, const QString &path)
    {
        const bool noneAllowed = field.defaultValue.isValid() && field.defaultValue.toList().isEmpty();
        if (numbers.isEmpty() && noneAllowed)
            return true;
        if (numbers.size() != 2) {
            error(path,
                QStringLiteral("%1 must be [lower, upper]%2, not %3 numbers")
                    .arg(keyLabel(path), noneAllowed ? QStringLiteral(" or []") : QString())
                    .arg(numbers.size()));
            return false;
        }
        const double lower = numbers[0].toDouble();
        const double upper = numbers[1].toDouble();
        if (!(lower <= upper)) {
            error(path,
                QStringLiteral("%1 is [%2, %3]: the lower end is above the upper")
                    .arg(keyLabel(path), formatNumber(lower), formatNumber(upper)));
            return false;
        }
        return true;
    }

    bool inLimits(const ConfigField &field, double x, const QString &path)
    {
        const QString units = field.units.isEmpty() ? QString() : QLatin1Char(' ') + field.units;
        // Written so that NaN fails both comparisons.
        if (field.minimum && !(x >= *field.minimum)) {
            error(path,
                QStringLiteral("%1 must be at least %2%3, not %4")
                    .arg(keyLabel(path), formatNumber(*field.minimum), units, formatNumber(x)));
            return false;
        }
        if (field.maximum && !(x <= *field.maximum)) {
            error(path,
                QStringLiteral("%1 must be at most %2%3, not %4")
                    .arg(keyLabel(path), formatNumber(*field.maximum), units, formatNumber(x)));
            return false;
        }
        return true;
    }

    std::optional<QString> string(
        const ConfigField &field, const QVariant &value, const QString &path)
    {
        if (value.typeId() != QMetaType::QString) {
            wrongType(path, ValueType::String, value);
            return std::nullopt;
        }
        const QString text = value.toString();
        if (!field.options.isEmpty() && !field.options.contains(text)) {
            error(path,
                QStringLiteral("%1 must be one of %2, not %3")
                    .arg(keyLabel(path), quotedList(field.options), quoted(text)));
            return std::nullopt;
        }
        return text;
    }

    std::optional<QVariant> normalize(
        const ConfigField &field, const QVariant &value, const QString &path)
    {
        switch (field.type) {
        case ValueType::Bool:
            if (value.typeId() != QMetaType::Bool) {
                wrongType(path, field.type, value);
                return std::nullopt;
            }
            return value;
        case ValueType::Int: {
            const bool integralDouble = m_lenient && value.typeId() == QMetaType::Double
                && std::trunc(value.toDouble()) == value.toDouble();
            if (!isInteger(value) && !integralDouble) {
                wrongType(path, field.type, value);
                return std::nullopt;
            }
            const qlonglong x = value.toLongLong();
            if (!inLimits(field, static_cast<double>(x), path))
                return std::nullopt;
            return QVariant::fromValue(x);
        }
        case ValueType::Double:
            if (const std::optional<double> x = number(field, value, path))
                return QVariant::fromValue(*x);
            return std::nullopt;
        case ValueType::String:
            if (const std::optional<QString> text = string(field, value, path))
                return QVariant::fromValue(*text);
            return std::nullopt;
        case ValueType::StringList:
        case ValueType::DoubleList: {
            if (!isList(value)) {
                wrongType(path, field.type, value);
                return std::nullopt;
            }
            const QVariantList list = value.toList();
            QStringList strings;
            QVariantList numbers;
            bool ok = true;
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString elementPath
                    = path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
                if (field.type == ValueType::StringList) {
                    if (const std::optional<QString> text = string(field, list[i], elementPath))
                        strings << *text;
                    else
                        ok = false;
                } else if (const std::optional<double> x = number(field, list[i], elementPath)) {
                    numbers << *x;
                } else {
                    ok = false;
                }
            }
            if (!ok)
                return std::nullopt;
            if (field.type == ValueType::StringList)
                return QVariant::fromValue(strings);
            if (field.range && !isRange(field, numbers, path))
                return std::nullopt;
            return QVariant::fromValue(numbers);
        }
        case ValueType::StringMap:
        case ValueType::DoubleMap: {
            if (!isMap(value)) {
                wrongType(path, field.type, value);
                return std::nullopt;
            }
            const QVariantMap map = value.toMap();
            QVariantMap result;
            bool ok = true;
            for (auto it = map.cbegin(); it != map.cend(); ++it) {
                const QString entryPath = path + QLatin1Char('.') + it.key();
                if (field.type == ValueType::StringMap) {
                    if (const std::optional<QString> text = string(field, it.value(), entryPath))
                        result.insert(it.key(), *text);
                    else
                        ok = false;
                } else if (const std::optional<double> x = number(field, it.value(), entryPath)) {
                    result.insert(it.key(), *x);
                } else {
                    ok = false;
                }
            }
            if (!ok)
                return std::nullopt;
            return QVariant::fromValue(result);
        }
        case ValueType::Map:
            if (!isMap(value)) {
                wrongType(path, field.type, value);
                return std::nullopt;
            }
            return QVariant::fromValue(value.toMap());
        case ValueType::Bindings:
            return bindings(value, path);
        }
        return std::nullopt;
    }

    std::optional<QVariant> bindings(const QVariant &value, const QString &path)
    {
        if (!isMap(value)) {
            wrongType(path, ValueType::Bindings, value);
            return std::nullopt;
        }
        const QVariantMap map = value.toMap();
        QVariantMap result;
        bool ok = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            const QString entryPath = path + QLatin1Char('.') + it.key();
            if (it.value().typeId() != QMetaType::QString) {
                wrongBinding(entryPath, describeValue(it.value()));
                ok = false;
            } else if (binding(it.value().toString(), entryPath)) {
                result.insert(it.key(), it.value().toString());
            } else {
                ok = false;
            }
        }
        if (!ok)
            return std::nullopt;
        return QVariant::fromValue(result);
    }

    void wrongBinding(const QString &path, const QString &actual)
    {
        error(path,
            QStringLiteral("%1 must be \"device.message\", not %2").arg(keyLabel(path), actual));
    }

    bool binding(const QString &target, const QString &path)
    {
        const qsizetype dot = target.indexOf(QLatin1Char('.'));
        if (dot <= 0 || dot == target.size() - 1) {
            wrongBinding(path, quoted(target));
            return false;
        }
        const QString deviceName = target.left(dot);
        const QString message = target.mid(dot + 1);
        const LabDevice *device = m_lab.device(deviceName);
        if (!device) {
            QStringList names;
            for (const LabDevice &d : m_lab.devices)
                names << d.name;
            QString text = QStringLiteral("%1: there is no device %2 in this lab")
                               .arg(keyLabel(path), quoted(deviceName));
            const QString suggestion = closest(deviceName, names);
            if (!suggestion.isEmpty())
                text += QStringLiteral(" (did you mean %1?)").arg(quoted(suggestion));
            error(path, text);
            return false;
        }
        if (device->kind.isEmpty())
            return true; // its own error says why it has no driver
        const std::optional<DriverInfo> info = m_driverFor(device->kind);
        if (!info)
            return true; // reported as an unknown driver on that device
        const QStringList allowed = triggerMessages(info->traits);
        if (allowed.contains(message))
            return true;
        if (allowed.isEmpty()) {
            error(path,
                QStringLiteral("%1: device %2 (%3) has nothing a binding can trigger")
                    .arg(keyLabel(path), quoted(deviceName), quoted(device->kind)));
        } else {
            error(path,
                QStringLiteral("%1: device %2 (%3) cannot be triggered with %4; it takes %5")
                    .arg(keyLabel(path), quoted(deviceName), quoted(device->kind), quoted(message),
                        quotedList(allowed)));
        }
        return false;
    }

    const Lab &m_lab;
    const LabDevice &m_device;
    const DriverInfo &m_info;
    const DriverLookup &m_driverFor;
    QList<LabError> m_errors;
    bool m_failed = false;
    bool m_lenient = false; ///< for defaults: no errors, integral doubles pass as integers
};

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
            {path, 0, 0, QStringLiteral("cannot read the lab file: %1").arg(file.errorString())});
        return result;
    }
    return parseLabText(file.readAll(), path);
}

LabParseResult parseLabText(const QByteArray &text, const QString &displayPath)
{
    LabParseResult result;
    result.lab.path = displayPath;
    auto addError = [&](std::pair<int, int> position, const QString &message) {
        result.errors.append({displayPath, position.first, position.second, message});
    };

    TomlSupport::SyntaxError syntaxError;
    const std::optional<toml::table> table = TomlSupport::parse(text, &syntaxError);
    if (!table) {
        addError({syntaxError.line, syntaxError.column}, syntaxError.message);
        return result;
    }

    for (const auto &[key, node] : *table) {
        const QString name
            = QString::fromUtf8(key.str().data(), static_cast<qsizetype>(key.str().size()));
        const std::pair<int, int> keyPosition{
            static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column)};
        const toml::table *deviceTable = node.as_table();
        if (!deviceTable) {
            addError(keyPosition,
                QStringLiteral("a lab holds one table per device; %1 is not a table (it is %2)")
                    .arg(quoted(name), TomlSupport::describe(node)));
            continue;
        }

        LabDevice device;
        device.name = name;
        // `[name]` starts where its header does; `name = { ... }` where its key does.
        const std::pair<int, int> position
            = deviceTable->is_inline() ? keyPosition : TomlSupport::positionOf(node);
        device.line = position.first;
        device.column = position.second;
        if (name.size() > kMaxDeviceNameLength) {
            addError(position,
                QStringLiteral("device name %1 is too long: at most %2 characters")
                    .arg(quoted(name))
                    .arg(kMaxDeviceNameLength));
        } else if (!isValidDeviceName(name)) {
            addError(position,
                QStringLiteral("device name %1 may only contain letters (A-Z, a-z), digits, "
                               "\"-\" and \"_\"")
                    .arg(quoted(name)));
        }

        const TomlSupport::NodeVisitor recordPosition
            = [&](const QString &path, const toml::node &value) {
                  const std::pair<int, int> p = TomlSupport::positionOf(value);
                  device.keyPositions.insert(path, {p.first, p.second});
              };
        const TomlSupport::NodeVisitor unsupported
            = [&](const QString &path, const toml::node &value) {
                  addError(TomlSupport::positionOf(value),
                      devicePrefix(name)
                          + QStringLiteral("%1 is %2; dates and times are not supported")
                                .arg(keyLabel(path), TomlSupport::describe(value)));
              };

        bool hasDriver = false;
        for (const auto &[settingKey, value] : *deviceTable) {
            const QString setting = QString::fromUtf8(
                settingKey.str().data(), static_cast<qsizetype>(settingKey.str().size()));
            if (setting == kDriverKey) {
                hasDriver = true;
                recordPosition(setting, value);
                if (const toml::value<std::string> *kind = value.as_string()) {
                    device.kind = QString::fromUtf8(
                        kind->get().data(), static_cast<qsizetype>(kind->get().size()));
                }
                if (device.kind.isEmpty()) {
                    addError(TomlSupport::positionOf(value),
                        devicePrefix(name)
                            + QStringLiteral("key \"driver\" must be the name of a driver kind "
                                             "(a non-empty string), not %1")
                                  .arg(value.is_string() ? QStringLiteral("an empty string")
                                                         : TomlSupport::describe(value)));
                }
                continue;
            }
            if (setting == kPortKey) {
                // Not a setting of the driver: where benchtopd serves the device (yaq).
                recordPosition(setting, value);
                const toml::value<int64_t> *port = value.as_integer();
                if (port && port->get() >= kLowestPort && port->get() <= kHighestPort) {
                    device.port = int(port->get());
                } else {
                    QString given
                        = port ? QString::number(port->get()) : TomlSupport::describe(value);
                    if (port && port->get() == 0)
                        given += QStringLiteral(" (leave \"port\" out for a device that is not "
                                                "served)");
                    addError(TomlSupport::positionOf(value),
                        devicePrefix(name)
                            + QStringLiteral("key \"port\" must be a TCP port number from %1 to "
                                             "%2 (yaq daemons use 36000 to 39999), not %3")
                                  .arg(kLowestPort)
                                  .arg(kHighestPort)
                                  .arg(given));
                }
                continue;
            }
            device.config.insert(
                setting, TomlSupport::toVariant(value, setting, recordPosition, unsupported));
        }
        if (!hasDriver) {
            addError(position,
                devicePrefix(name)
                    + QStringLiteral("missing key \"driver\" (the kind of driver that runs it, "
                                     "such as \"sim-motor\")"));
        }
        result.lab.devices.append(std::move(device));
    }

    // toml++ keeps keys sorted; a lab keeps the file's order, and so do its errors.
    std::stable_sort(result.lab.devices.begin(), result.lab.devices.end(),
        [](const LabDevice &a, const LabDevice &b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
    // Two devices cannot be served on one port: the later one is wrong, naming the earlier.
    QHash<int, const LabDevice *> portOwners;
    for (const LabDevice &device : std::as_const(result.lab.devices)) {
        if (device.port == 0)
            continue;
        const LabDevice *owner = portOwners.value(device.port);
        if (!owner) {
            portOwners.insert(device.port, &device);
            continue;
        }
        const QPair<int, int> at = device.keyPositions.value(kPortKey);
        addError({at.first, at.second},
            devicePrefix(device.name)
                + QStringLiteral("key \"port\": %1 is already the port of device %2 (line %3); "
                                 "each device is served on a port of its own")
                      .arg(device.port)
                      .arg(quoted(owner->name))
                      .arg(owner->keyPositions.value(kPortKey).first));
    }
    sortByPosition(result.errors);
    return result;
}

QList<LabError> checkLab(Lab &lab, const DriverLookup &driverFor, const QStringList &knownKinds)
{
    QList<LabError> errors;
    for (LabDevice &device : lab.devices) {
        if (device.kind.isEmpty())
            continue; // parseLabText has said why
        const std::optional<DriverInfo> info = driverFor(device.kind);
        if (!info) {
            QString message = devicePrefix(device.name) + QStringLiteral("unknown driver ")
                + quoted(device.kind);
            const QString suggestion = closest(device.kind, knownKinds);
            if (!suggestion.isEmpty())
                message += QStringLiteral(" (did you mean %1?)").arg(quoted(suggestion));
            else if (!knownKinds.isEmpty())
                message += QStringLiteral(" (known drivers: %1)").arg(quotedList(knownKinds));
            const QPair<int, int> position = device.keyPositions.value(
                kDriverKey, QPair<int, int>(device.line, device.column));
            errors.append({lab.path, position.first, position.second, message});
            continue;
        }
        DeviceChecker checker(lab, device, *info, driverFor);
        if (std::optional<QVariantMap> normalized = checker.check())
            device.config = std::move(*normalized);
        errors.append(checker.errors());
    }
    sortByPosition(errors);
    return errors;
}

QList<LabError> checkLab(Lab &lab, const QList<DriverInfo> &drivers)
{
    QStringList kinds;
    for (const DriverInfo &info : drivers)
        kinds << info.kind;
    return checkLab(
        lab,
        [&drivers](const QString &kind) -> std::optional<DriverInfo> {
            for (const DriverInfo &info : drivers) {
                if (info.kind == kind)
                    return info;
            }
            return std::nullopt;
        },
        kinds);
}

} // namespace Benchtop
