// SPDX-License-Identifier: MIT
#include "yaqaddress.h"

#include <device/diagnostics.h>
#include <io/transportconfig.h>

namespace Benchtop::YaqDriver {

std::optional<YaqAddress> parseYaqAddress(const QString &text)
{
    const QString address = text.trimmed();
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? address.mid(colon + 1).toUInt(&ok) : 0;
    if (!ok || port == 0 || port > 65535)
        return std::nullopt;
    QString host = address.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2); // [::1]:36000
    return YaqAddress{host, quint16(port)};
}

QList<ConfigProblem> checkYaqConfig(const QVariantMap &config)
{
    QList<ConfigProblem> problems = Io::checkReconnectConfig(config);
    const QString key = QStringLiteral("address");
    const QVariant address = config.value(key);
    if (address.typeId() != QMetaType::QString || parseYaqAddress(address.toString()))
        return problems;
    problems.prepend(ConfigProblem::error(key,
        QStringLiteral("key \"address\" must be \"host:port\" (a yaq daemon's host and TCP port, "
                       "e.g. \"localhost:36000\"), not %1")
            .arg(quoted(address.toString()))));
    return problems;
}

} // namespace Benchtop::YaqDriver
