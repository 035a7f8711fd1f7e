// SPDX-License-Identifier: MIT
#pragma once

// The run queue served as a yaq daemon: a script with a yaq client queues plans, follows and
// controls runs (docs/scripting.md).

#include <yaq/server/server.h>

#include <QPointer>

namespace Benchtop::Run {

class RunService;

/// Serves a RunService as the yaq daemon `benchtop-runs` (traits: is-daemon):
/// - `queue_plan(plan: string, position: int = -1) -> string`: checks the plan (TOML text)
///   against the lab and queues it; the answer is the run's uid. A plan with errors is refused
///   with every error, one per line, `FILE:LINE:COLUMN: ...`.
/// - `get_queue() -> array<map<string>>`: the items (uid, kind, state, plan_path, exit_status,
///   reason, file), done ones first.
/// - `remove(uid)`, `move(uid, position)`, `add_stop_marker(position = -1) -> string`,
///   `start_queue()`.
/// - `pause(now: boolean = false)`, `resume()`, `stop()`, `abort()`.
/// - `get_status() -> run_status`: state (idle, running, pausing, paused, suspended, stopping,
///   aborting), uid, point, points (-1: not known), file, rate, seconds_left (-1: not known),
///   message, waiting.
/// - `busy()`: true while a run goes.
/// `shutdown` stops serving; it does not stop a run.
///
/// Thread affinity: the service's (the device thread).
class RunQueueServer : public Yaq::Server {
    Q_OBJECT
public:
    RunQueueServer(RunService &service, Options options, QObject *parent = nullptr);
    RunQueueServer(RunService &service, QObject *parent = nullptr)
        : RunQueueServer(service, Options(), parent)
    {
    }

    bool callNowOrLater(const QString &message, QVariantList args,
        std::function<void(CallOutcome)> done) override;
    void requestShutdown(bool restart) override;

    /// The protocol document the server gives (for tests and docs).
    static QJsonObject protocol();

private:
    QVariant answer(const QString &message, const QVariantList &args);

    QPointer<RunService> m_service;
};

} // namespace Benchtop::Run
