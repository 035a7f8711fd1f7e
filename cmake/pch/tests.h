// SPDX-License-Identifier: MIT
// Precompiled once and shared by every test that does not link the widgets (BENCHTOP_PCH,
// tests/CMakeLists.txt). Unlike core's set it holds Benchtop's own most used headers: a test
// executable is one source, so a per-target header would save nothing, and a shared one must
// hold what most tests parse. Qt Test's QT_TESTCASE_BUILDDIR and QT_TESTCASE_SOURCEDIR differ
// per test, so the precompiled header is built without them (its host does not link Qt6::Test);
// only QFINDTESTDATA would read them, and no test uses it.
#pragma once

#include "core.h"

#include <QSignalSpy>
#include <QTest>

#include <async/async.h>
#include <device/awaitables.h>
#include <device/device.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>
#include <device/traits.h>
#include <host/devicehost.h>

#include "testsupport.h"
