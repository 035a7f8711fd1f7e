// SPDX-License-Identifier: MIT
#pragma once

#include <async/clock.h>
#include <async/event.h>
#include <device/devicesnapshot.h>

#include <QByteArray>
#include <QCoroTask>
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace Benchtop::Io {

/// A byte stream to one instrument: a TCP socket or a serial line. Core creates it from the
/// device's config (makeTransport) and hands it to the driver, which never opens ports itself
/// and so can be tested against any peer. Everything is awaited on the device's loop: nothing
/// here calls a blocking waitFor… function.
///
/// States: Disconnected → open() → Connecting → Connected; drop() or the peer going away
/// (closed socket, unplugged USB-serial adapter) → Disconnected, with a reason.
///
/// Thread affinity: the device thread (the thread that created it).
class Transport : public QObject {
    Q_OBJECT
public:
    ~Transport() override;

    /// "tcp 192.168.1.20:5025", "serial /dev/ttyUSB0 9600 8N1": for messages.
    virtual QString describe() const = 0;

    LinkState state() const noexcept { return m_state; }
    bool isConnected() const noexcept { return m_state == LinkState::Connected; }
    /// Why the link went down or the last open failed; empty while connected.
    const QString &reason() const noexcept { return m_reason; }

    /// Opens the link within `limit`. Throws LinkDown with the reason (refused, no such port,
    /// timed out). A cancellation point; a cancelled or failed open leaves it closed.
    QCoro::Task<> open(Async::Clock::duration limit);
    /// Closes the link (Disconnected with `reason`). Emits lost() if it was connected.
    void drop(const QString &reason);

    /// Queues `bytes` for sending. Throws LinkDown when not connected or the write fails.
    void write(const QByteArray &bytes);
    /// Takes every byte received so far.
    QByteArray takeAvailable();
    /// Resumes when bytes are available, the link changes, or `limit` has passed (false then).
    /// Resumes at once when bytes are already waiting or the link is down. A cancellation point.
    QCoro::Task<bool> waitForBytes(Async::Clock::duration limit);

Q_SIGNALS:
    void stateChanged(Benchtop::LinkState state, const QString &reason);
    /// The connected link went down without drop() being asked for it: the peer closed it, the
    /// adapter was unplugged, or a driver gave up on it (timeouts in a row).
    void lost(const QString &reason);

protected:
    explicit Transport(QObject *parent = nullptr);

    /// The open QIODevice (a QTcpSocket, a QSerialPort), after setDevice().
    QIODevice *device() const noexcept { return m_device; }
    /// Connects the device's readyRead to waitForBytes(). Call once, in the constructor.
    void setDevice(QIODevice *device);
    /// Starts opening; completes the open with opened() or openFailed(), now or later.
    virtual void startOpen() = 0;
    /// Closes the device without emitting anything.
    virtual void closeDevice() = 0;

    void opened();
    void openFailed(const QString &reason);
    /// The device reports that the peer is gone: drops the link with `reason` as lost.
    void peerGone(const QString &reason);

private:
    void setState(LinkState state, const QString &reason);

    QIODevice *m_device = nullptr;
    LinkState m_state = LinkState::Disconnected;
    QString m_reason;
    QString m_openError;
    Async::Event m_activity; // set by arrivals and state changes; waitForBytes() waits on it
};

} // namespace Benchtop::Io
