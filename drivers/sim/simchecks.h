// SPDX-License-Identifier: MIT
#pragma once

#include <device/devicesettings.h>
#include <plugins/configproblem.h>

#include <QList>

namespace Benchtop::Sim {

/// The rules of the simulated instruments' settings that their schemas (sim.json) cannot say,
/// for SimFactory::checkConfig and for SimDevice's constructor alike (each rule once):
/// - sim-motor: `limits` must overlap `hw_limits` (a warning when they reach beyond it: the
///   limits in force are the overlap); `home_position` must be within `hw_limits`;
/// - sim-sensor `channels`, sim-filter-wheel `slots`: at least one name; sim-digital `inputs`
///   and `outputs`: any number; each name once and not blank; a sensor channel is not
///   `measurement_id`;
/// - sim-digital: no line both an input and an output; `on_press` binds inputs only;
/// - sim-signal: `channel` is a name other than `measurement_id`.
/// A value of the wrong type is left to the typed reads (SimConfig), so that a config that has
/// not been through the schema check is judged as before. Pure; any thread.
QList<ConfigProblem> checkSimConfig(const DeviceSettings &settings);

} // namespace Benchtop::Sim
