// SPDX-License-Identifier: MIT
#pragma once

// The coroutine runtime: asyncio's primitives for instrument code, on the Qt event loop and
// QCoro. See docs/async.md.

#include "blocking.h"
#include "clock.h"
#include "combinators.h"
#include "debouncer.h"
#include "errors.h"
#include "event.h"
#include "future.h"
#include "lock.h"
#include "manualclock.h"
#include "polluntil.h"
#include "pushbutton.h"
#include "queue.h"
#include "retriggerabledelay.h"
#include "semaphore.h"
#include "signal.h"
#include "sleep.h"
#include "switch.h"
#include "task.h"
#include "taskgroup.h"
#include "taskhandle.h"
