// SPDX-License-Identifier: MIT
#pragma once

#include "transport.h"

#include <QTcpSocket>

namespace Benchtop::Io {

/// A raw TCP socket to an instrument (SCPI on port 5025, LXI's "socket" interface). Nagle is
/// off: instrument commands are short and a query waits for its reply.
class TcpTransport final : public Transport {
    Q_OBJECT
public:
    TcpTransport(QString host, quint16 port, QObject *parent = nullptr);
    ~TcpTransport() override;

    QString describe() const override;
    const QString &host() const noexcept { return m_host; }
    quint16 port() const noexcept { return m_port; }

protected:
    void startOpen() override;
    void closeDevice() override;

private:
    QString m_host;
    quint16 m_port;
    QTcpSocket m_socket;
};

} // namespace Benchtop::Io
