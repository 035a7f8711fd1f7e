// SPDX-License-Identifier: MIT
#pragma once

#include <plugins/configproblem.h>

#include <QList>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace Benchtop::YaqDriver {

/// Where a yaq daemon listens: a yaq device's `address`.
struct YaqAddress {
    QString host; ///< a name or an address; an IPv6 address without its brackets
    quint16 port = 0;
};

/// `host:port` (`localhost:36000`, `192.168.1.20:36001`, `[::1]:36000`), trimmed: the host is
/// what comes before the last ':', the port a number from 1 to 65535. Nullopt otherwise.
std::optional<YaqAddress> parseYaqAddress(const QString &text);

/// The rule of a yaq device's settings that its schema (yaq.json) cannot say, for
/// YaqFactory::checkConfig and RemoteDevice's constructor alike: `address` is `host:port`
/// (parseYaqAddress), and reconnect_max_ms is not below reconnect_min_ms
/// (Io::checkReconnectConfig). A missing or non-string address is left to the schema. Pure; any
/// thread.
QList<ConfigProblem> checkYaqConfig(const QVariantMap &config);

} // namespace Benchtop::YaqDriver
