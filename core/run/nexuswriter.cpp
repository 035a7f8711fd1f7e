// SPDX-License-Identifier: MIT
#include "run/nexuswriter.h"

#include "run/hdf5/h5dataset.h"
#include "run/hdf5/h5error.h"
#include "run/hdf5/h5file.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSet>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

namespace Benchtop::Run {

namespace {

using H5::ElementType;

// Fixed-length strings: what is rewritten after SWMR starts (end fields) and per-row strings
// without a list of choices (variable-length appends break SWMR readers on HDF5 1.10.8).
constexpr int kTimeBytes = 40;
constexpr int kStatusBytes = 16;
constexpr int kReasonBytes = 512;
constexpr int kDeviceBytes = 64;
constexpr int kStringBytes = 256;

QString nodeName(QString name)
{
    name.replace(QLatin1Char('/'), QLatin1Char('_'));
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        name = QStringLiteral("_") + name;
    return name;
}

/// A data key's dataset: its name as a node name, kept clear of the stream's own datasets.
QString columnName(const QString &key)
{
    QString name = nodeName(key);
    if (name == QLatin1String("seq_num") || name == QLatin1String("time"))
        name += QStringLiteral("_value");
    return name;
}

QString isoTime(double unixSeconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(unixSeconds * 1000.0)), Qt::UTC)
        .toString(Qt::ISODateWithMs);
}

QString streamGroupName(const QString &stream)
{
    if (stream == QLatin1String("primary"))
        return QStringLiteral("data");
    return nodeName(stream);
}

ElementType columnType(const DataKey &key)
{
    if (key.dtype == QLatin1String("integer"))
        return ElementType::int64();
    if (key.dtype == QLatin1String("boolean"))
        return ElementType::int8();
    if (key.dtype == QLatin1String("string"))
        return key.choices.isEmpty() ? ElementType::fixedString(kStringBytes)
                                     : ElementType::int32();
    return ElementType::float64();
}

template<typename T>
void put(std::vector<char> &buffer, T value)
{
    const size_t at = buffer.size();
    buffer.resize(at + sizeof(T));
    std::memcpy(buffer.data() + at, &value, sizeof(T));
}

double toNumber(const QVariant &value)
{
    bool ok = false;
    const double number = value.toDouble(&ok);
    return ok ? number : std::numeric_limits<double>::quiet_NaN();
}

struct Column {
    DataKey key;
    H5::Dataset dataset;
    ElementType type;
    qint64 elements = 1;
    QHash<QString, qint32> choiceIndex;
    std::vector<char> buffer;

    void push(const QVariant &value)
    {
        switch (type.base) {
        case ElementType::Base::Float64:
            if (elements == 1 && key.dtype != QLatin1String("array"))
                put(buffer, toNumber(value));
            else
                pushArray(value);
            break;
        case ElementType::Base::Int64:
            put(buffer, qint64(value.toLongLong()));
            break;
        case ElementType::Base::Int8:
            put(buffer, qint8(value.toBool() ? 1 : 0));
            break;
        case ElementType::Base::Int32:
            put(buffer, choiceIndex.value(value.toString(), -1));
            break;
        case ElementType::Base::FixedString: {
            QByteArray bytes(type.stringBytes, '\0');
            const QByteArray utf8 = value.toString().toUtf8();
            qsizetype length = std::min(utf8.size(), bytes.size());
            while (length > 0 && length < utf8.size() && (uchar(utf8[length]) & 0xC0) == 0x80)
                --length;
            std::copy_n(utf8.constData(), length, bytes.data());
            buffer.insert(buffer.end(), bytes.constBegin(), bytes.constEnd());
            break;
        }
        }
    }

    void pushArray(const QVariant &value)
    {
        qint64 filled = 0;
        if (value.metaType() == QMetaType::fromType<QList<double>>()) {
            const auto &list = *static_cast<const QList<double> *>(value.constData());
            for (; filled < elements && filled < list.size(); ++filled)
                put(buffer, list[filled]);
        } else if (value.metaType() == QMetaType::fromType<std::vector<double>>()) {
            const auto &list = *static_cast<const std::vector<double> *>(value.constData());
            for (; filled < elements && size_t(filled) < list.size(); ++filled)
                put(buffer, list[size_t(filled)]);
        } else if (value.canConvert<QVariantList>()) {
            const QVariantList list = value.toList();
            for (; filled < elements && filled < list.size(); ++filled)
                put(buffer, toNumber(list[filled]));
        } else if (elements == 1) {
            put(buffer, toNumber(value));
            filled = 1;
        }
        for (; filled < elements; ++filled)
            put(buffer, std::numeric_limits<double>::quiet_NaN());
    }
};

struct Stream {
    Descriptor descriptor;
    bool primary = false;
    H5::Node group;
    std::vector<Column> columns;
    H5::Dataset seqNum;
    H5::Dataset time;
    std::vector<H5::Dataset> gridIndex;
    std::vector<qint64> seqBuffer;
    std::vector<double> timeBuffer;
    std::vector<std::vector<qint32>> gridBuffer;
    qint64 written = 0; ///< rows in the file
    qint64 lastSeq = 0; ///< the last seq_num taken, written or not
    qint64 pending() const { return qint64(seqBuffer.size()); }
};

void writeValue(H5::Node &group, const QString &key, const QVariant &value);

void writeMap(H5::Node &group, const QVariantMap &map)
{
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        writeValue(group, nodeName(it.key()), it.value());
}

void writeValue(H5::Node &group, const QString &name, const QVariant &value)
{
    if (group.has(name))
        return;
    switch (value.metaType().id()) {
    case QMetaType::Bool:
        group.createScalar(name, qint64(value.toBool() ? 1 : 0));
        return;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
        group.createScalar(name, qint64(value.toLongLong()));
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        group.createScalar(name, value.toDouble());
        return;
    case QMetaType::QString:
    case QMetaType::QByteArray:
        group.createString(name, value.toString());
        return;
    case QMetaType::QVariantMap: {
        H5::Node child = group.createGroup(name, QStringLiteral("NXcollection"));
        writeMap(child, value.toMap());
        return;
    }
    case QMetaType::QStringList:
        group.createStrings(name, value.toStringList());
        return;
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        bool numbers = !list.isEmpty();
        bool strings = !list.isEmpty();
        for (const QVariant &item : list) {
            const int id = item.metaType().id();
            numbers = numbers
                && (id == QMetaType::Double || id == QMetaType::Int || id == QMetaType::LongLong
                    || id == QMetaType::Float || id == QMetaType::UInt);
            strings = strings && id == QMetaType::QString;
        }
        if (numbers) {
            std::vector<double> values;
            for (const QVariant &item : list)
                values.push_back(item.toDouble());
            H5::Dataset dataset = group.createAppendable(name, ElementType::float64());
            dataset.append(values.data(), qint64(values.size()));
        } else if (strings) {
            group.createStrings(name, value.toStringList());
        } else {
            group.createString(name,
                QString::fromUtf8(QJsonDocument::fromVariant(list).toJson(QJsonDocument::Compact)));
        }
        return;
    }
    default:
        group.createString(name, value.toString());
        return;
    }
}

} // namespace

struct NexusWriter::Private {
    QString path;
    Mode mode = Mode::Create;
    H5::File file;
    std::optional<RunStart> start;
    H5::Node entry;
    std::vector<std::unique_ptr<Stream>> streams;
    QHash<QString, Stream *> byUid;
    Stream *primary = nullptr;
    bool instrumentWritten = false;
    bool closed = false;
    qint64 committed = 0;
    QStringList problems;
    QSet<QString> refusedDescriptors;

    H5::Node suspensionsGroup;
    H5::Dataset suspensionStart, suspensionEnd, suspensionDevice, suspensionReason;
    std::vector<Suspension> pendingSuspensions;

    H5::Dataset endTime, duration, exitStatus, exitReason, numPoints;

    void runStart(const RunStart &document);
    void descriptor(const Descriptor &document);
    void event(const Event &document);
    void runStop(const RunStop &document);
    void writeInstrument(const QList<DeviceConfiguration> &devices);
    std::unique_ptr<Stream> createStream(const Descriptor &document, bool primary);
    std::unique_ptr<Stream> openStream(const Descriptor &document, bool primary);
    bool writeValues(Stream &stream);
    void writeSeqNums(Stream &stream);
    bool writeSuspensions();
    void openEndFields();
};

NexusWriter::NexusWriter(const QString &path, Mode mode)
    : d(std::make_unique<Private>())
{
    d->path = path;
    d->mode = mode;
    d->file = mode == Mode::Create ? H5::File::create(path)
                                   : H5::File::openForWriting(path, H5::File::Status::Clear);
}

NexusWriter::~NexusWriter() = default;

QString NexusWriter::path() const
{
    return d->path;
}

void NexusWriter::add(const Document &document)
{
    if (d->closed)
        return;
    if (const auto *event = std::get_if<Event>(&document))
        d->event(*event);
    else if (const auto *start = std::get_if<RunStart>(&document))
        d->runStart(*start);
    else if (const auto *descriptor = std::get_if<Descriptor>(&document))
        d->descriptor(*descriptor);
    else if (const auto *suspension = std::get_if<Suspension>(&document))
        d->pendingSuspensions.push_back(*suspension);
    else if (const auto *stop = std::get_if<RunStop>(&document)) {
        flush();
        d->runStop(*stop);
        if (d->numPoints.isValid())
            d->numPoints.write(committed());
        // The end fields flushed while the file is still open in SWMR mode, so that a reader
        // polling them sees them as soon as it refreshes, not only once the file is closed.
        d->file.flush();
        close();
    }
}

bool NexusWriter::hasPending() const
{
    if (!d->pendingSuspensions.empty())
        return true;
    for (const auto &stream : d->streams) {
        if (stream->pending() > 0)
            return true;
    }
    return false;
}

void NexusWriter::flush()
{
    if (d->closed)
        return;
    if (!d->file.isSwmr() && d->primary && d->primary->pending() > 0)
        d->file.startSwmrWrite();
    bool any = d->writeSuspensions();
    // Every value first, flushed; then the seq_nums, the commit marker, flushed again. One
    // flush would not do: H5Fflush writes the metadata of the datasets (their extents) in an
    // order of its own and in pieces, so a process killed inside it was seen (here, 2 of 20
    // kills) to leave seq_num longer than `time`.
    for (const auto &stream : d->streams)
        any = d->writeValues(*stream) || any;
    if (!any)
        return;
    d->file.flush();
    for (const auto &stream : d->streams)
        d->writeSeqNums(*stream);
    d->file.flush();
    if (d->primary)
        d->committed = d->primary->written;
}

void NexusWriter::close()
{
    if (d->closed)
        return;
    flush();
    d->closed = true;
    // Datasets and groups are closed before the file so that H5Fclose does the final flush.
    d->streams.clear();
    d->byUid.clear();
    d->primary = nullptr;
    d->entry = {};
    d->suspensionsGroup = {};
    d->suspensionStart = {};
    d->suspensionEnd = {};
    d->suspensionDevice = {};
    d->suspensionReason = {};
    d->endTime = {};
    d->duration = {};
    d->exitStatus = {};
    d->exitReason = {};
    d->numPoints = {};
    d->file.close();
}

bool NexusWriter::isClosed() const
{
    return d->closed;
}

qint64 NexusWriter::committed() const
{
    return d->committed;
}

QStringList NexusWriter::takeProblems()
{
    return std::exchange(d->problems, {});
}

void NexusWriter::Private::runStart(const RunStart &document)
{
    start = document;
    if (mode == Mode::Continue) {
        entry = file.openGroup(QStringLiteral("entry"));
        suspensionsGroup = entry.openGroup(QStringLiteral("suspensions"));
        suspensionStart = suspensionsGroup.openDataset(QStringLiteral("start"));
        suspensionEnd = suspensionsGroup.openDataset(QStringLiteral("end"));
        suspensionDevice = suspensionsGroup.openDataset(QStringLiteral("device"));
        suspensionReason = suspensionsGroup.openDataset(QStringLiteral("reason"));
        openEndFields();
        return;
    }
    file.setAttribute(QStringLiteral("NX_class"), QStringLiteral("NXroot"));
    file.setAttribute(QStringLiteral("default"), QStringLiteral("entry"));
    file.setAttribute(QStringLiteral("file_name"), path);
    file.setAttribute(QStringLiteral("file_time"), isoTime(document.time));
    file.setAttribute(QStringLiteral("creator"), document.program);
    file.setAttribute(QStringLiteral("creator_version"), document.programVersion);
    file.setAttribute(QStringLiteral("HDF5_Version"), H5::File::libraryVersion());

    entry = file.createGroup(QStringLiteral("entry"), QStringLiteral("NXentry"));
    entry.setAttribute(QStringLiteral("default"), QStringLiteral("data"));
    const QString sample = document.metadata.value(QStringLiteral("sample")).toString();
    QString title = document.metadata.value(QStringLiteral("title")).toString();
    if (title.isEmpty())
        title = QStringLiteral("%1 %2 %3")
                    .arg(document.scanId)
                    .arg(document.planKind, sample)
                    .trimmed();
    entry.createString(QStringLiteral("title"), title);
    entry.createString(QStringLiteral("start_time"), isoTime(document.time));
    H5::Dataset program = entry.createString(QStringLiteral("program_name"), document.program);
    program.setAttribute(QStringLiteral("version"), document.programVersion);
    entry.createString(QStringLiteral("entry_identifier"), document.uid);
    entry.createScalar(QStringLiteral("scan_id"), document.scanId);
    entry.createString(QStringLiteral("plan_kind"), document.planKind);
    // The end fields, made now with "not ended" values: after SWMR starts nothing can be made.
    entry.createFixedString(QStringLiteral("end_time"), kTimeBytes, QString());
    H5::Dataset durationSet
        = entry.createScalar(QStringLiteral("duration"), std::numeric_limits<double>::quiet_NaN());
    durationSet.setAttribute(QStringLiteral("units"), QStringLiteral("s"));
    entry.createFixedString(QStringLiteral("exit_status"), kStatusBytes, QString());
    entry.createFixedString(QStringLiteral("exit_reason"), kReasonBytes, QString());
    entry.createScalar(QStringLiteral("num_points"), qint64(-1));
    openEndFields();

    H5::Node sampleGroup = entry.createGroup(QStringLiteral("sample"), QStringLiteral("NXsample"));
    sampleGroup.createString(QStringLiteral("name"), sample);
    H5::Node user = entry.createGroup(QStringLiteral("user"), QStringLiteral("NXuser"));
    user.createString(
        QStringLiteral("name"), document.metadata.value(QStringLiteral("operator")).toString());
    H5::Node metadata
        = entry.createGroup(QStringLiteral("metadata"), QStringLiteral("NXcollection"));
    writeMap(metadata, document.metadata);

    H5::Node plan = entry.createGroup(QStringLiteral("plan"), QStringLiteral("NXnote"));
    plan.createString(QStringLiteral("data"), document.planText);
    plan.createString(QStringLiteral("type"), QStringLiteral("application/toml"));
    plan.createString(QStringLiteral("file_name"), document.planPath);
    H5::Node lab = entry.createGroup(QStringLiteral("lab"), QStringLiteral("NXnote"));
    lab.createString(QStringLiteral("data"), document.labText);
    lab.createString(QStringLiteral("type"), QStringLiteral("application/toml"));
    lab.createString(QStringLiteral("file_name"), document.labPath);

    suspensionsGroup
        = entry.createGroup(QStringLiteral("suspensions"), QStringLiteral("NXcollection"));
    suspensionStart
        = suspensionsGroup.createAppendable(QStringLiteral("start"), ElementType::float64());
    suspensionStart.setAttribute(QStringLiteral("units"), QStringLiteral("s"));
    suspensionEnd
        = suspensionsGroup.createAppendable(QStringLiteral("end"), ElementType::float64());
    suspensionEnd.setAttribute(QStringLiteral("units"), QStringLiteral("s"));
    suspensionDevice = suspensionsGroup.createAppendable(
        QStringLiteral("device"), ElementType::fixedString(kDeviceBytes));
    suspensionReason = suspensionsGroup.createAppendable(
        QStringLiteral("reason"), ElementType::fixedString(kStringBytes));
}

void NexusWriter::Private::openEndFields()
{
    endTime = entry.openDataset(QStringLiteral("end_time"));
    duration = entry.openDataset(QStringLiteral("duration"));
    exitStatus = entry.openDataset(QStringLiteral("exit_status"));
    exitReason = entry.openDataset(QStringLiteral("exit_reason"));
    numPoints = entry.openDataset(QStringLiteral("num_points"));
}

void NexusWriter::Private::descriptor(const Descriptor &document)
{
    if (!start) {
        problems.append(
            QStringLiteral("%1: the stream \"%2\" came before the run's start; not written")
                .arg(path, document.name));
        return;
    }
    if (byUid.contains(document.uid))
        return;
    const bool isPrimary = document.name == QLatin1String("primary");
    if (file.isSwmr() || (isPrimary && primary)) {
        refusedDescriptors.insert(document.uid);
        problems.append(QStringLiteral("%1: the stream \"%2\" came after the file was opened to "
                                       "readers (SWMR); its events are not written to it")
                            .arg(path, document.name));
        return;
    }
    if (mode == Mode::Create && !instrumentWritten && !document.configuration.isEmpty())
        writeInstrument(document.configuration);
    auto stream = mode == Mode::Create ? createStream(document, isPrimary)
                                       : openStream(document, isPrimary);
    byUid.insert(document.uid, stream.get());
    if (isPrimary) {
        primary = stream.get();
        committed = primary->written; // continuing: the rows already in the file
    }
    streams.push_back(std::move(stream));
}

void NexusWriter::Private::writeInstrument(const QList<DeviceConfiguration> &devices)
{
    instrumentWritten = true;
    H5::Node instrument
        = entry.createGroup(QStringLiteral("instrument"), QStringLiteral("NXinstrument"));
    for (const DeviceConfiguration &device : devices) {
        const QString name = nodeName(device.name);
        if (instrument.has(name))
            continue;
        H5::Node group = instrument.createGroup(name, QStringLiteral("NXcollection"));
        group.createString(QStringLiteral("name"), device.name);
        group.createString(QStringLiteral("driver"), device.driver);
        group.createStrings(QStringLiteral("traits"), device.traits);
        H5::Node config
            = group.createGroup(QStringLiteral("config"), QStringLiteral("NXcollection"));
        writeMap(config, device.config);
        H5::Node state = group.createGroup(QStringLiteral("state"), QStringLiteral("NXcollection"));
        writeMap(state, device.state);
        H5::Node identity
            = group.createGroup(QStringLiteral("identity"), QStringLiteral("NXcollection"));
        writeMap(identity, device.identity);
    }
}

std::unique_ptr<Stream> NexusWriter::Private::createStream(
    const Descriptor &document, bool isPrimary)
{
    auto stream = std::make_unique<Stream>();
    stream->descriptor = document;
    stream->primary = isPrimary;
    const QString groupName = streamGroupName(document.name);
    stream->group = entry.createGroup(
        groupName, isPrimary ? QStringLiteral("NXdata") : QStringLiteral("NXcollection"));
    stream->group.setAttribute(QStringLiteral("stream"), document.name);
    stream->group.setAttribute(QStringLiteral("descriptor_uid"), document.uid);
    QStringList detectors;
    for (const DataKey &key : document.dataKeys) {
        Column column;
        column.key = key;
        column.type = columnType(key);
        const QList<int> shape = key.dtype == QLatin1String("array") ? key.shape : QList<int>{};
        for (int extent : shape)
            column.elements *= std::max(extent, 1);
        column.dataset = stream->group.createAppendable(columnName(key.name), column.type, shape);
        if (!key.units.isEmpty())
            column.dataset.setAttribute(QStringLiteral("units"), key.units);
        column.dataset.setAttribute(QStringLiteral("source"), key.source);
        column.dataset.setAttribute(QStringLiteral("long_name"), key.name);
        if (!key.choices.isEmpty()) {
            // Per-point strings as indices (-1: a value not in the list).
            column.dataset.setAttribute(QStringLiteral("choices"), key.choices);
            for (int i = 0; i < key.choices.size(); ++i)
                column.choiceIndex.insert(key.choices[i], i);
        }
        if (key.role == QLatin1String("detector"))
            detectors.append(columnName(key.name));
        stream->columns.push_back(std::move(column));
    }
    stream->seqNum
        = stream->group.createAppendable(QStringLiteral("seq_num"), ElementType::int64());
    stream->time = stream->group.createAppendable(QStringLiteral("time"), ElementType::float64());
    stream->time.setAttribute(QStringLiteral("units"), QStringLiteral("s"));
    stream->time.setAttribute(
        QStringLiteral("long_name"), QStringLiteral("seconds since 1970-01-01T00:00:00Z"));
    if (!isPrimary)
        return stream;

    QStringList axes;
    for (const QString &axis : start->axes) {
        if (stream->group.has(columnName(axis)))
            axes.append(columnName(axis));
    }
    if (axes.isEmpty())
        axes.append(QStringLiteral("seq_num"));
    QString signal;
    if (!detectors.isEmpty())
        signal = detectors.takeFirst();
    else {
        for (const Column &column : stream->columns) {
            if (!axes.contains(columnName(column.key.name))
                && column.type.base != ElementType::Base::FixedString) {
                signal = columnName(column.key.name);
                break;
            }
        }
    }
    if (signal.isEmpty())
        signal = QStringLiteral("seq_num");
    stream->group.setAttribute(QStringLiteral("signal"), signal);
    stream->group.setAttribute(QStringLiteral("axes"), axes);
    if (!detectors.isEmpty())
        stream->group.setAttribute(QStringLiteral("auxiliary_signals"), detectors);
    // Every axis varies along the point index (dimension 0): a grid is stored flat, in visit
    // order, and @scan_shape with the per-axis index datasets say how to reshape it.
    for (const QString &axis : axes)
        stream->group.setAttribute(axis + QStringLiteral("_indices"), qint64(0));
    if (start->shape.size() > 1) {
        QList<qint64> shape;
        for (int extent : start->shape)
            shape.append(extent);
        stream->group.setAttribute(QStringLiteral("scan_shape"), shape);
        for (int i = 0; i < start->shape.size(); ++i) {
            const QString axis = i < start->axes.size() ? columnName(start->axes[i])
                                                        : QStringLiteral("dim%1").arg(i);
            H5::Dataset index = stream->group.createAppendable(
                axis + QStringLiteral("_index"), ElementType::int32());
            index.setAttribute(QStringLiteral("long_name"),
                QStringLiteral("the point's index along %1 (dimension %2 of scan_shape)")
                    .arg(axis)
                    .arg(i));
            stream->gridIndex.push_back(std::move(index));
        }
        stream->gridBuffer.resize(size_t(start->shape.size()));
    }
    return stream;
}

std::unique_ptr<Stream> NexusWriter::Private::openStream(const Descriptor &document, bool isPrimary)
{
    auto stream = std::make_unique<Stream>();
    stream->descriptor = document;
    stream->primary = isPrimary;
    stream->group = entry.openGroup(streamGroupName(document.name));
    for (const DataKey &key : document.dataKeys) {
        Column column;
        column.key = key;
        column.type = columnType(key);
        column.dataset = stream->group.openDataset(columnName(key.name));
        column.elements = column.dataset.rowElements();
        for (int i = 0; i < key.choices.size(); ++i)
            column.choiceIndex.insert(key.choices[i], i);
        stream->columns.push_back(std::move(column));
    }
    stream->seqNum = stream->group.openDataset(QStringLiteral("seq_num"));
    stream->time = stream->group.openDataset(QStringLiteral("time"));
    stream->written = stream->seqNum.rows();
    const std::vector<qint64> seqs = stream->seqNum.readInt64();
    stream->lastSeq = seqs.empty() ? 0 : seqs.back();
    if (isPrimary && start->shape.size() > 1) {
        for (int i = 0; i < start->shape.size(); ++i) {
            const QString axis = i < start->axes.size() ? columnName(start->axes[i])
                                                        : QStringLiteral("dim%1").arg(i);
            stream->gridIndex.push_back(stream->group.openDataset(axis + QStringLiteral("_index")));
        }
        stream->gridBuffer.resize(size_t(start->shape.size()));
    }
    return stream;
}

void NexusWriter::Private::event(const Event &document)
{
    Stream *stream = byUid.value(document.descriptor);
    if (!stream) {
        if (!refusedDescriptors.contains(document.descriptor)) {
            refusedDescriptors.insert(document.descriptor);
            problems.append(QStringLiteral("%1: events of an unknown stream (descriptor %2) are "
                                           "not written")
                                .arg(path, document.descriptor));
        }
        return;
    }
    if (document.seqNum <= stream->lastSeq) {
        problems.append(QStringLiteral("%1: %2 event %3 came again (after %4); not written again")
                            .arg(path, stream->descriptor.name)
                            .arg(document.seqNum)
                            .arg(stream->lastSeq));
        return;
    }
    if (document.seqNum != stream->lastSeq + 1)
        problems.append(QStringLiteral("%1: %2 events %3 to %4 are missing")
                            .arg(path, stream->descriptor.name)
                            .arg(stream->lastSeq + 1)
                            .arg(document.seqNum - 1));
    stream->lastSeq = document.seqNum;
    for (size_t i = 0; i < stream->columns.size(); ++i)
        stream->columns[i].push(i < document.data.size() ? document.data[i] : QVariant());
    stream->seqBuffer.push_back(document.seqNum);
    stream->timeBuffer.push_back(document.time);
    for (size_t i = 0; i < stream->gridBuffer.size(); ++i)
        stream->gridBuffer[i].push_back(
            i < document.gridIndex.size() ? qint32(document.gridIndex[i]) : -1);
}

bool NexusWriter::Private::writeValues(Stream &stream)
{
    const qint64 rows = stream.pending();
    if (rows == 0)
        return false;
    for (Column &column : stream.columns) {
        column.dataset.append(column.buffer.data(), rows);
        column.buffer.clear();
    }
    for (size_t i = 0; i < stream.gridIndex.size(); ++i) {
        stream.gridIndex[i].append(stream.gridBuffer[i].data(), rows);
        stream.gridBuffer[i].clear();
    }
    stream.time.append(stream.timeBuffer.data(), rows);
    stream.timeBuffer.clear();
    return true;
}

void NexusWriter::Private::writeSeqNums(Stream &stream)
{
    const qint64 rows = stream.pending();
    if (rows == 0)
        return;
    stream.seqNum.append(stream.seqBuffer.data(), rows);
    stream.seqBuffer.clear();
    stream.written += rows;
}

bool NexusWriter::Private::writeSuspensions()
{
    if (pendingSuspensions.empty() || !suspensionStart.isValid())
        return false;
    const qint64 rows = qint64(pendingSuspensions.size());
    std::vector<double> starts, ends;
    QByteArray devices(rows * kDeviceBytes, '\0');
    QByteArray reasons(rows * kStringBytes, '\0');
    for (qint64 i = 0; i < rows; ++i) {
        const Suspension &s = pendingSuspensions[size_t(i)];
        starts.push_back(s.start);
        ends.push_back(s.end);
        const QByteArray device = s.device.toUtf8().left(kDeviceBytes);
        const QByteArray reason = s.reason.toUtf8().left(kStringBytes);
        std::copy(device.begin(), device.end(), devices.begin() + i * kDeviceBytes);
        std::copy(reason.begin(), reason.end(), reasons.begin() + i * kStringBytes);
    }
    suspensionStart.append(starts.data(), rows);
    suspensionEnd.append(ends.data(), rows);
    suspensionDevice.append(devices.constData(), rows);
    suspensionReason.append(reasons.constData(), rows);
    pendingSuspensions.clear();
    return true;
}

void NexusWriter::Private::runStop(const RunStop &document)
{
    if (!endTime.isValid())
        return;
    endTime.writeFixedString(isoTime(document.time));
    if (start)
        duration.write(document.time - start->time);
    exitStatus.writeFixedString(document.exitStatus);
    exitReason.writeFixedString(document.reason);
}

} // namespace Benchtop::Run
