// SPDX-License-Identifier: MIT
// yaq round trips (target: ≥50,000 calls/s on one connection, p99 ≤100 µs, Benchtop's client
// against Benchtop's server). The server is what benchtopd runs: a DeviceHost on its own
// DeviceThread with one has-position device (the tests' TestStage), served by a
// Yaq::DeviceServer created on that thread, on 127.0.0.1:0. Clients on the main thread call
// `get_position` one at a time per connection for --seconds (after --warmup), timing every call
// with a steady clock:
//
//   one        Yaq::Client, 1 connection
//   eight      Yaq::Client, 8 connections, each its own sequential loop (coroutines), aggregate
//   pipelined  Yaq::Client, 1 connection called by 8 sequential loops at once: their requests
//              overlap on the connection (the client pipelines them), aggregate
//   stock      bench/peers/yaqc_like.py --stock: yaqc's bytes and writes, Nagle on (does the
//              server make it wait on delayed ACKs? Python's own server: ~23 calls/s)
//   nodelay    the same client with TCP_NODELAY and one write per request
//   breakdown  where the time of a call goes, without the client and server objects: the wire
//              codec and the device call in one thread (no sockets), and a bare QTcpSocket
//              ping-pong of the same sizes (26 bytes each way) to a QTcpSocket echo on another
//              thread, driven by callbacks (no coroutines)
//
//   bench_yaq [--case all|one|eight|pipelined|stock|nodelay|breakdown] [--seconds S]
//             [--warmup S] [--connections N (eight's connections, pipelined's callers)]
//             [--python /usr/bin/python3] [--peer PATH] [--rep K]
//             [--port P (call the daemon on 127.0.0.1:P, e.g. benchtopd, instead of our own)]
//
// One JSON line per case (bench/run runs one case per invocation and reads the last line).
#include "benchstage.h"
#include "benchsupport.h"

#include <async/async.h>
#include <device/device.h>
#include <device/traits.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <yaq/client/client.h>
#include <yaq/server/deviceserver.h>
#include <yaq/wire/messages.h>
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/wirevalues.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <vector>

using namespace Benchtop;
using Clock = std::chrono::steady_clock;

#ifndef BENCHTOP_YAQC_LIKE
#define BENCHTOP_YAQC_LIKE "bench/peers/yaqc_like.py"
#endif

namespace {

const QString kDevice = QStringLiteral("stage");
const QString kMessage = QStringLiteral("get_position");

std::unique_ptr<DeviceHost> makeHost()
{
    return Bench::makeStageHost(kDevice);
}

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// calls/s and the latency percentiles of one case, in microseconds.
QJsonObject summary(std::vector<double> &samplesUs, double elapsedS)
{
    std::sort(samplesUs.begin(), samplesUs.end());
    const double mean = samplesUs.empty()
        ? 0
        : std::accumulate(samplesUs.begin(), samplesUs.end(), 0.0) / double(samplesUs.size());
    return {{QStringLiteral("calls"), qint64(samplesUs.size())},
        {QStringLiteral("calls_per_s"),
            Bench::rounded(elapsedS > 0 ? double(samplesUs.size()) / elapsedS : 0, 1)},
        {QStringLiteral("latency_us_p50"), Bench::rounded(Bench::percentile(samplesUs, 50), 1)},
        {QStringLiteral("latency_us_p99"), Bench::rounded(Bench::percentile(samplesUs, 99), 1)},
        {QStringLiteral("latency_us_max"),
            Bench::rounded(samplesUs.empty() ? 0 : samplesUs.back(), 1)},
        {QStringLiteral("latency_us_mean"), Bench::rounded(mean, 2)}};
}

// ---- Benchtop's client ------------------------------------------------------------------

/// One connection's sequential loop until `end`; its samples (µs) when `samples` is given.
QCoro::Task<> callLoop(Yaq::Client &client, Clock::time_point end, std::vector<double> *samples)
{
    Clock::time_point t = Clock::now();
    while (t < end) {
        const QVariant value = co_await client.call(kMessage);
        const Clock::time_point t1 = Clock::now();
        if (samples)
            samples->push_back(std::chrono::duration<double, std::micro>(t1 - t).count());
        t = t1;
        Q_UNUSED(value)
    }
}

struct ClientResult {
    std::vector<double> samplesUs;
    double elapsedS = 0;
    double cpuS = 0;
    QString error;
};

/// `connections` clients, each called by `callers` sequential loops at once (more than one:
/// its calls are pipelined on the connection).
QCoro::Task<> runClients(quint16 port, int connections, int callers, double warmupS, double seconds,
    ClientResult &result)
{
    std::vector<std::unique_ptr<Yaq::Client>> clients;
    for (int i = 0; i < connections; ++i) {
        clients.push_back(std::make_unique<Yaq::Client>());
        co_await clients.back()->connectTo(QStringLiteral("127.0.0.1"), port);
    }
    const auto duration = [](double s) {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    };
    {
        Async::TaskGroup warm(QStringLiteral("warmup"));
        const Clock::time_point end = Clock::now() + duration(warmupS);
        for (auto &client : clients) {
            for (int j = 0; j < callers; ++j)
                warm.spawn("warmup", [&client, end] { return callLoop(*client, end, nullptr); });
        }
        co_await warm.join();
    }
    const auto loopCount = static_cast<std::size_t>(connections * callers);
    std::vector<std::vector<double>> perLoop(loopCount);
    for (auto &samples : perLoop)
        samples.reserve(std::size_t(seconds * 100000 / double(loopCount)) + 1024);
    Async::TaskGroup loops(QStringLiteral("loops"));
    const double cpu0 = Bench::processCpuSeconds();
    const Clock::time_point start = Clock::now();
    const Clock::time_point end = start + duration(seconds);
    for (std::size_t i = 0; i < loopCount; ++i) {
        loops.spawn(
            "loop", [client = clients[i % clients.size()].get(), end, samples = &perLoop[i]] {
                return callLoop(*client, end, samples);
            });
    }
    co_await loops.join();
    result.elapsedS = secondsSince(start);
    result.cpuS = Bench::processCpuSeconds() - cpu0;
    for (const auto &samples : perLoop)
        result.samplesUs.insert(result.samplesUs.end(), samples.begin(), samples.end());
}

QJsonObject clientCase(quint16 port, int connections, int callers, double warmupS, double seconds)
{
    ClientResult result;
    QEventLoop loop;
    Async::TaskGroup main(QStringLiteral("main"));
    main.spawn("clients", [&]() -> QCoro::Task<> {
        try {
            co_await runClients(port, connections, callers, warmupS, seconds, result);
        } catch (const std::exception &e) {
            result.error = QString::fromUtf8(e.what());
        }
        loop.quit();
    });
    loop.exec();
    QJsonObject results = summary(result.samplesUs, result.elapsedS);
    // Both threads' CPU (the client here, the server on the device thread) per second.
    results[QStringLiteral("process_cpu_share")]
        = Bench::rounded(result.elapsedS > 0 ? result.cpuS / result.elapsedS : 0, 3);
    if (!result.error.isEmpty())
        results[QStringLiteral("error")] = result.error;
    return results;
}

// ---- the yaqc-like peer ----------------------------------------------------------------------

QJsonObject peerCase(const QString &python, const QString &script, quint16 port, bool stock,
    double warmupS, double seconds)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(python,
        {script, QStringLiteral("--port"), QString::number(port),
            stock ? QStringLiteral("--stock") : QStringLiteral("--nodelay"),
            QStringLiteral("--seconds"), QString::number(seconds), QStringLiteral("--warmup"),
            QString::number(warmupS)});
    // The server is on the device thread: blocking this one is fine.
    const int limitMs = int((seconds + warmupS) * 1000) + 30000;
    if (!process.waitForFinished(limitMs)) {
        process.kill();
        process.waitForFinished(1000);
        return {{QStringLiteral("error"), QStringLiteral("%1 did not finish").arg(script)}};
    }
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    const QJsonObject peer = QJsonDocument::fromJson(lines.value(lines.size() - 1)).object();
    if (process.exitCode() != 0 || peer.isEmpty()) {
        return {{QStringLiteral("error"),
            QStringLiteral("%1 failed (%2): %3")
                .arg(script)
                .arg(process.exitCode())
                .arg(QString::fromUtf8(process.readAllStandardError().right(1000)))}};
    }
    QJsonObject results = peer.value(QStringLiteral("results")).toObject();
    results[QStringLiteral("python")]
        = peer.value(QStringLiteral("params")).toObject().value(QStringLiteral("python"));
    return results;
}

// ---- breakdown --------------------------------------------------------------------------------

/// Mean ns of `fn` over `count` runs (timed as a batch: the clock costs nothing per run).
template<typename Fn>
double nsPerRun(long long count, Fn &&fn)
{
    const Clock::time_point t0 = Clock::now();
    for (long long i = 0; i < count; ++i)
        fn();
    return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / double(count);
}

/// The wire codec and the device call of one get_position, each stage alone, in this thread.
QJsonObject codecBreakdown(long long count)
{
    std::unique_ptr<DeviceHost> host = makeHost();
    Yaq::DeviceServer server(*host, kDevice, nullptr);
    const std::shared_ptr<const Yaq::ProtocolDocument> document = server.document();
    const Yaq::MessageSchema &message = *document->message(kMessage);
    const Yaq::Schema &response = *message.response;

    QByteArray request;
    const double encodeRequest = nsPerRun(count, [&] {
        request.clear();
        Yaq::appendCallRequest(request, message, {});
    });

    Yaq::ServerDecoder serverDecoder(
        [&](const QString &name) { return document->message(name); }, document->hash());
    {
        QByteArray hello;
        Yaq::HandshakeRequest handshake;
        handshake.clientHash = document->hash();
        handshake.clientProtocol = QString::fromUtf8(document->text());
        handshake.serverHash = document->hash();
        Yaq::appendHandshakeRequest(hello, handshake);
        Yaq::appendCallRequest(hello, Yaq::handshakeOnlyMessage(), {});
        serverDecoder.feed(hello);
        (void)serverDecoder.next();
    }
    long long decoded = 0;
    const double decodeRequest = nsPerRun(count, [&] {
        serverDecoder.feed(request);
        decoded += serverDecoder.next().has_value();
    });

    QVariant value;
    const double deviceCall
        = nsPerRun(count, [&] { value = host->call(kDevice, kMessage, QVariantList()); });

    QByteArray answer;
    const double encodeResponse = nsPerRun(count, [&] {
        answer.clear();
        Yaq::appendCallResponse(answer, response, Yaq::toWire(value, response));
    });

    Yaq::ClientDecoder clientDecoder;
    double sum = 0;
    const double decodeResponse = nsPerRun(count, [&] {
        clientDecoder.expect(response);
        clientDecoder.feed(answer);
        std::optional<Yaq::CallResponse> r = clientDecoder.next();
        sum += Yaq::fromWire(r->value).toDouble();
    });
    if (decoded != count || sum != 1.25 * double(count))
        qFatal("breakdown: the codec did not round-trip");

    const auto ns = [](double v) { return Bench::rounded(v, 1); };
    return {{QStringLiteral("request_bytes"), request.size()},
        {QStringLiteral("response_bytes"), answer.size()},
        {QStringLiteral("client_encode_request_ns"), ns(encodeRequest)},
        {QStringLiteral("server_decode_request_ns"), ns(decodeRequest)},
        {QStringLiteral("device_call_ns"), ns(deviceCall)},
        {QStringLiteral("server_encode_response_ns"), ns(encodeResponse)},
        {QStringLiteral("client_decode_response_ns"), ns(decodeResponse)},
        {QStringLiteral("codec_and_device_total_ns"),
            ns(encodeRequest + decodeRequest + deviceCall + encodeResponse + decodeResponse)}};
}

/// Answers every `size` bytes it reads with `size` bytes, on its own thread.
class Echo : public QObject {
public:
    Echo(qsizetype size, bool flush)
        : m_size(size)
        , m_flush(flush)
        , m_reply(size, 'x')
    {
    }
    quint16 listen()
    {
        m_server = new QTcpServer(this);
        m_server->listen(QHostAddress::LocalHost, 0);
        connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                socket->setParent(this);
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                auto pending = std::make_shared<qsizetype>(0);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, pending] {
                    *pending += socket->readAll().size();
                    QByteArray out;
                    while (*pending >= m_size) {
                        *pending -= m_size;
                        out += m_reply;
                    }
                    if (!out.isEmpty()) {
                        socket->write(out);
                        if (m_flush)
                            socket->flush();
                    }
                });
            }
        });
        return m_server->serverPort();
    }

private:
    qsizetype m_size;
    bool m_flush;
    QByteArray m_reply;
    QTcpServer *m_server = nullptr;
};

/// A bare QTcpSocket ping-pong, callbacks only, to Echo on another thread: the floor of a
/// cross-thread round trip through Qt's event loops and loopback TCP. With `flush`, both sides
/// call flush() after write(): a buffered QTcpSocket's write() only queues the bytes and
/// enables its write notifier, so that they reach the kernel one turn of the loop later.
QJsonObject socketFloor(qsizetype size, bool flush, double warmupS, double seconds)
{
    QThread thread;
    thread.setObjectName(QStringLiteral("echo"));
    auto *echo = new Echo(size, flush);
    echo->moveToThread(&thread);
    thread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        echo, [&] { port = echo->listen(); }, Qt::BlockingQueuedConnection);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        qFatal("breakdown: cannot connect to the echo");
    socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QByteArray ping(size, 'p');
    std::vector<double> samples;
    samples.reserve(std::size_t(seconds * 200000) + 1024);
    qsizetype received = 0;
    Clock::time_point t = Clock::now();
    const Clock::time_point warmEnd
        = t + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmupS));
    const Clock::time_point end = warmEnd
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        received += socket.readAll().size();
        if (received < size)
            return;
        received -= size;
        const Clock::time_point t1 = Clock::now();
        if (t >= warmEnd)
            samples.push_back(std::chrono::duration<double, std::micro>(t1 - t).count());
        t = t1;
        if (t1 >= end) {
            loop.quit();
            return;
        }
        socket.write(ping);
        if (flush)
            socket.flush();
    });
    socket.write(ping);
    loop.exec();
    double elapsed = 0;
    for (double s : samples)
        elapsed += s / 1e6;
    QJsonObject out = summary(samples, elapsed);
    socket.disconnectFromHost();
    QMetaObject::invokeMethod(
        echo, [echo] { delete echo; }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const QString which
        = Bench::stringOption(args, {QStringLiteral("--case")}, QStringLiteral("all"));
    const double seconds = Bench::doubleOption(args, {QStringLiteral("--seconds")}, 5.0);
    const double warmup = Bench::doubleOption(args, {QStringLiteral("--warmup")}, 0.5);
    const int many = int(Bench::intOption(args, {QStringLiteral("--connections")}, 8));
    const QString python = Bench::stringOption(
        args, {QStringLiteral("--python")}, QStringLiteral("/usr/bin/python3"));
    const QString peer
        = Bench::stringOption(args, {QStringLiteral("--peer")}, QStringLiteral(BENCHTOP_YAQC_LIKE));
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    const QStringList known{QStringLiteral("all"), QStringLiteral("one"), QStringLiteral("eight"),
        QStringLiteral("pipelined"), QStringLiteral("stock"), QStringLiteral("nodelay"),
        QStringLiteral("breakdown")};
    if (!known.contains(which)) {
        std::fprintf(stderr, "bench_yaq: --case %s: one of %s\n", qPrintable(which),
            qPrintable(known.join(QLatin1Char('|'))));
        return 2;
    }
    const auto wants = [&](const char *name) {
        return which == QLatin1String("all") || which == QLatin1String(name);
    };

    // The server, as benchtopd runs it; or a daemon already serving on 127.0.0.1:--port (a
    // benchtopd process, say) whose device has get_position.
    auto port = quint16(Bench::intOption(args, {QStringLiteral("--port")}, 0));
    const bool external = port != 0;
    DeviceThread thread;
    QString listenError;
    if (!external) {
        DeviceHost *host = thread.start(makeHost);
        QMetaObject::invokeMethod(
            host,
            [&] {
                auto *server = new Yaq::DeviceServer(*host, kDevice, nullptr, host);
                if (server->listen(QHostAddress::LocalHost, 0, &listenError))
                    port = server->port();
            },
            Qt::BlockingQueuedConnection);
    }
    if (port == 0) {
        std::fprintf(stderr, "bench_yaq: cannot serve: %s\n", qPrintable(listenError));
        return 1;
    }

    int failures = 0;
    const auto print = [&](const QString &name, const QJsonObject &params, QJsonObject results,
                           const Bench::HostLoad &load) {
        QJsonObject out = Bench::meta(QStringLiteral("yaq"), rep);
        out[QStringLiteral("case")] = name;
        QJsonObject p = params;
        p[QStringLiteral("seconds")] = seconds;
        p[QStringLiteral("warmup")] = warmup;
        p[QStringLiteral("message")] = kMessage;
        p[QStringLiteral("server")] = external ? QStringLiteral("127.0.0.1:%1").arg(port)
                                               : QStringLiteral("in process, own thread");
        out[QStringLiteral("params")] = p;
        if (results.contains(QStringLiteral("error")))
            ++failures;
        out[QStringLiteral("results")] = results;
        out[QStringLiteral("host")] = load.finish();
        Bench::printJsonLine(out);
    };

    if (wants("breakdown")) {
        Bench::HostLoad load;
        QJsonObject results = codecBreakdown(200000);
        const double floorS = std::min(seconds, 2.0);
        results[QStringLiteral("socket_floor")] = socketFloor(26, false, warmup, floorS);
        results[QStringLiteral("socket_floor_flush")] = socketFloor(26, true, warmup, floorS);
        print(QStringLiteral("breakdown"),
            {{QStringLiteral("client"),
                QStringLiteral("none: codec in one thread; QTcpSocket echo")}},
            results, load);
    }
    if (wants("one")) {
        Bench::HostLoad load;
        print(QStringLiteral("one"),
            {{QStringLiteral("client"), QStringLiteral("Yaq::Client")},
                {QStringLiteral("connections"), 1}},
            clientCase(port, 1, 1, warmup, seconds), load);
    }
    if (wants("eight")) {
        Bench::HostLoad load;
        print(QStringLiteral("eight"),
            {{QStringLiteral("client"), QStringLiteral("Yaq::Client")},
                {QStringLiteral("connections"), many}},
            clientCase(port, many, 1, warmup, seconds), load);
    }
    if (wants("pipelined")) {
        Bench::HostLoad load;
        print(QStringLiteral("pipelined"),
            {{QStringLiteral("client"), QStringLiteral("Yaq::Client, calls pipelined")},
                {QStringLiteral("connections"), 1}, {QStringLiteral("callers"), many}},
            clientCase(port, 1, many, warmup, seconds), load);
    }
    for (const bool stock : {true, false}) {
        if (!wants(stock ? "stock" : "nodelay"))
            continue;
        Bench::HostLoad load;
        print(stock ? QStringLiteral("stock") : QStringLiteral("nodelay"),
            {{QStringLiteral("client"),
                 stock ? QStringLiteral("yaqc_like.py --stock (Nagle on, request in 3 writes)")
                       : QStringLiteral("yaqc_like.py --nodelay (TCP_NODELAY, one write)")},
                {QStringLiteral("connections"), 1}},
            peerCase(python, peer, port, stock, warmup, seconds), load);
    }

    if (!external)
        thread.stop();
    return failures == 0 ? 0 : 1;
}
