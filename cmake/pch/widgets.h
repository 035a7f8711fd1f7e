// SPDX-License-Identifier: MIT
// Precompiled for benchtop_ui (BENCHTOP_PCH): core's set and the Qt Widgets headers its parts share.
#pragma once

#include "core.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>
