// SPDX-License-Identifier: MIT
// Devices that forward their messages to a peer (ForwardsMessages, what a remote yaq device
// is): what they declare is what the host describes, and calls through the host and handles
// await the peer, with the same answers and errors as a local device's.
#include "testsupport.h"

#include <async/sleep.h>
#include <device/deviceerror.h>
#include <device/dispatch.h>
#include <device/forwarding.h>
#include <device/messagetable.h>
#include <host/devicehost.h>
#include <host/devicethread.h>
#include <host/localdevicehandle.h>

#include <QPointer>
#include <QTest>
#include <QThread>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

/// A stage whose "peer" is a few fields here, answering after a delay like a network would.
/// set_position makes it busy for 30 ms; get_position answers where it is.
class RelayedStage
    : public Device
    , public ForwardsMessages {
    Q_OBJECT
    Q_INTERFACES(Benchtop::ForwardsMessages)
public:
    using Device::Device;

    QStringList forwardedTraits() const override { return {"is-daemon", "has-position"}; }
    QList<MessageDefinition> forwardedMessages() const override
    {
        QList<MessageDefinition> messages;
        for (const char *name : {"busy", "get_position", "set_position", "id"})
            messages << traitMessage(QLatin1String(name))->definition;
        messages << MessageDefinition{.name = "fail", .trait = "relayed-stage"}
                 << MessageDefinition{.name = "get_error",
                        .trait = "relayed-stage",
                        .response = QStringLiteral("string")};
        return messages;
    }
    QList<PropertyInfo> forwardedProperties() const override
    {
        return {PropertyInfo{.name = "position",
            .getter = "get_position",
            .setter = "set_position",
            .stateKey = "position",
            .units = "mm",
            .controlKind = ControlKind::Hinted}};
    }
    QCoro::Task<QVariant> forward(QString message, QVariantList args) override
    {
        QPointer<RelayedStage> self(this);
        co_await Async::sleep(5ms); // the round trip
        if (!self)
            throw DeviceError(QStringLiteral("the connection closed"));
        if (message == "get_position")
            co_return m_position;
        if (message == "busy")
            co_return busy();
        if (message == "get_error")
            co_return m_error;
        if (message == "set_position") {
            // The peer's motion fails for a negative target, as its `error` then says.
            // A new target replaces the one being moved to, as a real stage's does: the
            // superseded move neither arrives nor clears busy.
            const double target = args.value(0).toDouble();
            const int move = ++m_moves;
            m_error.clear();
            setBusy(true);
            spawn("move", [this, target, move]() -> QCoro::Task<> {
                co_await Async::sleep(30ms);
                if (move != m_moves)
                    co_return;
                if (target < 0)
                    m_error = QStringLiteral("remote: stalled");
                else
                    m_position = target;
                setValue("position", m_position);
                setBusy(false);
            });
            co_return QVariant();
        }
        if (message == "fail")
            throw DeviceError(QStringLiteral("remote: ValueError('no')"));
        throw UnknownMessage(QStringLiteral("%1 has no message %2").arg(name(), message));
    }

private:
    double m_position = 0;
    int m_moves = 0;
    QString m_error;
};

std::unique_ptr<DeviceHost> makeHost()
{
    DeviceHost::Drivers drivers;
    drivers.create = [](const DeviceSettings &s) -> std::unique_ptr<Device> {
        return std::make_unique<RelayedStage>(s);
    };
    auto host = std::make_unique<DeviceHost>(drivers, nullptr);
    host->open({{"relay", "yaq", {}}});
    return host;
}

template<typename T>
QString errorOf(QCoro::Task<T> task)
{
    QString error;
    waitFor([&]() -> QCoro::Task<> {
        try {
            co_await std::move(task);
        } catch (const DeviceError &e) { // UnknownMessage too
            error = e.message();
        }
    }());
    return error;
}

} // namespace

class TestForwarding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void theHostDescribesWhatThePeerDeclares()
    {
        auto host = makeHost();
        const DeviceDescription description = host->describe("relay");
        QCOMPARE(description.traits, (QStringList{"is-daemon", "has-position"}));
        QCOMPARE(description.messages,
            (QStringList{"busy", "fail", "get_error", "get_position", "id", "set_position"}));
        QCOMPARE(description.properties.size(), 1);
        QCOMPARE(description.properties.first().units, QStringLiteral("mm"));
        QVERIFY(host->forwardsCalls("relay"));
        QVERIFY(!host->forwardsCalls("nobody"));
        waitFor(host->shutdown());
    }

    // The synchronous path cannot wait for a peer: it says so instead of answering wrongly.
    void synchronousCallsAreRefusedWithAReason()
    {
        auto host = makeHost();
        try {
            host->call("relay", "get_position");
            QFAIL("call() answered for a forwarding device");
        } catch (const DeviceError &e) {
            QVERIFY2(e.message().contains("relay: get_position is answered by a remote peer"),
                qPrintable(e.message()));
        }
        QCOMPARE(waitFor(host->callAsync("relay", "get_position")).toDouble(), 0.0);
        waitFor(host->shutdown());
    }

    void handlesAwaitThePeerAcrossThreads()
    {
        DeviceThread thread;
        DeviceHost *host = thread.start(makeHost);
        QVERIFY(host);
        {
            LocalDeviceHandle relay(host, "relay");
            QTRY_COMPARE(relay.description().traits.size(), 2);
            QCOMPARE(waitFor(relay.call("set_position", {2.5})), QVariant());
            QTRY_VERIFY(relay.snapshot().busy); // the call set it before it resumed
            // Awaited: resumes once the peer is idle, with the position reached.
            QCOMPARE(waitFor(relay.callAndWait("set_position", {4.0})).toDouble(), 4.0);
            QCOMPARE(waitFor(relay.moveTo(7.0)), 7.0);
            QCOMPARE(errorOf(relay.call("fail")), QStringLiteral("remote: ValueError('no')"));
            QCOMPARE(errorOf(relay.call("warp")), QStringLiteral("relay has no message warp"));
        }
        QVERIFY(thread.stop());
    }

    // The same rule as for a local device: after an acting call, the peer's `error` is thrown.
    void callAndWaitThrowsThePeersError()
    {
        auto host = makeHost();
        QString error;
        waitFor([&]() -> QCoro::Task<> {
            try {
                co_await host->callAndWait("relay", "set_position", {-1.0});
            } catch (const DeviceError &e) {
                error = e.message();
            }
        }());
        QCOMPARE(error, QStringLiteral("remote: stalled"));
        QCOMPARE(waitFor(host->callAndWait("relay", "set_position", {2.0})).toDouble(), 2.0);
        waitFor(host->shutdown());
    }

    void callNowOrLaterAwaitsThePeer()
    {
        auto host = makeHost();
        std::optional<DeviceHost::CallOutcome> outcome;
        QVERIFY(!host->callNowOrLater(
            "relay", "get_position", {}, [&](DeviceHost::CallOutcome o) { outcome = o; }));
        QVERIFY(!outcome);
        QTRY_VERIFY(outcome);
        QVERIFY(outcome->late);
        QVERIFY(!outcome->error);
        QCOMPARE(outcome->value.toDouble(), 0.0);

        // Refused before anything is sent (in fault): answered now after all.
        outcome.reset();
        QTest::ignoreMessage(QtWarningMsg, "relay is in fault: broken");
        host->device("relay")->fail("broken");
        QVERIFY(host->callNowOrLater(
            "relay", "get_position", {}, [&](DeviceHost::CallOutcome o) { outcome = o; }));
        QVERIFY(outcome && outcome->error && !outcome->late);
        waitFor(host->shutdown());
    }

    // A device restarted while its peer is answering: the caller hears why, nothing touches
    // the destroyed device.
    void aCallOutlivingItsDeviceEndsWithAReason()
    {
        auto host = makeHost();
        QString error;
        bool done = false;
        auto call = [&]() -> QCoro::Task<> {
            try {
                co_await host->callAndWait("relay", "set_position", {1.0});
            } catch (const DeviceError &e) {
                error = e.message();
            }
            done = true;
        };
        auto pending = call();
        waitFor(host->restart("relay"));
        QTRY_VERIFY(done);
        QVERIFY2(error == QStringLiteral("relay was restarted or removed during set_position")
                || error == QStringLiteral("the connection closed"),
            qPrintable(error));
        waitFor(host->shutdown());
    }
};

QTEST_GUILESS_MAIN(TestForwarding)
#include "tst_forwarding.moc"
