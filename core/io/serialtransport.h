// SPDX-License-Identifier: MIT
#pragma once

#include "transport.h"

#include <QSerialPort>

namespace Benchtop::Io {

/// The line settings of a serial port.
struct SerialSettings {
    qint32 baud = 9600;
    QSerialPort::DataBits dataBits = QSerialPort::Data8;
    QSerialPort::Parity parity = QSerialPort::NoParity;
    QSerialPort::StopBits stopBits = QSerialPort::OneStop;
    QSerialPort::FlowControl flowControl = QSerialPort::NoFlowControl;

    /// "9600 8N1", "115200 7E2 rts/cts".
    QString describe() const;
};

/// A serial line (RS-232, a USB-serial adapter, a pseudo-terminal). Unplugging the adapter is
/// reported by QSerialPort as a resource error: the link is then lost and reopened later.
class SerialTransport final : public Transport {
    Q_OBJECT
public:
    SerialTransport(QString portName, SerialSettings settings, QObject *parent = nullptr);
    ~SerialTransport() override;

    QString describe() const override;

protected:
    void startOpen() override;
    void closeDevice() override;

private:
    QString m_portName;
    SerialSettings m_settings;
    QSerialPort m_port;
};

} // namespace Benchtop::Io
