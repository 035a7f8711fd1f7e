// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <chrono>

namespace Benchtop::Ui {

/// How long something held, as the log, the status bar and the panel header say it: "25 ms"
/// under a second, "1.0 s" from a second on.
QString formatHeld(std::chrono::milliseconds held);

} // namespace Benchtop::Ui
