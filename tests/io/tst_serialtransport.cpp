// SPDX-License-Identifier: MIT
// The serial transport on a pseudo-terminal pair made by socat: the test holds one end as the
// instrument, the transport opens the other. Killing socat is the unplugged adapter.
#include "testsupport.h"

#include <async/async.h>
#include <io/ioerror.h>
#include <io/linechannel.h>
#include <io/serialtransport.h>

#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QSerialPort>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;
using namespace Benchtop;

class TestSerialTransport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_socat;
    std::unique_ptr<QSerialPort> m_instrument; // the far end
    QByteArray m_heard;

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    void startPair()
    {
        const QString socat = QStandardPaths::findExecutable(QStringLiteral("socat"));
        QVERIFY2(!socat.isEmpty(), "socat is not installed (scripts/install-deps installs it)");
        m_socat = std::make_unique<QProcess>();
        m_socat->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_socat->start(socat,
            {QStringLiteral("pty,raw,echo=0,link=%1").arg(path("ttyA")),
                QStringLiteral("pty,raw,echo=0,link=%1").arg(path("ttyB"))});
        QVERIFY(m_socat->waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(path("ttyA")) && QFileInfo::exists(path("ttyB")), 10000);
        m_instrument = std::make_unique<QSerialPort>(path("ttyB"));
        QVERIFY2(m_instrument->open(QIODevice::ReadWrite), qPrintable(m_instrument->errorString()));
        connect(m_instrument.get(), &QSerialPort::readyRead, this, [this] {
            m_heard += m_instrument->readAll();
            qsizetype end;
            while ((end = m_heard.indexOf('\n')) >= 0) {
                const QByteArray command = m_heard.left(end);
                m_heard.remove(0, end + 1);
                answer(command);
            }
        });
    }

    void answer(const QByteArray &command)
    {
        if (command == "*IDN?") {
            m_instrument->write("ACME,SERIAL-DMM,7,2.1\r\n");
        } else if (command == "SPLIT?") {
            m_instrument->write("+4.");
            m_instrument->flush();
            QTimer::singleShot(40, m_instrument.get(), [this] { m_instrument->write("25E+00\r\n"); });
        } else if (command == "GARBLE?") {
            m_instrument->write("\x80\x81\xfe\r\n");
        }
    }

private Q_SLOTS:
    void init()
    {
        Test::failOnQtWarnings();
        QLoggingCategory::setFilterRules(QStringLiteral("benchtop.io.warning=false"));
        QVERIFY(m_dir.isValid());
    }
    void cleanup()
    {
        m_instrument.reset();
        if (m_socat) {
            m_socat->kill();
            m_socat->waitForFinished(5000);
        }
        m_socat.reset();
    }

    void queriesOverASerialLine()
    {
        startPair();
        Io::SerialTransport transport(path("ttyA"), Io::SerialSettings{.baud = 115200});
        QCOMPARE(transport.describe(), QStringLiteral("serial %1 115200 8N1").arg(path("ttyA")));
        Test::waitFor(transport.open(2s));
        QVERIFY(transport.isConnected());
        Io::LineChannel channel(transport, {.label = QStringLiteral("dmm"), .timeout = 1000ms});
        QCOMPARE(Test::waitFor(channel.query(QStringLiteral("*IDN?"))), QStringLiteral("ACME,SERIAL-DMM,7,2.1"));
        QCOMPARE(Test::waitFor(channel.query(QStringLiteral("SPLIT?"))), QStringLiteral("+4.25E+00"));
        QVERIFY_THROWS_EXCEPTION(Io::BadReply, Test::waitFor(channel.query(QStringLiteral("GARBLE?"))));
        QVERIFY_THROWS_EXCEPTION(Io::ReplyTimeout, Test::waitFor(channel.query(QStringLiteral("SILENT?"))));
        QCOMPARE(Test::waitFor(channel.query(QStringLiteral("*IDN?"))), QStringLiteral("ACME,SERIAL-DMM,7,2.1"));
    }

    void aMissingPortIsAClearError()
    {
        Io::SerialTransport transport(path("nothing-here"), {});
        try {
            Test::waitFor(transport.open(2s));
            QFAIL("opened a port that does not exist");
        } catch (const Io::LinkDown &e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("serial %1 9600 8N1: ").arg(path("nothing-here"))),
                qPrintable(e.message()));
        }
        QVERIFY(transport.state() == LinkState::Disconnected);
    }

    // Pulling out a USB-serial adapter: the port goes away under the open transport.
    void theLineGoingAwayIsALoss()
    {
        startPair();
        Io::SerialTransport transport(path("ttyA"), {});
        Test::waitFor(transport.open(2s));
        QSignalSpy lost(&transport, &Io::Transport::lost);
        m_instrument.reset();
        m_socat->terminate();
        QVERIFY(m_socat->waitForFinished(5000));
        Io::LineChannel channel(transport, {.label = QStringLiteral("dmm"), .timeout = 500ms});
        // Depending on timing the loss shows first as the failed write, a read error or a hang-up;
        // either way the transport is down and said so.
        try {
            Test::waitFor(channel.query(QStringLiteral("*IDN?")));
        } catch (const Io::IoError &) {
        }
        QTRY_VERIFY_WITH_TIMEOUT(transport.state() == LinkState::Disconnected, 5000);
        QCOMPARE(lost.count(), 1);
        QVERIFY(!transport.reason().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSerialTransport)
#include "tst_serialtransport.moc"
