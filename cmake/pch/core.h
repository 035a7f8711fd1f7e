// SPDX-License-Identifier: MIT
// Precompiled for benchtop_core and the driver libraries (BENCHTOP_PCH, cmake/BenchtopHelpers.cmake):
// the standard, Qt and QCoro headers most of their sources include. Only headers that change
// with a compiler or a Debian update belong here; each source still includes what it uses, and
// a build with -DBENCHTOP_PCH=OFF checks that it does.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <coroutine>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariant>
#include <QVariantMap>

#include <QCoroTask>
