// SPDX-License-Identifier: MIT
#pragma once

#include "backoff.h"
#include "linechannel.h"

#include <plugins/configproblem.h>

#include <QVariantMap>

#include <memory>

namespace Benchtop::Io {

class Transport;

/// The settings every driver with a line to its instrument shares, read from its lab table
/// (the keys are documented in docs/drivers/transports.md and repeated in each driver's schema):
///
///   transport = "tcp" | "serial"
///   host, tcp_port                                   (tcp)
///   serial_port, baud, data_bits, parity, stop_bits, flow_control   (serial)
///   write_terminator, read_terminator, timeout_ms, max_reply_bytes, settle_ms,
///   timeouts_before_disconnect, connect_timeout_ms, reconnect_min_ms, reconnect_max_ms
///
/// Missing keys take the defaults below, so a driver's schema may leave out what it does not
/// offer. Every function throws DeviceError naming the device and the key when a value is wrong.

/// The transport the config asks for, not yet open.
std::unique_ptr<Transport> makeTransport(const QString &device, const QVariantMap &config);
/// Framing and timeouts of a line protocol; `label` is the device's name.
LineOptions lineOptions(const QString &device, const QVariantMap &config);
Backoff::Settings reconnectBackoff(const QString &device, const QVariantMap &config);
std::chrono::milliseconds connectTimeout(const QString &device, const QVariantMap &config);

/// Every problem makeTransport, lineOptions, reconnectBackoff and connectTimeout would throw
/// for, each about its key (`key "host" is needed for transport "tcp"`, a terminator's bad
/// escape, reconnect_max_ms below reconnect_min_ms), for a driver's checkConfig: the same rules,
/// so that the lab checker refuses before creation what creation would refuse. Opens nothing,
/// makes no QObject; pure, any thread.
QList<ConfigProblem> checkLinkConfig(const QVariantMap &config);
/// The part of checkLinkConfig about connecting and reconnecting (connect_timeout_ms,
/// reconnect_min_ms, reconnect_max_ms), for drivers that make their own connection (Modbus, yaq).
QList<ConfigProblem> checkReconnectConfig(const QVariantMap &config);

/// "\\r\\n" as written in a lab file → the bytes CR LF. Understands \n \r \t \\ and \xHH.
/// Throws DeviceError for an empty result or an unknown escape.
QByteArray unescapeTerminator(const QString &device, const QString &key, const QString &text);

} // namespace Benchtop::Io
