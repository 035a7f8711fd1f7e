// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace Benchtop::Async {
Q_DECLARE_LOGGING_CATEGORY(lcAsync)
}
