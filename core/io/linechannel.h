// SPDX-License-Identifier: MIT
#pragma once

#include <async/clock.h>
#include <async/lock.h>

#include <QByteArray>
#include <QCoroTask>
#include <QString>

#include <chrono>
#include <optional>

namespace Benchtop::Io {

class Transport;

/// How a line-oriented instrument (SCPI, most serial protocols) frames its exchanges.
struct LineOptions {
    /// Names the instrument in error messages (the device's name).
    QString label;
    QByteArray writeTerminator = "\n";
    QByteArray readTerminator = "\n";
    /// The longest reply accepted, terminator excluded. A longer one is an error, not memory.
    qsizetype maxReplyBytes = 64 * 1024;
    /// How long a query waits for its whole reply, unless the call gives its own.
    std::chrono::milliseconds timeout{2000};
    /// After a reply went wrong (timed out, cut short, too long), the line must stay quiet this
    /// long before the next command, so that the rest of that reply is not taken as the next one's.
    std::chrono::milliseconds settle{100};
    /// This many timed-out replies in a row mean the instrument is gone: the link is dropped (and
    /// the device reconnects). 0: never.
    int timeoutsBeforeLost = 3;
};

/// Command/reply exchanges over a Transport: writes a command with its terminator and awaits the
/// reply up to the read terminator, with a per-call timeout. One exchange at a time (a Lock);
/// begin() holds the line for a sequence (a command, `*OPC?`, `SYST:ERR?`) that nothing may
/// come between.
///
/// Staying in step is the point: bytes nobody asked for are discarded (and logged) before a
/// command is sent; a reply that timed out, arrived cut short, or was too long puts the line out
/// of step, and the next exchange first waits for it to go quiet, discarding the late rest.
/// A reply that is not valid UTF-8 text (or holds control characters) is refused as BadReply but
/// consumed whole, so the next query is in step.
///
/// Errors (all Io::IoError): LinkDown, ReplyTimeout, BadReply. Thread affinity: the
/// transport's. The transport must outlive the channel. Commands are taken by value: a
/// coroutine keeps its parameters while it waits, and a reference would outlive a temporary.
class LineChannel {
public:
    using Duration = std::chrono::milliseconds;

    LineChannel(Transport &transport, LineOptions options);

    const LineOptions &options() const noexcept { return m_options; }

    /// The line held for a sequence of exchanges; released when destroyed.
    class Session {
    public:
        /// Sends `command` and returns its reply (terminator removed). A cancellation point: a
        /// cancelled query leaves the line out of step, like a timed-out one.
        QCoro::Task<QString> query(QString command, std::optional<Duration> timeout = {});
        /// Sends `command`, which has no reply.
        QCoro::Task<> write(QString command);

    private:
        friend class LineChannel;
        Session(LineChannel *channel, Async::LockGuard guard)
            : m_channel(channel)
            , m_guard(std::move(guard))
        {
        }
        LineChannel *m_channel;
        Async::LockGuard m_guard;
    };

    /// Waits for the line and holds it until the Session is destroyed. A cancellation point.
    QCoro::Task<Session> begin();
    /// begin(), then one query.
    QCoro::Task<QString> query(QString command, std::optional<Duration> timeout = {});
    /// begin(), then one write.
    QCoro::Task<> write(QString command);

    /// Counters, for tests and the diagnostics view.
    qint64 discardedBytes() const noexcept { return m_discarded; }
    int timeoutsInARow() const noexcept { return m_timeoutsInARow; }
    bool outOfStep() const noexcept { return m_outOfStep; }

private:
    QCoro::Task<QString> exchange(QString command, bool expectReply, Duration timeout);
    QCoro::Task<> resynchronise(QString command);
    QCoro::Task<QByteArray> readLine(QString command, Async::TimePoint deadline, Duration timeout);
    void send(const QString &command);
    void discardUnasked();
    QString decodeReply(const QByteArray &line, const QString &command) const;
    [[noreturn]] void timedOut(const QString &command, Duration timeout, QByteArray partial);

    Transport &m_transport;
    LineOptions m_options;
    Async::Lock m_lock;
    QByteArray m_pending; // received, not yet a whole reply
    qint64 m_discarded = 0;
    int m_timeoutsInARow = 0;
    bool m_outOfStep = false;
};

/// `text` for an error message: cut to `max` characters with "…", control characters and bytes
/// that are not text shown as \n, \xff, so that a garbled reply cannot garble the log.
QString quoted(const QByteArray &text, qsizetype max = 40);

} // namespace Benchtop::Io
