// SPDX-License-Identifier: MIT
// Fault injection (docs/reliability.md): N sim signals at R Hz on a real device thread, as the
// application runs them, for S seconds, while faults are injected at random into half of them (and
// into a few sim motors): an exception out of update_state, timeouts, a lost connection, an
// instrument that stops answering (a blocking call that never returns), and, for motors, a
// motion stuck busy. Each injected device must be shown in fault with the reason of its fault
// (or, stuck busy, busy until stopped), and come back when restarted clean. The other half
// never sees a fault: their rate must hold (at least 95% of nominal). At the end the device
// thread must stop within its bound.
//
//   bench_faults [--devices N] [--rate HZ] [--seconds S] [--motors M] [--seed K]
//
// One JSON line. A crash is a crash of this process (no line).
#include "benchsupport.h"

#include <device/traits.h>
#include <simlab.h>

#include <async/async.h>
#include <device/devicesnapshot.h>

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QMutex>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <random>

using namespace std::chrono_literals;
using namespace Benchtop;

namespace {

using Clock = std::chrono::steady_clock;

enum class Fault { DriverError, Timeouts, LostConnection, NoAnswer, StuckBusy };
const std::array<const char *, 5> kFaultNames{
    "driver_error", "timeouts", "lost_connection", "no_answer", "stuck_busy"};

/// The fault knob that injects it, and what the device's fault reason must then say.
struct Injection {
    QString knob;
    QVariant value;
    QString reason;
};

Injection injectionOf(Fault fault)
{
    switch (fault) {
    case Fault::DriverError:
        return {QStringLiteral("fail_after_s"), 0.2, QStringLiteral("simulated driver error")};
    case Fault::Timeouts:
        return {QStringLiteral("timeout_rate"), 1.0, QStringLiteral("timed out")};
    case Fault::LostConnection:
        return {QStringLiteral("disconnect_after_s"), 0.2, QStringLiteral("connection lost")};
    case Fault::NoAnswer:
        return {QStringLiteral("hang_after_s"), 0.2, QStringLiteral("no answer in 1 s")};
    case Fault::StuckBusy:
        return {QStringLiteral("stuck_busy"), true, QString()};
    }
    return {};
}

/// What a restart reads: each device's settings as the injector wants them now.
class WantedSettings {
public:
    void set(const DeviceSettings &settings)
    {
        QMutexLocker lock(&m_mutex);
        m_settings[settings.name] = settings;
    }
    DeviceSettings get(const QString &name) const
    {
        QMutexLocker lock(&m_mutex);
        return m_settings.at(name);
    }

private:
    mutable QMutex m_mutex;
    std::map<QString, DeviceSettings> m_settings;
};

struct Counts {
    int injected = 0;
    int shown = 0; ///< shown in fault with the right reason (stuck busy: busy, then stopped)
    int wrongReason = 0;
    int notShown = 0; ///< nothing within the deadline
    QString example; ///< a reason shown, for the report
};

/// One device faults are injected into, and where it is in its cycle.
struct Target {
    enum class Phase { Clean, Injected, StuckMoving, Stopping, Recovering };
    QString name;
    bool motor = false;
    Phase phase = Phase::Clean;
    Fault fault = Fault::DriverError;
    Clock::time_point since;
    std::optional<int> readySeenAtId; ///< Recovering: the measurement id when first seen ready
    bool started = true; ///< the device restarted last has started (DeviceHost::deviceStarted)
};

int measurementId(const DeviceSnapshot &snapshot)
{
    return snapshot.values.value(StateKey::MeasurementId, -1).toInt();
}

class Injector {
public:
    Injector(SimLab &lab, WantedSettings &wanted, std::vector<Target> targets, quint64 seed)
        : m_lab(lab)
        , m_wanted(wanted)
        , m_targets(std::move(targets))
        , m_random(seed)
    {
        for (Target &target : m_targets)
            m_handles[target.name] = lab.session().handle(target.name);
        // Queued from the device thread, after the new device's first snapshot.
        QObject::connect(
            lab.host(), &DeviceHost::deviceStarted, &m_context, [this](const QString &name) {
                for (Target &target : m_targets) {
                    if (target.name == name)
                        target.started = true;
                }
            });
    }

    /// Runs until `end`, checking every target every 50 ms.
    QCoro::Task<> run(Clock::time_point end)
    {
        while (Clock::now() < end) {
            co_await Async::sleep(50ms);
            for (Target &target : m_targets)
                step(target);
        }
    }

    const std::array<Counts, 5> &counts() const { return m_counts; }
    int restarts() const { return m_restarts; }
    int cameBack() const { return m_cameBack; }
    int notBack() const { return m_notBack; }

private:
    void step(Target &target)
    {
        const DeviceSnapshot snapshot = m_handles.at(target.name)->snapshot();
        const auto age = Clock::now() - target.since;
        const bool fresh = target.started;
        switch (target.phase) {
        case Target::Phase::Clean:
            // One chance in 20 every 50 ms: about one injection per second per target.
            if (std::uniform_int_distribution<int>(0, 19)(m_random) == 0)
                inject(target);
            break;
        case Target::Phase::Injected:
            if (target.fault == Fault::StuckBusy) {
                if (fresh && snapshot.status == DeviceStatus::Ready && age > 200ms) {
                    call(target.name, QStringLiteral("set_position"),
                        {snapshot.values.value(StateKey::Position).toDouble() + 1.0});
                    enter(target, Target::Phase::StuckMoving);
                }
            } else if (fresh && snapshot.status == DeviceStatus::Fault) {
                Counts &counts = m_counts[size_t(target.fault)];
                if (snapshot.fault.contains(injectionOf(target.fault).reason)) {
                    ++counts.shown;
                    counts.example = snapshot.fault;
                } else {
                    ++counts.wrongReason;
                    std::fprintf(stderr, "%s: fault %s shown as \"%s\"\n", qPrintable(target.name),
                        kFaultNames[size_t(target.fault)], qPrintable(snapshot.fault));
                }
                recover(target);
            } else if (age > 10s) {
                ++m_counts[size_t(target.fault)].notShown;
                std::fprintf(stderr, "%s: fault %s not shown in 10 s\n", qPrintable(target.name),
                    kFaultNames[size_t(target.fault)]);
                recover(target);
            }
            break;
        case Target::Phase::StuckMoving:
            // A one-millimetre move takes well under a second; stuck, it never ends.
            if (!snapshot.busy && age > 300ms) {
                ++m_counts[size_t(Fault::StuckBusy)].notShown;
                recover(target);
            } else if (snapshot.busy && age > 2s) {
                call(target.name, QStringLiteral("stop"), {});
                enter(target, Target::Phase::Stopping);
            }
            break;
        case Target::Phase::Stopping:
            if (!snapshot.busy) {
                Counts &counts = m_counts[size_t(Fault::StuckBusy)];
                ++counts.shown;
                counts.example = QStringLiteral("busy for 2 s, then stopped");
                recover(target);
            } else if (age > 5s) {
                ++m_counts[size_t(Fault::StuckBusy)].notShown;
                recover(target);
            }
            break;
        case Target::Phase::Recovering:
            if (fresh && snapshot.status == DeviceStatus::Ready) {
                const int id = measurementId(snapshot);
                if (!target.readySeenAtId)
                    target.readySeenAtId = id;
                // Back: ready and measuring again (a motor: ready for 300 ms).
                if ((target.motor && age > 300ms)
                    || (!target.motor && id >= *target.readySeenAtId + 10)) {
                    ++m_cameBack;
                    enter(target, Target::Phase::Clean);
                    break;
                }
            }
            if (age > 10s) {
                ++m_notBack;
                std::fprintf(stderr, "%s: not back 10 s after its restart (%s)\n",
                    qPrintable(target.name), qPrintable(toString(snapshot.status)));
                enter(target, Target::Phase::Clean);
            }
            break;
        }
    }

    void inject(Target &target)
    {
        const int kinds = target.motor ? 5 : 4;
        target.fault = Fault(std::uniform_int_distribution<int>(0, kinds - 1)(m_random));
        const Injection injection = injectionOf(target.fault);
        DeviceSettings settings = m_lab.devices().at(indexOf(target.name));
        settings.config.insert(injection.knob, injection.value);
        m_wanted.set(settings);
        ++m_counts[size_t(target.fault)].injected;
        restart(target);
        enter(target, Target::Phase::Injected);
    }

    void recover(Target &target)
    {
        m_wanted.set(m_lab.devices().at(indexOf(target.name)));
        restart(target);
        enter(target, Target::Phase::Recovering);
    }

    void enter(Target &target, Target::Phase phase)
    {
        target.phase = phase;
        target.since = Clock::now();
        target.readySeenAtId.reset();
    }

    void restart(Target &target)
    {
        ++m_restarts;
        target.started = false;
        QMetaObject::invokeMethod(
            m_lab.host(),
            [host = m_lab.host(), name = target.name] {
                host->tasks().spawn(
                    "restart", [host, name]() -> QCoro::Task<> { co_await host->restart(name); });
            },
            Qt::QueuedConnection);
    }

    void call(const QString &device, const QString &message, const QVariantList &args)
    {
        m_calls.spawn("call", [handle = m_handles.at(device), message, args]() -> QCoro::Task<> {
            try {
                co_await handle->call(message, args);
            } catch (const std::exception &e) {
                std::fprintf(stderr, "%s: %s failed: %s\n", qPrintable(handle->name()),
                    qPrintable(message), e.what());
            }
        });
    }

    qsizetype indexOf(const QString &name) const
    {
        const QList<DeviceSettings> &devices = m_lab.devices();
        for (qsizetype i = 0; i < devices.size(); ++i) {
            if (devices[i].name == name)
                return i;
        }
        return -1;
    }

    SimLab &m_lab;
    WantedSettings &m_wanted;
    std::vector<Target> m_targets;
    std::map<QString, DeviceHandle *> m_handles; ///< the session's
    QObject m_context; // disconnects deviceStarted when the injector goes
    std::mt19937_64 m_random;
    std::array<Counts, 5> m_counts;
    int m_restarts = 0;
    int m_cameBack = 0;
    int m_notBack = 0;
    Async::TaskGroup m_calls{QStringLiteral("injector calls")};
};

/// This process's threads now (each instrument that stopped answering keeps one, stuck).
int threadCount()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed().toInt();
    }
    return -1;
}

QByteArray labText(int devices, double rate, int motors)
{
    QByteArray text;
    for (int i = 0; i < devices; ++i) {
        text += QStringLiteral("[sig-%1]\ndriver = \"sim-signal\"\nrate_hz = %2\n\n")
                    .arg(i, 3, 10, QLatin1Char('0'))
                    .arg(rate)
                    .toUtf8();
    }
    for (int i = 0; i < motors; ++i)
        text += QStringLiteral("[motor-%1]\ndriver = \"sim-motor\"\n\n").arg(i).toUtf8();
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int devices = int(Bench::intOption(args, {QStringLiteral("--devices")}, 100));
    const double rate = Bench::doubleOption(args, {QStringLiteral("--rate")}, 100.0);
    const double seconds = Bench::doubleOption(args, {QStringLiteral("--seconds")}, 60.0);
    const int motors = int(Bench::intOption(args, {QStringLiteral("--motors")}, 10));
    const auto seed = quint64(Bench::intOption(args, {QStringLiteral("--seed")}, 1));

    WantedSettings wanted;
    DeviceHost::Options options;
    options.watchdog = 20ms;
    const auto stopLimit = 3s; // the host's own shutdown limit is 2 s
    LabSession::Options sessionOptions = SimLab::unpaced();
    sessionOptions.host = options;
    sessionOptions.reload = [&wanted](const QString &name) { return wanted.get(name); };
    sessionOptions.stopLimit = stopLimit;
    SimLab lab(labText(devices, rate, motors), sessionOptions);
    for (const DeviceSettings &settings : lab.devices())
        wanted.set(settings);

    int stalls = 0;
    std::chrono::milliseconds longestStall{0};
    QString longestStallCulprit;
    QObject::connect(
        lab.host(), &DeviceHost::loopStallEnded, &app, [&](const Async::LoopStall &stall) {
            ++stalls;
            if (stall.held > longestStall) {
                longestStall = stall.held;
                longestStallCulprit = stall.culprit();
            }
        });

    // Half the signals (odd ones) and every motor take faults; the even signals never do.
    std::vector<Target> targets;
    std::vector<QString> controls;
    for (int i = 0; i < devices; ++i) {
        const QString name = QStringLiteral("sig-%1").arg(i, 3, 10, QLatin1Char('0'));
        if (i % 2)
            targets.push_back(Target{.name = name});
        else
            controls.push_back(name);
    }
    for (int i = 0; i < motors; ++i)
        targets.push_back(Target{.name = QStringLiteral("motor-%1").arg(i), .motor = true});

    std::vector<DeviceHandle *> controlHandles; // the session's
    for (const QString &name : controls)
        controlHandles.push_back(lab.session().handle(name));

    Bench::HostLoad load;
    const auto warmUp = 2s;
    std::vector<int> idsAtStart;
    Clock::time_point measureStart;
    auto injector = std::make_unique<Injector>(lab, wanted, std::move(targets), seed);
    const auto run = [&]() -> QCoro::Task<> {
        co_await Async::sleep(warmUp);
        measureStart = Clock::now();
        for (const auto &handle : controlHandles)
            idsAtStart.push_back(measurementId(handle->snapshot()));
        co_await injector->run(measureStart
            + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
    };
    QCoro::waitFor(run());
    const double measured = std::chrono::duration<double>(Clock::now() - measureStart).count();
    std::vector<double> ratePercent;
    int controlsNotReady = 0;
    for (size_t i = 0; i < controlHandles.size(); ++i) {
        const DeviceSnapshot snapshot = controlHandles[i]->snapshot();
        controlsNotReady += snapshot.status != DeviceStatus::Ready ? 1 : 0;
        ratePercent.push_back(
            100.0 * (measurementId(snapshot) - idsAtStart[i]) / (measured * rate));
    }
    std::sort(ratePercent.begin(), ratePercent.end());

    QJsonObject perFault;
    int injected = 0, shown = 0, wrongReason = 0, notShown = 0;
    for (size_t i = 0; i < kFaultNames.size(); ++i) {
        const Counts &c = injector->counts()[i];
        perFault.insert(QLatin1String(kFaultNames[i]),
            QJsonObject{{"injected", c.injected}, {"shown", c.shown},
                {"wrong_reason", c.wrongReason}, {"not_shown", c.notShown},
                {"example", c.example}});
        injected += c.injected;
        shown += c.shown;
        wrongReason += c.wrongReason;
        notShown += c.notShown;
    }
    const int restarts = injector->restarts();
    const int cameBack = injector->cameBack();
    const int notBack = injector->notBack();

    // The session closes as the window's does: its handles go, then the device thread stops.
    controlHandles.clear();
    injector.reset();
    const auto stopStart = Clock::now();
    const bool stoppedInTime = lab.stop();
    const double stopMs
        = std::chrono::duration<double, std::milli>(Clock::now() - stopStart).count();

    QJsonObject result = Bench::meta(QStringLiteral("faults"), 1);
    result.insert("params",
        QJsonObject{{"devices", devices}, {"rate_hz", rate}, {"seconds", seconds},
            {"motors", motors}, {"seed", qint64(seed)}, {"watchdog_ms", 20}});
    result.insert("results",
        QJsonObject{{"crashes", 0}, {"faults_injected", injected},
            {"faults_shown_with_reason", shown}, {"faults_wrong_reason", wrongReason},
            {"faults_not_shown", notShown},
            {"faults_in_progress_at_end", injected - shown - wrongReason - notShown},
            {"per_fault", perFault}, {"threads_at_end", threadCount()}, {"restarts", restarts},
            {"came_back", cameBack}, {"not_back", notBack}, {"controls", int(ratePercent.size())},
            {"controls_not_ready", controlsNotReady},
            {"control_rate_min_pct", Bench::rounded(ratePercent.front(), 2)},
            {"control_rate_median_pct", Bench::rounded(Bench::percentile(ratePercent, 50), 2)},
            {"loop_stalls", stalls}, {"longest_stall_ms", qint64(longestStall.count())},
            {"longest_stall_by", longestStallCulprit}, {"shutdown_ms", Bench::rounded(stopMs, 1)},
            {"shutdown_bound_ms", qint64(std::chrono::milliseconds(stopLimit).count())},
            {"shutdown_in_time", stoppedInTime}});
    result.insert("host", load.finish());
    Bench::printJsonLine(result);
    return 0;
}
