// SPDX-License-Identifier: MIT
#pragma once

class QWidget;

namespace Benchtop {

/// For bench/startup.cpp: with BENCHTOP_STARTUP_PROBE=1 in the environment, once `window` has
/// finished its first paint pass, prints `first-paint <ns>` on stdout (CLOCK_MONOTONIC, the
/// clock the benchmark read just before it started this process) and closes the window, which
/// quits the application. With BENCHTOP_STARTUP_PROBE=2 it prints the same and leaves the
/// window open: how a test knows the application is up before it acts on it. Without the
/// variable, does nothing.
void installStartupProbe(QWidget *window);

} // namespace Benchtop
