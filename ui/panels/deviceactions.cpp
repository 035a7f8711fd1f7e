// SPDX-License-Identifier: MIT
#include "deviceactions.h"

#include <host/devicehandle.h>

#include <exception>
#include <optional>

namespace Benchtop::Ui {

DeviceActions::DeviceActions(DeviceHandle *handle, QObject *parent)
    : QObject(parent)
    , m_handle(handle)
    , m_calls(handle ? handle->name() + QStringLiteral(" panel") : QStringLiteral("panel"))
{
}

DeviceActions::~DeviceActions() = default;

void DeviceActions::call(const QString &what, const QString &message, const QVariantList &args)
{
    call(what, message, args, nullptr, {}, {});
}

void DeviceActions::call(const QString &what, const QString &message, const QVariantList &args,
    QObject *context, Done done, Failed failed)
{
    Q_EMIT operatorAction(what);
    if (!m_handle) {
        const QString reason = tr("%1: the device is no longer available").arg(what);
        Q_EMIT inputRefused(reason);
        if (failed && context)
            failed(reason);
        return;
    }
    ++m_inFlight;
    m_calls.spawn("panel call",
        [this, handle = m_handle.data(), message, args, context = QPointer<QObject>(context),
            done = std::move(done), failed = std::move(failed)]() -> QCoro::Task<> {
            std::optional<QVariant> response;
            QString reason;
            try {
                response = co_await handle->call(message, args);
            } catch (const std::exception &error) {
                // DeviceError's text is UTF-8 (QString::toStdString); so is ours elsewhere.
                reason = QString::fromUtf8(error.what());
            }
            // This object is alive here (destroying it cancels the task at its await instead);
            // the section that asked may not be.
            if (!response)
                Q_EMIT inputRefused(reason);
            if (context) {
                if (response && done)
                    done(*response);
                else if (!response && failed)
                    failed(reason);
            }
            --m_inFlight;
            Q_EMIT answered();
        });
}

void DeviceActions::refuse(const QString &reason)
{
    Q_EMIT inputRefused(reason);
}

void DeviceActions::notify(const QString &text)
{
    Q_EMIT notified(text);
}

void DeviceActions::clearNotice()
{
    Q_EMIT noticeCleared();
}

} // namespace Benchtop::Ui
