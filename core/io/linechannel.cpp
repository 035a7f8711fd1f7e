// SPDX-License-Identifier: MIT
#include "linechannel.h"

#include "ioerror.h"
#include "transport.h"

#include <QLoggingCategory>
#include <QStringDecoder>

namespace Benchtop::Io {

Q_LOGGING_CATEGORY(lcIo, "benchtop.io")

namespace {

qint64 milliseconds(LineChannel::Duration duration)
{
    return duration.count();
}

} // namespace

QString quoted(const QByteArray &text, qsizetype max)
{
    QString shown;
    const qsizetype shownBytes = std::min(text.size(), max);
    for (qsizetype i = 0; i < shownBytes; ++i) {
        const auto byte = static_cast<unsigned char>(text.at(i));
        if (byte == '\n')
            shown += QStringLiteral("\\n");
        else if (byte == '\r')
            shown += QStringLiteral("\\r");
        else if (byte == '\t')
            shown += QStringLiteral("\\t");
        else if (byte == '"' || byte == '\\')
            shown += QStringLiteral("\\") + QLatin1Char(char(byte));
        else if (byte < 0x20 || byte >= 0x7f)
            shown += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
        else
            shown += QLatin1Char(char(byte));
    }
    if (text.size() > max)
        shown += QStringLiteral("…");
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

LineChannel::LineChannel(Transport &transport, LineOptions options)
    : m_transport(transport)
    , m_options(std::move(options))
{
}

QCoro::Task<LineChannel::Session> LineChannel::begin()
{
    Async::LockGuard guard = co_await m_lock.lock();
    co_return Session(this, std::move(guard));
}

QCoro::Task<QString> LineChannel::query(QString command, std::optional<Duration> timeout)
{
    Session session = co_await begin();
    co_return co_await session.query(command, timeout);
}

QCoro::Task<> LineChannel::write(QString command)
{
    Session session = co_await begin();
    co_await session.write(command);
}

QCoro::Task<QString> LineChannel::Session::query(QString command, std::optional<Duration> timeout)
{
    return m_channel->exchange(command, true, timeout.value_or(m_channel->m_options.timeout));
}

QCoro::Task<> LineChannel::Session::write(QString command)
{
    co_await m_channel->exchange(command, false, m_channel->m_options.timeout);
}

QCoro::Task<QString> LineChannel::exchange(QString command, bool expectReply, Duration timeout)
{
    if (!m_transport.isConnected()) {
        throw LinkDown(QStringLiteral("%1: cannot send %2: not connected (%3)")
                           .arg(m_options.label, quoted(command.toUtf8()), m_transport.reason()));
    }
    if (m_outOfStep)
        co_await resynchronise(command);
    discardUnasked();
    send(command);
    const Async::TimePoint deadline = Async::now() + timeout;
    if (!expectReply)
        co_return QString();
    // Until the whole reply is in, the line is out of step: a timeout, a cancellation or an
    // overlong reply all leave the rest of it on its way.
    m_outOfStep = true;
    const QByteArray line = co_await readLine(command, deadline, timeout);
    m_outOfStep = false;
    m_timeoutsInARow = 0;
    co_return decodeReply(line, command);
}

void LineChannel::send(const QString &command)
{
    if (command.contains(QLatin1Char('\n')) || command.contains(QLatin1Char('\r'))) {
        throw IoError(QStringLiteral("%1: refused to send %2: a command cannot hold a line break")
                          .arg(m_options.label, quoted(command.toUtf8())));
    }
    m_transport.write(command.toUtf8() + m_options.writeTerminator);
}

void LineChannel::discardUnasked()
{
    const QByteArray stale = m_pending + m_transport.takeAvailable();
    m_pending.clear();
    if (stale.isEmpty())
        return;
    m_discarded += stale.size();
    qCWarning(lcIo).noquote() << m_options.label << "discarded" << stale.size()
                              << "bytes nobody asked for:" << quoted(stale);
}

QCoro::Task<> LineChannel::resynchronise(QString command)
{
    // The rest of an earlier reply may still be coming: wait until the line is quiet. A reply
    // may be as late as a whole timeout; a line that is still busy after that keeps sending.
    const Async::TimePoint limit = Async::now() + m_options.timeout + m_options.settle;
    for (;;) {
        discardUnasked();
        if (!m_transport.isConnected())
            throw LinkDown(QStringLiteral("%1: link lost (%2)").arg(m_options.label, m_transport.reason()));
        const bool heard = co_await m_transport.waitForBytes(m_options.settle);
        if (!heard)
            break;
        if (Async::now() >= limit) {
            throw ReplyTimeout(QStringLiteral("%1: cannot send %2: the instrument keeps sending "
                                              "(%3 bytes discarded so far)")
                                   .arg(m_options.label, quoted(command.toUtf8()))
                                   .arg(m_discarded));
        }
    }
    m_outOfStep = false;
}

QCoro::Task<QByteArray> LineChannel::readLine(
    QString command, Async::TimePoint deadline, Duration timeout)
{
    const QByteArray &terminator = m_options.readTerminator;
    bool timeIsUp = false;
    for (;;) {
        m_pending += m_transport.takeAvailable();
        const qsizetype end = m_pending.indexOf(terminator);
        if (end >= 0 && end <= m_options.maxReplyBytes) {
            QByteArray line = m_pending.left(end);
            m_pending.remove(0, end + terminator.size());
            co_return line;
        }
        if (m_pending.size() > m_options.maxReplyBytes) {
            const QByteArray start = m_pending.left(40);
            m_pending.clear(); // the rest is discarded while resynchronising
            throw BadReply(QStringLiteral("%1: reply to %2 is longer than %3 bytes: %4")
                               .arg(m_options.label, quoted(command.toUtf8()))
                               .arg(m_options.maxReplyBytes)
                               .arg(quoted(start)));
        }
        if (!m_transport.isConnected()) {
            throw LinkDown(QStringLiteral("%1: link lost while waiting for the reply to %2 (%3)")
                               .arg(m_options.label, quoted(command.toUtf8()), m_transport.reason()));
        }
        if (timeIsUp)
            timedOut(command, timeout, m_pending);
        const auto left = deadline - Async::now();
        // Once time is up, one more pass takes what arrived meanwhile.
        timeIsUp = left <= Async::Clock::duration::zero() || !co_await m_transport.waitForBytes(left);
    }
}

void LineChannel::timedOut(const QString &command, Duration timeout, QByteArray partial)
{
    m_pending.clear(); // the rest of it is discarded while resynchronising
    ++m_timeoutsInARow;
    const QString what = partial.isEmpty()
        ? QStringLiteral("%1: no reply to %2 within %3 ms")
              .arg(m_options.label, quoted(command.toUtf8()))
              .arg(milliseconds(timeout))
        : QStringLiteral("%1: reply to %2 incomplete after %3 ms (no terminator): %4")
              .arg(m_options.label, quoted(command.toUtf8()))
              .arg(milliseconds(timeout))
              .arg(quoted(partial));
    if (m_options.timeoutsBeforeLost > 0 && m_timeoutsInARow >= m_options.timeoutsBeforeLost) {
        m_transport.drop(QStringLiteral("%1 replies in a row timed out").arg(m_timeoutsInARow));
        m_timeoutsInARow = 0;
    }
    throw ReplyTimeout(what);
}

QString LineChannel::decodeReply(const QByteArray &line, const QString &command) const
{
    QByteArray bytes = line;
    if (bytes.endsWith('\r')) // "\r\n" replies to a "\n" reader
        bytes.chop(1);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    bool control = false;
    for (const char byte : bytes)
        control = control || (static_cast<unsigned char>(byte) < 0x20 && byte != '\t');
    if (decoder.hasError() || control) {
        throw BadReply(QStringLiteral("%1: reply to %2 is not text: %3")
                           .arg(m_options.label, quoted(command.toUtf8()), quoted(line)));
    }
    return text;
}

} // namespace Benchtop::Io
