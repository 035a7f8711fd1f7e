// SPDX-License-Identifier: MIT
#include "testsupport.h"
#include "yaqtest.h"

#include <yaq/wire/framing.h>

#include <QTest>

using namespace Benchtop::Yaq;
using namespace Benchtop::Yaq::Test;

namespace {

const Schema &stringSchema()
{
    return SchemaSet::primitive(Schema::Type::String);
}

const Schema &metaSchema()
{
    static SchemaSet set;
    static const Schema &meta = schema(set, R"({"type": "map", "values": "bytes"})");
    return meta;
}

// The get_position request of yaq-protocol.md.
const QByteArray kGetPosition = hex("00 00 00 01 00 | 00 00 00 0d 18 67 65 74 5f 70 6f 73 69 74 "
                                    "69 6f 6e | 00 00 00 00");

} // namespace

class TestYaqFraming : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void writerAppendsFramesAndTerminators()
    {
        QByteArray out;
        Framing::appendFrame(out, QByteArrayView("\0", 1));
        const qsizetype at = Framing::beginFrame(out);
        appendString(out, u"get_position");
        Framing::endFrame(out, at);
        Framing::appendTerminator(out);
        QCOMPARE(out.toHex(' '), kGetPosition.toHex(' '));
    }

    void aRequestFedOneByteAtATimeDecodesOnceWhole()
    {
        FrameReader reader;
        int metas = 0;
        std::optional<QVariant> name;
        for (char byte : kGetPosition) {
            reader.feed(QByteArrayView(&byte, 1));
            if (metas == 0 && reader.next(metaSchema()))
                ++metas;
            else if (metas == 1 && !name)
                name = reader.next(stringSchema());
        }
        QCOMPARE(metas, 1);
        QCOMPARE(name.value(), QVariant(QStringLiteral("get_position")));
        QVERIFY(reader.idle());
        QCOMPARE(reader.emptyFrames(), 1);
    }

    void splitInsideALengthPrefix()
    {
        for (qsizetype split = 0; split <= kGetPosition.size(); ++split) {
            FrameReader reader;
            reader.feed(QByteArrayView(kGetPosition).first(split));
            reader.feed(QByteArrayView(kGetPosition).sliced(split));
            QVERIFY(reader.next(metaSchema()).has_value());
            QCOMPARE(reader.next(stringSchema()).value(), QVariant(QStringLiteral("get_position")));
            QVERIFY(reader.idle());
        }
    }

    void emptyFramesAreNoOpsAndValuesSpanFrames()
    {
        FrameReader reader;
        // {} in a frame between empty ones; then "abc" split over two frames with an empty
        // one between (the reference decodes across frames).
        reader.feed(hex("00 00 00 00 | 00 00 00 01 00 | 00 00 00 00 | 00 00 00 00 | "
                        "00 00 00 02 06 61 | 00 00 00 00 | 00 00 00 02 62 63 | 00 00 00 00"));
        QCOMPARE(reader.next(metaSchema()).value(), QVariant(QVariantMap()));
        QCOMPARE(reader.next(stringSchema()).value(), QVariant(QStringLiteral("abc")));
        QCOMPARE(reader.emptyFrames(), 5);
        QVERIFY(reader.idle());
    }

    void needMoreLeavesTheStreamAsItWas()
    {
        FrameReader reader;
        reader.feed(hex("00 00 00 02 06 61"));
        QVERIFY(!reader.next(stringSchema()).has_value());
        QCOMPARE(reader.buffered(), 2);
        reader.feed(hex("00 00 00 02 62 63"));
        QCOMPARE(reader.next(stringSchema()).value(), QVariant(QStringLiteral("abc")));
        QCOMPARE(reader.buffered(), 0);
    }

    void anOversizedFrameIsRefused()
    {
        FrameLimits limits;
        limits.maxFrame = 16;
        FrameReader reader(limits);
        reader.feed(hex("00 00 00 10") + QByteArray(16, 'x'));
        QCOMPARE(errorOf([&] { reader.feed(hex("00 00 00 11")); }),
            QStringLiteral("yaq: a frame of 17 bytes exceeds the limit of 16"));
        FrameReader defaults;
        QCOMPARE(errorOf([&] { defaults.feed(hex("7f ff ff ff 00")); }),
            QStringLiteral("yaq: a frame of 2147483647 bytes exceeds the limit of 16777216"));
    }

    void aLargeAnnouncedFrameAllocatesNothingBeforeItsBytes()
    {
        FrameReader reader;
        reader.feed(hex("00 ff ff ff 05")); // within the limit; one byte of it arrived
        QCOMPARE(reader.buffered(), 1);
        QVERIFY(!reader.idle());
    }

    void tooMuchUndecodedPayloadIsRefused()
    {
        FrameLimits limits;
        limits.maxBuffered = 10;
        FrameReader reader(limits);
        reader.feed(hex("00 00 00 08") + QByteArray(8, 'x'));
        QCOMPARE(errorOf([&] { reader.feed(hex("00 00 00 08") + QByteArray(8, 'x')); }),
            QStringLiteral("yaq: more than 10 bytes of payload received and not decoded"));
    }

    void truncatedOrGarbageValuesAreProtocolErrors()
    {
        FrameReader reader;
        reader.feed(hex("00 00 00 03 04 c3 28"));
        QCOMPARE(errorOf([&] { reader.next(stringSchema()); }),
            QStringLiteral("yaq: decoding string: the string is not valid UTF-8"));
    }

    void messagesEndAtZeroLengthFrames()
    {
        FrameReader reader;
        reader.feed(kGetPosition + hex("00 00 00 02 61 62"));
        QCOMPARE(reader.takeMessage().value(), hex("00 18 67 65 74 5f 70 6f 73 69 74 69 6f 6e"));
        QVERIFY(!reader.takeMessage().has_value());
        reader.feed(hex("00 00 00 00"));
        QCOMPARE(reader.takeMessage().value(), QByteArray("ab"));
    }

    void skipToBoundaryDropsTheRestOfAMessage()
    {
        FrameReader reader;
        reader.feed(hex("00 00 00 02 02 61 | 00 00 00 02 01 02"));
        QCOMPARE(reader.next(stringSchema()).value(), QVariant(QStringLiteral("a")));
        QVERIFY(!reader.skipToBoundary()); // the terminator has not arrived
        reader.feed(hex("00 00 00 00 | 00 00 00 02 02 62"));
        QVERIFY(reader.skipToBoundary());
        QCOMPARE(reader.next(stringSchema()).value(), QVariant(QStringLiteral("b")));
    }

    void manyMessagesKeepTheBufferSmall()
    {
        FrameReader reader;
        for (int i = 0; i < 10'000; ++i) {
            reader.feed(kGetPosition);
            QVERIFY(reader.next(metaSchema()).has_value());
            QVERIFY(reader.next(stringSchema()).has_value());
        }
        QVERIFY(reader.idle());
    }
};

QTEST_GUILESS_MAIN(TestYaqFraming)
#include "tst_yaqframing.moc"
