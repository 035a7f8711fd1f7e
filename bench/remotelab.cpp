// SPDX-License-Identifier: MIT
// 1,000 remote devices polled by one window (bench/run's "remote lab" rows): GUI frame times and
// CPU of the application's window (LabSession + MainWindow, offscreen) whose lab is N devices of
// driver `yaq`, each a daemon served by Yaq::DeviceServer.
//
//   bench_remotelab [--devices N] [--seconds S] [--warmup S] [--busy-share F] [--panels P]
//                   [--rep K]
//
// Far side: N stages (BenchStage below: has-position, nothing else) on their own DeviceHost and
// DeviceThread, in this process (benchtopd, the separate daemon, is not in the tree this bench
// was written against), each served by its own Yaq::DeviceServer on 127.0.0.1 (a free port).
// A share F of them (--busy-share, default 0) are "moving" for the whole run: busy, their
// position changing at every read, so that the window polls them every poll_busy_ms (100 ms)
// and every poll brings a new snapshot; the others are idle and still (polled every
// poll_idle_ms, 500 ms, and nothing changes). Every get_position the far side answers is
// counted: one per poll (RemoteDevice reads busy and every property's getter in one pipelined
// round trip), hence polls_per_s, against polls_expected_per_s (the nominal rates; a poll's
// interval is the sleep after it, so a little under nominal is normal).
//
// Near side: the lab file (N `yaq` devices, `address = "127.0.0.1:port"`, default polling),
// opened by a LabSession in a real MainWindow, with the first P (default 10) devices' panels
// open (as bench_soak), the device list showing every device. Once every device's link is
// Connected and it has learnt the daemon's protocol, W seconds of warm-up, then S seconds
// measured (defaults 3 and 30).
//
// Figures (one JSON line, bench_uiload's names where they mean the same):
// - frame_ms: the interval between paint passes of the main window (QEvent::UpdateRequest, as
//   in bench_uiload). A quiet lab (idle stages change nothing) paints seldom, so here its p50
//   is idle time, not work; its p99 and max still show a stall. frame_build_ms: from the
//   FrameClock's tick to the end of the pass it caused. paint_ms: the pass alone.
// - tick_ms: the interval between the firings of a 16 ms precise timer on the GUI thread: how
//   late the GUI thread answers whatever it is asked, busy or quiet (p50 ≈ 16; a stall shows
//   in p99 / max). This is the frame figure that means the same at every load.
// - cpu: process CPU (getrusage) over the measurement, as a share of one core, and split by
//   thread from /proc/self/task/*/stat: gui (the main thread), near_devices (the LabSession's
//   device thread: the RemoteDevices, their yaq clients and polling), far_devices (the far
//   host's device thread: the servers), other (Qt's and Benchtop's helper threads).
//   near_cpu_share = everything but far_devices: the window's figure.
// - polls_per_s (counted on the far side), snapshots_per_s (snapshotChanged on the window's
//   handles), resident memory (VmRSS) before the near side, after connection and at the end.
#include "benchsupport.h"

#include <device/device.h>
#include <device/devicesnapshot.h>
#include <device/traits.h>
#include <host/devicehandle.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/frameclock.h>
#include <mainwindow.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>
#include <state/statestore.h>
#include <yaq/server/deviceserver.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace Benchtop;

namespace {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::duration<double, std::milli>;

/// get_position answered by the far side, all devices together (one per poll).
std::atomic<quint64> g_positionReads{0};

/// The far device: a stage that is still (idle) or, with `moving = true`, busy for good with a
/// position that changes at every read (1 mm/s).
class BenchStage
    : public Device
    , public HasPosition {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition)
public:
    explicit BenchStage(DeviceSettings settings)
        : Device(std::move(settings))
        , m_moving(config().value(QStringLiteral("moving")).toBool())
    {
        setValue(StateKey::Position, 0.0);
        setValue(StateKey::Destination, destination());
        m_clock.start();
    }
    QString units() const override { return QStringLiteral("mm"); }
    double position() const override
    {
        g_positionReads.fetch_add(1, std::memory_order_relaxed);
        return m_moving ? double(m_clock.nsecsElapsed()) / 1e9 : 0.0;
    }
    double destination() const override { return m_moving ? 1e6 : 0.0; }
    void setPosition(double) override { }

protected:
    void onStarted() override
    {
        if (m_moving)
            setBusy(true);
    }

private:
    bool m_moving;
    QElapsedTimer m_clock;
};

/// The far side: N BenchStages on their own device thread, each served on a free port.
class FarSide {
public:
    FarSide(int devices, double busyShare)
    {
        QList<DeviceSettings> settings;
        for (int i = 0; i < devices; ++i) {
            // Spread the moving ones evenly: device i moves when the running share crosses an
            // integer there.
            const bool moving = int(double(i + 1) * busyShare) > int(double(i) * busyShare);
            m_moving += moving;
            settings << DeviceSettings{QStringLiteral("far%1").arg(i, 4, 10, QLatin1Char('0')),
                QStringLiteral("bench-stage"), {{QStringLiteral("moving"), moving}}};
        }
        m_host = m_thread.start([&] {
            m_tid = pid_t(syscall(SYS_gettid));
            DeviceHost::Drivers drivers;
            drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
                return std::make_unique<BenchStage>(s);
            };
            auto host = std::make_unique<DeviceHost>(drivers, nullptr);
            host->open(settings);
            return host;
        });
        QMetaObject::invokeMethod(
            m_host,
            [&] {
                for (const DeviceSettings &device : std::as_const(settings)) {
                    auto *server = new Yaq::DeviceServer(*m_host, device.name, nullptr, m_host);
                    QString error;
                    if (!server->listen(QHostAddress::LocalHost, 0, &error))
                        qFatal("bench_remotelab: cannot serve %s: %s", qPrintable(device.name),
                            qPrintable(error));
                    m_ports.push_back(server->port());
                    m_moves.push_back(device.config.value(QStringLiteral("moving")).toBool());
                }
            },
            Qt::BlockingQueuedConnection);
    }
    ~FarSide() { m_thread.stop(std::chrono::seconds(10)); }

    pid_t threadId() const { return m_tid; }
    const std::vector<quint16> &ports() const { return m_ports; }
    bool moves(std::size_t i) const { return m_moves[i]; }
    int movingCount() const { return m_moving; }

private:
    DeviceThread m_thread;
    DeviceHost *m_host = nullptr;
    pid_t m_tid = 0;
    std::vector<quint16> m_ports;
    std::vector<bool> m_moves;
    int m_moving = 0;
};

/// The application object, timing every paint pass of the main window (QEvent::UpdateRequest)
/// and noting how it relates to the FrameClock's ticks.
class TimedApplication : public QApplication {
public:
    struct Pass {
        double intervalMs; ///< from the end of the previous pass to the end of this one
        double paintMs; ///< this pass alone
        double buildMs; ///< from the tick that came before it (negative: no tick since the last)
    };

    using QApplication::QApplication;

    void watch(QWidget *window) { m_window = window; }
    void setRecording(bool on) { m_recording = on; }
    const std::vector<Pass> &passes() const { return m_passes; }

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (receiver != m_window || event->type() != QEvent::UpdateRequest)
            return QApplication::notify(receiver, event);
        const Clock::time_point start = Clock::now();
        const bool handled = QApplication::notify(receiver, event);
        const Clock::time_point end = Clock::now();
        const FrameClock *clock = FrameClock::instance();
        const bool ticked = clock->tickCount() != m_lastTickCount;
        m_lastTickCount = clock->tickCount();
        if (m_recording && m_seen) {
            m_passes.push_back({Ms(end - m_lastEnd).count(), Ms(end - start).count(),
                ticked ? Ms(end - clock->lastTickStart()).count() : -1.0});
        }
        m_seen = true;
        m_lastEnd = end;
        return handled;
    }

private:
    QWidget *m_window = nullptr;
    std::vector<Pass> m_passes;
    Clock::time_point m_lastEnd;
    qint64 m_lastTickCount = 0;
    bool m_seen = false;
    bool m_recording = false;
};

struct ThreadCpu {
    QString name;
    double seconds = 0;
};

/// CPU seconds (user + system) of every thread of this process, by kernel thread id.
std::map<pid_t, ThreadCpu> threadCpu()
{
    std::map<pid_t, ThreadCpu> all;
    const double tick = double(sysconf(_SC_CLK_TCK));
    for (const QString &entry :
        QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (open < 0 || close < 0 || fields.size() < 13)
            continue;
        all[pid_t(entry.toInt())] = {QString::fromUtf8(line.mid(open + 1, close - open - 1)),
            (fields.at(11).toDouble() + fields.at(12).toDouble()) / tick};
    }
    return all;
}

qint64 statusKb(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').front().toLongLong();
    }
    return -1;
}

/// Sorted copy's nearest-rank percentile (p in 0..100), rounded; 0 for none.
double pct(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return Bench::rounded(Bench::percentile(values, p), 3);
}

double maxOf(const std::vector<double> &values)
{
    return values.empty() ? 0 : Bench::rounded(*std::max_element(values.begin(), values.end()), 3);
}

/// Descriptors: 1,000 daemons take three each (listener, both ends of the connection).
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    raiseDescriptorLimit();
    TimedApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("benchtop-remotelab"));
    const QStringList args = QCoreApplication::arguments();
    const int devices = int(Bench::intOption(args, {QStringLiteral("--devices")}, 1000));
    const double seconds = Bench::doubleOption(args, {QStringLiteral("--seconds")}, 30);
    const double warmupS = Bench::doubleOption(args, {QStringLiteral("--warmup")}, 3);
    const double busyShare = Bench::doubleOption(args, {QStringLiteral("--busy-share")}, 0);
    const int panels
        = std::min(devices, int(Bench::intOption(args, {QStringLiteral("--panels")}, 10)));
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    if (devices < 1 || seconds <= 0 || busyShare < 0 || busyShare > 1 || panels < 0) {
        std::fputs("usage: bench_remotelab [--devices N] [--seconds S] [--warmup S] "
                   "[--busy-share F] [--panels P] [--rep K]\n",
            stderr);
        return 2;
    }

    QTemporaryDir dir;
    const qint64 rssStartKb = statusKb("VmRSS:");
    QElapsedTimer setup;
    setup.start();
    FarSide far(devices, busyShare);
    const double farStartS = double(setup.elapsed()) / 1e3;
    const qint64 rssFarKb = statusKb("VmRSS:");

    QByteArray lab;
    for (int i = 0; i < devices; ++i) {
        lab += QStringLiteral("[remote%1]\ndriver = \"yaq\"\naddress = \"127.0.0.1:%2\"\n\n")
                   .arg(i, 4, 10, QLatin1Char('0'))
                   .arg(far.ports()[std::size_t(i)])
                   .toUtf8();
    }
    const QString labPath = dir.filePath(QStringLiteral("remote.toml"));
    QFile labFile(labPath);
    if (!labFile.open(QIODevice::WriteOnly) || labFile.write(lab) != lab.size()) {
        std::fprintf(stderr, "bench_remotelab: cannot write %s\n", qPrintable(labPath));
        return 1;
    }
    labFile.close();

    PluginRegistry registry;
    if (!registry.addFile(QStringLiteral(BENCHTOP_YAQ_PLUGIN_FILE))) {
        std::fputs(
            "bench_remotelab: cannot load the yaq plugin " BENCHTOP_YAQ_PLUGIN_FILE "\n", stderr);
        return 1;
    }
    const std::map<pid_t, ThreadCpu> threadsBeforeNear = threadCpu();
    LabSession session(
        registry, std::make_shared<StateStore>(dir.filePath(QStringLiteral("state"))));
    Ui::MainWindow window(session);
    window.openLab(labPath);
    window.resize(1280, 800);
    window.show();
    for (int i = 0; i < panels; ++i)
        window.openPanel(QStringLiteral("remote%1").arg(i, 4, 10, QLatin1Char('0')));
    app.watch(&window);
    // The near device thread: the first thread named "devices" that the session started (the
    // threads a device thread starts inherit its name, and come after it).
    pid_t nearTid = 0;
    for (const auto &[tid, cpu] : threadCpu()) {
        if (nearTid == 0 && cpu.name == QLatin1String("devices")
            && !threadsBeforeNear.contains(tid))
            nearTid = tid;
    }

    const auto &handles = session.handles();
    const bool connected = Bench::runUntil(
        180'000,
        [&] {
            return std::all_of(handles.begin(), handles.end(), [](const auto &handle) {
                return handle->snapshot().link == LinkState::Connected
                    && handle->description().traits.size() > 1;
            });
        },
        50); // checking 1,000 handles: not too often
    const double connectedS = double(setup.elapsed()) / 1e3 - farStartS;
    if (!connected || int(handles.size()) != devices) {
        const auto up = std::count_if(handles.begin(), handles.end(),
            [](const auto &handle) { return handle->snapshot().link == LinkState::Connected; });
        std::fprintf(stderr, "bench_remotelab: %lld of %d devices connected within 180 s\n",
            static_cast<long long>(up), devices);
        return 1;
    }
    std::fprintf(
        stderr, "bench_remotelab: %d remote devices connected in %.1f s\n", devices, connectedS);
    const qint64 rssConnectedKb = statusKb("VmRSS:");

    quint64 snapshots = 0;
    for (const auto &handle : handles)
        QObject::connect(handle.get(), &DeviceHandle::snapshotChanged, &app, [&] { ++snapshots; });
    std::vector<double> ticks;
    bool recordTicks = false;
    Clock::time_point lastTick = Clock::now();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(16);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const Clock::time_point now = Clock::now();
        if (recordTicks)
            ticks.push_back(Ms(now - lastTick).count());
        lastTick = now;
    });
    probe.start();

    Bench::runFor(int(warmupS * 1000));

    // The measurement.
    Bench::HostLoad load;
    const std::map<pid_t, ThreadCpu> cpuBefore = threadCpu();
    const double processBefore = Bench::processCpuSeconds();
    const quint64 pollsBefore = g_positionReads.load();
    const quint64 snapshotsBefore = snapshots;
    const Clock::time_point start = Clock::now();
    recordTicks = true;
    app.setRecording(true);

    Bench::runFor(int(seconds * 1000));

    app.setRecording(false);
    recordTicks = false;
    const double wallS = std::chrono::duration<double>(Clock::now() - start).count();
    const double processS = Bench::processCpuSeconds() - processBefore;
    const quint64 polls = g_positionReads.load() - pollsBefore;
    const quint64 snapshotCount = snapshots - snapshotsBefore;
    const std::map<pid_t, ThreadCpu> cpuAfter = threadCpu();
    const int stillConnected = int(std::count_if(handles.begin(), handles.end(),
        [](const auto &handle) { return handle->snapshot().link == LinkState::Connected; }));

    double gui = 0, nearDevices = 0, farDevices = 0, other = 0;
    QJsonArray perThread;
    std::vector<std::pair<double, QString>> busiest;
    for (const auto &[tid, after] : cpuAfter) {
        const auto before = cpuBefore.find(tid);
        const double used
            = after.seconds - (before == cpuBefore.end() ? 0 : before->second.seconds);
        QString role = after.name;
        double *sum = &other;
        if (tid == getpid()) {
            role = QStringLiteral("gui");
            sum = &gui;
        } else if (tid == far.threadId()) {
            role = QStringLiteral("far_devices");
            sum = &farDevices;
        } else if (tid == nearTid) {
            role = QStringLiteral("near_devices");
            sum = &nearDevices;
        }
        *sum += used;
        if (used > 0)
            busiest.emplace_back(used, role);
    }
    std::sort(busiest.begin(), busiest.end(), std::greater<>());
    for (std::size_t i = 0; i < busiest.size() && i < 8; ++i) {
        perThread.append(
            QJsonArray{busiest[i].second, Bench::rounded(busiest[i].first / wallS, 3)});
    }

    std::vector<double> intervals, paints, builds;
    int late = 0;
    for (const TimedApplication::Pass &pass : app.passes()) {
        intervals.push_back(pass.intervalMs);
        paints.push_back(pass.paintMs);
        if (pass.buildMs >= 0)
            builds.push_back(pass.buildMs);
        late += pass.intervalMs > 25.0 && pass.buildMs >= 0;
    }
    int ticksLate = 0;
    for (double tick : ticks)
        ticksLate += tick > 25.0;

    const int moving = far.movingCount();
    const double expected = double(devices - moving) / 0.5 + double(moving) / 0.1;
    QJsonObject results{
        {"tick_ms_p50", pct(ticks, 50)},
        {"tick_ms_p99", pct(ticks, 99)},
        {"tick_ms_max", maxOf(ticks)},
        {"ticks_late_share",
            Bench::rounded(ticks.empty() ? 0 : double(ticksLate) / double(ticks.size()), 4)},
        {"frames", qint64(intervals.size())},
        {"frames_late", late},
        {"frame_ms_p50", pct(intervals, 50)},
        {"frame_ms_p99", pct(intervals, 99)},
        {"frame_ms_max", maxOf(intervals)},
        {"frame_build_ms_p50", pct(builds, 50)},
        {"frame_build_ms_p99", pct(builds, 99)},
        {"frame_build_ms_max", maxOf(builds)},
        {"paint_ms_p50", pct(paints, 50)},
        {"paint_ms_p99", pct(paints, 99)},
        {"cpu_share", Bench::rounded(processS / wallS, 3)},
        {"near_cpu_share", Bench::rounded((processS - farDevices) / wallS, 3)},
        {"gui_cpu_share", Bench::rounded(gui / wallS, 3)},
        {"near_devices_cpu_share", Bench::rounded(nearDevices / wallS, 3)},
        {"far_devices_cpu_share", Bench::rounded(farDevices / wallS, 3)},
        {"other_threads_cpu_share", Bench::rounded(other / wallS, 3)},
        {"threads_busiest", perThread},
        {"polls_per_s", Bench::rounded(double(polls) / wallS, 1)},
        {"polls_expected_per_s", Bench::rounded(expected, 1)},
        {"polls_achieved_fraction", Bench::rounded(double(polls) / wallS / expected, 4)},
        {"snapshots_per_s", Bench::rounded(double(snapshotCount) / wallS, 1)},
        {"connected_end", stillConnected},
        {"connect_all_s", Bench::rounded(connectedS, 2)},
        {"resident_kb_start", rssStartKb},
        {"resident_kb_far_up", rssFarKb},
        {"resident_kb_connected", rssConnectedKb},
        {"resident_kb_end", statusKb("VmRSS:")},
        {"resident_kb_peak", statusKb("VmHWM:")},
        {"threads", int(cpuAfter.size())},
        {"measured_s", Bench::rounded(wallS, 2)},
    };
    QJsonObject out = Bench::meta(QStringLiteral("remotelab"), rep);
    out.insert(QStringLiteral("params"),
        QJsonObject{{"devices", devices}, {"moving", moving}, {"busy_share", busyShare},
            {"seconds", seconds}, {"warmup_s", warmupS}, {"panels_open", panels},
            {"far", QStringLiteral("in-process, own device thread")},
            {"poll_ms", QStringLiteral("100 busy / 500 idle (defaults)")}});
    out.insert(QStringLiteral("results"), results);
    out.insert(QStringLiteral("host"), load.finish());
    Bench::printJsonLine(out);
    return stillConnected == devices ? 0 : 1;
}

#include "remotelab.moc"
