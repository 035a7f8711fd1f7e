// SPDX-License-Identifier: MIT
#pragma once

#include "modbusclient.h"
#include "registermap.h"

#include <QString>
#include <QStringList>

namespace Benchtop::Modbus {

// How Modbus addresses and values read in messages, the same in every part of the driver.

/// "input register 0", "holding registers 10 to 13".
QString registers(Table table, int start, int count);
/// "coil 3", "discrete inputs 0 to 2".
QString bits(BitTable table, int start, int count);
/// `value` in its shortest round-tripping form.
QString number(double value);
/// "\"a\", \"b\"".
QString quotedNames(const QStringList &names);

} // namespace Benchtop::Modbus
