// SPDX-License-Identifier: MIT
#pragma once

#include "registermap.h"

#include <async/clock.h>
#include <async/lock.h>
#include <io/ioerror.h>

#include <QCoroTask>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

QT_BEGIN_NAMESPACE
class QModbusDataUnit;
class QModbusTcpClient;
QT_END_NAMESPACE

namespace Benchtop::Modbus {

/// The instrument answered a request with a Modbus exception response: it understood the
/// request and refused it (an address it does not have, a value it will not take). The link is
/// fine; the request (or the register map) is wrong.
class ExceptionResponse : public Io::IoError {
public:
    ExceptionResponse(const QString &message, int code)
        : Io::IoError(message)
        , m_code(code)
    {
    }
    int code() const noexcept { return m_code; }

private:
    int m_code;
};

/// The two bit tables: coils (read/write outputs) and discrete inputs (read-only).
enum class BitTable { Coils, DiscreteInputs };

/// QModbusTcpClient's requests as coroutines, one at a time, with errors as Io::IoError:
///
/// - Io::LinkDown: not connected, or the connection closed while waiting;
/// - Io::ReplyTimeout: no reply within the timeout (QModbusClient's own timer, no retries);
/// - ExceptionResponse: the instrument refused the request (exception code and text);
/// - Io::BadReply: anything else Qt reports (a malformed or mismatched reply).
///
/// Every message is one line: "<label>: <what> ...", where `what` is the caller's description
/// of the request (`reading channel "t" (input register 0)`).
///
/// Requests are serialised (an Async::Lock): many small instruments handle one transaction at
/// a time, and a timeout then means that request, not one queued behind others.
///
/// Each open() makes a new QModbusTcpClient, so that a reconnection starts with no leftover
/// transaction or buffered bytes of the old connection. `timeoutsBeforeLost` timeouts in a row
/// (0: never) declare the link gone: lost() is emitted, as when the peer closes the connection.
///
/// Thread affinity: the device thread.
class ModbusClient : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString label; ///< the device's name, for messages
        QString host;
        quint16 port = 502;
        int unit = 1; ///< the Modbus unit (slave) id, 0..255
        std::chrono::milliseconds timeout{1000};
        int timeoutsBeforeLost = 3;
    };

    explicit ModbusClient(Options options, QObject *parent = nullptr);
    ~ModbusClient() override;

    const Options &options() const noexcept { return m_options; }
    /// "modbus-tcp 192.168.1.20:502 unit 1", for messages.
    QString describe() const;
    bool isConnected() const noexcept { return m_connected; }
    int timeoutsInARow() const noexcept { return m_timeoutsInARow; }

    /// Connects within `limit`. Throws Io::LinkDown with the reason (refused, unreachable,
    /// timed out). A cancellation point; a cancelled or failed open leaves it closed.
    QCoro::Task<> open(Async::Clock::duration limit);
    /// Closes the connection (requests in flight fail with LinkDown). Emits nothing.
    void close();

    /// Reads `count` registers of `table` from `address`.
    QCoro::Task<QList<quint16>> readRegisters(
        Table table, quint16 address, quint16 count, QString what);
    /// Reads `count` bits of `table` from `address`.
    QCoro::Task<QList<bool>> readBits(BitTable table, quint16 address, quint16 count, QString what);
    /// Writes holding registers from `address` (function 06 for one register, 16 for more).
    QCoro::Task<> writeRegisters(quint16 address, QList<quint16> values, QString what);
    /// Writes one coil (function 05).
    QCoro::Task<> writeCoil(quint16 address, bool on, QString what);

Q_SIGNALS:
    /// The connected link went down by itself: the peer closed it, a connection error, or
    /// timeoutsBeforeLost timeouts in a row. Not emitted for close().
    void lost(const QString &reason);

private:
    QCoro::Task<QModbusDataUnit> exchange(QModbusDataUnit unit, bool write, QString what);
    void markLost(const QString &reason);
    QString errorText() const;

    Options m_options;
    std::unique_ptr<QModbusTcpClient> m_client;
    bool m_connected = false;
    int m_timeoutsInARow = 0;
    Async::Lock m_lock;
};

} // namespace Benchtop::Modbus
