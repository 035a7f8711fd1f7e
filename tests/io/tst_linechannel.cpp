// SPDX-License-Identifier: MIT
// LineChannel over a real TCP socket to a scripted peer: replies whole, split, garbled, cut
// short, late and overlong, and the query after each of them still gets its own reply.
#include "scriptedpeer.h"
#include "testsupport.h"

#include <async/async.h>
#include <io/ioerror.h>
#include <io/linechannel.h>
#include <io/tcptransport.h>

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using namespace Benchtop;
using Benchtop::Test::ScriptedPeer;

namespace {

/// What the peer answers to the test's commands: "Q<n>?" → "R<n>", so that a reply that
/// belongs to another query is seen at once.
QByteArray replyTo(const QByteArray &command)
{
    QByteArray reply = command;
    reply.replace('Q', 'R');
    reply.chop(1); // the '?'
    return reply;
}

/// The message of the Io error `call()` throws (the test fails if it throws none, or another).
template<typename Error, typename Fn>
QString errorOf(Fn call)
{
    try {
        call();
    } catch (const Error &e) {
        return e.message();
    }
    return QStringLiteral("<no error>");
}

} // namespace

class TestLineChannel : public QObject {
    Q_OBJECT

    std::unique_ptr<ScriptedPeer> m_peer;
    std::unique_ptr<Io::TcpTransport> m_transport;
    std::unique_ptr<Io::LineChannel> m_channel;

    Io::LineChannel &channel(Io::LineOptions options = {})
    {
        options.label = QStringLiteral("dmm");
        if (options.timeout == Io::LineOptions{}.timeout)
            options.timeout = 300ms;
        m_channel = std::make_unique<Io::LineChannel>(*m_transport, options);
        return *m_channel;
    }
    QString query(const char *command) { return Test::waitFor(m_channel->query(QLatin1String(command))); }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        // Discarded bytes are logged as warnings; the tests count them with discardedBytes().
        QLoggingCategory::setFilterRules(QStringLiteral("benchtop.io.warning=false"));
        m_peer = std::make_unique<ScriptedPeer>();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            if (command.endsWith('?'))
                peer.send(replyTo(command) + '\n');
            peer.markAnswered();
        });
        m_transport = std::make_unique<Io::TcpTransport>(QStringLiteral("127.0.0.1"), m_peer->port());
        Test::waitFor(m_transport->open(5s));
        QVERIFY(m_transport->isConnected());
    }
    void cleanup()
    {
        m_channel.reset();
        m_transport.reset();
        m_peer.reset();
    }

    void aQueryGetsItsReply()
    {
        channel();
        QCOMPARE(query("Q1?"), QStringLiteral("R1"));
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
        QCOMPARE(m_peer->received(), (QList<QByteArray>{"Q1?", "Q2?"}));
    }

    void aCommandWithoutReply()
    {
        channel();
        Test::waitFor(m_channel->write(QStringLiteral("VOLT 5")));
        QCOMPARE(query("Q1?"), QStringLiteral("R1"));
        QCOMPARE(m_peer->received(), (QList<QByteArray>{"VOLT 5", "Q1?"}));
    }

    void carriageReturnLineFeedRepliesAreText()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &, ScriptedPeer &peer) { peer.send("R7\r\n"); });
        QCOMPARE(query("Q7?"), QStringLiteral("R7"));
    }

    void otherTerminators()
    {
        Io::LineOptions options;
        options.writeTerminator = "\r\n";
        options.readTerminator = "\r";
        channel(options);
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            QVERIFY(command.endsWith('\r')); // the peer splits on \n: the \r is still there
            peer.send("R1\r");
        });
        QCOMPARE(query("Q1?"), QStringLiteral("R1"));
    }

    void aReplySplitAcrossReads()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &, ScriptedPeer &peer) {
            peer.send("+1.2");
            peer.send("345", 30);
            peer.send("E+00\n", 60);
        });
        QCOMPARE(query("Q1?"), QStringLiteral("+1.2345E+00"));
    }

    void aGarbledReplyIsRefusedAndTheNextQueryIsInStep()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            peer.send(command == "Q1?" ? QByteArray("\xff\xfe\x80garbage\n") : replyTo(command) + '\n');
        });
        const QString error = errorOf<Io::BadReply>([&] { query("Q1?"); });
        QVERIFY2(error.contains(QLatin1String("dmm: reply to \"Q1?\" is not text: \"\\xff\\xfe\\x80garbage\"")),
            qPrintable(error));
        QVERIFY(!m_channel->outOfStep());
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
    }

    void controlCharactersAreNotText()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            peer.send(command == "Q1?" ? QByteArray("R\x01\x02\n", 4) : replyTo(command) + '\n');
        });
        QVERIFY(errorOf<Io::BadReply>([&] { query("Q1?"); }).contains(QLatin1String("is not text")));
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
    }

    void aReplyWithoutItsTerminatorTimesOutAndIsDiscarded()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            peer.send(command == "Q1?" ? QByteArray("1.23") : replyTo(command) + '\n');
        });
        const QString error = errorOf<Io::ReplyTimeout>([&] { query("Q1?"); });
        QCOMPARE(error, QStringLiteral("dmm: reply to \"Q1?\" incomplete after 300 ms (no terminator): \"1.23\""));
        QVERIFY(m_channel->outOfStep());
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
    }

    // The classic desynchronisation: a reply arrives after its query timed out, while the next
    // query waits. The next query must get its own reply, not the late one.
    void aLateReplyIsNotTakenForTheNextOne()
    {
        Io::LineOptions options;
        options.timeout = 150ms;
        options.settle = 150ms;
        channel(options);
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            peer.send(replyTo(command) + '\n', command == "Q1?" ? 250 : 0);
        });
        QCOMPARE(errorOf<Io::ReplyTimeout>([&] { query("Q1?"); }),
            QStringLiteral("dmm: no reply to \"Q1?\" within 150 ms"));
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
        QCOMPARE(m_channel->discardedBytes(), qint64(3)); // "R1\n"
        QCOMPARE(query("Q3?"), QStringLiteral("R3"));
    }

    // An instrument that never stops talking after a failed reply: the next query does not wait
    // for a quiet line forever, it fails saying so (and the one after may try again).
    void aLineThatNeverGoesQuietIsAnError()
    {
        Io::LineOptions options;
        options.timeout = 100ms;
        options.settle = 50ms;
        options.timeoutsBeforeLost = 0;
        channel(options);
        QTimer chatter;
        connect(&chatter, &QTimer::timeout, m_peer.get(), [this] { m_peer->send("noise"); });
        m_peer->setAnswer([&chatter](const QByteArray &, ScriptedPeer &) { chatter.start(20); });
        QVERIFY(errorOf<Io::ReplyTimeout>([&] { query("Q1?"); }).contains(QLatin1String("incomplete")));
        QCOMPARE(errorOf<Io::ReplyTimeout>([&] { query("Q2?"); }),
            QStringLiteral("dmm: cannot send \"Q2?\": the instrument keeps sending (%1 bytes discarded so far)")
                .arg(m_channel->discardedBytes()));
        QVERIFY(m_channel->outOfStep());
        QCOMPARE(m_peer->received(), QList<QByteArray>{"Q1?"}); // Q2 was never sent into the noise
        chatter.stop();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) { peer.send(replyTo(command) + '\n'); });
        QCOMPARE(query("Q3?"), QStringLiteral("R3"));
    }

    void anOverlongReplyIsRefusedWithoutEatingMemory()
    {
        Io::LineOptions options;
        options.maxReplyBytes = 1000;
        channel(options);
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            if (command == "Q1?") {
                peer.send(QByteArray(600, 'A'));
                peer.send(QByteArray(600, 'A'), 20);
                peer.send(QByteArray(5000, 'A') + '\n', 40);
            } else {
                peer.send(replyTo(command) + '\n');
            }
        });
        const QString error = errorOf<Io::BadReply>([&] { query("Q1?"); });
        QVERIFY2(error.startsWith(QLatin1String("dmm: reply to \"Q1?\" is longer than 1000 bytes: \"AAAA")),
            qPrintable(error));
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
    }

    void bytesNobodyAskedForAreDiscarded()
    {
        channel();
        m_peer->send("spontaneous chatter\n");
        QVERIFY(Test::waitFor(m_transport->waitForBytes(5s))); // arrived before the query
        QCOMPARE(query("Q1?"), QStringLiteral("R1"));
        QVERIFY(m_channel->discardedBytes() > 0);
    }

    void timeoutsInARowDropTheLink()
    {
        Io::LineOptions options;
        options.timeout = 50ms;
        options.settle = 10ms;
        options.timeoutsBeforeLost = 3;
        channel(options);
        m_peer->setAnswer([](const QByteArray &, ScriptedPeer &) {}); // silent
        QSignalSpy lost(m_transport.get(), &Io::Transport::lost);
        for (int i = 0; i < 2; ++i)
            QVERIFY(errorOf<Io::ReplyTimeout>([&] { query("Q1?"); }).contains(QLatin1String("no reply")));
        QVERIFY(m_transport->isConnected());
        QVERIFY(errorOf<Io::ReplyTimeout>([&] { query("Q1?"); }).contains(QLatin1String("no reply")));
        QCOMPARE(lost.count(), 1);
        QCOMPARE(lost.at(0).at(0).toString(), QStringLiteral("3 replies in a row timed out"));
        QVERIFY(m_transport->state() == LinkState::Disconnected);
        // Nothing queues on a link that is down: the next call fails at once.
        QVERIFY(errorOf<Io::LinkDown>([&] { query("Q2?"); })
                    .startsWith(QLatin1String("dmm: cannot send \"Q2?\": not connected")));
    }

    void aReplyResetsTheTimeoutCount()
    {
        Io::LineOptions options;
        options.timeout = 50ms;
        options.settle = 10ms;
        options.timeoutsBeforeLost = 2;
        channel(options);
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            if (command == "Q2?")
                peer.send("R2\n");
        });
        QVERIFY(!errorOf<Io::ReplyTimeout>([&] { query("Q1?"); }).isEmpty());
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
        QVERIFY(!errorOf<Io::ReplyTimeout>([&] { query("Q1?"); }).isEmpty());
        QVERIFY(m_transport->isConnected());
    }

    void thePeerHangingUpEndsTheWaitAtOnce()
    {
        Io::LineOptions options;
        options.timeout = 10s;
        channel(options);
        m_peer->setAnswer([](const QByteArray &, ScriptedPeer &peer) { peer.hangUp(); });
        QElapsedTimer elapsed;
        elapsed.start();
        const QString error = errorOf<Io::LinkDown>([&] { query("Q1?"); });
        QVERIFY2(error.startsWith(QLatin1String("dmm: link lost while waiting for the reply to \"Q1?\"")),
            qPrintable(error));
        QVERIFY(elapsed.elapsed() < 5000); // not the 10 s timeout
        QVERIFY(m_transport->state() == LinkState::Disconnected);
    }

    // One exchange at a time: a second query waits for the first one's reply before its command
    // is even sent, and each gets its own reply.
    void concurrentQueriesTakeTurns()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            peer.send(replyTo(command) + '\n', 30);
            QTimer::singleShot(30, &peer, [&peer] { peer.markAnswered(); });
        });
        Async::TaskGroup group;
        auto first = group.spawn([this] { return m_channel->query(QStringLiteral("Q1?")); });
        auto second = group.spawn([this] { return m_channel->query(QStringLiteral("Q2?")); });
        auto third = group.spawn([this] { return m_channel->query(QStringLiteral("Q3?")); });
        Test::waitFor(group.join());
        QCOMPARE(first.result(), QStringLiteral("R1"));
        QCOMPARE(second.result(), QStringLiteral("R2"));
        QCOMPARE(third.result(), QStringLiteral("R3"));
        QCOMPARE(m_peer->overlaps(), 0);
    }

    // A session holds the line for a sequence: another query cannot come between.
    void aSessionHoldsTheLine()
    {
        channel();
        Async::TaskGroup group;
        auto sequence = group.spawn([this]() -> QCoro::Task<QString> {
            auto session = co_await m_channel->begin();
            co_await session.write(QStringLiteral("VOLT 5"));
            co_await Async::sleep(20ms);
            co_return co_await session.query(QStringLiteral("Q1?"));
        });
        auto other = group.spawn([this] { return m_channel->query(QStringLiteral("Q2?")); });
        Test::waitFor(group.join());
        QCOMPARE(sequence.result(), QStringLiteral("R1"));
        QCOMPARE(other.result(), QStringLiteral("R2"));
        QCOMPARE(m_peer->received(), (QList<QByteArray>{"VOLT 5", "Q1?", "Q2?"}));
    }

    void aCancelledQueryLeavesTheLineInStep()
    {
        channel();
        m_peer->setAnswer([](const QByteArray &command, ScriptedPeer &peer) {
            peer.send(replyTo(command) + '\n', command == "Q1?" ? 100 : 0);
        });
        Async::TaskGroup group;
        Test::inspectErrorsInTest(group);
        auto slow = group.spawn([this] { return m_channel->query(QStringLiteral("Q1?")); });
        QTest::qWait(20);
        Test::waitFor(group.cancel());
        QVERIFY(slow.isDone());
        QCOMPARE(query("Q2?"), QStringLiteral("R2"));
    }

    void aCommandCannotHoldALineBreak()
    {
        channel();
        QVERIFY(errorOf<Io::IoError>([&] { query("Q1?\n*RST"); }).contains(QLatin1String("line break")));
        QVERIFY(m_peer->received().isEmpty());
    }

    void quotedShowsWhatCannotBePrinted()
    {
        QCOMPARE(Io::quoted("ab\r\n\"\\\xff"), QStringLiteral("\"ab\\r\\n\\\"\\\\\\xff\""));
        QCOMPARE(Io::quoted(QByteArray(50, 'x'), 4), QStringLiteral("\"xxxx…\""));
    }
};

QTEST_GUILESS_MAIN(TestLineChannel)
#include "tst_linechannel.moc"
