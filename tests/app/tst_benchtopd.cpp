// SPDX-License-Identifier: MIT
// `benchtopd` as an operator runs it: a lab's devices served as yaq daemons on their ports,
// driven by a yaq client, stopped by SIGTERM with their state saved; and what it refuses.
#include "testsupport.h"

#include <device/deviceerror.h>
#include <yaq/client/client.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Benchtop;
using namespace Benchtop::Test;

namespace {

/// A port nobody listens on now (in yaq's range when one is free there).
quint16 freePort()
{
    for (quint16 port = 36500; port < 37500; ++port) {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, port))
            return port;
    }
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

class Daemon {
public:
    explicit Daemon(const QTemporaryDir &dir)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BENCHTOP_STATE_DIR"), dir.filePath(QStringLiteral("state")));
        process.setProcessEnvironment(env);
    }
    ~Daemon()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
    void start(const QStringList &arguments)
    {
        process.start(QStringLiteral(BENCHTOPD), arguments);
        process.waitForStarted();
    }
    /// Waits until stderr holds `text`.
    bool says(const QString &text, int limitMs = 20'000)
    {
        return QTest::qWaitFor(
            [&] {
                err += QString::fromLocal8Bit(process.readAllStandardError());
                return err.contains(text);
            },
            limitMs);
    }
    int finish(int limitMs = 20'000)
    {
        if (!process.waitForFinished(limitMs))
            return -1;
        err += QString::fromLocal8Bit(process.readAllStandardError());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    }
    QProcess process;
    QString err;
};

QString writeLab(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.filePath(QStringLiteral("lab.toml"));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(text);
    return path;
}

} // namespace

class TestBenchtopd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { failOnQtWarnings(); }

    void servesTheLabAndSavesStateOnSigterm()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        const QString lab = writeLab(dir,
            QStringLiteral("[stage]\ndriver = \"sim-motor\"\nport = %1\nspeed = 1000\n"
                           "acceleration = 100000\n\n[local]\ndriver = \"sim-sensor\"\n")
                .arg(port)
                .toUtf8());
        Daemon daemon(dir);
        daemon.start({"--lab", lab});
        QVERIFY2(daemon.says(QStringLiteral("serving stage (sim-motor) on 127.0.0.1:%1").arg(port)),
            qPrintable(daemon.err));

        Yaq::Client client;
        waitFor(client.connectTo("127.0.0.1", port));
        QCOMPARE(client.remote().kind, QStringLiteral("sim-motor"));
        QVERIFY(client.remote().traits.contains("is-homeable"));
        QCOMPARE(waitFor(client.call("set_position", {12.5})), QVariant());
        QVERIFY(QTest::qWaitFor([&] { return !waitFor(client.call("busy")).toBool(); }, 10'000));
        QCOMPARE(waitFor(client.call("get_position")).toDouble(), 12.5);

        daemon.process.terminate(); // SIGTERM
        QCOMPARE(daemon.finish(), 0);
        QVERIFY2(daemon.err.contains(QStringLiteral("stopped")), qPrintable(daemon.err));
        // The window's state files: the position survives.
        QFile state(dir.filePath(QStringLiteral("state/sim-motor/stage-state.toml")));
        QVERIFY2(state.open(QIODevice::ReadOnly), qPrintable(state.fileName()));
        const QByteArray saved = state.readAll();
        QVERIFY2(saved.contains("position = 12.5"), saved.constData());
    }

    // Homing (is-homeable) and named positions (is-discrete) of the real sim drivers, over yaq.
    void homingAndIdentifiersOverYaq()
    {
        QTemporaryDir dir;
        const quint16 motorPort = freePort();
        QTcpServer hold; // so that the wheel gets another free port
        hold.listen(QHostAddress::LocalHost, motorPort);
        const quint16 wheelPort = freePort();
        hold.close();
        const QString lab = writeLab(dir,
            QStringLiteral("[stage]\ndriver = \"sim-motor\"\nport = %1\nspeed = 1000\n"
                           "acceleration = 100000\n\n"
                           "[wheel]\ndriver = \"sim-filter-wheel\"\nport = %2\n"
                           "slots = [\"open\", \"red\", \"blue\"]\nseconds_per_slot = 0.01\n")
                .arg(motorPort)
                .arg(wheelPort)
                .toUtf8());
        Daemon daemon(dir);
        daemon.start({"--lab", lab});
        QVERIFY2(daemon.says(QStringLiteral("serving wheel")), qPrintable(daemon.err));

        Yaq::Client stage;
        waitFor(stage.connectTo("127.0.0.1", motorPort));
        QCOMPARE(waitFor(stage.call("set_position", {20.0})), QVariant());
        QVERIFY(QTest::qWaitFor([&] { return !waitFor(stage.call("busy")).toBool(); }, 10'000));
        // home() starts the run and returns; busy until it has found the switch and gone back
        // to where the stage was going (yaq's is-homeable).
        QCOMPARE(waitFor(stage.call("home")), QVariant());
        QCOMPARE(waitFor(stage.call("busy")).toBool(), true);
        QVERIFY(QTest::qWaitFor([&] { return !waitFor(stage.call("busy")).toBool(); }, 10'000));
        QCOMPARE(waitFor(stage.call("get_position")).toDouble(), 20.0);

        Yaq::Client wheel;
        waitFor(wheel.connectTo("127.0.0.1", wheelPort));
        QVERIFY(wheel.remote().traits.contains("is-discrete"));
        const QVariantMap identifiers = waitFor(wheel.call("get_position_identifiers")).toMap();
        QCOMPARE(identifiers.keys(), (QStringList{"blue", "open", "red"}));
        waitFor(wheel.call("set_identifier", {"blue"}));
        QVERIFY(QTest::qWaitFor([&] { return !waitFor(wheel.call("busy")).toBool(); }, 10'000));
        QCOMPARE(waitFor(wheel.call("get_identifier")).toString(), QStringLiteral("blue"));
        QString refusal;
        waitFor([&]() -> QCoro::Task<> {
            try {
                co_await wheel.call("set_identifier", {"green"});
            } catch (const DeviceError &e) {
                refusal = e.message();
            }
        }());
        QVERIFY2(refusal.contains("green"), qPrintable(refusal));

        daemon.process.terminate();
        QCOMPARE(daemon.finish(), 0);
    }

    void sayWhenListeningBeyondThisComputer()
    {
        QTemporaryDir dir;
        const QString lab = writeLab(dir,
            QStringLiteral("[stage]\ndriver = \"sim-motor\"\nport = %1\n")
                .arg(freePort())
                .toUtf8());
        Daemon daemon(dir);
        daemon.start({"--lab", lab, "--bind", "0.0.0.0"});
        QVERIFY2(daemon.says(QStringLiteral("yaq has no authentication")), qPrintable(daemon.err));
        daemon.process.terminate();
        QCOMPARE(daemon.finish(), 0);
    }

    void refusesWhatItCannotServe_data()
    {
        QTest::addColumn<QString>("lab");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no port anywhere")
            << QStringLiteral("[stage]\ndriver = \"sim-motor\"\n") << QStringList() << 1
            << QStringLiteral("no device has a \"port\"");
        QTest::newRow("bad bind address")
            << QStringLiteral("[stage]\ndriver = \"sim-motor\"\nport = 36999\n")
            << QStringList{"--bind", "nowhere"} << 2
            << QStringLiteral("--bind: \"nowhere\" is not an IP address");
        QTest::newRow("no lab") << QString() << QStringList() << 2
                                << QStringLiteral("--lab FILE is required");
    }
    void refusesWhatItCannotServe()
    {
        QFETCH(QString, lab);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QStringList arguments = extra;
        if (!lab.isEmpty())
            arguments << "--lab" << writeLab(dir, lab.toUtf8());
        Daemon daemon(dir);
        daemon.start(arguments);
        QCOMPARE(daemon.finish(), exitCode);
        QVERIFY2(daemon.err.contains(message), qPrintable(daemon.err));
    }

    // The run queue as a yaq daemon: a script queues a plan, follows it to its end and finds the
    // file; a plan with errors is refused with them; a second benchtopd on the same lab is told
    // who holds the queue.
    void theRunQueueIsServedToScripts()
    {
        QTemporaryDir dir;
        const quint16 runsPort = freePort();
        const QString data = dir.filePath(QStringLiteral("data"));
        const QString lab = writeLab(dir,
            QStringLiteral("[benchtop]\nruns_port = %1\ndata_dir = \"%2\"\n\n"
                           "[stage]\ndriver = \"sim-motor\"\ninstant = true\n\n"
                           "[meter]\ndriver = \"sim-sensor\"\nintegration_ms = 1\n")
                .arg(runsPort)
                .arg(data)
                .toUtf8());
        Daemon daemon(dir);
        daemon.start({"--lab", lab});
        QVERIFY2(daemon.says(
                     QStringLiteral("serving runs (benchtop-runs) on 127.0.0.1:%1").arg(runsPort)),
            qPrintable(daemon.err));

        Yaq::Client runs;
        waitFor(runs.connectTo("127.0.0.1", runsPort));
        QCOMPARE(runs.remote().kind, QStringLiteral("benchtop-runs"));
        QCOMPARE(waitFor(runs.call("get_status")).toMap().value("state").toString(),
            QStringLiteral("idle"));
        const QString uid = waitFor(runs.call("queue_plan",
                                        {QStringLiteral("kind = \"scan\"\ndetectors = [\"meter\"]\n"
                                                        "[[axis]]\ndevice = \"stage\"\nstart = 0.0\n"
                                                        "stop = 1.0\npoints = 11\n")}))
                                .toString();
        QVERIFY(!uid.isEmpty());
        QVariantMap item;
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QVariant &entry : waitFor(runs.call("get_queue")).toList()) {
                    if (entry.toMap().value("uid") == uid)
                        item = entry.toMap();
                }
                return item.value("state") == QLatin1String("done");
            },
            20'000));
        QCOMPARE(item.value("exit_status").toString(), QStringLiteral("success"));
        QVERIFY2(item.value("file").toString().startsWith(data), qPrintable(item.value("file").toString()));
        QVERIFY(QFile::exists(item.value("file").toString()));
        const QVariantMap status = waitFor(runs.call("get_status")).toMap();
        QCOMPARE(status.value("uid").toString(), uid);
        QCOMPARE(status.value("point").toLongLong(), 11);
        QCOMPARE(waitFor(runs.call("busy")).toBool(), false);

        QString refusal;
        waitFor([&]() -> QCoro::Task<> {
            try {
                co_await runs.call("queue_plan", {QStringLiteral("kind = \"count\"\ndetectors = [\"metre\"]\n")});
            } catch (const DeviceError &e) {
                refusal = e.message();
            }
        }());
        QVERIFY2(refusal.contains(QStringLiteral("metre")) && refusal.contains(QStringLiteral("meter")),
            qPrintable(refusal));

        // A second daemon on the same lab may not run its queue, and says whose it is.
        Daemon second(dir);
        QTcpServer hold;
        hold.listen(QHostAddress::LocalHost, runsPort); // (its port is taken anyway)
        second.start({"--lab", lab});
        QVERIFY2(second.says(QStringLiteral("is held by")), qPrintable(second.err));
        second.process.terminate();
        second.finish();

        daemon.process.terminate();
        QCOMPARE(daemon.finish(), 0);
    }

    void aPortInUseIsNamed()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, freePort()));
        QTemporaryDir dir;
        const QString lab = writeLab(dir,
            QStringLiteral("[stage]\ndriver = \"sim-motor\"\nport = %1\n")
                .arg(squatter.serverPort())
                .toUtf8());
        Daemon daemon(dir);
        daemon.start({"--lab", lab});
        QCOMPARE(daemon.finish(), 1);
        QVERIFY2(
            daemon.err.contains(
                QStringLiteral("stage: cannot serve on 127.0.0.1:%1").arg(squatter.serverPort())),
            qPrintable(daemon.err));
    }
};

QTEST_GUILESS_MAIN(TestBenchtopd)
#include "tst_benchtopd.moc"
