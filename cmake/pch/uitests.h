// SPDX-License-Identifier: MIT
// Precompiled once and shared by every test that links the widgets (BENCHTOP_PCH). Qt Test picks
// QApplication for QTEST_MAIN from QT_WIDGETS_LIB when its header is read, so these tests need
// their own precompiled header, built with the widgets' definitions.
#pragma once

#include "tests.h"
#include "widgets.h"

#include <QScrollArea>
