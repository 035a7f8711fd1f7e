// SPDX-License-Identifier: MIT
#pragma once

#include "simdevice.h"

#include <async/pushbutton.h>
#include <device/traits.h>

#include <QMap>
#include <QSet>

#include <map>
#include <memory>

namespace Benchtop::Sim {

/// `sim-digital`: a panel of output lines (LEDs) and input lines (push buttons, a foot switch)
/// (has-digital-io).
///
/// Config: inputs, outputs (line names), on_press (input line -> "device.message"; the device
/// host resolves it, this device only checks at creation that every bound line is one of its
/// inputs), poll_ms (how often the input lines are read), debounce_ms, double_click_ms,
/// long_press_ms (the Pushbutton's timings; 0 disables double click or long press), and the
/// fault knobs latency_ms, timeout_rate, disconnect_after_s, seed.
///
/// State: inputs and outputs (line -> bool: debounced input levels, output levels), flashing.
///
/// - update_state reads the raw input levels every poll_ms (one hardware call) and feeds each
///   line's Async::Pushbutton, whose debounced press, release, double click and long press
///   are emitted as inputEvent(line, ...).
/// - Own messages simulate the person at the panel: `press` line, `release` line (the raw
///   level), `click` line [held_ms = 100] (press, and release held_ms later).
/// - `flash` [seconds = 10] is seed 002's aledflash: every output toggles at its own random
///   period (200 to 1000 ms, from the seeded generator) until the time is up (0: until
///   stopped), then all outputs are off. `stop_flash` ends it at once (outputs off);
///   set_output on a flashing line takes that line out of the pattern.
class SimDigital final
    : public SimDevice
    , public HasDigitalIo {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasDigitalIo)
public:
    /// Throws DeviceError for an unusable config, including a binding of a line that is not an
    /// input.
    explicit SimDigital(DeviceSettings settings, QObject *parent = nullptr);
    ~SimDigital() override;

    QStringList inputNames() const override { return m_inputs; }
    QStringList outputNames() const override { return m_outputs; }
    bool input(const QString &line) const override;
    bool output(const QString &line) const override;
    void setOutput(const QString &line, bool on) override;

    QList<MessageDefinition> ownMessages() const override;
    QVariant invokeOwn(const QString &message, const QVariantList &args) override;

    /// The simulated physical level of an input line (what update_state reads).
    void setRawInput(const QString &line, bool down);
    bool rawInput(const QString &line) const;
    /// Starts the flash pattern for `duration` (zero: until stopFlashing()).
    void flash(std::chrono::milliseconds duration);
    void stopFlashing();
    bool isFlashing() const;
    /// The bindings from the config (input line -> "device.message").
    QVariantMap bindings() const { return m_bindings; }

protected:
    QCoro::Task<> updateState() override;

private:
    void checkInput(const QString &line) const;
    void checkOutput(const QString &line) const;
    void onButton(const QString &line, InputEvent event);
    void publishOutputs();
    void publishInputs();
    QCoro::Task<> toggle(QString line, std::chrono::milliseconds period, quint64 generation);

    QStringList m_inputs;
    QStringList m_outputs;
    QVariantMap m_bindings;
    std::chrono::milliseconds m_poll{10};
    QMap<QString, bool> m_raw;
    QMap<QString, bool> m_levels; // outputs
    QMap<QString, quint64> m_flashGeneration; // per output; a change ends that line's toggler
    QSet<QString> m_flashingLines;
    quint64 m_flashRun = 0; // a change ends the running pattern's timer
    std::map<QString, std::unique_ptr<Async::Pushbutton>> m_buttons;
};

} // namespace Benchtop::Sim
