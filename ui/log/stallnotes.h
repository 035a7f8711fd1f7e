// SPDX-License-Identifier: MIT
#pragma once

#include <async/loopwatchdog.h>

#include <QHash>
#include <QString>

#include <chrono>
#include <optional>

namespace Benchtop::Ui {

/// Turns the loop watchdog's reports into log lines a person can read. A hold of a second or
/// more is always said: once while it lasts ("is holding the device loop: 1.0 s so far") and
/// once when it ends. Shorter holds are said when they end, but at most once per culprit every
/// kQuietPeriod: a driver that holds the loop for 30 ms at every poll must not flood the log,
/// so the holds in between are counted into the next line. A hold that was mostly waiting for
/// a CPU (reported while it lasted, before that was known) is said as "the machine was busy",
/// not as the driver's hold. Pure logic; the GUI thread's.
class StallNotes {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::seconds kQuietPeriod{10};

    struct Note {
        QString device; ///< the owner: a device's name, or empty
        QString message;
    };

    std::optional<Note> stalled(const Async::LoopStall &stall);
    std::optional<Note> ended(const Async::LoopStall &stall, Clock::time_point now);

private:
    struct Culprit {
        std::optional<Clock::time_point> lastSaid;
        int unsaid = 0; ///< short holds ended since lastSaid and not said
        std::chrono::milliseconds longestUnsaid{0};
        bool saidOngoing = false; ///< this hold's "so far" line was said
    };
    QHash<QString, Culprit> m_culprits;
};

} // namespace Benchtop::Ui
