// SPDX-License-Identifier: MIT
#include "scpiinstrument.h"

#include "scpireply.h"

#include <async/clock.h>
#include <async/errors.h>
#include <async/sleep.h>
#include <device/deviceerror.h>
#include <io/ioerror.h>
#include <io/transport.h>
#include <io/transportconfig.h>

#include <QLoggingCategory>

using namespace std::chrono_literals;

namespace Benchtop::Scpi {

Q_LOGGING_CATEGORY(lcScpi, "benchtop.scpi")

namespace {
constexpr int kKeptInstrumentErrors = 10;
/// How often update_state looks at a link that is up when nothing is to be polled.
constexpr auto kIdleCheck = 1s;
} // namespace

ScpiInstrument::ScpiInstrument(
    DeviceSettings settings, std::unique_ptr<Io::Transport> transport, QObject *parent)
    : Device(std::move(settings), parent)
    , SensorState(this)
    , MeasurementRunner(this, this, {.failure = Failure::ReportError})
    , m_config(ScpiConfig::read(name(), config()))
    , m_transport(std::move(transport))
    , m_line(*m_transport, Io::lineOptions(name(), config()))
    , m_link(name(), Io::reconnectBackoff(name(), config()), linkSteps())
{
    connect(m_transport.get(), &Io::Transport::lost, this, [this](const QString &reason) {
        // Shown at once, before the Reconnector wakes: a reading that fails meanwhile (a loop's)
        // is then told from a link that is down.
        if (m_link.isConnected())
            setLinkState(LinkState::Disconnected, reason);
        m_link.lost(reason);
    });
    setLinkState(LinkState::Connecting, {});
    setLoopInterval(m_config.loopInterval);
    QList<SensorChannel> channels;
    for (const Channel &channel : m_config.channels)
        channels << SensorChannel{channel.name, channel.units, {}};
    setChannels(channels);
}

ScpiInstrument::~ScpiInstrument()
{
    stopTasksNow(); // before the line and the transport they use go
}

Io::Reconnector::Steps ScpiInstrument::linkSteps()
{
    const auto connectLimit = Io::connectTimeout(name(), config());
    return {.connect = [this, connectLimit] { return m_transport->open(connectLimit); },
        .prepare = [this]() -> QCoro::Task<> {
            auto session = co_await m_line.begin();
            co_await prepare(session);
        },
        .disconnect = [this](const QString &reason) { m_transport->drop(reason); },
        .show =
            [this](LinkState state, const QString &reason) {
                if (state == LinkState::Disconnected && m_link.nextAttempt())
                    setReconnectWait(m_link.failedAttempts(),
                        std::chrono::ceil<std::chrono::milliseconds>(
                            *m_link.nextAttempt() - Async::now()));
                setLinkState(state, reason);
            }};
}

QVariantMap ScpiInstrument::id() const
{
    QVariantMap id = Device::id();
    if (!m_identity.manufacturer.isEmpty()) {
        id.insert(QStringLiteral("make"), m_identity.manufacturer);
        id.insert(QStringLiteral("model"), m_identity.model);
        id.insert(QStringLiteral("serial"), m_identity.serial);
        id.insert(QStringLiteral("firmware"), m_identity.firmware);
    }
    return id;
}

void ScpiInstrument::onStarted()
{
    spawn("link", [this] { return m_link.run(); });
}

QCoro::Task<> ScpiInstrument::updateState()
{
    for (;;) {
        co_await m_link.untilConnected();
        if (m_config.pollInterval.count() == 0) {
            co_await Async::sleep(kIdleCheck);
            continue;
        }
        try {
            co_await poll();
        } catch (const Io::IoError &e) {
            // A missed poll is not a fault; replies that stop coming drop the link (LineChannel).
            qCWarning(lcScpi).noquote() << "poll failed:" << e.message();
        }
        co_await Async::sleep(m_config.pollInterval);
    }
}

QCoro::Task<> ScpiInstrument::prepare(Io::LineChannel::Session &session)
{
    if (!m_config.identityQuery.isEmpty()) {
        const QString reply = co_await session.query(m_config.identityQuery);
        try {
            m_identity = parseIdentity(reply);
        } catch (const Scpi::BadReply &e) {
            throw Io::BadReply(
                QStringLiteral("%1: reply to %2 is not an identity: %3")
                    .arg(name(), m_config.identityQuery, QString::fromStdString(e.what())));
        }
        QString shown = QStringLiteral("%1 %2").arg(m_identity.manufacturer, m_identity.model);
        if (!m_identity.serial.isEmpty() && m_identity.serial != QLatin1String("0"))
            shown += QStringLiteral(", serial %1").arg(m_identity.serial);
        if (!m_identity.firmware.isEmpty() && m_identity.firmware != QLatin1String("0"))
            shown += QStringLiteral(", firmware %1").arg(m_identity.firmware);
        setValue(QStringLiteral("identity"), shown);
    }
    // Errors left from before we connected are not ours: note them and start clean.
    const QList<InstrumentError> stale = co_await drainErrors(session);
    if (!stale.isEmpty())
        recordInstrumentErrors(stale, QStringLiteral("connecting"));
    for (const QString &init : m_config.initCommands) {
        try {
            co_await command(session, init);
        } catch (const Io::IoError &) {
            throw;
        } catch (const DeviceError &e) {
            reportError(e.message()); // the instrument refused it: said, but the link is fine
        }
    }
}

QCoro::Task<> ScpiInstrument::command(Io::LineChannel::Session &session, QString text)
{
    co_await session.write(text);
    if (m_config.waitForCompletion) {
        const QString done = co_await session.query(QStringLiteral("*OPC?"));
        if (done.trimmed() != QLatin1String("1")) {
            throw Io::BadReply(QStringLiteral("%1: *OPC? after \"%2\" answered %3, not 1")
                                   .arg(name(), text, Io::quoted(done.toUtf8())));
        }
    }
    const QList<InstrumentError> errors = co_await drainErrors(session);
    if (errors.isEmpty())
        co_return;
    recordInstrumentErrors(errors, text);
    QStringList shown;
    for (const InstrumentError &error : errors)
        shown << QStringLiteral("%1, \"%2\"").arg(error.code).arg(error.message);
    throw DeviceError(
        QStringLiteral("%1: the instrument reported %2 after \"%3\": %4")
            .arg(name(), errors.size() == 1 ? QStringLiteral("an error") : QStringLiteral("errors"),
                text, shown.join(QStringLiteral("; "))));
}

QCoro::Task<QList<InstrumentError>> ScpiInstrument::drainErrors(Io::LineChannel::Session &session)
{
    QList<InstrumentError> errors;
    if (m_config.errorQuery.isEmpty())
        co_return errors;
    for (int i = 0; i < m_config.maxErrors; ++i) {
        const QString reply = co_await session.query(m_config.errorQuery);
        InstrumentError error;
        try {
            error = parseErrorLine(reply);
        } catch (const Scpi::BadReply &e) {
            throw Io::BadReply(
                QStringLiteral("%1: reply to %2 is not an error-queue entry: %3")
                    .arg(name(), m_config.errorQuery, QString::fromStdString(e.what())));
        }
        if (error.isNoError())
            co_return errors;
        errors << error;
    }
    qCWarning(lcScpi).noquote() << name() << "error queue still not empty after"
                                << m_config.maxErrors << "entries; the rest stay in the instrument";
    co_return errors;
}

void ScpiInstrument::recordInstrumentErrors(
    const QList<InstrumentError> &errors, const QString &after)
{
    QVariantList kept = values().value(QStringLiteral("instrument_errors")).toList();
    for (const InstrumentError &error : errors) {
        kept << QStringLiteral("%1, \"%2\" (after %3)").arg(error.code).arg(error.message, after);
        qCWarning(lcScpi).noquote()
            << name() << "instrument error" << error.code << error.message << "after" << after;
    }
    while (kept.size() > kKeptInstrumentErrors)
        kept.removeFirst();
    setValue(QStringLiteral("instrument_errors"), kept);
}

double ScpiInstrument::number(const QString &query, const QString &reply) const
{
    try {
        return parseNumber(reply);
    } catch (const Scpi::BadReply &e) {
        throw Io::BadReply(QStringLiteral("%1: reply to %2 is %3")
                               .arg(name(), query, QString::fromStdString(e.what())));
    }
}

// ---- measuring -------------------------------------------------------------------------------

int ScpiInstrument::measure(bool loop)
{
    if (m_config.channels.isEmpty())
        throw DeviceError(QStringLiteral("%1 has no channels to measure").arg(name()));
    return MeasurementRunner::measure(loop);
}

QCoro::Task<QVariantMap> ScpiInstrument::acquire()
{
    QVariantMap reading;
    auto session = co_await m_line.begin();
    for (const Channel &channel : m_config.channels)
        reading.insert(channel.name, co_await readChannel(session, channel));
    co_return reading;
}

QCoro::Task<QVariant> ScpiInstrument::readChannel(
    Io::LineChannel::Session &session, const Channel &channel)
{
    const QString reply = co_await session.query(channel.query);
    if (!reply.contains(QLatin1Char(',')))
        co_return number(channel.query, reply);
    try {
        QVariantList list;
        for (double value : parseNumberList(reply))
            list << value;
        co_return list;
    } catch (const Scpi::BadReply &e) {
        throw Io::BadReply(QStringLiteral("%1: reply to %2 is %3")
                               .arg(name(), channel.query, QString::fromStdString(e.what())));
    }
}

// ---- own messages ----------------------------------------------------------------------------

QList<MessageDefinition> ScpiInstrument::ownMessages() const
{
    const QList<MessageParameter> text{parameter(QStringLiteral("text"), QStringLiteral("string"))};
    return {{.name = QStringLiteral("query"),
                .trait = kind(),
                .request = text,
                .doc = QStringLiteral("Sends a query; its reply lands in the value `reply`."),
                .effect = Effect::Acts},
        {.name = QStringLiteral("write"),
            .trait = kind(),
            .request = text,
            .doc = QStringLiteral("Sends a command, then checks completion and the error queue as "
                                  "configured."),
            .effect = Effect::Acts}};
}

QVariant ScpiInstrument::invokeOwn(const QString &message, const QVariantList &args)
{
    const QString text = args[0].toString().trimmed();
    if (text.isEmpty())
        throw DeviceError(QStringLiteral("%1: %2 takes one command text").arg(name(), message));
    // The call returns at once (yaq); the exchange runs as a task and its reply lands in `reply`.
    const bool isQuery = message == QLatin1String("query");
    spawn("own message", [this, text, isQuery]() -> QCoro::Task<> {
        try {
            auto session = co_await m_line.begin();
            if (isQuery)
                setValue(QStringLiteral("reply"), co_await session.query(text));
            else
                co_await command(session, text);
        } catch (const DeviceError &e) {
            reportError(e.message());
        }
    });
    return {};
}

} // namespace Benchtop::Scpi
