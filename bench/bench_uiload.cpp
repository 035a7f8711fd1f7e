// SPDX-License-Identifier: MIT
// The window under load: N sim-signal devices publishing readings at HZ each, run by a real
// DeviceHost on a real device thread, every one with its DevicePanel and its DevicePlot on
// screen at once (a grid in a scroll area whose viewport holds all of it), beside a device list
// (DeviceListModel in a QTableView), on the offscreen platform.
// Target: frame time p99 ≤ 16 ms and the GUI thread ≤ 50% of a core.
//
//   bench_uiload [--devices N] [--seconds S] [--rate HZ] [--warmup S] [--columns C] [--rep K]
//                [--unpaced]
//
// The handles' deliveries are paced as the application paces them (the LabSession's handles,
// as the window has them); --unpaced delivers each as soon as the GUI thread takes it,
// as before pacing existed, for comparison.
//
// Defaults: 1000 devices, 10 s measured after 2 s of warm-up, 100 Hz. Every device is a
// sim-signal (a sine of 0.2 to 2 Hz plus a little noise, so every reading changes what is
// shown); no motors: nothing else in the sim publishes at a configured rate.
//
// What a "frame" is. Qt Widgets paints in passes: update() only marks a region dirty and posts
// one QEvent::UpdateRequest to the top-level window; handling it paints every dirty widget into
// the backing store and flushes it (on a real screen, that is when the user sees a new image).
// A frame here is one such pass, timed by the top-level window's event(). frame_ms is the time
// from the end of one pass to the end of the next: how long the screen shows an old image.
// It includes everything the GUI thread did in between — taking snapshots, updating labels,
// QCustomPlot's replots (LivePlot redraws into its own buffer on a tick of the shared FrameClock,
// outside the pass; so do the panels' readouts, at most 20 Hz each) — and the pass itself. It is a
// fair stand-in for frame time because at this load something is always dirty (N × HZ readings per
// second against a 60 Hz screen), so the GUI thread never idles between passes waiting for a reason
// to paint: a long interval is a GUI thread busy elsewhere, which is exactly what a user sees as a
// dropped frame. It flatters a real screen in one way only: nothing waits for vsync, so passes may
// come faster than 60 Hz (p50 below 16 ms means nothing). It would overstate frame time for a lab
// too quiet to keep something dirty (a few devices at a few Hz); frame_cpu_ms (GUI thread CPU per
// interval) shows the work without the idle. paint_ms is the cost of the pass alone.
//
// Since the window is paced by its FrameClock (60 Hz), the interval between passes is about
// 16.7 ms by construction, however little work a frame takes: frame_ms p50 is the clock's
// period and its p99 the timer's jitter (2 ms late on this VM even with 10 devices). So two
// further measures say whether frames are on time. frame_build_ms is the time from the clock's
// tick to the end of the paint pass it caused (the replots and readouts of the tick, anything
// queued before the pass, the pass itself): how long a due frame takes to reach the screen;
// ≤16 ms means it makes the next refresh. frames_late counts intervals over kLateFrameMs (25 ms:
// a refresh that showed the old image again), frames_late_share the same over all intervals.
//
// Painting is checked, not assumed: an event filter counts QEvent::Paint on the channel value
// label of a few panels and on the QCustomPlot of their plots, spread over the grid from the
// first device to the last; paints_checked is how many of them were painted during the
// measurement (of paints_watched), with the slowest rates of each kind.
//
// Prints one JSON line: the keys above, gui_cpu_share (CLOCK_THREAD_CPUTIME_ID of the GUI
// thread over wall time), gui_wait_share (time the GUI thread was runnable but waited for a CPU
// taken by other processes, over wall time: how much a busy machine inflated frame_ms),
// device_thread_cpu_share, snapshots_per_s (snapshotChanged received
// by all handles), published_per_s (snapshots the host published to them, before coalescing),
// device_rate_hz (readings per device per second, from measurement_id between the snapshots'
// arrivals), replots_per_s (QCustomPlot redraws of all plots).
#include "benchsupport.h"

#include <device/traits.h>
#include <simlab.h>

#include <devicelist/devicelistmodel.h>
#include <host/frameclock.h>
#include <host/localdevicehandle.h>
#include <panels/devicepanel.h>
#include <plot/deviceplot.h>
#include <plot/liveplot.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QScrollArea>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QWindow>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace Benchtop;

namespace {

using Clock = std::chrono::steady_clock;
/// A frame is late when a 60 Hz screen would have shown the old image for a whole extra
/// refresh: an interval between passes of more than one and a half periods (16.7 ms).
constexpr double kLateFrameMs = 25.0;

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

/// CPU seconds (user + system) of thread `tid` of this process, from /proc.
double taskCpuSeconds(pid_t tid)
{
    QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
    if (tid == 0 || !stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the command name (which may hold spaces): state is field 3, utime 14.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / double(sysconf(_SC_CLK_TCK));
}

/// Nanoseconds the calling thread has spent runnable but waiting for a CPU (schedstat's second
/// field): how much of its wall time other processes took from it.
double threadWaitSeconds()
{
    QFile stat(QStringLiteral("/proc/thread-self/schedstat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    return stat.readAll().split(' ').value(1).toDouble() / 1e9;
}

double doubleOption(const QStringList &arguments, const QString &name, double fallback)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == name && i + 1 < arguments.size())
            return arguments[i + 1].toDouble();
        if (arguments[i].startsWith(name + QLatin1Char('=')))
            return arguments[i].mid(name.size() + 1).toDouble();
    }
    return fallback;
}

/// Nearest-rank percentile of `values` (sorted in place); 0 for none.
double percentile(std::vector<double> &values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::ceil(q * double(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double rounded(double value, double places = 3)
{
    const double scale = std::pow(10.0, places);
    return std::round(value * scale) / scale;
}

QByteArray labText(int devices, double rateHz)
{
    QByteArray text;
    for (int i = 0; i < devices; ++i) {
        text += QStringLiteral("[sig%1]\n"
                               "driver = \"sim-signal\"\n"
                               "rate_hz = %2\n"
                               "waveform = \"sine\"\n"
                               "frequency_hz = %3\n"
                               "amplitude = 1.0\n"
                               "noise = 0.01\n"
                               "units = \"V\"\n"
                               "seed = %4\n\n")
                    .arg(i, 4, 10, QLatin1Char('0'))
                    .arg(rateHz, 0, 'f', 3)
                    .arg(0.2 + 0.2 * (i % 10), 0, 'f', 1)
                    .arg(i + 1)
                    .toUtf8();
    }
    return text;
}

/// The top-level window: times every paint pass (QEvent::UpdateRequest) it handles.
class LoadWindow : public QWidget {
public:
    struct Frame {
        double intervalMs; ///< from the end of the previous pass to the end of this one
        double paintMs; ///< this pass alone
        double cpuMs; ///< GUI thread CPU over the interval
        /// From the frame clock's tick to the end of this pass, when a tick came between the
        /// previous pass and this one (else negative: a pass no tick caused).
        double buildMs;
    };

    void setRecording(bool on) { m_recording = on; }
    std::vector<Frame> &frames() { return m_frames; }
    int passCount() const { return m_passes; }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() != QEvent::UpdateRequest)
            return QWidget::event(event);
        const Clock::time_point start = Clock::now();
        const bool handled = QWidget::event(event);
        const Clock::time_point end = Clock::now();
        const double cpu = threadCpuSeconds();
        const FrameClock *clock = FrameClock::instance();
        const bool ticked = clock->tickCount() != m_lastTickCount;
        m_lastTickCount = clock->tickCount();
        if (m_recording && m_passes > 0) {
            using Ms = std::chrono::duration<double, std::milli>;
            m_frames.push_back({Ms(end - m_lastEnd).count(), Ms(end - start).count(),
                (cpu - m_lastCpu) * 1e3, ticked ? Ms(end - clock->lastTickStart()).count() : -1});
        }
        ++m_passes;
        m_lastEnd = end;
        m_lastCpu = cpu;
        return handled;
    }

private:
    std::vector<Frame> m_frames;
    Clock::time_point m_lastEnd;
    double m_lastCpu = 0;
    qint64 m_lastTickCount = 0;
    int m_passes = 0;
    bool m_recording = false;
};

/// Counts the paint events of the widgets it is installed on, while recording.
class PaintCounter : public QObject {
public:
    void setRecording(bool on) { m_recording = on; }
    int count(const QObject *object) const { return m_counts.value(object); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (m_recording && event->type() == QEvent::Paint)
            ++m_counts[watched];
        return false;
    }

private:
    QHash<const QObject *, int> m_counts;
    bool m_recording = false;
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int devices = int(Bench::intOption(args, {QStringLiteral("--devices")}, 1000));
    const double seconds = doubleOption(args, QStringLiteral("--seconds"), 10);
    const double rateHz = doubleOption(args, QStringLiteral("--rate"), 100);
    const double warmupS = doubleOption(args, QStringLiteral("--warmup"), 2);
    const int columns = int(Bench::intOption(args, {QStringLiteral("--columns")},
        std::max(1, int(std::ceil(std::sqrt(double(devices)))))));
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    if (devices < 1 || seconds <= 0 || rateHz <= 0 || columns < 1) {
        std::fputs("usage: bench_uiload [--devices N] [--seconds S] [--rate HZ] [--warmup S] "
                   "[--columns C] [--rep K] [--unpaced]\n",
            stderr);
        return 2;
    }

    Bench::HostLoad host;
    // Paced as the application's window paces them (its LabSession), unless --unpaced.
    LabSession::Options options = SimLab::unpaced();
    options.paced = !args.contains(QStringLiteral("--unpaced"));
    options.stopLimit = std::chrono::seconds(10);
    SimLab lab(labText(devices, rateHz), options);
    const std::vector<std::unique_ptr<DeviceHandle>> &handles = lab.session().handles();
    quint64 received = 0;
    Ui::DeviceListModel model;
    LoadWindow window;
    for (const auto &handle : handles) {
        model.addHandle(handle.get());
        QObject::connect(
            handle.get(), &DeviceHandle::snapshotChanged, &window, [&received] { ++received; });
    }

    auto *outer = new QHBoxLayout(&window);
    auto *list = new QTableView;
    list->setModel(&model);
    list->horizontalHeader()->setStretchLastSection(true);
    list->setFixedWidth(360);
    outer->addWidget(list);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    // The viewport is made as large as the grid: nothing to scroll, everything exposed.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *grid = new QWidget;
    auto *gridLayout = new QGridLayout(grid);
    std::vector<Ui::DevicePanel *> panels;
    std::vector<Ui::DevicePlot *> plots;
    for (int i = 0; i < devices; ++i) {
        auto *cell = new QWidget;
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(2, 2, 2, 2);
        panels.push_back(new Ui::DevicePanel(handles[std::size_t(i)].get()));
        plots.push_back(new Ui::DevicePlot(handles[std::size_t(i)].get()));
        plots.back()->setMinimumSize(320, 180);
        cellLayout->addWidget(panels.back());
        cellLayout->addWidget(plots.back(), 1);
        gridLayout->addWidget(cell, i / columns, i % columns);
    }
    scroll->setWidget(grid);
    outer->addWidget(scroll, 1);
    window.resize(1280, 800);
    window.show();

    // Every panel built from its device's description, every device heard.
    const bool described = Bench::runUntil(120'000, [&] {
        return std::all_of(handles.begin(), handles.end(), [](const auto &handle) {
            return !handle->description().name.isEmpty() && handle->snapshot().sequence > 0;
        });
    });
    if (!described) {
        std::fputs("bench_uiload: not every device described itself within 120 s\n", stderr);
        return 1;
    }
    // Grow the window until the viewport holds the whole grid (panels grew when rebuilt).
    for (int attempt = 0; attempt < 5; ++attempt) {
        QCoreApplication::processEvents();
        const QSize missing
            = grid->sizeHint().expandedTo(grid->minimumSizeHint()) - scroll->viewport()->size();
        if (missing.width() <= 0 && missing.height() <= 0)
            break;
        window.resize(window.size() + missing.expandedTo(QSize(0, 0)));
        list->setFixedHeight(std::min(window.height() - 20, 4000));
    }
    Bench::runUntil(
        30'000, [&] { return window.windowHandle() && window.windowHandle()->isExposed(); });

    // Watched for paints: panels and plots spread over the grid, the first and the last
    // included.
    PaintCounter paints;
    std::vector<QWidget *> watchedLabels;
    std::vector<QWidget *> watchedPlots;
    int labelsFound = 0;
    const int watchCount = std::min(devices, 8);
    for (int k = 0; k < watchCount; ++k) {
        const int i = watchCount == 1 ? 0 : k * (devices - 1) / (watchCount - 1);
        QWidget *label = nullptr; // the value of its one channel, in the sensor section
        for (QWidget *child : panels[std::size_t(i)]->findChildren<QWidget *>()) {
            if (child->objectName().startsWith(QLatin1String("channelValue:"))) {
                label = child;
                break;
            }
        }
        labelsFound += label != nullptr;
        watchedLabels.push_back(label ? label : panels[std::size_t(i)]);
        QWidget *custom = nullptr;
        for (QWidget *child : plots[std::size_t(i)]->findChildren<QWidget *>()) {
            if (child->inherits("QCustomPlot")) {
                custom = child;
                break;
            }
        }
        watchedPlots.push_back(custom ? custom : plots[std::size_t(i)]);
    }
    int exposed = 0;
    for (QWidget *widget : watchedLabels)
        exposed += !widget->visibleRegion().isEmpty();
    for (QWidget *widget : watchedPlots)
        exposed += !widget->visibleRegion().isEmpty();
    for (QWidget *widget : watchedLabels)
        widget->installEventFilter(&paints);
    for (QWidget *widget : watchedPlots)
        widget->installEventFilter(&paints);

    Bench::runFor(int(warmupS * 1000));

    // The measurement.
    // A reading's id and when its snapshot arrived: the rate is taken between arrivals, so a
    // GUI thread that delivers late does not skew it.
    struct Reading {
        qint64 id;
        Clock::time_point heard;
    };
    auto readings = [&] {
        std::vector<Reading> all;
        for (const auto &handle : handles) {
            all.push_back({handle->snapshot().values.value(StateKey::MeasurementId).toLongLong(),
                handle->lastHeard()});
        }
        return all;
    };
    auto publishedTotal = [&] {
        quint64 total = 0;
        for (const auto &handle : handles)
            total += qobject_cast<LocalDeviceHandle *>(handle.get())->publishedCount();
        return total;
    };
    auto replotTotal = [&] {
        qint64 total = 0;
        for (Ui::DevicePlot *plot : plots)
            total += plot->plot()->replotCount();
        return total;
    };
    const std::vector<Reading> readingsBefore = readings();
    const quint64 publishedBefore = publishedTotal();
    const qint64 replotsBefore = replotTotal();
    const quint64 receivedBefore = received;
    const double deviceCpuBefore = taskCpuSeconds(lab.deviceThreadId());
    const double guiCpuBefore = threadCpuSeconds();
    const double guiWaitBefore = threadWaitSeconds();
    const Clock::time_point start = Clock::now();
    window.setRecording(true);
    paints.setRecording(true);

    Bench::runFor(int(seconds * 1000));

    window.setRecording(false);
    paints.setRecording(false);
    const double wallS = std::chrono::duration<double>(Clock::now() - start).count();
    const double guiCpuS = threadCpuSeconds() - guiCpuBefore;
    const double guiWaitS = threadWaitSeconds() - guiWaitBefore;
    const double deviceCpuS = taskCpuSeconds(lab.deviceThreadId()) - deviceCpuBefore;
    const quint64 receivedCount = received - receivedBefore;
    const quint64 publishedCount = publishedTotal() - publishedBefore;
    const qint64 replots = replotTotal() - replotsBefore;
    const std::vector<Reading> readingsAfter = readings();
    double deviceRateSum = 0;
    for (std::size_t i = 0; i < readingsAfter.size(); ++i) {
        const double spanS
            = std::chrono::duration<double>(readingsAfter[i].heard - readingsBefore[i].heard)
                  .count();
        if (spanS > 0)
            deviceRateSum += double(readingsAfter[i].id - readingsBefore[i].id) / spanS;
    }

    std::vector<double> intervals;
    std::vector<double> paintCosts;
    std::vector<double> cpus;
    std::vector<double> builds;
    int over16 = 0;
    int late = 0;
    for (const LoadWindow::Frame &frame : window.frames()) {
        intervals.push_back(frame.intervalMs);
        paintCosts.push_back(frame.paintMs);
        cpus.push_back(frame.cpuMs);
        if (frame.buildMs >= 0)
            builds.push_back(frame.buildMs);
        over16 += frame.intervalMs > 16.0;
        late += frame.intervalMs > kLateFrameMs;
    }
    const auto frames = qint64(intervals.size());
    int painted = 0;
    double labelHzMin = 1e9;
    double plotHzMin = 1e9;
    for (QWidget *widget : watchedLabels) {
        painted += paints.count(widget) > 0;
        labelHzMin = std::min(labelHzMin, paints.count(widget) / wallS);
    }
    for (QWidget *widget : watchedPlots) {
        painted += paints.count(widget) > 0;
        plotHzMin = std::min(plotHzMin, paints.count(widget) / wallS);
    }

    QJsonObject out = Bench::meta(QStringLiteral("uiload"), rep);
    out[QStringLiteral("workload")] = QStringLiteral("uiload");
    out[QStringLiteral("devices")] = devices;
    out[QStringLiteral("rate_hz")] = rateHz;
    out[QStringLiteral("seconds")] = rounded(wallS);
    out[QStringLiteral("frame_ms_p50")] = rounded(percentile(intervals, 0.50));
    out[QStringLiteral("frame_ms_p99")] = rounded(percentile(intervals, 0.99));
    out[QStringLiteral("frame_ms_max")] = rounded(intervals.empty() ? 0 : intervals.back());
    out[QStringLiteral("frames_over_16ms")] = over16;
    out[QStringLiteral("frame_build_ms_p50")] = rounded(percentile(builds, 0.50));
    out[QStringLiteral("frame_build_ms_p99")] = rounded(percentile(builds, 0.99));
    out[QStringLiteral("frame_build_ms_max")] = rounded(builds.empty() ? 0 : builds.back());
    out[QStringLiteral("frames_late")] = late;
    out[QStringLiteral("frames_late_share")]
        = rounded(intervals.empty() ? 0 : double(late) / double(intervals.size()), 4);
    out[QStringLiteral("frame_cpu_ms_p50")] = rounded(percentile(cpus, 0.50));
    out[QStringLiteral("frame_cpu_ms_p99")] = rounded(percentile(cpus, 0.99));
    out[QStringLiteral("paint_ms_p50")] = rounded(percentile(paintCosts, 0.50));
    out[QStringLiteral("paint_ms_p99")] = rounded(percentile(paintCosts, 0.99));
    out[QStringLiteral("paint_ms_max")] = rounded(paintCosts.empty() ? 0 : paintCosts.back());
    out[QStringLiteral("gui_cpu_share")] = rounded(guiCpuS / wallS);
    out[QStringLiteral("gui_wait_share")] = rounded(guiWaitS / wallS);
    out[QStringLiteral("device_thread_cpu_share")] = rounded(deviceCpuS / wallS);
    out[QStringLiteral("frames")] = frames;
    out[QStringLiteral("frames_per_s")] = rounded(double(frames) / wallS, 1);
    out[QStringLiteral("paints_checked")] = painted;
    out[QStringLiteral("paints_watched")] = int(watchedLabels.size() + watchedPlots.size());
    out[QStringLiteral("watched_exposed")] = exposed;
    out[QStringLiteral("watched_value_labels")] = labelsFound;
    out[QStringLiteral("label_paint_hz_min")] = rounded(labelHzMin, 1);
    out[QStringLiteral("plot_paint_hz_min")] = rounded(plotHzMin, 1);
    out[QStringLiteral("replots_per_s")] = rounded(double(replots) / wallS, 1);
    out[QStringLiteral("snapshots_per_s")] = rounded(double(receivedCount) / wallS, 1);
    out[QStringLiteral("published_per_s")] = rounded(double(publishedCount) / wallS, 1);
    out[QStringLiteral("device_rate_hz")] = rounded(deviceRateSum / devices, 2);
    out[QStringLiteral("window")] = QStringLiteral("%1x%2 (grid %3 columns)")
                                        .arg(window.width())
                                        .arg(window.height())
                                        .arg(columns);
    out[QStringLiteral("host")] = host.finish();
    Bench::printJsonLine(out);
    return 0;
}
