// SPDX-License-Identifier: MIT
#include "yaqscanner.h"

#include <async/errors.h>
#include <device/deviceerror.h>
#include <yaq/client/client.h>

#include <QHostInfo>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace Benchtop::Ui {

namespace {

/// A client's answers resume the task awaiting them from inside its socket's readyRead
/// (Async::CallbackScope): a client that goes out of scope there would delete the socket under
/// Qt's feet. Handshake clients are deleted on the next turn of the event loop instead.
struct DeleteLater {
    void operator()(QObject *object) const { object->deleteLater(); }
};
template<typename T>
using LaterDeleted = std::unique_ptr<T, DeleteLater>;

} // namespace

YaqScanner::YaqScanner(QObject *parent)
    : YaqScanner(Options(), parent)
{
}

YaqScanner::YaqScanner(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_running(options)
{
    setOptions(options);
}

void YaqScanner::setOptions(const Options &options)
{
    m_options = options;
    if (m_options.lastPort < m_options.firstPort)
        std::swap(m_options.firstPort, m_options.lastPort);
    m_options.maxInFlight = std::max(1, m_options.maxInFlight);
    if (!isRunning())
        m_running = m_options;
}

YaqScanner::~YaqScanner()
{
    stopAll();
}

void YaqScanner::start(const QString &host)
{
    stopAll();
    m_running = m_options;
    m_host = host.trimmed();
    m_address.clear();
    m_found.clear();
    m_probed = 0;
    m_identifying = 0;
    m_nextPort = m_running.firstPort;
    m_state = State::Resolving;
    const quint64 generation = m_generation;
    // An address needs no lookup; QHostInfo would answer it on a later turn of the loop anyway.
    m_lookupId = QHostInfo::lookupHost(m_host, this, [this, generation](const QHostInfo &info) {
        m_lookupId = -1;
        onResolved(generation, info.addresses(),
            info.error() == QHostInfo::NoError ? QString() : info.errorString());
    });
}

void YaqScanner::cancel()
{
    stopAll();
}

void YaqScanner::stopAll()
{
    ++m_generation;
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    for (auto it = m_probes.cbegin(); it != m_probes.cend(); ++it) {
        QTcpSocket *socket = it.key();
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_probes.clear();
    m_tasks.cancel(); // the handshakes: their late results are ignored (generation)
    m_identifying = 0;
    m_state = State::Idle;
}

void YaqScanner::onResolved(
    quint64 generation, const QList<QHostAddress> &addresses, const QString &error)
{
    if (generation != m_generation || m_state != State::Resolving)
        return;
    if (addresses.isEmpty()) {
        m_state = State::Idle;
        Q_EMIT failed(tr("Cannot find the host \"%1\": %2")
                          .arg(m_host, error.isEmpty() ? tr("it has no address") : error));
        return;
    }
    const auto ipv4 = std::find_if(addresses.cbegin(), addresses.cend(),
        [](const QHostAddress &a) { return a.protocol() == QAbstractSocket::IPv4Protocol; });
    m_address = ipv4 != addresses.cend() ? *ipv4 : addresses.first();
    m_state = State::Scanning;
    Q_EMIT resolved(m_address);
    Q_EMIT progress(0, total());
    launchProbes();
}

void YaqScanner::launchProbes()
{
    m_launchScheduled = false;
    if (m_state != State::Scanning)
        return;
    // A refused connection can fail inside connectToHost(): probeDone() then only counts it,
    // and this loop goes on. At most maxInFlight sockets are opened per turn of the event loop,
    // so that a host that refuses every port at once still leaves the loop free.
    m_launching = true;
    const quint64 generation = m_generation;
    int opened = 0;
    while (generation == m_generation && m_probes.size() < m_running.maxInFlight
        && m_nextPort <= int(m_running.lastPort)) {
        if (opened == m_running.maxInFlight) {
            scheduleLaunch();
            break;
        }
        probe(quint16(m_nextPort++));
        ++opened;
    }
    m_launching = false;
    if (generation == m_generation)
        finishIfDone();
}

void YaqScanner::scheduleLaunch()
{
    if (m_launchScheduled)
        return;
    m_launchScheduled = true;
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation)
            launchProbes();
        else
            m_launchScheduled = false;
    });
}

void YaqScanner::probe(quint16 port)
{
    auto *socket = new QTcpSocket(this);
    m_probes.insert(socket, port);
    connect(socket, &QTcpSocket::connected, this, [this, socket] { probeDone(socket, true); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] { probeDone(socket, false); });
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, socket] { probeDone(socket, false); });
    deadline->start(m_running.connectTimeout);
    socket->connectToHost(m_address, port);
}

void YaqScanner::probeDone(QTcpSocket *socket, bool open)
{
    const auto it = m_probes.constFind(socket);
    if (it == m_probes.cend())
        return;
    const quint16 port = it.value();
    m_probes.erase(it);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    ++m_probed;
    if (open)
        identify(port);
    Q_EMIT progress(m_probed, total());
    if (!m_launching)
        launchProbes();
}

void YaqScanner::identify(quint16 port)
{
    ++m_identifying;
    const quint64 generation = m_generation;
    const QString address = m_address.toString();
    const auto timeout = m_running.handshakeTimeout;
    m_tasks.spawn(
        "identify a yaq daemon", [this, generation, address, port, timeout]() -> QCoro::Task<> {
            Yaq::Client::Options options;
            options.connectTimeout = timeout;
            options.callTimeout = timeout;
            const LaterDeleted<Yaq::Client> client(new Yaq::Client(options));
            std::optional<YaqDaemonInfo> daemon;
            try {
                co_await client->connectTo(address, port);
                daemon = YaqDaemonInfo{port, client->remote().kind, {}, client->remote().traits};
                if (client->remote().hasMessage(QStringLiteral("id"))) {
                    const QVariant id = co_await client->call(QStringLiteral("id"));
                    daemon->name = id.toMap().value(QStringLiteral("name")).toString();
                }
            } catch (const DeviceError &) {
                // Not a yaq daemon (or not one that answers in time). A daemon whose `id`
                // failed is still listed, unnamed.
            }
            if (generation != m_generation)
                co_return;
            --m_identifying;
            if (daemon) {
                const auto at = std::lower_bound(m_found.begin(), m_found.end(), port,
                    [](const YaqDaemonInfo &found, quint16 p) { return found.port < p; });
                m_found.insert(at, *daemon);
                Q_EMIT daemonFound(*daemon);
            }
            finishIfDone();
        });
}

void YaqScanner::finishIfDone()
{
    if (m_state != State::Scanning || m_launching || m_launchScheduled)
        return;
    if (m_nextPort <= int(m_running.lastPort) || !m_probes.isEmpty() || m_identifying > 0)
        return;
    m_state = State::Idle;
    Q_EMIT finished();
}

} // namespace Benchtop::Ui
