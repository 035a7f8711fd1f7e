// SPDX-License-Identifier: MIT
#include "inputbindings.h"

namespace Benchtop {

InputBindings::InputBindings(DriverFor driverFor, Call call, Failed failed)
    : m_driverFor(std::move(driverFor))
    , m_call(std::move(call))
    , m_failed(std::move(failed))
{
}

std::optional<InputEvent> InputBindings::eventOf(const QString &key)
{
    if (key == QLatin1String("on_release"))
        return InputEvent::Released;
    if (key == QLatin1String("on_double"))
        return InputEvent::DoubleClick;
    if (key == QLatin1String("on_long"))
        return InputEvent::LongPress;
    if (key == QLatin1String("on_press"))
        return InputEvent::Pressed;
    return std::nullopt;
}

void InputBindings::onInput(const Device &source, const QString &line, InputEvent event) const
{
    if (!m_driverFor)
        return;
    const std::optional<DriverInfo> info = m_driverFor(source.kind());
    if (!info)
        return;
    for (const ConfigField &field : info->config) {
        if (field.type != ValueType::Bindings || eventOf(field.name) != event)
            continue;
        const QString target = source.config().value(field.name).toMap().value(line).toString();
        if (target.isEmpty())
            continue;
        const QString binding
            = QStringLiteral("%1.%2 %3 → %4").arg(source.name(), line, field.name, target);
        const qsizetype dot = target.lastIndexOf(QLatin1Char('.'));
        if (dot <= 0) {
            m_failed(binding, QStringLiteral("the target must be \"device.message\""));
            continue;
        }
        m_call(target.left(dot), target.mid(dot + 1),
            [failed = m_failed, binding](std::exception_ptr error) {
                if (!error)
                    return;
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception &e) {
                    failed(binding, QString::fromLocal8Bit(e.what()));
                } catch (...) {
                    // Cancelled as the host shuts down: nothing to report.
                }
            });
    }
}

} // namespace Benchtop
