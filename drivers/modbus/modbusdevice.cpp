// SPDX-License-Identifier: MIT
#include "modbusdevice.h"

#include "addresstext.h"

#include <async/clock.h>
#include <async/sleep.h>
#include <device/deviceerror.h>

#include <QLocale>
#include <QLoggingCategory>

#include <limits>

namespace Benchtop::Modbus {

Q_LOGGING_CATEGORY(lcModbus, "benchtop.modbus")

namespace {

const QString kReadError = QStringLiteral("read_error");

/// Modbus's limits on one read request.
constexpr int kMaxRegistersPerRead = 125;
constexpr int kMaxBitsPerRead = 2000;

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
    , SensorState(this)
    , MeasurementRunner(this, this, {.failure = Failure::ReportError, .loopInterval = modbus.poll})
    , m_modbus(std::move(modbus))
    , m_client(m_modbus.client)
    , m_reconnector(name(), m_modbus.backoff,
          Io::Reconnector::Steps{
              .connect = [this] { return m_client.open(m_modbus.connectTimeout); },
              .prepare = [this] { return readAll(Phase::Prepare); },
              .disconnect = [this](const QString &) { m_client.close(); },
              .show =
                  [this](LinkState state, const QString &reason) {
                      if (state == LinkState::Disconnected && m_reconnector.nextAttempt())
                          setReconnectWait(m_reconnector.failedAttempts(),
                              std::chrono::ceil<std::chrono::milliseconds>(
                                  *m_reconnector.nextAttempt() - Async::now()));
                      setLinkState(state, reason);
                  },
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

    connect(&m_client, &ModbusClient::lost, this, [this](const QString &reason) {
        // Shown at once, before the Reconnector wakes: a reading that fails meanwhile (a loop's)
        // is then told from a link that is down.
        if (m_reconnector.isConnected())
            setLinkState(LinkState::Disconnected, reason);
        m_reconnector.lost(reason);
    });
    setLinkState(LinkState::Connecting, {});
    setValue(kReadError, QString());
    QList<SensorChannel> channels;
    for (const RegisterSpec &channel : std::as_const(m_modbus.channels))
        channels << SensorChannel{channel.name, channel.units, {}};
    setChannels(channels);
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

void ModbusDevice::ensureConnected() const
{
    m_reconnector.ensureConnected();
}

// ---- is-sensor, has-measure-trigger ----------------------------------------------------------

int ModbusDevice::measure(bool loop)
{
    ensureConnected();
    if (!isMeasuring())
        ++m_measurementRuns; // a poll's reading started before it is stale
    return MeasurementRunner::measure(loop);
}

QCoro::Task<QVariantMap> ModbusDevice::acquire()
{
    const Reading reading = co_await readChannels();
    setErrors(Part::Channels, reading.errors);
    co_return reading.values;
}

void ModbusDevice::measuringChanged()
{
    updateBusy();
}

void ModbusDevice::stop()
{
    stopMeasuring(); // measured keeps the previous result; the id goes to the next one
}

void ModbusDevice::updateBusy()
{
    setBusy(isMeasuring() || isWriting());
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
    ensureConnected();
    checkLine(m_modbus.outputs, line, "output");
    clearError();
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
        reportError(e.message());
    }
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
    setValue(coils ? StateKey::Outputs : StateKey::Inputs, published);
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
    if (!isMeasuring()) {
        const quint64 runs = m_measurementRuns;
        const Reading reading = co_await readChannels();
        if (!isMeasuring() && runs == m_measurementRuns) {
            publish(reading.values);
            setErrors(Part::Channels, reading.errors);
        }
    }
    try {
        co_await readOwnPart();
        setErrors(Part::Own, {});
    } catch (const ExceptionResponse &e) {
        setErrors(Part::Own, {e.message()});
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
