// SPDX-License-Identifier: MIT
// What a yaq daemon's protocol document costs to read: a client reads it once per connection
// (Client::connectTo), a server builds its own when a device starts (DeviceServer). Per document,
// each case timed over --count runs (after a tenth as many unmeasured), with a steady clock:
//
//   parse    what connectTo does with the document's text, without sockets: the document read
//            for the wire and Benchtop's model of the daemon built from it
//   connect  Yaq::Client::connectTo against a daemon in this process serving the document on
//            127.0.0.1 (both handshakes of yaqc's way), then the client destroyed
//   serve    a DeviceServer made for the tests' TestStage: its document built and made ready to
//            serve (no socket)
//
// Documents: tests/data/yaq/example-stage.avpr and example-power-meter.avpr (in the form yaq
// daemons write them), and `benchtop-stage`, the document Benchtop's server writes for the
// TestStage. One JSON line per case and document (serve: the TestStage only).
//
//   bench_yaqconnect [--case all|parse|connect|serve] [--count N] [--rep K]
#include "benchstage.h"
#include "benchsupport.h"

#include <async/async.h>
#include <host/devicehost.h>
#include <yaq/client/client.h>
#include <yaq/client/remoteprotocol.h>
#include <yaq/server/deviceserver.h>
#include <yaq/wire/messages.h>
#include <yaq/wire/protocoldocument.h>

#include <QCoreApplication>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <vector>

using namespace Benchtop;
using Clock = std::chrono::steady_clock;

#ifndef BENCHTOP_YAQ_TEST_DATA
#define BENCHTOP_YAQ_TEST_DATA "tests/data/yaq"
#endif

namespace {

const QString kDevice = QStringLiteral("stage");

/// What Client::connectTo does with the text its first handshake brought.
std::size_t clientRead(const QByteArray &text)
{
    const Yaq::ProtocolDocument document(text);
    const Yaq::RemoteProtocol remote = Yaq::RemoteProtocol::fromDocument(document);
    return std::size_t(remote.messages.size());
}

/// A yaq daemon that only handshakes, serving `document`.
class HandshakeDaemon : public QObject {
public:
    explicit HandshakeDaemon(const QByteArray &text)
        : m_document(text)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("bench_yaqconnect: cannot listen: %s", qPrintable(m_server.errorString()));
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void serve(QTcpSocket *socket)
    {
        socket->setParent(this);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto decoder = std::make_shared<Yaq::ServerDecoder>(
            [this](const QString &name) { return m_document.message(name); }, m_document.hash());
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, decoder] {
            QByteArray out;
            decoder->feed(socket->readAll());
            while (std::optional<Yaq::CallRequest> request = decoder->next()) {
                if (request->handshake) {
                    Yaq::appendHandshakeResponse(out,
                        Yaq::answerHandshake(
                            *request->handshake, m_document.text(), m_document.hash()));
                }
                Yaq::appendCallResponse(
                    out, Yaq::SchemaSet::primitive(Yaq::Schema::Type::Null), QVariant());
            }
            socket->write(out);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    Yaq::ProtocolDocument m_document;
    QTcpServer m_server;
};

QJsonObject summary(std::vector<double> &samplesUs)
{
    std::sort(samplesUs.begin(), samplesUs.end());
    const double mean = samplesUs.empty()
        ? 0
        : std::accumulate(samplesUs.begin(), samplesUs.end(), 0.0) / double(samplesUs.size());
    return {{QStringLiteral("runs"), qint64(samplesUs.size())},
        {QStringLiteral("us_p50"), Bench::rounded(Bench::percentile(samplesUs, 50), 1)},
        {QStringLiteral("us_p99"), Bench::rounded(Bench::percentile(samplesUs, 99), 1)},
        {QStringLiteral("us_mean"), Bench::rounded(mean, 1)}};
}

/// `fn` run `warmup` times, then timed `count` times, in µs each.
template<typename Fn>
std::vector<double> timed(long long warmup, long long count, Fn &&fn)
{
    for (long long i = 0; i < warmup; ++i)
        fn();
    std::vector<double> samples;
    samples.reserve(std::size_t(count));
    for (long long i = 0; i < count; ++i) {
        const Clock::time_point t0 = Clock::now();
        fn();
        samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    return samples;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("bench_yaqconnect: cannot read %s", qPrintable(path));
    return file.readAll();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const QString which
        = Bench::stringOption(args, {QStringLiteral("--case")}, QStringLiteral("all"));
    const long long count = Bench::intOption(args, {QStringLiteral("--count")}, 2000);
    const int rep = int(Bench::intOption(args, {QStringLiteral("--rep")}, 1));
    const QStringList known{QStringLiteral("all"), QStringLiteral("parse"),
        QStringLiteral("connect"), QStringLiteral("serve")};
    if (!known.contains(which) || count < 1) {
        std::fprintf(stderr, "bench_yaqconnect: --case %s: one of %s; --count at least 1\n",
            qPrintable(which), qPrintable(known.join(QLatin1Char('|'))));
        return 2;
    }
    const auto wants = [&](const char *name) {
        return which == QLatin1String("all") || which == QLatin1String(name);
    };
    const long long warmup = std::max<long long>(1, count / 10);

    std::unique_ptr<DeviceHost> host = Bench::makeStageHost(kDevice);
    const QString data = QStringLiteral(BENCHTOP_YAQ_TEST_DATA "/");
    const std::vector<std::pair<QString, QByteArray>> documents{
        {QStringLiteral("example-stage.avpr"),
            readFile(data + QStringLiteral("example-stage.avpr"))},
        {QStringLiteral("example-power-meter.avpr"),
            readFile(data + QStringLiteral("example-power-meter.avpr"))},
        {QStringLiteral("benchtop-stage"),
            Yaq::DeviceServer(*host, kDevice, nullptr).document()->text()},
    };

    const auto print = [&](const QString &name, const QString &document, qsizetype bytes,
                           std::vector<double> samples, const Bench::HostLoad &load) {
        QJsonObject out = Bench::meta(QStringLiteral("yaqconnect"), rep);
        out[QStringLiteral("case")] = name;
        out[QStringLiteral("params")] = QJsonObject{{QStringLiteral("document"), document},
            {QStringLiteral("bytes"), qint64(bytes)}, {QStringLiteral("count"), count}};
        out[QStringLiteral("results")] = summary(samples);
        out[QStringLiteral("host")] = load.finish();
        Bench::printJsonLine(out);
    };

    if (wants("parse")) {
        for (const auto &[name, text] : documents) {
            Bench::HostLoad load;
            std::size_t messages = 0;
            std::vector<double> samples
                = timed(warmup, count, [&, &text = text] { messages += clientRead(text); });
            if (messages == 0)
                qFatal("bench_yaqconnect: %s has no messages", qPrintable(name));
            print(QStringLiteral("parse"), name, text.size(), std::move(samples), load);
        }
    }
    if (wants("connect")) {
        for (const auto &[name, text] : documents) {
            HandshakeDaemon daemon(text);
            Bench::HostLoad load;
            std::vector<double> samples = timed(warmup, count, [&, port = daemon.port()] {
                Yaq::Client client;
                QCoro::waitFor(client.connectTo(QStringLiteral("127.0.0.1"), port));
                if (!client.isConnected())
                    qFatal("bench_yaqconnect: not connected");
            });
            print(QStringLiteral("connect"), name, text.size(), std::move(samples), load);
        }
    }
    if (wants("serve")) {
        Bench::HostLoad load;
        qsizetype bytes = 0;
        std::vector<double> samples = timed(warmup, count, [&] {
            const Yaq::DeviceServer server(*host, kDevice, nullptr);
            bytes = server.document()->text().size();
        });
        print(QStringLiteral("serve"), QStringLiteral("benchtop-stage"), bytes, std::move(samples),
            load);
    }
    return 0;
}
