// SPDX-License-Identifier: MIT
#pragma once

#include "modbusclient.h"
#include "registermap.h"

#include <device/limits.h>
#include <io/backoff.h>
#include <plugins/configproblem.h>

#include <QList>
#include <QMap>
#include <QString>
#include <QVariantMap>

#include <chrono>
#include <optional>

namespace Benchtop::Modbus {

/// A `modbus-tcp` device's lab table, read and checked (docs/drivers/modbus.md lists the keys).
struct ModbusSettings {
    ModbusClient::Options client;
    /// 0: no polling (values change only on measure, set_position and set_output).
    std::chrono::milliseconds poll{500};
    std::chrono::milliseconds connectTimeout{3000};
    Io::Backoff::Settings backoff;

    QList<RegisterSpec> channels; ///< sorted by name
    std::optional<RegisterSpec> setpoint;
    Limits limits; ///< of the setpoint; unbounded for `limits = []`
    OutOfLimits outOfLimits = OutOfLimits::Error;
    QMap<QString, quint16> inputs; ///< line → discrete-input address
    QMap<QString, quint16> outputs; ///< line → coil address

    /// Reads `config` (the schema's defaults filled in; a missing key takes the same default).
    /// Throws DeviceError with one line naming the device and the key, e.g.
    /// `device "plc": channels.temperature: unknown key "adress" (did you mean "address"?)`.
    static ModbusSettings fromConfig(const QString &device, const QVariantMap &config);
    /// Every problem fromConfig would refuse `config` for, each about its key (`channels`,
    /// `outputs.door`), for the lab checker (ModbusFactory::checkConfig): the register maps, the
    /// lines, a channel called measurement_id, a line both an input and an output, the limits,
    /// the numbers' ranges, and the connection's (Io::checkReconnectConfig: reconnect_max_ms not
    /// below reconnect_min_ms).
    static QList<ConfigProblem> check(const QVariantMap &config);
};

} // namespace Benchtop::Modbus
