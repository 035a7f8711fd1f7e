// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Benchtop::Modbus {

/// Text of a Modbus exception code, for a message: 1 "illegal function", 2 "illegal data
/// address", 3 "illegal data value", 4 "server device failure", 5 "acknowledge", 6 "server
/// device busy", 8 "memory parity error", 0x0A "gateway path unavailable", 0x0B "gateway target
/// device failed to respond"; any other "unknown exception code 0x%02X". Always followed by
/// " (exception N)", so that the number can be looked up in the instrument's manual.
QString exceptionText(int code);

/// The exception code of a raw response PDU (function code byte then data, as QModbusResponse
/// holds them): a code when it is an exception response (function code with bit 0x80 set),
/// nullopt for a normal response. An empty PDU or a malformed exception response (function
/// code 0x80, i.e. no function; any length other than 2 bytes) throws CodecError.
std::optional<int> exceptionCode(const QByteArray &pdu);

} // namespace Benchtop::Modbus
