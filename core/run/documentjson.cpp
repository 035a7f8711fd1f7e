// SPDX-License-Identifier: MIT
#include "run/documentjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <QLocale>

#include <cmath>

namespace Benchtop::Run {

namespace {

QJsonValue toJson(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QList<double>>()) {
        QJsonArray array;
        for (double x : *static_cast<const QList<double> *>(value.constData()))
            array.append(x);
        return array;
    }
    if (value.metaType() == QMetaType::fromType<std::vector<double>>()) {
        QJsonArray array;
        for (double x : *static_cast<const std::vector<double> *>(value.constData()))
            array.append(x);
        return array;
    }
    if (value.metaType().id() == QMetaType::Double && !std::isfinite(value.toDouble()))
        return QJsonValue(); // JSON has no NaN; null reads back as an invalid value (NaN)
    if (value.metaType().id() == QMetaType::QVariantMap) {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), toJson(it.value()));
        return object;
    }
    if (value.metaType().id() == QMetaType::QVariantList) {
        QJsonArray array;
        for (const QVariant &item : value.toList())
            array.append(toJson(item));
        return array;
    }
    return QJsonValue::fromVariant(value);
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonArray ints(const QList<int> &list)
{
    QJsonArray array;
    for (int x : list)
        array.append(x);
    return array;
}

QStringList toStrings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

QList<int> toInts(const QJsonValue &value)
{
    QList<int> list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toInt());
    return list;
}

QVariant fromJson(const QJsonValue &value)
{
    if (value.isDouble()) {
        // Whole numbers that JSON wrote without a point come back as integers.
        const double x = value.toDouble();
        if (std::trunc(x) == x && std::abs(x) < 9.0e15)
            return QVariant(qint64(x));
        return QVariant(x);
    }
    if (value.isNull() || value.isUndefined())
        return QVariant();
    return value.toVariant();
}

QJsonObject toJson(const QVariantMap &map)
{
    return toJson(QVariant(map)).toObject();
}

QJsonArray named(const char *name, const QJsonObject &object)
{
    return QJsonArray{QString::fromLatin1(name), object};
}

} // namespace

QJsonArray documentToJson(const Document &document)
{
    if (const auto *e = std::get_if<Event>(&document)) {
        QJsonArray data;
        for (const QVariant &value : e->data)
            data.append(toJson(value));
        QJsonArray timestamps;
        for (double t : e->timestamps)
            timestamps.append(t);
        QJsonObject object{{QStringLiteral("descriptor"), e->descriptor},
            {QStringLiteral("seq_num"), e->seqNum}, {QStringLiteral("time"), e->time},
            {QStringLiteral("data"), data}, {QStringLiteral("timestamps"), timestamps}};
        if (!e->gridIndex.empty()) {
            QJsonArray grid;
            for (int i : e->gridIndex)
                grid.append(i);
            object.insert(QStringLiteral("grid_index"), grid);
        }
        return named("event", object);
    }
    if (const auto *s = std::get_if<RunStart>(&document)) {
        return named("start",
            {{QStringLiteral("uid"), s->uid}, {QStringLiteral("scan_id"), s->scanId},
                {QStringLiteral("time"), s->time}, {QStringLiteral("plan_kind"), s->planKind},
                {QStringLiteral("plan_path"), s->planPath},
                {QStringLiteral("plan_text"), QString::fromUtf8(s->planText)},
                {QStringLiteral("lab_path"), s->labPath},
                {QStringLiteral("lab_text"), QString::fromUtf8(s->labText)},
                {QStringLiteral("metadata"), toJson(s->metadata)},
                {QStringLiteral("shape"), ints(s->shape)},
                {QStringLiteral("axes"), strings(s->axes)},
                {QStringLiteral("detectors"), strings(s->detectors)},
                {QStringLiteral("expected_points"), s->expectedPoints},
                {QStringLiteral("program"), s->program},
                {QStringLiteral("program_version"), s->programVersion}});
    }
    if (const auto *d = std::get_if<Descriptor>(&document)) {
        QJsonArray keys;
        for (const DataKey &key : d->dataKeys) {
            keys.append(QJsonObject{{QStringLiteral("name"), key.name},
                {QStringLiteral("dtype"), key.dtype}, {QStringLiteral("shape"), ints(key.shape)},
                {QStringLiteral("units"), key.units}, {QStringLiteral("source"), key.source},
                {QStringLiteral("device"), key.device}, {QStringLiteral("role"), key.role},
                {QStringLiteral("choices"), strings(key.choices)}});
        }
        QJsonArray configuration;
        for (const DeviceConfiguration &device : d->configuration) {
            configuration.append(QJsonObject{{QStringLiteral("name"), device.name},
                {QStringLiteral("driver"), device.driver},
                {QStringLiteral("traits"), strings(device.traits)},
                {QStringLiteral("config"), toJson(device.config)},
                {QStringLiteral("state"), toJson(device.state)},
                {QStringLiteral("identity"), toJson(device.identity)}});
        }
        return named("descriptor",
            {{QStringLiteral("uid"), d->uid}, {QStringLiteral("run_start"), d->runStart},
                {QStringLiteral("name"), d->name}, {QStringLiteral("time"), d->time},
                {QStringLiteral("data_keys"), keys},
                {QStringLiteral("configuration"), configuration}});
    }
    if (const auto *s = std::get_if<Suspension>(&document)) {
        return named("suspension",
            {{QStringLiteral("run_start"), s->runStart}, {QStringLiteral("start"), s->start},
                {QStringLiteral("end"), s->end}, {QStringLiteral("device"), s->device},
                {QStringLiteral("reason"), s->reason}});
    }
    const auto &stop = std::get<RunStop>(document);
    return named("stop",
        {{QStringLiteral("uid"), stop.uid}, {QStringLiteral("run_start"), stop.runStart},
            {QStringLiteral("time"), stop.time}, {QStringLiteral("exit_status"), stop.exitStatus},
            {QStringLiteral("reason"), stop.reason},
            {QStringLiteral("num_events"), stop.numEvents}});
}

std::optional<Document> documentFromJson(const QJsonArray &json, QString *error)
{
    if (json.size() != 2 || !json[0].isString() || !json[1].isObject()) {
        if (error)
            *error = QStringLiteral("not a document: expected [name, {fields}]");
        return std::nullopt;
    }
    const QString name = json[0].toString();
    const QJsonObject o = json[1].toObject();
    auto str = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    auto num = [&o](const char *key) { return o.value(QLatin1String(key)).toDouble(); };
    auto integer = [&o](const char *key) { return qint64(o.value(QLatin1String(key)).toDouble()); };
    if (name == QLatin1String("event")) {
        Event e;
        e.descriptor = str("descriptor");
        e.seqNum = integer("seq_num");
        e.time = num("time");
        for (const QJsonValue &value : o.value(QLatin1String("data")).toArray())
            e.data.push_back(fromJson(value));
        for (const QJsonValue &value : o.value(QLatin1String("timestamps")).toArray())
            e.timestamps.push_back(value.toDouble());
        for (const QJsonValue &value : o.value(QLatin1String("grid_index")).toArray())
            e.gridIndex.push_back(value.toInt());
        return e;
    }
    if (name == QLatin1String("start")) {
        RunStart s;
        s.uid = str("uid");
        s.scanId = integer("scan_id");
        s.time = num("time");
        s.planKind = str("plan_kind");
        s.planPath = str("plan_path");
        s.planText = str("plan_text").toUtf8();
        s.labPath = str("lab_path");
        s.labText = str("lab_text").toUtf8();
        s.metadata = o.value(QLatin1String("metadata")).toObject().toVariantMap();
        s.shape = toInts(o.value(QLatin1String("shape")));
        s.axes = toStrings(o.value(QLatin1String("axes")));
        s.detectors = toStrings(o.value(QLatin1String("detectors")));
        s.expectedPoints = integer("expected_points");
        s.program = str("program");
        s.programVersion = str("program_version");
        return s;
    }
    if (name == QLatin1String("descriptor")) {
        Descriptor d;
        d.uid = str("uid");
        d.runStart = str("run_start");
        d.name = str("name");
        d.time = num("time");
        for (const QJsonValue &value : o.value(QLatin1String("data_keys")).toArray()) {
            const QJsonObject k = value.toObject();
            DataKey key;
            key.name = k.value(QLatin1String("name")).toString();
            key.dtype = k.value(QLatin1String("dtype")).toString();
            key.shape = toInts(k.value(QLatin1String("shape")));
            key.units = k.value(QLatin1String("units")).toString();
            key.source = k.value(QLatin1String("source")).toString();
            key.device = k.value(QLatin1String("device")).toString();
            key.role = k.value(QLatin1String("role")).toString();
            key.choices = toStrings(k.value(QLatin1String("choices")));
            d.dataKeys.append(key);
        }
        for (const QJsonValue &value : o.value(QLatin1String("configuration")).toArray()) {
            const QJsonObject c = value.toObject();
            DeviceConfiguration device;
            device.name = c.value(QLatin1String("name")).toString();
            device.driver = c.value(QLatin1String("driver")).toString();
            device.traits = toStrings(c.value(QLatin1String("traits")));
            device.config = c.value(QLatin1String("config")).toObject().toVariantMap();
            device.state = c.value(QLatin1String("state")).toObject().toVariantMap();
            device.identity = c.value(QLatin1String("identity")).toObject().toVariantMap();
            d.configuration.append(device);
        }
        return d;
    }
    if (name == QLatin1String("suspension")) {
        Suspension s;
        s.runStart = str("run_start");
        s.start = num("start");
        s.end = num("end");
        s.device = str("device");
        s.reason = str("reason");
        return s;
    }
    if (name == QLatin1String("stop")) {
        RunStop s;
        s.uid = str("uid");
        s.runStart = str("run_start");
        s.time = num("time");
        s.exitStatus = str("exit_status");
        s.reason = str("reason");
        s.numEvents = integer("num_events");
        return s;
    }
    if (error)
        *error = QStringLiteral("unknown document \"%1\"").arg(name);
    return std::nullopt;
}

namespace {

void appendJsonString(QByteArray &out, const QString &text)
{
    out.append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(c);
        } else if (u < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out.append("\\u00");
            out.append(hex[u >> 4]);
            out.append(hex[u & 0xF]);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

void appendJsonNumber(QByteArray &out, double x)
{
    if (std::isfinite(x))
        out.append(QByteArray::number(x, 'g', QLocale::FloatingPointShortest));
    else
        out.append("null");
}

void appendJsonValue(QByteArray &out, const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::Double:
    case QMetaType::Float:
        appendJsonNumber(out, value.toDouble());
        return;
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
        out.append(QByteArray::number(value.toLongLong()));
        return;
    case QMetaType::Bool:
        out.append(value.toBool() ? "true" : "false");
        return;
    case QMetaType::QString:
        appendJsonString(out, value.toString());
        return;
    case QMetaType::UnknownType:
        out.append("null");
        return;
    default:
        break;
    }
    if (value.metaType() == QMetaType::fromType<QList<double>>()) {
        out.append('[');
        bool first = true;
        for (double x : *static_cast<const QList<double> *>(value.constData())) {
            if (!first)
                out.append(',');
            first = false;
            appendJsonNumber(out, x);
        }
        out.append(']');
        return;
    }
    // Anything else as Qt writes it: a one-element array, without its brackets.
    const QByteArray json = QJsonDocument(QJsonArray{toJson(value)}).toJson(QJsonDocument::Compact);
    out.append(json.mid(1, json.size() - 2));
}

} // namespace

QByteArray documentToJsonLine(const Document &document)
{
    // Events are most of a journal (100,000 a second): written directly rather than through
    // QJsonDocument, which builds and frees a tree per line. The same JSON either way.
    if (const auto *e = std::get_if<Event>(&document)) {
        QByteArray line;
        line.reserve(128 + qsizetype(e->data.size()) * 24);
        line.append("[\"event\",{\"descriptor\":");
        appendJsonString(line, e->descriptor);
        line.append(",\"seq_num\":");
        line.append(QByteArray::number(e->seqNum));
        line.append(",\"time\":");
        appendJsonNumber(line, e->time);
        line.append(",\"data\":[");
        for (size_t i = 0; i < e->data.size(); ++i) {
            if (i > 0)
                line.append(',');
            appendJsonValue(line, e->data[i]);
        }
        line.append("],\"timestamps\":[");
        for (size_t i = 0; i < e->timestamps.size(); ++i) {
            if (i > 0)
                line.append(',');
            appendJsonNumber(line, e->timestamps[i]);
        }
        line.append(']');
        if (!e->gridIndex.empty()) {
            line.append(",\"grid_index\":[");
            for (size_t i = 0; i < e->gridIndex.size(); ++i) {
                if (i > 0)
                    line.append(',');
                line.append(QByteArray::number(e->gridIndex[i]));
            }
            line.append(']');
        }
        line.append("}]\n");
        return line;
    }
    QByteArray line = QJsonDocument(documentToJson(document)).toJson(QJsonDocument::Compact);
    line.append('\n');
    return line;
}

std::optional<Document> documentFromJsonLine(const QByteArray &line, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(line.trimmed(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !json.isArray()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                  : QStringLiteral("not an array");
        return std::nullopt;
    }
    return documentFromJson(json.array(), error);
}

} // namespace Benchtop::Run
