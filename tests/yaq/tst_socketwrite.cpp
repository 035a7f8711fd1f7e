// SPDX-License-Identifier: MIT
// Yaq::writeNow: messages sent straight to the kernel when nothing is queued, through
// QTcpSocket's buffer otherwise, arrive whole and in order; and on a socket whose peer has
// gone it neither raises SIGPIPE nor loses QTcpSocket's error.
#include <yaq/wire/socketwrite.h>

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>

using namespace Benchtop::Yaq;

namespace {

struct Pair {
    QTcpServer server;
    QTcpSocket writer;
    QTcpSocket *reader = nullptr;
    Pair()
    {
        if (!server.listen(QHostAddress::LocalHost, 0))
            qFatal("listen failed");
        writer.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!writer.waitForConnected(3000) || !server.waitForNewConnection(3000))
            qFatal("connect failed");
        reader = server.nextPendingConnection();
    }
};

QByteArray pattern(int size, char seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char(seed + i % 251);
    return bytes;
}

} // namespace

class TestSocketWrite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSmallMessageGoesOutWithoutQtsBuffer()
    {
        Pair pair;
        writeNow(pair.writer, "hello");
        QCOMPARE(pair.writer.bytesToWrite(), 0); // in the kernel already, nothing queued
        QTRY_COMPARE(pair.reader->bytesAvailable(), 5);
        QCOMPARE(pair.reader->readAll(), QByteArray("hello"));
    }

    // More than the kernel takes at once (a small send buffer, a reader that is not reading
    // yet): the rest is queued in QTcpSocket, and what is written next waits behind it.
    void whatTheKernelDoesNotTakeIsQueuedInOrder()
    {
        Pair pair;
        const int small = 4096;
        ::setsockopt(
            int(pair.writer.socketDescriptor()), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        pair.reader->setReadBufferSize(1); // Qt does not drain the kernel's buffer for us
        const QByteArray first = pattern(8 * 1024 * 1024, 'a');
        const QByteArray second = pattern(1000, 'z');
        writeNow(pair.writer, first);
        QVERIFY(pair.writer.bytesToWrite() > 0); // the kernel took part of it
        // The reader takes what the kernel holds (without the writer's loop running), so
        // the kernel could take the second message at once, ahead of the queued rest.
        pair.reader->setReadBufferSize(0);
        QVERIFY(pair.reader->waitForReadyRead(3000));
        writeNow(pair.writer, second);
        QCOMPARE(pair.writer.bytesToWrite() >= qint64(second.size()), true);
        const int large = 4 * 1024 * 1024; // and now quickly, please
        ::setsockopt(
            int(pair.writer.socketDescriptor()), SOL_SOCKET, SO_SNDBUF, &large, sizeof large);
        QByteArray received;
        QVERIFY(QTest::qWaitFor(
            [&] {
                received += pair.reader->readAll();
                return received.size() >= first.size() + second.size();
            },
            20'000));
        QCOMPARE(received.size(), first.size() + second.size());
        QVERIFY(received == first + second);
    }

    void aPeerThatHasGoneIsQtsErrorNotASignal()
    {
        Pair pair;
        QSignalSpy errors(&pair.writer, &QTcpSocket::errorOccurred);
        pair.reader->abort(); // a reset, so writing to it fails
        delete pair.reader;
        pair.reader = nullptr;
        for (int i = 0; i < 50 && errors.isEmpty(); ++i) {
            writeNow(pair.writer, pattern(64 * 1024, 'q')); // SIGPIPE would end this test
            QTest::qWait(10);
        }
        QVERIFY(!errors.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSocketWrite)
#include "tst_socketwrite.moc"
