// SPDX-License-Identifier: MIT
#include "run/hdf5/h5error.h"

#include <hdf5.h>

#include <QRegularExpression>
#include <QStringList>

namespace Benchtop::Run::H5 {

Error::Error(const QString &message)
    : std::runtime_error(message.toStdString())
    , m_message(message)
{
}

void silenceErrorPrinting()
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

namespace {

herr_t collect(unsigned, const H5E_error2_t *error, void *data)
{
    auto *lines = static_cast<QStringList *>(data);
    const QString line = QString::fromUtf8(error->desc ? error->desc : "") + QStringLiteral(" (")
        + QString::fromUtf8(error->func_name ? error->func_name : "") + QLatin1Char(')');
    if (!lines->contains(line))
        lines->append(line);
    return 0;
}

} // namespace

void raise(const QString &file, const QString &object, const QString &what)
{
    QStringList stack;
    // Innermost first: the innermost entry is the cause ("file exists", a write that failed),
    // the outer ones only say which call gave up.
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &stack);
    H5Eclear2(H5E_DEFAULT);
    QString message = file;
    if (!object.isEmpty())
        message += QStringLiteral(": ") + object;
    message += QStringLiteral(": ") + what;
    if (!stack.isEmpty()) {
        QString cause = stack.first();
        // A failed write(2) is described with its buffer address, offsets and time: keep what a
        // user can act on, the system's message ("No space left on device").
        static const QRegularExpression systemMessage(QStringLiteral("error message = '([^']*)'"));
        const QRegularExpressionMatch match = systemMessage.match(cause);
        if (match.hasMatch())
            cause = cause.left(cause.indexOf(QLatin1Char(':'))) + QStringLiteral(": ")
                + match.captured(1);
        message += QStringLiteral(": ") + cause.simplified();
    }
    throw Error(message);
}

} // namespace Benchtop::Run::H5
