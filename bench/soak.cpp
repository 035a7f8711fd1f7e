// SPDX-License-Identifier: MIT
// Soak (docs/reliability.md): the application's window, offscreen, on a lab of N sim signals at R
// Hz, for a long time (default 10 minutes), exactly as a user would leave it overnight: a
// LabSession with a real state store (in a temporary directory), the MainWindow with the first P
// (ten) devices' panels open and one on screen, the device list, the log. After a warm-up, the
// process's resident memory must not grow by more than 1 MiB, its open file descriptors and threads
// must not grow, and every device must keep its rate.
//
//   bench_soak [--devices N] [--rate HZ] [--minutes M] [--warmup-s W] [--sample-s S]
//              [--panels P]
//
// One JSON line at the end, with a sample (resident kB, descriptors, threads) every S seconds.
#include "benchsupport.h"

#include <device/traits.h>
#include <log/eventlog.h>
#include <mainwindow.h>
#include <session/labsession.h>

#include <host/devicehandle.h>
#include <plugins/pluginregistry.h>
#include <state/statestore.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Benchtop;

namespace {

struct Sample {
    double atS = 0;
    qint64 residentKb = 0;
    int descriptors = 0;
    int threads = 0;
};

qint64 statusField(const QByteArray &status, const char *field)
{
    for (const QByteArray &line : status.split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').front().toLongLong();
    }
    return -1;
}

Sample sampleNow(double atS)
{
    QFile file(QStringLiteral("/proc/self/status"));
    QByteArray status;
    if (file.open(QIODevice::ReadOnly))
        status = file.readAll();
    Sample sample;
    sample.atS = atS;
    sample.residentKb = statusField(status, "VmRSS:");
    sample.threads = int(statusField(status, "Threads:"));
    // The listing itself holds one descriptor open while it runs: not counted.
    sample.descriptors
        = int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size())
        - 1;
    return sample;
}

int measurementId(const DeviceHandle &handle)
{
    return handle.snapshot().values.value(StateKey::MeasurementId, -1).toInt();
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("benchtop-soak"));
    const QStringList args = app.arguments();
    const int devices = int(Bench::intOption(args, {QStringLiteral("--devices")}, 100));
    const double rate = Bench::doubleOption(args, {QStringLiteral("--rate")}, 100.0);
    const double minutes = Bench::doubleOption(args, {QStringLiteral("--minutes")}, 10.0);
    const double warmUpS = Bench::doubleOption(args, {QStringLiteral("--warmup-s")}, 60.0);
    const double sampleS = Bench::doubleOption(args, {QStringLiteral("--sample-s")}, 10.0);
    const int panels
        = std::min(devices, int(Bench::intOption(args, {QStringLiteral("--panels")}, 10)));

    QTemporaryDir dir;
    QByteArray lab;
    for (int i = 0; i < devices; ++i) {
        lab += QStringLiteral("[sig-%1]\ndriver = \"sim-signal\"\nrate_hz = %2\nnoise = 0.01\n\n")
                   .arg(i, 3, 10, QLatin1Char('0'))
                   .arg(rate)
                   .toUtf8();
    }
    const QString labPath = dir.filePath(QStringLiteral("soak.toml"));
    QFile labFile(labPath);
    if (!labFile.open(QIODevice::WriteOnly) || labFile.write(lab) != lab.size()) {
        std::fprintf(stderr, "bench_soak: cannot write %s\n", qPrintable(labPath));
        return 1;
    }
    labFile.close();

    PluginRegistry registry;
    if (!registry.addFile(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE))) {
        std::fprintf(stderr, "bench_soak: cannot load the sim plugin\n");
        return 1;
    }
    LabSession session(
        registry, std::make_shared<StateStore>(dir.filePath(QStringLiteral("state"))));
    Ui::MainWindow window(session);
    window.openLab(labPath);
    std::fprintf(stderr, "bench_soak: %zu devices open\n", session.handles().size());
    window.resize(1280, 800);
    window.show();
    for (int i = 0; i < panels; ++i)
        window.openPanel(QStringLiteral("sig-%1").arg(i, 3, 10, QLatin1Char('0')));

    Bench::HostLoad load;
    QElapsedTimer clock;
    clock.start();
    std::vector<Sample> samples;
    std::vector<int> idsAfterWarmUp;
    double warmedUpAt = 0;
    double endS = 0;
    std::vector<double> ratePercent;
    int notReady = 0;
    int logEntries = 0;
    const auto finish = [&] {
        endS = clock.elapsed() / 1000.0;
        logEntries = window.log()->rowCount();
        for (size_t i = 0; i < session.handles().size() && i < idsAfterWarmUp.size(); ++i) {
            const DeviceHandle &handle = *session.handles()[i];
            notReady += handle.snapshot().status == DeviceStatus::Ready ? 0 : 1;
            ratePercent.push_back(
                100.0 * (measurementId(handle) - idsAfterWarmUp[i]) / ((endS - warmedUpAt) * rate));
        }
    };
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] {
        const double atS = clock.elapsed() / 1000.0;
        if (idsAfterWarmUp.empty() && atS >= warmUpS) {
            warmedUpAt = atS;
            for (const auto &handle : session.handles())
                idsAfterWarmUp.push_back(measurementId(*handle));
        }
        samples.push_back(sampleNow(atS));
        if (atS >= minutes * 60.0) {
            finish(); // before the window closes the lab, as it does when the application quits
            app.quit();
        }
    });
    sampler.start(int(sampleS * 1000));
    app.exec();
    std::sort(ratePercent.begin(), ratePercent.end());

    // Growth is measured from the first sample after the warm-up to the last one.
    const auto firstWarm = std::find_if(
        samples.begin(), samples.end(), [&](const Sample &s) { return s.atS >= warmUpS; });
    QJsonArray series;
    for (const Sample &s : samples) {
        series.append(QJsonArray{Bench::rounded(s.atS, 1), s.residentKb, s.descriptors, s.threads});
    }
    QJsonObject results;
    if (firstWarm != samples.end() && !ratePercent.empty()) {
        const Sample &from = *firstWarm;
        const Sample &to = samples.back();
        qint64 peakKb = 0;
        for (auto it = firstWarm; it != samples.end(); ++it)
            peakKb = std::max(peakKb, it->residentKb);
        results = QJsonObject{{"resident_kb_after_warmup", from.residentKb},
            {"resident_kb_end", to.residentKb}, {"resident_kb_peak", peakKb},
            {"resident_growth_kb", to.residentKb - from.residentKb},
            {"resident_growth_ok", to.residentKb - from.residentKb <= 1024},
            {"descriptors_after_warmup", from.descriptors}, {"descriptors_end", to.descriptors},
            {"threads_after_warmup", from.threads}, {"threads_end", to.threads},
            {"rate_min_pct", Bench::rounded(ratePercent.front(), 2)},
            {"rate_median_pct", Bench::rounded(Bench::percentile(ratePercent, 50), 2)},
            {"devices_not_ready", notReady}, {"log_entries", logEntries},
            {"measured_s", Bench::rounded(endS - warmedUpAt, 1)},
            {"series_s_kb_fds_threads", series}};
    }
    if (results.isEmpty()) {
        std::fprintf(stderr, "bench_soak: no measurement: %zu samples, %zu handles, %zu rates\n",
            samples.size(), session.handles().size(), ratePercent.size());
    }
    QJsonObject result = Bench::meta(QStringLiteral("soak"), 1);
    result.insert("params",
        QJsonObject{{"devices", devices}, {"rate_hz", rate}, {"minutes", minutes},
            {"warmup_s", warmUpS}, {"sample_s", sampleS}, {"panels_open", panels}});
    result.insert("results", results);
    result.insert("host", load.finish());
    Bench::printJsonLine(result);
    return results.isEmpty() ? 1 : 0;
}
