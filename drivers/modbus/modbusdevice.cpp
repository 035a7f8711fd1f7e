// SPDX-License-Identifier: MIT
#include "modbusdevice.h"

#include <async/sleep.h>
#include <device/deviceerror.h>

#include <QLocale>
#include <QLoggingCategory>

#include <limits>

namespace Benchtop::Modbus {

Q_LOGGING_CATEGORY(lcModbus, "benchtop.modbus")

namespace {

const QString kMeasured = QStringLiteral("measured");
const QString kMeasurementId = QStringLiteral("measurement_id");
const QString kPosition = QStringLiteral("position");
const QString kDestination = QStringLiteral("destination");
const QString kInputs = QStringLiteral("inputs");
const QString kOutputs = QStringLiteral("outputs");
const QString kError = QStringLiteral("error");
const QString kReadError = QStringLiteral("read_error");

/// Modbus's limits on one read request.
constexpr int kMaxRegistersPerRead = 125;
constexpr int kMaxBitsPerRead = 2000;

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

/// "input register 0", "holding registers 10 to 13", "coil 3", "discrete inputs 0 to 2".
QString span(const QString &singular, const QString &plural, int start, int count)
{
    if (count == 1)
        return QStringLiteral("%1 %2").arg(singular).arg(start);
    return QStringLiteral("%1 %2 to %3").arg(plural).arg(start).arg(start + count - 1);
}

QString registers(Table table, int start, int count)
{
    return table == Table::Input
        ? span(QStringLiteral("input register"), QStringLiteral("input registers"), start, count)
        : span(
            QStringLiteral("holding register"), QStringLiteral("holding registers"), start, count);
}

QString bits(BitTable table, int start, int count)
{
    return table == BitTable::Coils
        ? span(QStringLiteral("coil"), QStringLiteral("coils"), start, count)
        : span(QStringLiteral("discrete input"), QStringLiteral("discrete inputs"), start, count);
}

QString quotedNames(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted << QLatin1Char('"') + name + QLatin1Char('"');
    return quoted.join(QStringLiteral(", "));
}

QList<AddressRange> rangesOf(const QList<RegisterSpec> &specs)
{
    QList<AddressRange> ranges;
    for (const RegisterSpec &spec : specs)
        ranges << AddressRange{spec.address, registerCount(spec.type)};
    return ranges;
}

QList<AddressRange> rangesOf(const QMap<QString, quint16> &lines)
{
    QList<AddressRange> ranges;
    for (const quint16 address : lines)
        ranges << AddressRange{address, 1};
    return ranges;
}

} // namespace

ModbusDevice::ModbusDevice(DeviceSettings settings, ModbusSettings modbus, QObject *parent)
    : Device(std::move(settings), parent)
    , m_modbus(std::move(modbus))
    , m_client(m_modbus.client)
    , m_reconnector(name(), m_modbus.backoff,
          Io::Reconnector::Steps{
              .connect = [this] { return m_client.open(m_modbus.connectTimeout); },
              .prepare = [this] { return readAll(Phase::Prepare); },
              .disconnect = [this](const QString &) { m_client.close(); },
              .show
              = [this](LinkState state, const QString &reason) { setLinkState(state, reason); },
          })
{
    // One request per run of contiguous registers of a table, per run of contiguous lines.
    for (const Table table : {Table::Holding, Table::Input}) {
        QList<RegisterSpec> specs;
        QList<int> indices;
        for (int i = 0; i < m_modbus.channels.size(); ++i) {
            if (m_modbus.channels[i].table == table) {
                specs << m_modbus.channels[i];
                indices << i;
            }
        }
        for (ReadBlock block : groupContiguous(rangesOf(specs), kMaxRegistersPerRead)) {
            for (int &member : block.members)
                member = indices[member]; // an index into m_modbus.channels
            m_channelBlocks << ChannelBlock{table, block};
        }
    }
    m_inputBlocks = groupContiguous(rangesOf(m_modbus.inputs), kMaxBitsPerRead);
    m_outputBlocks = groupContiguous(rangesOf(m_modbus.outputs), kMaxBitsPerRead);

    connect(&m_client, &ModbusClient::lost, this,
        [this](const QString &reason) { m_reconnector.lost(reason); });
    setLinkState(LinkState::Connecting, {});
    setValue(kError, QString());
    setValue(kReadError, QString());
}

ModbusDevice::~ModbusDevice()
{
    stopTasksNow(); // before the members the tasks use go
}

QVariantMap ModbusDevice::id() const
{
    QVariantMap id = Device::id();
    id.insert(QStringLiteral("make"), QStringLiteral("Modbus"));
    id.insert(QStringLiteral("model"), kind());
    id.insert(QStringLiteral("serial"),
        QStringLiteral("%1:%2/%3")
            .arg(m_modbus.client.host)
            .arg(m_modbus.client.port)
            .arg(m_modbus.client.unit));
    return id;
}

void ModbusDevice::onStarted()
{
    spawn("link", [this] { return m_reconnector.run(); });
}

void ModbusDevice::ensureUsable() const
{
    ensureReady();
    // The device shows a lost link only once the reconnector's task has run; the reconnector
    // knows at once.
    m_reconnector.ensureConnected();
}

// ---- is-sensor, has-measure-trigger ----------------------------------------------------------

QStringList ModbusDevice::channelNames() const
{
    QStringList names;
    for (const RegisterSpec &channel : m_modbus.channels)
        names << channel.name;
    return names;
}

QVariantMap ModbusDevice::channelUnits() const
{
    QVariantMap units;
    for (const RegisterSpec &channel : m_modbus.channels)
        units.insert(channel.name, channel.units);
    return units;
}

QMap<QString, QList<int>> ModbusDevice::channelShapes() const
{
    QMap<QString, QList<int>> shapes;
    for (const RegisterSpec &channel : m_modbus.channels)
        shapes.insert(channel.name, {});
    return shapes;
}

QVariantMap ModbusDevice::measured() const
{
    return values().value(kMeasured).toMap();
}

int ModbusDevice::measure(bool loop)
{
    ensureUsable();
    m_looping = loop;
    if (m_measuring)
        return m_nextId; // the measurement in progress gets it
    const int id = m_nextId;
    m_measuring = true;
    ++m_measurementRuns;
    setValue(kError, QString()); // the outcome of this call, from now on
    updateBusy();
    m_measureTask = spawn("measure", [this] { return runMeasurements(); });
    return id;
}

QCoro::Task<> ModbusDevice::runMeasurements()
{
    try {
        for (;;) {
            const Reading reading = co_await readChannels();
            publishMeasurement(reading.values);
            setErrors(Part::Channels, reading.errors);
            if (!m_looping)
                break;
            if (m_modbus.poll.count() > 0)
                co_await Async::sleep(m_modbus.poll);
            else
                co_await Async::yield(); // as fast as replies come, letting the rest run
        }
    } catch (const Io::IoError &e) {
        reportFailure(e.message());
    }
    m_measuring = false;
    m_looping = false;
    updateBusy();
}

void ModbusDevice::publishMeasurement(const QVariantMap &channels)
{
    QVariantMap result = channels;
    result.insert(kMeasurementId, m_nextId);
    setValue(kMeasured, result);
    setValue(kMeasurementId, m_nextId);
    ++m_nextId;
}

void ModbusDevice::stop()
{
    m_looping = false;
    m_measureTask.cancel(); // measured keeps the previous result; the id goes to the next one
    m_measuring = false;
    if (m_writing) {
        m_writeTask.cancel();
        m_writing = false;
        if (m_lastReadBack)
            setValue(kDestination, *m_lastReadBack);
    }
    updateBusy();
}

void ModbusDevice::updateBusy()
{
    setBusy(m_measuring || m_writing);
}

// ---- has-digital-io --------------------------------------------------------------------------

void ModbusDevice::checkLine(
    const QMap<QString, quint16> &lines, const QString &line, const char *kind) const
{
    if (!lines.contains(line)) {
        throw DeviceError(QStringLiteral("%1 has no %2 \"%3\" (%2s: %4)")
                              .arg(name(), QLatin1String(kind), line,
                                  lines.isEmpty() ? QStringLiteral("none")
                                                  : lines.keys().join(QStringLiteral(", "))));
    }
}

bool ModbusDevice::input(const QString &line) const
{
    checkLine(m_modbus.inputs, line, "input");
    return m_inputs.value(line);
}

bool ModbusDevice::output(const QString &line) const
{
    checkLine(m_modbus.outputs, line, "output");
    return m_outputs.value(line);
}

void ModbusDevice::setOutput(const QString &line, bool on)
{
    ensureUsable();
    checkLine(m_modbus.outputs, line, "output");
    setValue(kError, QString());
    // Writes queue on the client in call order, so the last call wins.
    spawn("set_output", [this, line, on] { return writeOutput(line, on); });
}

QCoro::Task<> ModbusDevice::writeOutput(QString line, bool on)
{
    const quint16 address = m_modbus.outputs.value(line);
    const QString where = bits(BitTable::Coils, address, 1);
    try {
        co_await m_client.writeCoil(address, on,
            QStringLiteral("writing output \"%1\" %2 (%3)")
                .arg(line, on ? QStringLiteral("on") : QStringLiteral("off"), where));
        const QList<bool> level = co_await m_client.readBits(BitTable::Coils, address, 1,
            QStringLiteral("reading back output \"%1\" (%2)").arg(line, where));
        QMap<QString, bool> levels = m_outputs;
        levels.insert(line, level.value(0));
        publishLines(BitTable::Coils, levels);
    } catch (const Io::IoError &e) {
        reportFailure(e.message());
    }
}

// ---- the setpoint ----------------------------------------------------------------------------

void ModbusDevice::startSetpointWrite(double target)
{
    Q_ASSERT(m_modbus.setpoint);
    const RegisterSpec &spec = *m_modbus.setpoint;
    const QString where = registers(Table::Holding, spec.address, registerCount(spec.type));
    const QString shown
        = spec.units.isEmpty() ? number(target) : number(target) + QLatin1Char(' ') + spec.units;
    QList<quint16> encoded;
    try {
        encoded = encode(spec.scaling.toRaw(target), spec.type, spec.order);
    } catch (const CodecError &e) {
        throw DeviceError(
            QStringLiteral("%1: setpoint %2 cannot be written to %3 (%4, scale %5, "
                           "offset %6): %7")
                .arg(name(), shown, where, toString(spec.type), number(spec.scaling.scale),
                    number(spec.scaling.offset), QString::fromStdString(e.what())));
    }
    setValue(kDestination, target);
    setValue(kError, QString());
    m_writing = true;
    updateBusy();
    m_writeTask.cancel(); // a write still in flight is superseded
    m_writeTask = spawn("set_position",
        [this, encoded, what = QStringLiteral("writing setpoint %1 (%2)").arg(shown, where)] {
            return writeSetpoint(encoded, what);
        });
}

QCoro::Task<> ModbusDevice::writeSetpoint(QList<quint16> registers, QString what)
{
    try {
        co_await m_client.writeRegisters(m_modbus.setpoint->address, registers, what);
        co_await readSetpoint();
    } catch (const Io::IoError &e) {
        reportFailure(e.message());
    }
    m_writing = false;
    updateBusy();
}

QCoro::Task<> ModbusDevice::readSetpoint()
{
    const RegisterSpec &spec = *m_modbus.setpoint;
    const int count = registerCount(spec.type);
    const QList<quint16> raw
        = co_await m_client.readRegisters(Table::Holding, spec.address, static_cast<quint16>(count),
            QStringLiteral("reading the setpoint (%1)")
                .arg(registers(Table::Holding, spec.address, count)));
    if (raw.size() != count) {
        throw Io::BadReply(
            QStringLiteral("%1: reading the setpoint: %2 registers in the reply, not %3")
                .arg(name())
                .arg(raw.size())
                .arg(count));
    }
    const double value = spec.scaling.toEngineering(decode(raw, spec.type, spec.order));
    setValue(kPosition, value);
    // The instrument's setpoint is the destination, unless we are writing one: a value changed
    // at the instrument (its front panel, another client) is adopted, our own request is kept
    // while the read-back equals what it was after our write (a scaled integer may round it).
    if (!m_writing && (!m_lastReadBack || *m_lastReadBack != value))
        setValue(kDestination, value);
    m_lastReadBack = value;
}

// ---- reading ---------------------------------------------------------------------------------

QCoro::Task<ModbusDevice::Reading> ModbusDevice::readChannels()
{
    Reading reading;
    for (const ChannelBlock &channels : std::as_const(m_channelBlocks)) {
        const ReadBlock &block = channels.block;
        QStringList names;
        for (const int member : block.members)
            names << m_modbus.channels[member].name;
        const QString what
            = QStringLiteral("reading %1 %2 (%3)")
                  .arg(names.size() == 1 ? QStringLiteral("channel") : QStringLiteral("channels"),
                      quotedNames(names), registers(channels.table, block.start, block.count));
        QList<quint16> raw;
        QString refused;
        try {
            raw = co_await m_client.readRegisters(
                channels.table, block.start, static_cast<quint16>(block.count), what);
        } catch (const ExceptionResponse &e) {
            refused = e.message();
        }
        if (!refused.isEmpty()) {
            // One wrong address must not blind the other channels: these have no value.
            for (const QString &channel : std::as_const(names))
                reading.values.insert(channel, std::numeric_limits<double>::quiet_NaN());
            reading.errors << refused;
            continue;
        }
        if (raw.size() != block.count) {
            throw Io::BadReply(QStringLiteral("%1: %2: %3 registers in the reply, not %4")
                                   .arg(name(), what)
                                   .arg(raw.size())
                                   .arg(block.count));
        }
        for (const int member : block.members) {
            const RegisterSpec &spec = m_modbus.channels[member];
            const QList<quint16> words
                = raw.mid(spec.address - block.start, registerCount(spec.type));
            reading.values.insert(
                spec.name, spec.scaling.toEngineering(decode(words, spec.type, spec.order)));
        }
    }
    co_return reading;
}

QCoro::Task<> ModbusDevice::readLines(BitTable table)
{
    const bool coils = table == BitTable::Coils;
    const QMap<QString, quint16> &lines = coils ? m_modbus.outputs : m_modbus.inputs;
    const QStringList names = lines.keys();
    QMap<QString, bool> levels;
    for (const ReadBlock &block : coils ? m_outputBlocks : m_inputBlocks) {
        QStringList blockNames;
        for (const int member : block.members)
            blockNames << names[member];
        const QString what
            = QStringLiteral("reading %1 %2 (%3)")
                  .arg(coils ? QStringLiteral("outputs") : QStringLiteral("inputs"),
                      quotedNames(blockNames), bits(table, block.start, block.count));
        const QList<bool> read = co_await m_client.readBits(
            table, block.start, static_cast<quint16>(block.count), what);
        if (read.size() < block.count) {
            throw Io::BadReply(QStringLiteral("%1: %2: %3 bits in the reply, not %4")
                                   .arg(name(), what)
                                   .arg(read.size())
                                   .arg(block.count));
        }
        for (const int member : block.members)
            levels.insert(names[member], read[lines.value(names[member]) - block.start]);
    }
    publishLines(table, levels);
}

void ModbusDevice::publishLines(BitTable table, const QMap<QString, bool> &levels)
{
    const bool coils = table == BitTable::Coils;
    QMap<QString, bool> &known = coils ? m_outputs : m_inputs;
    const QMap<QString, bool> before = known;
    known = levels;
    QVariantMap published;
    for (auto it = levels.cbegin(); it != levels.cend(); ++it)
        published.insert(it.key(), it.value());
    setValue(coils ? kOutputs : kInputs, published);
    if (coils)
        return;
    // An input's change is an event, as a push button's would be (sampled at the poll rate).
    for (auto it = levels.cbegin(); it != levels.cend(); ++it) {
        const auto previous = before.constFind(it.key());
        if (previous != before.cend() && *previous != it.value())
            emitInputEvent(it.key(), it.value() ? InputEvent::Pressed : InputEvent::Released);
    }
}

QCoro::Task<> ModbusDevice::readAll(Phase phase)
{
    // An exception response concerns one value (an address the instrument lacks): the rest is
    // still read. Timeouts and a lost link end the whole pass (and in Prepare, the attempt).
    // While a measurement runs, its task reads the channels (and takes the next id). One that
    // started meanwhile makes this reading stale: the requests interleave, so it may even
    // have ended first.
    if (!m_measuring) {
        const quint64 runs = m_measurementRuns;
        const Reading reading = co_await readChannels();
        if (!m_measuring && runs == m_measurementRuns) {
            publishMeasurement(reading.values);
            setErrors(Part::Channels, reading.errors);
        }
    }
    if (m_modbus.setpoint) {
        try {
            co_await readSetpoint();
            setErrors(Part::Setpoint, {});
        } catch (const ExceptionResponse &e) {
            setErrors(Part::Setpoint, {e.message()});
        }
    }
    for (const BitTable table : {BitTable::DiscreteInputs, BitTable::Coils}) {
        const Part part = table == BitTable::Coils ? Part::Outputs : Part::Inputs;
        try {
            co_await readLines(table);
            setErrors(part, {});
        } catch (const ExceptionResponse &e) {
            setErrors(part, {e.message()});
        }
    }
    if (phase == Phase::Prepare && !m_client.isConnected()) {
        // Lost while the last reply was on its way: the reconnector ignores a loss while
        // connecting, so the attempt must fail here.
        throw Io::LinkDown(
            QStringLiteral("%1: the connection closed while reading the instrument").arg(name()));
    }
    setErrors(Part::Pass, {});
}

QCoro::Task<> ModbusDevice::updateState()
{
    if (m_modbus.poll.count() == 0)
        co_return; // values change only on measure, set_position and set_output
    for (;;) {
        co_await m_reconnector.untilConnected();
        try {
            co_await readAll(Phase::Poll);
        } catch (const Io::LinkDown &e) {
            // The reconnector shows it; make sure it knows (a loss seen only by this poll).
            qCDebug(lcModbus).noquote() << e.message();
            if (!m_client.isConnected())
                m_reconnector.lost(e.message());
        } catch (const Io::IoError &e) {
            setErrors(Part::Pass, {e.message()});
        }
        co_await Async::sleep(m_modbus.poll);
    }
}

// ---- errors ----------------------------------------------------------------------------------

void ModbusDevice::reportFailure(const QString &message)
{
    qCWarning(lcModbus).noquote() << message;
    setValue(kError, message);
}

void ModbusDevice::setErrors(Part part, const QStringList &errors)
{
    QStringList &current = m_errors[part];
    if (current == errors)
        return;
    // A broken register map would otherwise log the same line at every poll.
    for (const QString &error : errors) {
        if (!current.contains(error))
            qCWarning(lcModbus).noquote() << error;
    }
    auto firstError = [this] {
        for (const auto &[which, list] : m_errors) {
            if (!list.isEmpty())
                return list.first();
        }
        return QString();
    };
    const bool had = !firstError().isEmpty() || !current.isEmpty();
    current = errors;
    const QString first = firstError();
    if (had && first.isEmpty())
        qCInfo(lcModbus).noquote() << name() << "reads the instrument without errors again";
    setValue(kReadError, first);
}

} // namespace Benchtop::Modbus
