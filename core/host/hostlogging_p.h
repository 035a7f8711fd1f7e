// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace Benchtop {

/// The device host's log ("benchtop.host"), shared by its parts.
Q_DECLARE_LOGGING_CATEGORY(lcHost)

} // namespace Benchtop
