// SPDX-License-Identifier: MIT
#pragma once

#include <async/taskgroup.h>

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>

class QTcpSocket;

namespace Benchtop::Ui {

/// A yaq daemon found by a scan: its port and what its handshake and `id` said.
struct YaqDaemonInfo {
    quint16 port = 0;
    QString kind; ///< the protocol's name (`protocol` in its document)
    QString name; ///< what its `id` call names it; empty when it has no `id` or it failed
    QStringList traits;

    bool operator==(const YaqDaemonInfo &) const = default;
};

/// Looks for yaq daemons on one host, as `yaqd scan` does: a TCP connection attempt to every
/// port of a range (yaq's 36000–39999 by default), many at once, each given a short time; each
/// port that accepts gets a yaq handshake (Yaq::Client) and an `id` call, also with a deadline.
/// Ports whose peer is not a yaq daemon are left out.
///
/// Everything runs on the event loop of the thread that created it (no blocking call, no
/// thread): start() returns at once; progress() follows the probes; daemonFound() comes for each
/// daemon as soon as it has answered; finished() once every port has been probed and every
/// handshake has ended. A host name is looked up first (QHostInfo); when it resolves to several
/// addresses, the first IPv4 one is scanned (else the first one). A host that cannot be
/// resolved gives failed() and no finished(). cancel() (or destroying the scanner) stops
/// everything at once, with no further signal.
class YaqScanner : public QObject {
    Q_OBJECT
public:
    struct Options {
        quint16 firstPort = 36000;
        quint16 lastPort = 39999;
        /// How long one TCP connection attempt may take (a firewall that drops packets makes
        /// every closed port take all of it).
        std::chrono::milliseconds connectTimeout{150};
        /// How long the handshake and the `id` call of an open port may take, each.
        std::chrono::milliseconds handshakeTimeout{1500};
        /// Connection attempts at once.
        int maxInFlight = 200;
    };

    explicit YaqScanner(QObject *parent = nullptr);
    explicit YaqScanner(Options options, QObject *parent = nullptr);
    ~YaqScanner() override;

    const Options &options() const { return m_options; }
    /// For the next start(): a running scan keeps its own.
    void setOptions(const Options &options);

    /// Starts scanning `host` (a name or an address), cancelling a scan under way.
    void start(const QString &host);
    /// Stops the scan under way, if any, with no further signal; found() keeps what was found.
    void cancel();
    bool isRunning() const { return m_state != State::Idle; }

    /// The host of the last start(), as given, and the address scanned (null until resolved).
    QString host() const { return m_host; }
    QHostAddress address() const { return m_address; }
    /// The ports of the scan under way (or the last one; before any, of the options).
    quint16 firstPort() const { return m_running.firstPort; }
    quint16 lastPort() const { return m_running.lastPort; }
    /// Ports of the range probed so far, and their number.
    int probed() const { return m_probed; }
    int total() const { return int(m_running.lastPort) - int(m_running.firstPort) + 1; }
    /// The daemons found by the last scan, by port.
    const QList<YaqDaemonInfo> &found() const { return m_found; }

Q_SIGNALS:
    /// The host resolved to `address`; the probes start.
    void resolved(const QHostAddress &address);
    void progress(int probed, int total);
    void daemonFound(const Benchtop::Ui::YaqDaemonInfo &daemon);
    void finished();
    /// The host could not be resolved: one line for the user.
    void failed(const QString &reason);

private:
    enum class State { Idle, Resolving, Scanning };

    void onResolved(quint64 generation, const QList<QHostAddress> &addresses, const QString &error);
    void launchProbes();
    void scheduleLaunch();
    void probe(quint16 port);
    void probeDone(QTcpSocket *socket, bool open);
    void identify(quint16 port);
    void finishIfDone();
    void stopAll();

    Options m_options;
    Options m_running; ///< the options of the scan under way
    State m_state = State::Idle;
    quint64 m_generation = 0; ///< bumped by every start() and cancel(): late answers are ignored
    int m_lookupId = -1;
    QString m_host;
    QHostAddress m_address;
    int m_nextPort = 0;
    int m_probed = 0;
    int m_identifying = 0;
    bool m_launching = false;
    bool m_launchScheduled = false;
    QHash<QTcpSocket *, quint16> m_probes; ///< the connection attempts under way
    QList<YaqDaemonInfo> m_found;
    Async::TaskGroup m_tasks{QStringLiteral("yaq scan")}; // last: destroyed first
};

} // namespace Benchtop::Ui
