// SPDX-License-Identifier: MIT
#include "modbusclient.h"

#include "modbusexception.h"

#include <async/combinators.h>
#include <async/errors.h>
#include <async/signal.h>

#include <QDataStream>
#include <QModbusReply>
#include <QModbusTcpClient>
#include <QPointer>
#include <QScopeGuard>

using namespace std::chrono_literals;

namespace Benchtop::Modbus {

namespace {

/// Our own limit on a reply, beyond QModbusClient's timer: should Qt ever fail to finish a
/// reply, the request still ends (as a timeout) instead of holding the line for ever.
constexpr auto kReplySlack = 1000ms;

/// The exception code of a response, if it is an exception response. Read from the PDU's
/// bytes, not with QModbusPdu::isException(): Qt 6.4 keeps the function code of an exception
/// response (0x83) sign-extended in an enum that cannot hold it, so that inline function reads
/// an invalid enum value (undefined behaviour, which UBSan reports).
std::optional<int> exceptionCodeOf(const QModbusResponse &response)
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    stream << response; // the function code byte, then the data: the PDU as sent
    try {
        return exceptionCode(bytes);
    } catch (const CodecError &) {
        return std::nullopt; // malformed: reported as a bad reply
    }
}

} // namespace

ModbusClient::ModbusClient(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

ModbusClient::~ModbusClient()
{
    close();
}

QString ModbusClient::describe() const
{
    return QStringLiteral("modbus-tcp %1:%2 unit %3")
        .arg(m_options.host)
        .arg(m_options.port)
        .arg(m_options.unit);
}

QString ModbusClient::errorText() const
{
    QString text = m_client ? m_client->errorString().trimmed() : QString();
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1); // Qt's sentences end with one; ours go inside other text
    return text.isEmpty() ? QStringLiteral("the connection closed") : text;
}

QCoro::Task<> ModbusClient::open(Async::Clock::duration limit)
{
    close();
    m_client = std::make_unique<QModbusTcpClient>();
    QModbusTcpClient *client = m_client.get();
    client->setConnectionParameter(QModbusDevice::NetworkAddressParameter, m_options.host);
    client->setConnectionParameter(QModbusDevice::NetworkPortParameter, m_options.port);
    // Our timeout, and no silent retries: a retried request would hide a slow instrument and
    // multiply the wait before a dead one is noticed.
    client->setTimeout(static_cast<int>(m_options.timeout.count()));
    client->setNumberOfRetries(0);
    connect(client, &QModbusDevice::stateChanged, this, [this](QModbusDevice::State state) {
        if (state == QModbusDevice::UnconnectedState && m_connected)
            markLost(errorText());
    });
    connect(client, &QModbusDevice::errorOccurred, this, [this](QModbusDevice::Error error) {
        if (error == QModbusDevice::ConnectionError && m_connected)
            markLost(errorText());
    });

    auto fail = [this](const QString &reason) {
        const QString text = QStringLiteral("%1: %2").arg(describe(), reason);
        close();
        return Io::LinkDown(text);
    };
    if (!client->connectDevice())
        throw fail(errorText());
    const Async::TimePoint deadline = Async::now() + limit;
    try {
        while (client->state() != QModbusDevice::ConnectedState
            && client->state() != QModbusDevice::UnconnectedState) {
            const auto left = deadline - Async::now();
            if (left <= Async::Clock::duration::zero())
                throw Async::Timeout();
            co_await Async::timeout(
                [client] { return Async::signal(client, &QModbusDevice::stateChanged); }, left);
        }
    } catch (const Async::Timeout &) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limit).count();
        throw fail(QStringLiteral("no connection within %1 ms").arg(ms));
    } catch (...) { // cancelled: leave it closed
        close();
        throw;
    }
    if (client->state() != QModbusDevice::ConnectedState)
        throw fail(errorText());
    m_connected = true;
    m_timeoutsInARow = 0;
}

void ModbusClient::close()
{
    m_connected = false;
    if (!m_client)
        return;
    const std::unique_ptr<QModbusTcpClient> client = std::move(m_client);
    client->disconnect(this);
    client->disconnectDevice();
    // Destroyed here, with its replies (its children): requests still waiting for one end
    // with LinkDown.
}

void ModbusClient::markLost(const QString &reason)
{
    m_connected = false;
    Q_EMIT lost(QStringLiteral("%1: %2").arg(describe(), reason));
}

QCoro::Task<QList<quint16>> ModbusClient::readRegisters(
    Table table, quint16 address, quint16 count, QString what)
{
    const auto type = table == Table::Input ? QModbusDataUnit::InputRegisters
                                            : QModbusDataUnit::HoldingRegisters;
    const QModbusDataUnit result
        = co_await exchange(QModbusDataUnit(type, address, count), false, std::move(what));
    co_return result.values();
}

QCoro::Task<QList<bool>> ModbusClient::readBits(
    BitTable table, quint16 address, quint16 count, QString what)
{
    const auto type
        = table == BitTable::Coils ? QModbusDataUnit::Coils : QModbusDataUnit::DiscreteInputs;
    const QModbusDataUnit result
        = co_await exchange(QModbusDataUnit(type, address, count), false, std::move(what));
    QList<bool> bits;
    bits.reserve(result.valueCount());
    for (const quint16 value : result.values())
        bits << (value != 0);
    co_return bits;
}

QCoro::Task<> ModbusClient::writeRegisters(quint16 address, QList<quint16> values, QString what)
{
    // QModbusClient sends function 06 for a single holding register, 16 for more.
    co_await exchange(
        QModbusDataUnit(QModbusDataUnit::HoldingRegisters, address, values), true, std::move(what));
}

QCoro::Task<> ModbusClient::writeCoil(quint16 address, bool on, QString what)
{
    // One coil: function 05.
    co_await exchange(
        QModbusDataUnit(QModbusDataUnit::Coils, address, QList<quint16>{quint16(on ? 1 : 0)}), true,
        std::move(what));
}

QCoro::Task<QModbusDataUnit> ModbusClient::exchange(QModbusDataUnit unit, bool write, QString what)
{
    const auto guard = co_await m_lock.lock();
    const QString &label = m_options.label;
    if (!m_connected || !m_client)
        throw Io::LinkDown(QStringLiteral("%1: %2 failed: not connected").arg(label, what));

    QModbusReply *sent = write ? m_client->sendWriteRequest(unit, m_options.unit)
                               : m_client->sendReadRequest(unit, m_options.unit);
    if (!sent) {
        // Refused before anything was sent: not connected, or a request Qt finds invalid.
        const QString text
            = QStringLiteral("%1: %2 could not be sent: %3").arg(label, what, errorText());
        if (m_client->state() != QModbusDevice::ConnectedState)
            throw Io::LinkDown(text);
        throw Io::BadReply(text);
    }
    const QPointer<QModbusReply> reply(sent);
    const auto cleanup = qScopeGuard([reply] {
        if (reply)
            reply->deleteLater();
    });

    bool timedOut = false;
    // An already finished reply never emits finished() again: look before waiting.
    if (!reply->isFinished()) {
        try {
            co_await Async::timeout(
                [reply] { return Async::signal(reply.data(), &QModbusReply::finished); },
                m_options.timeout + kReplySlack);
        } catch (const Async::Timeout &) {
            timedOut = true;
        } catch (const Async::ObjectDestroyed &) {
            // The client went (close()), and its replies with it.
            throw Io::LinkDown(
                QStringLiteral("%1: %2 failed: the connection closed").arg(label, what));
        }
    }
    if (!reply)
        throw Io::LinkDown(QStringLiteral("%1: %2 failed: the connection closed").arg(label, what));

    if (timedOut || reply->error() == QModbusDevice::TimeoutError) {
        const QString text = QStringLiteral("%1: no reply to %2 within %3 ms")
                                 .arg(label, what)
                                 .arg(m_options.timeout.count());
        ++m_timeoutsInARow;
        if (m_options.timeoutsBeforeLost > 0 && m_timeoutsInARow >= m_options.timeoutsBeforeLost
            && m_connected) {
            markLost(QStringLiteral("no reply to %1 requests in a row").arg(m_timeoutsInARow));
        }
        throw Io::ReplyTimeout(text);
    }

    switch (reply->error()) {
    case QModbusDevice::NoError:
        m_timeoutsInARow = 0;
        co_return reply->result();
    case QModbusDevice::ProtocolError: {
        m_timeoutsInARow = 0; // it answered
        if (const std::optional<int> code = exceptionCodeOf(reply->rawResult())) {
            throw ExceptionResponse(
                QStringLiteral("%1: %2 was refused: %3").arg(label, what, exceptionText(*code)),
                *code);
        }
        throw Io::BadReply(
            QStringLiteral("%1: %2 failed: %3").arg(label, what, reply->errorString()));
    }
    case QModbusDevice::ConnectionError:
    case QModbusDevice::ReplyAbortedError:
    case QModbusDevice::ReadError:
    case QModbusDevice::WriteError:
        throw Io::LinkDown(
            QStringLiteral("%1: %2 failed: %3").arg(label, what, reply->errorString()));
    default:
        throw Io::BadReply(
            QStringLiteral("%1: %2 failed: %3").arg(label, what, reply->errorString()));
    }
}

} // namespace Benchtop::Modbus
