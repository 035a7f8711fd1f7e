// SPDX-License-Identifier: MIT
#pragma once

// QCustomPlot 2.1's header uses the `signals` and `foreach` keywords, which QT_NO_KEYWORDS (our
// build) removes: lend them for the length of the include.
#pragma push_macro("signals")
#pragma push_macro("foreach")
#undef signals
#undef foreach
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#pragma pop_macro("foreach")
#pragma pop_macro("signals")
