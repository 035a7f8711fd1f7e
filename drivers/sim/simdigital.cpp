// SPDX-License-Identifier: MIT
#include "simdigital.h"

#include <async/sleep.h>
#include <device/deviceerror.h>

#include <QPointer>

#include <random>

using namespace std::chrono_literals;

namespace Benchtop::Sim {

namespace {
const QString kFlashing = QStringLiteral("flashing");

// seed 002's aledflash: each LED toggles at a random period in this range.
constexpr int kFlashMinMs = 200;
constexpr int kFlashMaxMs = 1000;

QVariantMap toVariantMap(const QMap<QString, bool> &levels)
{
    QVariantMap map;
    for (auto it = levels.cbegin(); it != levels.cend(); ++it)
        map.insert(it.key(), *it);
    return map;
}
} // namespace

SimDigital::SimDigital(DeviceSettings settings, QObject *parent)
    : SimDevice(std::move(settings), parent)
{
    const SimConfig &c = simConfig();
    // Which lines there are and what on_press may bind: checked by checkSimConfig.
    m_inputs = c.names(QStringLiteral("inputs"));
    m_outputs = c.names(QStringLiteral("outputs"));
    m_bindings = c.map(QStringLiteral("on_press"));
    for (auto it = m_bindings.cbegin(); it != m_bindings.cend(); ++it) {
        const QString target = it->toString();
        const qsizetype dot = target.indexOf(QLatin1Char('.'));
        if (it->typeId() != QMetaType::QString || dot <= 0 || dot == target.size() - 1) {
            c.fail(QStringLiteral("on_press"),
                QStringLiteral("binds \"%1\" to \"%2\"; a binding is \"device.message\"")
                    .arg(it.key(), target));
        }
    }
    m_poll = std::chrono::milliseconds(c.integer(QStringLiteral("poll_ms"), 1, 10'000));

    Async::PushbuttonOptions options;
    options.debounce
        = std::chrono::milliseconds(c.integer(QStringLiteral("debounce_ms"), 0, 10'000));
    options.doubleClick
        = std::chrono::milliseconds(c.integer(QStringLiteral("double_click_ms"), 0, 10'000));
    options.longPress
        = std::chrono::milliseconds(c.integer(QStringLiteral("long_press_ms"), 0, 60'000));
    for (const QString &line : std::as_const(m_inputs)) {
        m_raw.insert(line, false);
        auto button = std::make_unique<Async::Pushbutton>(options);
        using Async::Pushbutton;
        connect(button.get(), &Pushbutton::pressed, this,
            [this, line] { onButton(line, InputEvent::Pressed); });
        connect(button.get(), &Pushbutton::released, this,
            [this, line] { onButton(line, InputEvent::Released); });
        connect(button.get(), &Pushbutton::doubleClicked, this,
            [this, line] { onButton(line, InputEvent::DoubleClick); });
        connect(button.get(), &Pushbutton::longPressed, this,
            [this, line] { onButton(line, InputEvent::LongPress); });
        m_buttons.emplace(line, std::move(button));
    }
    for (const QString &line : std::as_const(m_outputs)) {
        m_levels.insert(line, false);
        m_flashGeneration.insert(line, 0);
    }
    publishInputs();
    publishOutputs();
    setValue(kFlashing, false);
}

SimDigital::~SimDigital()
{
    stopTasksNow();
}

void SimDigital::checkInput(const QString &line) const
{
    if (!m_inputs.contains(line)) {
        throw DeviceError(QStringLiteral("%1 has no input \"%2\" (inputs: %3)")
                              .arg(name(), line, m_inputs.join(QStringLiteral(", "))));
    }
}

void SimDigital::checkOutput(const QString &line) const
{
    if (!m_outputs.contains(line)) {
        throw DeviceError(QStringLiteral("%1 has no output \"%2\" (outputs: %3)")
                              .arg(name(), line, m_outputs.join(QStringLiteral(", "))));
    }
}

bool SimDigital::input(const QString &line) const
{
    checkInput(line);
    return m_buttons.at(line)->isPressed();
}

bool SimDigital::output(const QString &line) const
{
    checkOutput(line);
    return m_levels.value(line);
}

void SimDigital::setOutput(const QString &line, bool on)
{
    checkOutput(line);
    if (m_flashingLines.remove(line)) {
        ++m_flashGeneration[line]; // out of the pattern
        setValue(kFlashing, !m_flashingLines.isEmpty());
    }
    m_levels[line] = on;
    publishOutputs();
}

void SimDigital::publishOutputs()
{
    setValue(StateKey::Outputs, toVariantMap(m_levels));
}

void SimDigital::publishInputs()
{
    QMap<QString, bool> levels;
    for (const auto &[line, button] : m_buttons)
        levels.insert(line, button->isPressed());
    setValue(StateKey::Inputs, toVariantMap(levels));
}

void SimDigital::onButton(const QString &line, InputEvent event)
{
    publishInputs();
    emitInputEvent(line, event);
}

// ---- the simulated panel ---------------------------------------------------------------------

void SimDigital::setRawInput(const QString &line, bool down)
{
    checkInput(line);
    m_raw[line] = down;
}

bool SimDigital::rawInput(const QString &line) const
{
    checkInput(line);
    return m_raw.value(line);
}

QCoro::Task<> SimDigital::updateState()
{
    for (;;) {
        if (co_await pollHardware("input read")) {
            for (const QString &line : std::as_const(m_inputs)) {
                // A slot of inputEvent may do anything, even stop this device: check after each.
                QPointer<SimDigital> self(this);
                m_buttons.at(line)->setInput(m_raw.value(line));
                if (!self)
                    co_return;
            }
        }
        co_await Async::sleep(m_poll);
    }
}

// ---- the flash pattern (aledflash) -----------------------------------------------------------

void SimDigital::flash(std::chrono::milliseconds duration)
{
    const quint64 run = ++m_flashRun;
    std::uniform_int_distribution<int> periodMs(kFlashMinMs, kFlashMaxMs);
    for (const QString &line : std::as_const(m_outputs)) {
        const quint64 generation = ++m_flashGeneration[line];
        m_flashingLines.insert(line);
        const std::chrono::milliseconds period(periodMs(random()));
        spawn(
            "flash", [this, line, period, generation] { return toggle(line, period, generation); });
    }
    setValue(kFlashing, !m_flashingLines.isEmpty());
    if (duration.count() > 0) {
        spawn("flash timer", [this, duration, run]() -> QCoro::Task<> {
            co_await Async::sleep(duration);
            if (run == m_flashRun)
                stopFlashing();
        });
    }
}

QCoro::Task<> SimDigital::toggle(QString line, std::chrono::milliseconds period, quint64 generation)
{
    for (;;) {
        co_await Async::sleep(period);
        if (generation != m_flashGeneration.value(line))
            co_return; // stopped, or taken out of the pattern
        m_levels[line] = !m_levels[line];
        publishOutputs();
    }
}

void SimDigital::stopFlashing()
{
    ++m_flashRun;
    for (const QString &line : std::as_const(m_flashingLines)) {
        ++m_flashGeneration[line];
        m_levels[line] = false;
    }
    m_flashingLines.clear();
    publishOutputs();
    setValue(kFlashing, false);
}

bool SimDigital::isFlashing() const
{
    return !m_flashingLines.isEmpty();
}

// ---- own messages ----------------------------------------------------------------------------

QList<MessageDefinition> SimDigital::ownMessages() const
{
    const QJsonValue string = QStringLiteral("string");
    const QJsonValue number = QStringLiteral("double");
    auto message = [this](const char *name, QList<MessageParameter> request, const char *doc,
                       Effect effect = Effect::Acts) {
        return MessageDefinition{.name = QLatin1String(name),
            .trait = kind(),
            .request = std::move(request),
            .doc = QLatin1String(doc),
            .effect = effect};
    };
    return {message("press", {parameter(QStringLiteral("line"), string)},
                "Presses input `line` (its raw level goes high)."),
        message("release", {parameter(QStringLiteral("line"), string)},
            "Releases input `line` (its raw level goes low)."),
        message("click",
            {parameter(QStringLiteral("line"), string),
                parameter(QStringLiteral("held_ms"), number, 100)},
            "Presses input `line` and releases it `held_ms` later."),
        message("flash", {parameter(QStringLiteral("seconds"), number, 10)},
            "Toggles every output at its own random period for `seconds` (0: until stopped), "
            "then turns them off."),
        message("stop_flash", {}, "Ends the flash pattern at once; every output is off.",
            Effect::Stops)};
}

QVariant SimDigital::invokeOwn(const QString &message, const QVariantList &args)
{
    auto nonNegative = [&](qsizetype index, const char *parameter) {
        const double x = args[index].toDouble();
        if (!(x >= 0)) {
            throw DeviceError(QStringLiteral("%1: %2: argument %3 must be a number >= 0")
                                  .arg(name(), message, QLatin1String(parameter)));
        }
        return x;
    };
    if (message == QLatin1String("press") || message == QLatin1String("release")) {
        setRawInput(args[0].toString(), message == QLatin1String("press"));
    } else if (message == QLatin1String("click")) {
        const QString line = args[0].toString();
        const auto held = std::chrono::milliseconds(qRound64(nonNegative(1, "held_ms")));
        checkInput(line);
        setRawInput(line, true);
        spawn("click", [this, line, held]() -> QCoro::Task<> {
            co_await Async::sleep(held);
            setRawInput(line, false);
        });
    } else if (message == QLatin1String("flash")) {
        flash(std::chrono::milliseconds(qRound64(nonNegative(0, "seconds") * 1000)));
    } else {
        stopFlashing();
    }
    return {};
}

} // namespace Benchtop::Sim
