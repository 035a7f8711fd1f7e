// SPDX-License-Identifier: MIT
#include "registermap.h"

#include <device/diagnostics.h>

#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace Benchtop::Modbus {

namespace {

constexpr int kLastRegister = 65535;
/// The longest name a message shows bare (`channels.temperature`); longer ones are quoted, and
/// so cut short.
constexpr qsizetype kBareNameLimit = 40;

const QString kTable = QStringLiteral("table");
const QString kAddress = QStringLiteral("address");
const QString kType = QStringLiteral("type");
const QString kWordOrder = QStringLiteral("word_order");
const QString kScale = QStringLiteral("scale");
const QString kOffset = QStringLiteral("offset");
const QString kUnits = QStringLiteral("units");
const QStringList kKeys = {kTable, kAddress, kType, kWordOrder, kScale, kOffset, kUnits};

/// `where.name`, with the name quoted as TOML would when it is not a bare key.
QString keyPath(const QString &where, const QString &name)
{
    // Anchored with \A...\z: "$" would also match before a final newline, and a name "t\n"
    // would then be shown bare, breaking the one-line message (found by fuzz_registermap).
    static const QRegularExpression bareKey(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_-]+")));
    const QString key
        = name.size() <= kBareNameLimit && bareKey.match(name).hasMatch() ? name : quoted(name);
    return where.isEmpty() ? key : where + u'.' + key;
}

[[noreturn]] void fail(const QString &path, const QString &problem)
{
    throw MapError((path + QLatin1String(": ") + problem).toStdString());
}

bool isInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

bool isFloat(const QVariant &value)
{
    return value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float;
}

bool isTable(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantMap || value.typeId() == QMetaType::QVariantHash;
}

/// What a value is, for "must be X, not Y".
QString describeType(const QVariant &value)
{
    if (isInteger(value))
        return QStringLiteral("an integer");
    if (isFloat(value))
        return QStringLiteral("a float");
    if (isTable(value))
        return QStringLiteral("a table");
    switch (value.typeId()) {
    case QMetaType::Bool:
        return QStringLiteral("a boolean");
    case QMetaType::QString:
        return QStringLiteral("a string");
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return QStringLiteral("an array");
    case QMetaType::UnknownType:
        return QStringLiteral("nothing");
    default:
        return QStringLiteral("a ") + QLatin1String(value.typeName());
    }
}

/// An address: an integer (or integral float) in 0..65535. `label` names it in messages.
quint16 readAddress(const QVariant &value, const QString &path, const QString &label)
{
    qint64 address = -1;
    if (isInteger(value)) {
        if (value.typeId() == QMetaType::ULongLong && value.toULongLong() > kLastRegister) {
            fail(path,
                QStringLiteral("%1 is %2, outside 0 to %3")
                    .arg(label)
                    .arg(value.toULongLong())
                    .arg(kLastRegister));
        }
        address = value.toLongLong();
    } else if (isFloat(value)) {
        const double x = value.toDouble();
        if (!std::isfinite(x) || x != std::floor(x))
            fail(path, QStringLiteral("%1 must be an integer, not %2").arg(label, formatNumber(x)));
        if (x < 0 || x > kLastRegister) {
            fail(path,
                QStringLiteral("%1 is %2, outside 0 to %3")
                    .arg(label, formatNumber(x))
                    .arg(kLastRegister));
        }
        address = static_cast<qint64>(x);
    } else {
        fail(path, QStringLiteral("%1 must be an integer, not %2").arg(label, describeType(value)));
    }
    if (address < 0 || address > kLastRegister) {
        fail(path,
            QStringLiteral("%1 is %2, outside 0 to %3").arg(label).arg(address).arg(kLastRegister));
    }
    return static_cast<quint16>(address);
}

/// Reads one inline table's keys, each with its default.
class SpecReader {
public:
    SpecReader(const QVariantMap &table, QString path)
        : m_table(table)
        , m_path(std::move(path))
    {
    }

    RegisterSpec read(const QString &name)
    {
        for (auto it = m_table.cbegin(); it != m_table.cend(); ++it) {
            if (!kKeys.contains(it.key())) {
                const QString hint = didYouMean(it.key(), kKeys);
                fail(m_path,
                    QStringLiteral("unknown key %1%2")
                        .arg(quoted(it.key()),
                            hint.isEmpty()
                                ? QStringLiteral(" (known keys: %1)").arg(quotedList(kKeys))
                                : hint));
            }
        }
        RegisterSpec spec;
        spec.name = name;
        if (!m_table.contains(kAddress))
            fail(
                m_path, QStringLiteral("missing required key \"address\" (an integer 0 to 65535)"));
        spec.address = readAddress(m_table.value(kAddress), m_path, quoted(kAddress));

        const QString table = choice(kTable, QStringLiteral("holding"),
            {QStringLiteral("holding"), QStringLiteral("input")});
        spec.table = table == u"input" ? Table::Input : Table::Holding;
        QStringList typeNames;
        for (DataType type : {DataType::Int16, DataType::UInt16, DataType::Int32, DataType::UInt32,
                 DataType::Float32})
            typeNames << toString(type);
        spec.type = *dataTypeFromString(choice(kType, QStringLiteral("uint16"), typeNames));
        spec.order = *wordOrderFromString(choice(
            kWordOrder, QStringLiteral("big"), {QStringLiteral("big"), QStringLiteral("little")}));

        const int last = spec.address + registerCount(spec.type) - 1;
        if (last > kLastRegister) {
            fail(m_path,
                QStringLiteral("%1 at address %2 runs past the last register (%3)")
                    .arg(toString(spec.type))
                    .arg(spec.address)
                    .arg(kLastRegister));
        }

        spec.scaling.scale = number(kScale, 1.0);
        if (!std::isfinite(spec.scaling.scale) || spec.scaling.scale == 0) {
            fail(m_path,
                QStringLiteral("%1 must be finite and non-zero, not %2")
                    .arg(quoted(kScale), formatNumber(spec.scaling.scale)));
        }
        spec.scaling.offset = number(kOffset, 0.0);
        if (!std::isfinite(spec.scaling.offset)) {
            fail(m_path,
                QStringLiteral("%1 must be finite, not %2")
                    .arg(quoted(kOffset), formatNumber(spec.scaling.offset)));
        }
        spec.units = string(kUnits, QString());
        return spec;
    }

    const QString &path() const noexcept { return m_path; }

private:
    QString string(const QString &key, const QString &fallback) const
    {
        const auto it = m_table.constFind(key);
        if (it == m_table.cend())
            return fallback;
        if (it->typeId() != QMetaType::QString) {
            fail(m_path,
                QStringLiteral("%1 must be a string, not %2").arg(quoted(key), describeType(*it)));
        }
        return it->toString();
    }

    QString choice(const QString &key, const QString &fallback, const QStringList &options) const
    {
        QString value = string(key, fallback);
        if (!options.contains(value)) {
            fail(m_path,
                QStringLiteral("%1 must be %2, not %3%4")
                    .arg(quoted(key),
                        options.size() == 2
                            ? QStringLiteral("%1 or %2").arg(quoted(options[0]), quoted(options[1]))
                            : QStringLiteral("one of ") + quotedList(options),
                        quoted(value), didYouMean(value, options)));
        }
        return value;
    }

    double number(const QString &key, double fallback) const
    {
        const auto it = m_table.constFind(key);
        if (it == m_table.cend())
            return fallback;
        if (!isInteger(*it) && !isFloat(*it)) {
            fail(m_path,
                QStringLiteral("%1 must be a number, not %2").arg(quoted(key), describeType(*it)));
        }
        return it->toDouble();
    }

    const QVariantMap &m_table;
    QString m_path;
};

QVariantMap tableOf(const QVariant &value, const QString &path)
{
    if (!isTable(value)) {
        fail(path,
            QStringLiteral("must be a table such as { address = 0 }, not %1")
                .arg(describeType(value)));
    }
    return value.toMap();
}

} // namespace

QString toString(Table table)
{
    return table == Table::Input ? QStringLiteral("input") : QStringLiteral("holding");
}

QList<RegisterSpec> parseChannels(const QVariantMap &channels, const QString &where)
{
    QList<RegisterSpec> specs;
    specs.reserve(channels.size());
    for (auto it = channels.cbegin(); it != channels.cend(); ++it) {
        const QString path = keyPath(where, it.key());
        if (it.key().trimmed().isEmpty())
            fail(path, QStringLiteral("a channel needs a name"));
        const QVariantMap table = tableOf(it.value(), path);
        specs << SpecReader(table, path).read(it.key());
    }
    return specs;
}

std::optional<RegisterSpec> parseSetpoint(const QVariantMap &setpoint, const QString &where)
{
    if (setpoint.isEmpty())
        return std::nullopt;
    RegisterSpec spec = SpecReader(setpoint, where).read(where);
    if (spec.table != Table::Holding) {
        fail(where,
            QStringLiteral("\"table\" must be \"holding\" (input registers are read-only), not %1")
                .arg(quoted(toString(spec.table))));
    }
    return spec;
}

QMap<QString, quint16> parseLines(const QVariantMap &lines, const QString &where)
{
    QMap<QString, quint16> result;
    for (auto it = lines.cbegin(); it != lines.cend(); ++it) {
        const QString path = keyPath(where, it.key());
        if (it.key().trimmed().isEmpty())
            fail(path, QStringLiteral("a line needs a name"));
        result.insert(it.key(), readAddress(it.value(), path, QStringLiteral("the address")));
    }
    return result;
}

} // namespace Benchtop::Modbus
