// SPDX-License-Identifier: MIT
// The life of a link: connect, re-read the instrument, lose it, back off, come back — against a
// real TCP peer that refuses, answers, and hangs up.
#include "scriptedpeer.h"
#include "testsupport.h"

#include <async/async.h>
#include <io/ioerror.h>
#include <io/linechannel.h>
#include <io/reconnector.h>
#include <io/tcptransport.h>

#include <QLoggingCategory>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using namespace Benchtop;
using Benchtop::Test::ScriptedPeer;

class TestReconnector : public QObject {
    Q_OBJECT

    std::unique_ptr<ScriptedPeer> m_peer;
    std::unique_ptr<Io::TcpTransport> m_transport;
    std::unique_ptr<Io::LineChannel> m_channel;
    std::unique_ptr<Io::Reconnector> m_reconnector;
    std::unique_ptr<Async::TaskGroup> m_tasks;
    QStringList m_shown; // the link states shown, by name
    QString m_lastReason;
    QString m_identity;
    quint16 m_port = 0; // the peer's, kept while it does not listen
    int m_prepared = 0;
    bool m_answerIdentity = true;

    void start()
    {
        m_transport = std::make_unique<Io::TcpTransport>(QStringLiteral("127.0.0.1"), m_port);
        Io::LineOptions options;
        options.label = QStringLiteral("dmm");
        options.timeout = 200ms;
        m_channel = std::make_unique<Io::LineChannel>(*m_transport, options);
        Io::Reconnector::Steps steps;
        steps.connect = [this] { return m_transport->open(2s); };
        steps.prepare = [this]() -> QCoro::Task<> {
            m_identity = co_await m_channel->query(QStringLiteral("*IDN?"));
            ++m_prepared;
        };
        steps.disconnect = [this](const QString &reason) { m_transport->drop(reason); };
        steps.show = [this](LinkState state, const QString &reason) {
            m_shown << toString(state);
            m_lastReason = reason;
        };
        m_reconnector = std::make_unique<Io::Reconnector>(
            QStringLiteral("dmm"), Io::Backoff::Settings{.first = 20ms, .longest = 80ms}, steps, 1);
        connect(m_transport.get(), &Io::Transport::lost, this,
            [this](const QString &reason) { m_reconnector->lost(reason); });
        m_tasks = std::make_unique<Async::TaskGroup>();
        m_tasks->spawn("link", [this] { return m_reconnector->run(); });
    }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        QLoggingCategory::setFilterRules(QStringLiteral("benchtop.io.warning=false"));
        m_peer = std::make_unique<ScriptedPeer>();
        m_peer->setAnswer([this](const QByteArray &command, ScriptedPeer &peer) {
            if (command == "*IDN?" && m_answerIdentity)
                peer.send("ACME,DMM-1,42,1.0\n");
        });
        m_port = m_peer->port();
        m_shown.clear();
        m_prepared = 0;
        m_answerIdentity = true;
    }
    void cleanup()
    {
        if (m_tasks)
            Test::waitFor(m_tasks->cancel());
        m_tasks.reset();
        m_reconnector.reset();
        m_channel.reset();
        m_transport.reset();
        m_peer.reset();
    }

    void connectsAndReReadsTheInstrumentBeforeItCountsAsUp()
    {
        start();
        QTRY_VERIFY(m_reconnector->isConnected());
        QCOMPARE(m_shown, (QStringList{QStringLiteral("connecting"), QStringLiteral("connected")}));
        QCOMPARE(m_prepared, 1);
        QCOMPARE(m_identity, QStringLiteral("ACME,DMM-1,42,1.0"));
        m_reconnector->ensureConnected(); // does not throw
    }

    void untilConnectedResumesOnceUp()
    {
        start();
        Test::waitFor(m_reconnector->untilConnected());
        QVERIFY(m_reconnector->isConnected());
        QCOMPARE(m_prepared, 1);
    }

    void withNobodyListeningItKeepsTryingAndCallsFailAtOnce()
    {
        const quint16 port = m_peer->port();
        m_peer->stopListening();
        start();
        QTRY_VERIFY(m_reconnector->failedAttempts() >= 3);
        QVERIFY(m_reconnector->state() == LinkState::Disconnected);
        QVERIFY2(m_lastReason.contains(QLatin1String("refused")), qPrintable(m_lastReason));
        try {
            m_reconnector->ensureConnected();
            QFAIL("no error while disconnected");
        } catch (const Io::LinkDown &e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("dmm is disconnected (tcp 127.0.0.1:%1: ").arg(port)),
                qPrintable(e.message()));
            QVERIFY2(e.message().contains(QLatin1String("; next attempt in ")), qPrintable(e.message()));
        }
        // The instrument is switched on: the next attempt finds it.
        QVERIFY(m_peer->listen(port));
        QTRY_VERIFY(m_reconnector->isConnected());
        QCOMPARE(m_prepared, 1);
        QCOMPARE(m_reconnector->failedAttempts(), 0);
        QCOMPARE(m_shown.last(), QStringLiteral("connected"));
    }

    void whenThePeerHangsUpItShowsDisconnectedAndComesBack()
    {
        start();
        QTRY_VERIFY(m_reconnector->isConnected());
        m_peer->hangUp();
        QTRY_VERIFY(m_shown.contains(QStringLiteral("disconnected")));
        // Qt's words for it.
        QCOMPARE(m_lastReason, QStringLiteral("tcp 127.0.0.1:%1: The remote host closed the connection").arg(m_port));
        QTRY_VERIFY(m_reconnector->isConnected());
        QCOMPARE(m_prepared, 2); // re-read after reconnecting
        QCOMPARE(m_peer->connections(), 2);
        QCOMPARE(m_shown.join(QLatin1Char(' ')),
            QStringLiteral("connecting connected disconnected connecting connected"));
    }

    // Connected, but the instrument does not answer: not up. The attempt fails, the link is
    // closed, and the next attempt (answered) succeeds.
    void aFailedPreparationIsAFailedAttempt()
    {
        m_answerIdentity = false;
        start();
        QTRY_VERIFY(m_reconnector->failedAttempts() >= 1);
        QVERIFY(!m_reconnector->isConnected());
        QVERIFY2(m_lastReason.contains(QLatin1String("no reply to \"*IDN?\"")), qPrintable(m_lastReason));
        m_answerIdentity = true;
        QTRY_VERIFY(m_reconnector->isConnected());
        QVERIFY(m_peer->connections() >= 2);
        QCOMPARE(m_prepared, 1);
    }

    void aLossReportedTwiceIsHandledOnce()
    {
        start();
        QTRY_VERIFY(m_reconnector->isConnected());
        m_reconnector->lost(QStringLiteral("replies stopped"));
        m_reconnector->lost(QStringLiteral("again"));
        QVERIFY_THROWS_EXCEPTION(Io::LinkDown, m_reconnector->ensureConnected());
        QTRY_VERIFY(m_reconnector->isConnected());
        QCOMPARE(m_prepared, 2);
        QCOMPARE(m_shown.count(QStringLiteral("disconnected")), 1);
    }
};

QTEST_GUILESS_MAIN(TestReconnector)
#include "tst_reconnector.moc"
