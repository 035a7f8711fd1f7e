// SPDX-License-Identifier: MIT
#include "transport.h"

#include "ioerror.h"

#include <async/combinators.h>
#include <async/errors.h>

#include <QIODevice>

namespace Benchtop::Io {

Transport::Transport(QObject *parent)
    : QObject(parent)
{
}

Transport::~Transport() = default;

void Transport::setDevice(QIODevice *device)
{
    m_device = device;
    connect(device, &QIODevice::readyRead, this, [this] { m_activity.set(); });
}

QCoro::Task<> Transport::open(Async::Clock::duration limit)
{
    if (m_state != LinkState::Disconnected)
        closeDevice();
    m_openError.clear();
    setState(LinkState::Connecting, {});
    m_activity.clear();
    startOpen();
    try {
        const auto deadline = Async::now() + limit;
        while (m_state == LinkState::Connecting && m_openError.isEmpty()) {
            m_activity.clear();
            co_await Async::timeout([this] { return m_activity.wait(); }, deadline - Async::now());
        }
    } catch (const Async::Timeout &) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limit).count();
        m_openError = QStringLiteral("no connection within %1 ms").arg(ms);
    } catch (...) { // cancelled: leave it closed
        closeDevice();
        setState(LinkState::Disconnected, QStringLiteral("connection attempt cancelled"));
        throw;
    }
    if (m_state == LinkState::Connected)
        co_return;
    const QString reason = QStringLiteral("%1: %2").arg(describe(), m_openError);
    closeDevice();
    setState(LinkState::Disconnected, reason);
    throw LinkDown(reason);
}

void Transport::drop(const QString &reason)
{
    const bool wasConnected = m_state == LinkState::Connected;
    closeDevice();
    setState(LinkState::Disconnected, reason);
    if (wasConnected)
        Q_EMIT lost(reason);
}

void Transport::write(const QByteArray &bytes)
{
    if (!isConnected())
        throw LinkDown(QStringLiteral("%1 is not connected (%2)").arg(describe(), m_reason));
    if (m_device->write(bytes) != bytes.size()) {
        const QString reason = QStringLiteral("%1: write failed: %2").arg(describe(), m_device->errorString());
        peerGone(reason);
        throw LinkDown(reason);
    }
}

QByteArray Transport::takeAvailable()
{
    if (!m_device || !m_device->isOpen())
        return {};
    return m_device->readAll();
}

QCoro::Task<bool> Transport::waitForBytes(Async::Clock::duration limit)
{
    if (!isConnected() || m_device->bytesAvailable() > 0)
        co_return true;
    m_activity.clear();
    try {
        co_await Async::timeout([this] { return m_activity.wait(); }, limit);
    } catch (const Async::Timeout &) {
        co_return false;
    }
    co_return true;
}

void Transport::opened()
{
    if (m_state == LinkState::Connecting)
        setState(LinkState::Connected, {});
}

void Transport::openFailed(const QString &reason)
{
    if (m_state != LinkState::Connecting)
        return;
    m_openError = reason;
    m_activity.set();
}

void Transport::peerGone(const QString &reason)
{
    if (m_state == LinkState::Connecting) {
        openFailed(reason);
        return;
    }
    if (m_state != LinkState::Connected)
        return;
    drop(QStringLiteral("%1: %2").arg(describe(), reason));
}

void Transport::setState(LinkState state, const QString &reason)
{
    const bool changed = state != m_state || reason != m_reason;
    m_state = state;
    m_reason = reason;
    m_activity.set(); // a reader waiting for bytes must see the change
    if (changed)
        Q_EMIT stateChanged(state, reason);
}

} // namespace Benchtop::Io
