// SPDX-License-Identifier: MIT
#include "serialtransport.h"

namespace Benchtop::Io {

QString SerialSettings::describe() const
{
    QChar parityLetter = QLatin1Char('N');
    switch (parity) {
    case QSerialPort::EvenParity:
        parityLetter = QLatin1Char('E');
        break;
    case QSerialPort::OddParity:
        parityLetter = QLatin1Char('O');
        break;
    case QSerialPort::SpaceParity:
        parityLetter = QLatin1Char('S');
        break;
    case QSerialPort::MarkParity:
        parityLetter = QLatin1Char('M');
        break;
    default:
        break;
    }
    const QString stop = stopBits == QSerialPort::OneAndHalfStop ? QStringLiteral("1.5")
                                                                   : QString::number(int(stopBits));
    QString text = QStringLiteral("%1 %2%3%4").arg(baud).arg(int(dataBits)).arg(parityLetter).arg(stop);
    if (flowControl == QSerialPort::HardwareControl)
        text += QStringLiteral(" rts/cts");
    else if (flowControl == QSerialPort::SoftwareControl)
        text += QStringLiteral(" xon/xoff");
    return text;
}

SerialTransport::SerialTransport(QString portName, SerialSettings settings, QObject *parent)
    : Transport(parent)
    , m_portName(std::move(portName))
    , m_settings(settings)
{
    setDevice(&m_port);
    connect(&m_port, &QSerialPort::errorOccurred, this, [this](QSerialPort::SerialPortError error) {
        // Unplugging gives ResourceError; a failed read or write means the line is unusable too.
        if (error == QSerialPort::ResourceError || error == QSerialPort::ReadError
            || error == QSerialPort::WriteError || error == QSerialPort::PermissionError)
            peerGone(m_port.errorString());
    });
}

SerialTransport::~SerialTransport()
{
    m_port.disconnect(this);
    m_port.close();
}

QString SerialTransport::describe() const
{
    return QStringLiteral("serial %1 %2").arg(m_portName, m_settings.describe());
}

void SerialTransport::startOpen()
{
    m_port.setPortName(m_portName);
    // Opening a tty does not wait for anything on the line: it is quick, and its answer is final.
    if (!m_port.open(QIODevice::ReadWrite)) {
        openFailed(m_port.errorString());
        return;
    }
    const bool configured = m_port.setBaudRate(m_settings.baud)
        && m_port.setDataBits(m_settings.dataBits) && m_port.setParity(m_settings.parity)
        && m_port.setStopBits(m_settings.stopBits) && m_port.setFlowControl(m_settings.flowControl);
    if (!configured) {
        const QString error = QStringLiteral("cannot set %1: %2").arg(m_settings.describe(), m_port.errorString());
        m_port.close();
        openFailed(error);
        return;
    }
    m_port.clear(); // anything left in the line from before is not an answer to us
    opened();
}

void SerialTransport::closeDevice()
{
    const QSignalBlocker quiet(m_port);
    m_port.close();
}

} // namespace Benchtop::Io
