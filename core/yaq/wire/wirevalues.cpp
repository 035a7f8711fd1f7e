// SPDX-License-Identifier: MIT
#include "wirevalues.h"

#include "avroschema.h"
#include "yaqerror.h"

#include <QtEndian>

#include <cstring>

namespace Benchtop::Yaq {

namespace {

bool isNdarray(const Schema &schema)
{
    return schema.type == Schema::Type::Record
        && (schema.name == QLatin1String("ndarray")
            || schema.name.endsWith(QLatin1String(".ndarray")));
}

bool isList(const QVariant &value)
{
    return value.typeId() == QMetaType::QVariantList;
}

/// [1, 2, 3] → shape [3]; [[1, 2], [3, 4]] → shape [2, 2]; anything else: not an array.
QVariant ndarrayOf(const QVariantList &list)
{
    QVariantList shape;
    QList<double> numbers;
    const bool nested = !list.isEmpty() && isList(list.first());
    if (nested) {
        const qsizetype columns = list.first().toList().size();
        shape = {qint64(list.size()), qint64(columns)};
        for (const QVariant &row : list) {
            const QVariantList items = row.toList();
            if (!isList(row) || items.size() != columns)
                return {};
            for (const QVariant &item : items)
                numbers << item.toDouble();
        }
    } else {
        shape = {qint64(list.size())};
        for (const QVariant &item : list)
            numbers << item.toDouble();
    }
    QByteArray data(numbers.size() * 8, Qt::Uninitialized);
    for (qsizetype i = 0; i < numbers.size(); ++i)
        qToLittleEndian(numbers[i], data.data() + i * 8);
    return QVariantMap{{QStringLiteral("shape"), shape},
        {QStringLiteral("typestr"), QStringLiteral("<f8")}, {QStringLiteral("data"), data},
        {QStringLiteral("version"), qint64(1)}};
}

/// One element of `typestr` (numpy's array interface: byte order, kind, size) at `at`.
std::optional<double> element(const QString &typestr, const char *at)
{
    const QChar order = typestr.at(0);
    const bool little = order == QLatin1Char('<') || order == QLatin1Char('|')
        || (order == QLatin1Char('=') && QSysInfo::ByteOrder == QSysInfo::LittleEndian);
    auto read = [&](auto tag) {
        using T = decltype(tag);
        T v;
        std::memcpy(&v, at, sizeof v);
        return double(little ? qFromLittleEndian(v) : qFromBigEndian(v));
    };
    const QStringView kind = QStringView(typestr).mid(1);
    if (kind == u"f8") {
        quint64 bits = little ? qFromLittleEndian<quint64>(at) : qFromBigEndian<quint64>(at);
        double v;
        std::memcpy(&v, &bits, 8);
        return v;
    }
    if (kind == u"f4") {
        quint32 bits = little ? qFromLittleEndian<quint32>(at) : qFromBigEndian<quint32>(at);
        float v;
        std::memcpy(&v, &bits, 4);
        return double(v);
    }
    if (kind == u"i1")
        return double(qint8(*at));
    if (kind == u"u1")
        return double(quint8(*at));
    if (kind == u"i2")
        return read(qint16());
    if (kind == u"u2")
        return read(quint16());
    if (kind == u"i4")
        return read(qint32());
    if (kind == u"u4")
        return read(quint32());
    if (kind == u"i8")
        return read(qint64());
    if (kind == u"u8")
        return read(quint64());
    return std::nullopt;
}

qsizetype elementSize(const QString &typestr)
{
    bool ok = false;
    const int size = typestr.mid(2).toInt(&ok);
    return ok ? size : 0;
}

QVariant listOf(const QVariantMap &array)
{
    const QString typestr = array.value(QStringLiteral("typestr")).toString();
    const QByteArray data = array.value(QStringLiteral("data")).toByteArray();
    const QVariantList shapeList = array.value(QStringLiteral("shape")).toList();
    const qsizetype size = elementSize(typestr);
    if (typestr.size() < 3 || size <= 0 || !element(typestr, QByteArray(8, 0).constData()))
        throw ProtocolError(QStringLiteral("ndarray: typestr \"%1\" is not one Benchtop reads "
                                           "(<f8, <f4, <i1 … <u8)")
                                .arg(typestr));
    qint64 count = 1;
    QList<qint64> shape;
    for (const QVariant &n : shapeList) {
        shape << n.toLongLong();
        if (shape.last() < 0 || shape.last() > data.size())
            throw ProtocolError(QStringLiteral("ndarray: shape has %1").arg(shape.last()));
        count *= std::max<qint64>(shape.last(), 1);
        if (count > data.size())
            break;
    }
    for (qint64 n : shape) {
        if (n == 0)
            count = 0;
    }
    if (shape.size() > 2 || count * size != data.size()) {
        throw ProtocolError(
            QStringLiteral("ndarray: %1 bytes of %2 do not make shape [%3]")
                .arg(data.size())
                .arg(typestr, QVariant(shapeList).toStringList().join(QLatin1Char(','))));
    }
    QVariantList flat;
    flat.reserve(count);
    for (qint64 i = 0; i < count; ++i)
        flat << *element(typestr, data.constData() + i * size);
    if (shape.size() < 2)
        return flat;
    QVariantList rows;
    for (qint64 r = 0; r < shape[0]; ++r)
        rows << QVariant(flat.mid(r * shape[1], shape[1]));
    return rows;
}

bool looksLikeNdarray(const QVariantMap &map)
{
    return map.size() == 4 && map.contains(QStringLiteral("shape"))
        && map.contains(QStringLiteral("typestr")) && map.contains(QStringLiteral("data"))
        && map.contains(QStringLiteral("version"));
}

} // namespace

QVariant toWire(const QVariant &value, const Schema &schema)
{
    switch (schema.type) {
    case Schema::Type::Record:
        if (isNdarray(schema) && isList(value)) {
            const QVariant array = ndarrayOf(value.toList());
            return array.isValid() ? array : value;
        }
        return value;
    case Schema::Type::Map: {
        if (value.typeId() != QMetaType::QVariantMap)
            return value;
        QVariantMap map = value.toMap();
        for (auto it = map.begin(); it != map.end(); ++it)
            *it = toWire(*it, *schema.values);
        return map;
    }
    case Schema::Type::Array: {
        if (!isList(value))
            return value;
        QVariantList list = value.toList();
        for (QVariant &item : list)
            item = toWire(item, *schema.items);
        return list;
    }
    case Schema::Type::Union: {
        // A list goes to an array branch if there is one, else to an ndarray; a map to a map.
        const Schema *ndarray = nullptr;
        for (const Schema *branch : schema.branches) {
            if (isList(value) && branch->type == Schema::Type::Array)
                return toWire(value, *branch);
            if (value.typeId() == QMetaType::QVariantMap && branch->type == Schema::Type::Map)
                return toWire(value, *branch);
            if (isNdarray(*branch))
                ndarray = branch;
        }
        return ndarray ? toWire(value, *ndarray) : value;
    }
    default:
        return value;
    }
}

QVariant fromWire(const QVariant &value)
{
    if (value.typeId() == QMetaType::QVariantMap) {
        QVariantMap map = value.toMap();
        if (looksLikeNdarray(map))
            return listOf(map);
        for (auto it = map.begin(); it != map.end(); ++it)
            *it = fromWire(*it);
        return map;
    }
    if (isList(value)) {
        QVariantList list = value.toList();
        for (QVariant &item : list)
            item = fromWire(item);
        return list;
    }
    return value;
}

} // namespace Benchtop::Yaq
