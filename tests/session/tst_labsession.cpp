// SPDX-License-Identifier: MIT
// LabSession, the running lab, without a window: it opens a lab file or text on its own device
// thread with a handle per device, reports lab errors as values, adds, removes and restarts
// devices (restarts re-read the lab as saved), stops and measures all, saves the lab, and closes
// with every device's state saved.
#include "framestepper.h"
#include "testsupport.h"

#include <host/devicehandle.h>
#include <host/devicehost.h>
#include <host/frameclock.h>
#include <host/labloader.h>
#include <lab/labfile.h>
#include <lab/labwriter.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>
#include <state/statestore.h>

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Benchtop;
using namespace Benchtop::Test;
using namespace std::chrono_literals;

namespace {

const QByteArray kLab = R"(
[stage]
driver = "sim-motor"
speed = 1000.0
acceleration = 100000.0
port = 36001

[meter]
driver = "sim-sensor"
channels = ["voltage"]
integration_ms = 1
)";

/// A lab as people write them, like the demo lab: comments above tables and after values, blank
/// lines, keys in their own order (some at their defaults), the lab's own `[benchtop]` table, an
/// inline table.
const QByteArray kCommentedLab = R"(# A commented lab: saving it back must keep all of this.
#
# Two stages and a meter.

# A slow stage, written inline.
slow = { driver = "sim-motor", speed = 5.0 }

# The fast stage. Its position is saved.
[stage]
driver = "sim-motor"
units = "mm"              # the default, written anyway
speed = 1000.0            # mm/s
acceleration = 100000.0   # mm/s²
port = 36001

# The meter, one channel.
# Integrates for a millisecond.
[meter]
driver = "sim-sensor"
integration_ms = 1
channels = ["voltage"]    # what it reads

[benchtop]
data_dir = "/data/optics" # where runs go
)";

/// The same with the fast stage's speed changed, on its line alone.
QByteArray withFasterStage()
{
    return QByteArray(kCommentedLab)
        .replace("speed = 1000.0            # mm/s", "speed = 2000.0            # mm/s");
}

void write(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(text), text.size());
}

LabSession::Options unpaced()
{
    LabSession::Options options;
    options.paced = false;
    return options;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Whether `handle` has its description and a first snapshot.
bool described(const DeviceHandle *handle)
{
    return handle && !handle->description().kind.isEmpty() && handle->snapshot().sequence > 0;
}

} // namespace

class TestLabSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_registry.addFile(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE))); }
    void init()
    {
        failOnQtWarnings();
        QVERIFY(m_dir.isValid());
    }

    void opensALabOnItsOwnThreadWithAHandlePerDevice()
    {
        const QString path = m_dir.filePath("lab.toml");
        write(path, kLab);
        LabSession session(m_registry, nullptr, unpaced());
        QSignalSpy opened(&session, &LabSession::opened);
        QVERIFY(!session.isOpen());
        QVERIFY(session.open(path).isEmpty());
        QVERIFY(session.isOpen());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(session.path(), path);
        QCOMPARE(session.title(), QStringLiteral("lab.toml"));
        QVERIFY(session.host()->thread() != QThread::currentThread());
        QCOMPARE(session.devices().size(), 2);
        QCOMPARE(session.devices().at(0).name, QStringLiteral("stage"));
        QCOMPARE(session.devices().at(0).port, 36001);
        QCOMPARE(session.handles().size(), std::size_t(2));
        DeviceHandle *stage = session.handle("stage");
        QVERIFY(stage);
        QCOMPARE(stage->thread(), QThread::currentThread());
        QVERIFY(!session.handle("nobody"));
        QTRY_VERIFY(described(stage));
        QCOMPARE(stage->description().kind, QStringLiteral("sim-motor"));
        QCOMPARE(waitFor(stage->moveTo(2.0)), 2.0);
        QVERIFY(session.close());
        QVERIFY(!session.isOpen());
        QVERIFY(session.handles().empty());
        QVERIFY(session.devices().isEmpty());
    }

    void withoutHandlesNothingCrossesToThisThreadAndDevicesStillRun()
    {
        const QString path = m_dir.filePath("lab.toml");
        write(path, kLab);
        LabSession::Options options;
        options.handles = false; // benchtopd, benchtop-run
        LabSession session(m_registry, nullptr, options);
        QSignalSpy added(&session, &LabSession::deviceAdded);
        QVERIFY(session.open(path).isEmpty());
        QVERIFY(session.handles().empty());
        QVERIFY(!session.handle("stage"));
        // The devices run all the same, on the device thread.
        QString status;
        QTRY_VERIFY([&] {
            QMetaObject::invokeMethod(
                session.host(),
                [&] { status = toString(session.host()->device("stage")->status()); },
                Qt::BlockingQueuedConnection);
            return status == QLatin1String("ready");
        }());
        // Adding a device gives no handle and no deviceAdded, and does not fail.
        DeviceSettings extra = session.devices().at(1); // settings as the lab has them
        extra.name = QStringLiteral("extra");
        QVERIFY(bool(waitFor(session.addDevice(extra))));
        QCOMPARE(added.count(), 0);
        QVERIFY(session.handles().empty());
        QCOMPARE(session.devices().size(), 3);
        QVERIFY(session.close());
    }

    void labErrorsAreValuesAndTheirDevicesAreInFault()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^broken is in fault: "));
        LabSession session(m_registry, nullptr, unpaced());
        const QList<LabError> errors = session.openText(kLab + R"(
[broken]
driver = "sim-sensor"
integration_ms = "long"
)",
            QStringLiteral("text.toml"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().file, QStringLiteral("text.toml"));
        QCOMPARE(errors.first().line, 15);
        QVERIFY2(errors.first().message.contains("integration_ms"),
            qPrintable(errors.first().toString()));
        // The lab runs; the device with the error is there, in fault, saying why.
        QCOMPARE(session.devices().size(), 3);
        DeviceHandle *broken = session.handle("broken");
        QTRY_VERIFY(broken->snapshot().status == DeviceStatus::Fault);
        QVERIFY(broken->snapshot().fault.contains("integration_ms"));
        QTRY_VERIFY(described(session.handle("meter")));
        QVERIFY(session.handle("meter")->snapshot().status == DeviceStatus::Ready);
    }

    void anUnreadableFileIsOneErrorAndAnEmptyLab()
    {
        LabSession session(m_registry, nullptr, unpaced());
        const QList<LabError> errors = session.open(m_dir.filePath("missing.toml"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().file, m_dir.filePath("missing.toml"));
        QVERIFY(session.isOpen());
        QVERIFY(session.handles().empty());
    }

    void addRemoveAndRestartAnswerWithResults()
    {
        const QString path = m_dir.filePath("lab.toml");
        write(path, kLab);
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.open(path).isEmpty());
        QSignalSpy added(&session, &LabSession::deviceAdded);

        DeviceSettings second = session.devices().at(0); // settings as the lab has them
        second.name = QStringLiteral("second");
        second.port = 0;
        LabSession::Result result = waitFor(session.addDevice(second));
        QVERIFY2(result, qPrintable(result.error));
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.first().first().value<DeviceHandle *>(), session.handle("second"));
        QCOMPARE(session.devices().size(), 3);
        QTRY_VERIFY(described(session.handle("second")));

        result = waitFor(session.addDevice(second));
        QVERIFY(!result);
        QVERIFY2(result.error.contains("second"), qPrintable(result.error));
        QCOMPARE(session.devices().size(), 3);

        // Removed: the views hear of it while the handle still exists, then it goes.
        bool handleWhenTold = false;
        connect(&session, &LabSession::deviceRemoved, this,
            [&](const QString &name) { handleWhenTold = session.handle(name) != nullptr; });
        result = waitFor(session.removeDevice(QStringLiteral("stage")));
        QVERIFY2(result, qPrintable(result.error));
        QVERIFY(handleWhenTold);
        QVERIFY(!session.handle("stage"));
        QCOMPARE(session.devices().size(), 2);
        QVERIFY(!waitFor(session.removeDevice(QStringLiteral("stage"))));

        // A restart re-reads the lab file.
        write(path, QByteArray(kLab).replace("integration_ms = 1", "integration_ms = 7"));
        result = waitFor(session.restartDevice(QStringLiteral("meter")));
        QVERIFY2(result, qPrintable(result.error));
        QTRY_COMPARE(
            session.handle("meter")->description().config.value("integration_ms").toInt(), 7);
        QVERIFY(!waitFor(session.restartDevice(QStringLiteral("nobody"))));
    }

    void aClosedSessionRefusesWithAReason()
    {
        LabSession session(m_registry, nullptr, unpaced());
        const LabSession::Result result = waitFor(session.addDevice(
            DeviceSettings{QStringLiteral("x"), QStringLiteral("sim-motor"), {}}));
        QVERIFY(!result);
        QCOMPARE(result.error, QStringLiteral("no lab is open"));
        QVERIFY(session.stopAll().isEmpty());
        QVERIFY(session.close());
    }

    void stopAllAndMeasureAllCallEveryDeviceThatCan()
    {
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.openText(kLab, QStringLiteral("text.toml")).isEmpty());
        QTRY_VERIFY(described(session.handle("stage")) && described(session.handle("meter")));
        QCOMPARE(session.stopAll(), (QStringList{"stage", "meter"}));
        DeviceHandle *meter = session.handle("meter");
        QCOMPARE(session.measureAll(), QStringList{"meter"});
        QTRY_VERIFY(meter->snapshot().values.value("measurement_id", -1).toInt() >= 0);
    }

    void aFailedMenuCallIsReported()
    {
        // A sensor whose every hardware call times out: its first measurement is a fault.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^meter is in fault: "));
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(
            session.openText(kLab + "timeout_rate = 1.0\n", QStringLiteral("text.toml")).isEmpty());
        DeviceHandle *meter = session.handle("meter");
        QTRY_VERIFY(described(meter));
        QCOMPARE(session.measureAll(), QStringList{"meter"});
        QTRY_VERIFY(meter->snapshot().status == DeviceStatus::Fault);
        QSignalSpy failed(&session, &LabSession::callFailed);
        QCOMPARE(session.measureAll(), QStringList{"meter"});
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("meter"));
        QVERIFY2(failed.first().at(1).toString().startsWith("meter is in fault"),
            qPrintable(failed.first().at(1).toString()));
    }

    void saveAsWritesTheLabAndRestartsReadTheSavedFile()
    {
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.openText(kLab, QStringLiteral("text.toml")).isEmpty());
        QCOMPARE(session.title(), QStringLiteral("text.toml"));
        const QString saved = m_dir.filePath("saved.toml");
        const LabSession::Result result = session.saveAs(saved);
        QVERIFY2(result, qPrintable(result.error));
        QCOMPARE(session.path(), saved);
        QCOMPARE(session.title(), QStringLiteral("saved.toml"));
        LabParseResult parsed = parseLabFile(saved);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.lab.devices.size(), 2);
        QCOMPARE(parsed.lab.devices.at(0).config.value("speed").toDouble(), 1000.0);
        // The port it is served on (yaq) stays with the device; the other has none.
        QCOMPARE(parsed.lab.devices.at(0).port, 36001);
        QCOMPARE(parsed.lab.devices.at(1).port, 0);

        // Restarts now read the saved file, no longer the text.
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        file.close();
        write(saved, QByteArray(text).replace("integration_ms = 1", "integration_ms = 9"));
        QVERIFY(waitFor(session.restartDevice(QStringLiteral("meter"))));
        QTRY_COMPARE(
            session.handle("meter")->description().config.value("integration_ms").toInt(), 9);

        // A file that cannot be written: the reason, and the lab keeps its file.
        const QString nowhere = m_dir.filePath("no/such/dir/lab.toml");
        const LabSession::Result refused = session.saveAs(nowhere);
        QVERIFY(!refused);
        QVERIFY2(
            refused.error.startsWith(nowhere + ": cannot save the lab"), qPrintable(refused.error));
        QCOMPARE(session.path(), saved);
    }

    // Issue 18: saving a lab back keeps its file's text: unchanged, it is the same to the byte.
    void savingAnUnchangedLabBackKeepsItsTextToTheByte()
    {
        const QString path = m_dir.filePath("commented.toml");
        write(path, kCommentedLab);
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.open(path).isEmpty());
        const QString copy = m_dir.filePath("commented-copy.toml");
        QVERIFY(session.saveAs(copy));
        QCOMPARE(readAll(copy), kCommentedLab);
        QVERIFY(session.saveAs(path)); // Save: to its own file
        QCOMPARE(readAll(path), kCommentedLab);
        verifyReadsBackAsTheSession(session, path);

        // A lab opened from text (the built-in one) keeps its text too.
        QVERIFY(session.openText(kCommentedLab, QStringLiteral("demo")).isEmpty());
        QVERIFY(session.saveAs(copy));
        QCOMPARE(readAll(copy), kCommentedLab);
    }

    // A removed device's table goes with its comment; the rest stays as it was.
    void removingADeviceRemovesItsTableAndItsCommentOnly()
    {
        const QString path = m_dir.filePath("removed.toml");
        write(path, kCommentedLab);
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.open(path).isEmpty());
        QVERIFY(waitFor(session.removeDevice(QStringLiteral("meter"))));
        QVERIFY(waitFor(session.removeDevice(QStringLiteral("slow"))));
        QVERIFY(session.saveAs(path));
        const QByteArray meter = "# The meter, one channel.\n# Integrates for a millisecond.\n"
                                 "[meter]\ndriver = \"sim-sensor\"\nintegration_ms = 1\n"
                                 "channels = [\"voltage\"]    # what it reads\n\n";
        const QByteArray slow
            = "# A slow stage, written inline.\nslow = { driver = \"sim-motor\", speed = 5.0 }\n\n";
        QVERIFY(kCommentedLab.contains(meter) && kCommentedLab.contains(slow));
        QCOMPARE(readAll(path), QByteArray(kCommentedLab).replace(meter, "").replace(slow, ""));
        verifyReadsBackAsTheSession(session, path);
    }

    // An added device is appended as Save lab as writes one: the file's text is kept before it.
    void anAddedDeviceIsAppendedAfterTheFilesText()
    {
        const QString path = m_dir.filePath("added.toml");
        write(path, kCommentedLab);
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.open(path).isEmpty());
        DeviceSettings extra = session.devices().at(2); // the meter's table
        QCOMPARE(extra.name, QStringLiteral("meter"));
        extra.name = QStringLiteral("extra");
        extra.config.insert(QStringLiteral("integration_ms"), 7);
        QVERIFY(bool(waitFor(session.addDevice(extra))));
        QVERIFY(session.saveAs(path));
        const QByteArray saved = readAll(path);
        QVERIFY2(saved.startsWith(kCommentedLab), saved.constData());
        const QByteArray written = labText({session.devices().last()},
            [this](const QString &kind) { return m_registry.driver(kind); });
        QVERIFY(written.contains("integration_ms = 7\n"));
        QCOMPARE(saved.mid(kCommentedLab.size()), "\n" + written);
        verifyReadsBackAsTheSession(session, path);
    }

    // A changed table keeps its lines but the changed key's, which keeps its place and comment.
    void aChangedKeyIsEditedOnItsLineAlone()
    {
        const QString path = m_dir.filePath("edited.toml");
        write(path, kCommentedLab);
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.open(path).isEmpty());
        // The file changed on disk and the stage restarted with it: the session's table changed.
        write(path, withFasterStage());
        QVERIFY(waitFor(session.restartDevice(QStringLiteral("stage"))));
        QCOMPARE(session.devices().at(1).config.value("speed").toDouble(), 2000.0);
        const QString copy = m_dir.filePath("edited-copy.toml");
        QVERIFY(session.saveAs(copy));
        const QList<QByteArray> was = kCommentedLab.split('\n');
        const QList<QByteArray> now = readAll(copy).split('\n');
        QCOMPARE(now.size(), was.size());
        QStringList changed;
        for (qsizetype i = 0; i < was.size(); ++i) {
            if (was.at(i) != now.at(i))
                changed << QString::fromUtf8(now.at(i));
        }
        QCOMPARE(changed, QStringList{"speed = 2000.0            # mm/s"});
        verifyReadsBackAsTheSession(session, copy);
    }

    void openingTextRestartsFromTheText()
    {
        LabSession session(m_registry, nullptr, unpaced());
        QVERIFY(session.openText(kLab, QStringLiteral("text.toml")).isEmpty());
        QTRY_VERIFY(described(session.handle("meter")));
        QVERIFY(waitFor(session.restartDevice(QStringLiteral("meter"))));
        QTRY_VERIFY(described(session.handle("meter")));
        QCOMPARE(session.handle("meter")->description().config.value("integration_ms").toInt(), 1);
        QVERIFY(session.handle("meter")->snapshot().status == DeviceStatus::Ready);
    }

    void closingSavesEveryDevicesState()
    {
        const QString path = m_dir.filePath("lab.toml");
        write(path, kLab);
        const QString stateDir = m_dir.filePath("state");
        bool handlesWhenTold = false; // before the session: its destructor closes again
        LabSession session(m_registry, std::make_shared<StateStore>(stateDir), unpaced());
        QVERIFY(session.open(path).isEmpty());
        QCOMPARE(waitFor(session.handle("stage")->moveTo(1.5)), 1.5);
        connect(&session, &LabSession::aboutToClose, this,
            [&] { handlesWhenTold = session.handles().size() == 2; });
        QVERIFY(session.close());
        QVERIFY(handlesWhenTold);
        QFile state(stateDir + "/sim-motor/stage-state.toml");
        QVERIFY(state.open(QIODevice::ReadOnly));
        QVERIFY(state.readAll().contains("1.5"));

        // Opened again: the stage is where it was left.
        QVERIFY(session.open(path).isEmpty());
        QTRY_COMPARE(session.handle("stage")->snapshot().values.value("position").toDouble(), 1.5);
    }

    // Issue 18: a lab where the stage has a typo starts it in fault; that must not replace the
    // position another lab saved, at start, at a restart, or when the lab closes.
    void aDeviceThatFailedToBeCreatedKeepsItsSavedState()
    {
        const QString good = m_dir.filePath("good.toml");
        write(good, kLab);
        const QString typo = m_dir.filePath("typo.toml");
        write(typo, QByteArray(kLab).replace("speed = 1000.0", "sped = 1000.0"));
        const QString stateDir = m_dir.filePath("saved-position");
        const QString stateFile = stateDir + "/sim-motor/stage-state.toml";
        LabSession session(m_registry, std::make_shared<StateStore>(stateDir), unpaced());
        QVERIFY(session.open(good).isEmpty());
        QCOMPARE(waitFor(session.handle("stage")->moveTo(17.3)), 17.3);
        QVERIFY(session.close());
        const QByteArray saved = readAll(stateFile);
        QVERIFY2(saved.contains("17.3"), saved.constData());

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        const QList<LabError> errors = session.open(typo);
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first().message.contains("sped"));
        DeviceHandle *stage = session.handle("stage");
        QTRY_VERIFY(described(stage) && stage->snapshot().status == DeviceStatus::Fault);
        QTRY_VERIFY(described(session.handle("meter"))); // the rest of the lab saves as usual
        QVERIFY(waitFor(session.restartDevice(QStringLiteral("stage")))); // still the typo
        QTRY_VERIFY(session.handle("stage")->snapshot().status == DeviceStatus::Fault);
        QVERIFY(session.close());
        QCOMPARE(readAll(stateFile), saved);

        // The good lab again: the stage is where it was left.
        QVERIFY(session.open(good).isEmpty());
        QTRY_COMPARE(session.handle("stage")->snapshot().values.value("position").toDouble(), 17.3);
    }

    // Issue 18: a device in fault for a typo in its table comes up when the file is fixed and it
    // is restarted; the session then holds the table it runs with.
    void restartAfterFixingTheFileBringsTheDeviceUp()
    {
        const QString path = m_dir.filePath("fixed-later.toml");
        write(path, QByteArray(kLab).replace("speed = 1000.0", "sped = 1000.0"));
        LabSession session(m_registry, nullptr, unpaced());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        QCOMPARE(session.open(path).size(), 1);
        QTRY_VERIFY(described(session.handle("stage")));
        QVERIFY(session.handle("stage")->snapshot().status == DeviceStatus::Fault);
        QVERIFY(!session.devices().at(0).config.contains("speed"));

        write(path, kLab);
        const LabSession::Result result = waitFor(session.restartDevice(QStringLiteral("stage")));
        QVERIFY2(result, qPrintable(result.error));
        DeviceHandle *stage = session.handle("stage");
        QTRY_VERIFY(stage->snapshot().status == DeviceStatus::Ready);
        QCOMPARE(waitFor(stage->moveTo(3.0)), 3.0);
        QCOMPARE(session.devices().at(0).config.value("speed").toDouble(), 1000.0);
        QVERIFY(!session.isModified()); // the table is the file's
    }

    // Reload re-reads the file: the fixed device comes up, and what was added and not saved goes.
    // Adding and removing mark the lab modified; opening, reloading and saving clear it.
    void reloadReadsTheFileAgainAndAddOrRemoveMarkTheLabModified()
    {
        const QString path = m_dir.filePath("reloaded.toml");
        write(path, QByteArray(kLab).replace("speed = 1000.0", "sped = 1000.0"));
        LabSession session(m_registry, nullptr, unpaced());
        QSignalSpy modified(&session, &LabSession::modifiedChanged);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^stage is in fault: "));
        QCOMPARE(session.open(path).size(), 1);
        QVERIFY(!session.isModified());
        QTRY_VERIFY(session.handle("stage")->snapshot().status == DeviceStatus::Fault);

        DeviceSettings extra = session.devices().at(1); // the meter's table
        extra.name = QStringLiteral("extra");
        QVERIFY(bool(waitFor(session.addDevice(extra))));
        QVERIFY(session.isModified());
        QCOMPARE(modified.count(), 1);
        QCOMPARE(modified.last().first().toBool(), true);
        QVERIFY(waitFor(session.removeDevice(QStringLiteral("meter"))));
        QVERIFY(session.isModified());
        QCOMPARE(modified.count(), 1); // still modified: no news

        write(path, kLab);
        QVERIFY(session.reload().isEmpty());
        QVERIFY(!session.isModified());
        QCOMPARE(modified.count(), 2);
        QCOMPARE(session.path(), path);
        QVERIFY(!session.handle("extra"));
        QVERIFY(session.handle("meter"));
        QTRY_VERIFY(session.handle("stage")->snapshot().status == DeviceStatus::Ready
            && described(session.handle("stage")));

        QVERIFY(waitFor(session.removeDevice(QStringLiteral("meter"))));
        QVERIFY(session.isModified());
        QVERIFY(session.saveAs(m_dir.filePath("reloaded-saved.toml")));
        QVERIFY(!session.isModified());
    }

    void itsHandlesArePacedByTheApplicationsFrameClock()
    {
        FrameStepper steps; // FrameClock::instance(), on manual time
        QVERIFY(steps.wasQuiet());
        LabSession session(m_registry, nullptr); // paced, as the window's
        QVERIFY(session
                    .openText(R"(
[wave]
driver = "sim-signal"
rate_hz = 100.0
)",
                        QStringLiteral("text.toml"))
                    .isEmpty());
        DeviceHandle *wave = session.handle("wave");
        QSignalSpy changed(wave, &DeviceHandle::snapshotChanged);
        // The first is prompt, the next goes at once (the lane was quiet); then the readings
        // wait for a frame, which does not come until the clock is stepped.
        QTRY_COMPARE(steps.clock()->pendingCount(FrameClock::Lane::Deliveries), 1);
        const qsizetype before = changed.count();
        steps.tick();
        QCOMPARE(changed.count(), before + 1);
        QCOMPARE(
            changed.last().first().value<DeviceHandle::Delivery>(), DeviceHandle::Delivery::Paced);
        QVERIFY(wave->readings().count() >= 1); // every reading since the last delivery
        QVERIFY(session.close());
    }

    void theWatchdogIsTheHostsFromTheNextOpen()
    {
        LabSession session(m_registry, nullptr);
        QCOMPARE(session.watchdog(), LabSession::kDefaultWatchdog);
        session.setWatchdog(0ms);
        QCOMPARE(session.watchdog(), 0ms);
    }

private:
    /// The file at `path` reads back as the session's tables, in order.
    void verifyReadsBackAsTheSession(const LabSession &session, const QString &path)
    {
        const LoadedLab loaded = loadLab(path, m_registry);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.devices.size(), session.devices().size());
        const DriverLookup driverFor
            = [this](const QString &kind) { return m_registry.driver(kind); };
        for (qsizetype i = 0; i < loaded.devices.size(); ++i) {
            QVERIFY2(sameLabTable(loaded.devices.at(i), session.devices().at(i), driverFor),
                qPrintable(loaded.devices.at(i).name));
        }
    }

    PluginRegistry m_registry;
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestLabSession)
#include "tst_labsession.moc"
