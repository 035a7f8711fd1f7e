// SPDX-License-Identifier: MIT
#include "testsupport.h"
#include "yaqtest.h"

#include <yaq/wire/messages.h>
#include <yaq/wire/protocoldocument.h>

#include <QTest>

using namespace Benchtop::Yaq;
using namespace Benchtop::Yaq::Test;

namespace {

// A small daemon: enough messages to cover parameters, defaults and responses.
const QByteArray kMotor = R"({"protocol": "motor", "types": [
  {"type": "record", "name": "ndarray", "fields": [
    {"name": "shape", "type": {"type": "array", "items": "int"}},
    {"name": "typestr", "type": "string"},
    {"name": "data", "type": "bytes"},
    {"name": "version", "type": "int"}]}],
 "messages": {
  "get_position": {"request": [], "response": "double"},
  "set_position": {"request": [{"name": "position", "type": "double"}], "response": "null"},
  "set_relative": {"request": [{"name": "distance", "type": "double"},
                               {"name": "units", "type": ["null", "string"], "default": null}],
                   "response": "double"},
  "get_measured": {"request": [], "response": {"type": "map", "values": ["double", "ndarray"]}},
  "busy": {"request": [], "response": "boolean"}}})";

QByteArray request(
    const ProtocolDocument &protocol, const char *name, const QVariantList &args = {})
{
    QByteArray out;
    appendCallRequest(out, *protocol.message(QString::fromLatin1(name)), args);
    return out;
}

// Takes a decoder through a matching handshake, as a client that knows the protocol does.
void establish(ServerDecoder &decoder, const ProtocolDocument &protocol)
{
    HandshakeRequest handshake;
    handshake.clientProtocol = QString::fromUtf8(protocol.text());
    handshake.clientHash = protocol.hash();
    handshake.serverHash = protocol.hash();
    QByteArray bytes;
    appendHandshakeRequest(bytes, handshake);
    appendCallRequest(bytes, handshakeOnlyMessage(), {});
    decoder.feed(bytes);
    const std::optional<CallRequest> request = decoder.next();
    QVERIFY(request && request->handshake && !decoder.handshakeExpected());
}

} // namespace

class TestYaqMessages : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    // ---- golden vectors: the writers, byte for byte --------------------------------------

    void pythonClientsFirstRequest()
    {
        QByteArray out;
        appendHandshakeRequest(out, HandshakeRequest());
        appendCallRequest(out, handshakeOnlyMessage(), {});
        QCOMPARE(
            out.toHex(' '), golden(QStringLiteral("python-client-first-request.hex")).toHex(' '));
    }

    void serverNoneHandshake()
    {
        const QByteArray text = readData(QStringLiteral("tiny.avpr"));
        const ProtocolDocument tiny(text);
        QCOMPARE(tiny.hash().toHex(), QByteArray("5f27bca4b5b1c5ed07eee6b41e1818fa"));
        HandshakeRequest first; // clientProtocol null
        QByteArray out;
        const HandshakeResponse answer = answerHandshake(first, tiny.text(), tiny.hash());
        QCOMPARE(answer.match, HandshakeMatch::None);
        appendHandshakeResponse(out, answer);
        appendCallResponse(out, *handshakeOnlyMessage().response, QVariant());
        QCOMPARE(out.toHex(' '), golden(QStringLiteral("server-none-handshake.hex")).toHex(' '));
    }

    void getPositionRequest()
    {
        const ProtocolDocument motor(kMotor);
        QCOMPARE(request(motor, "get_position").toHex(' '),
            golden(QStringLiteral("get-position-request.hex")).toHex(' '));
    }

    void responses()
    {
        QByteArray null;
        appendCallResponse(null, SchemaSet::primitive(Schema::Type::Null), QVariant());
        QCOMPARE(null.toHex(' '), golden(QStringLiteral("null-response.hex")).toHex(' '));
        QByteArray number;
        appendCallResponse(number, SchemaSet::primitive(Schema::Type::Double), 1.5);
        QCOMPARE(number.toHex(' '), golden(QStringLiteral("double-response.hex")).toHex(' '));
        QByteArray error;
        appendErrorResponse(error, QStringLiteral("ValueError('boom')"));
        QCOMPARE(error.toHex(' '), golden(QStringLiteral("error-reply.hex")).toHex(' '));
    }

    // ---- the handshake rule ----------------------------------------------------------------

    void handshakeRule()
    {
        const QByteArray text = readData(QStringLiteral("tiny.avpr"));
        const QByteArray hash = protocolHash(text);
        HandshakeRequest withProtocol;
        withProtocol.clientProtocol = QString::fromUtf8(text);
        withProtocol.clientHash = hash;
        withProtocol.serverHash = hash;
        const HandshakeResponse both = answerHandshake(withProtocol, text, hash);
        QCOMPARE(both.match, HandshakeMatch::Both);
        QVERIFY(!both.serverProtocol && !both.serverHash);
        withProtocol.serverHash = QByteArray(16, 'x');
        const HandshakeResponse none = answerHandshake(withProtocol, text, hash);
        QCOMPARE(none.match, HandshakeMatch::None);
        QCOMPARE(none.serverHash.value(), hash);
    }

    // ---- the server's decoder --------------------------------------------------------------

    void serverDecodesThePythonClientsConversation()
    {
        const ProtocolDocument motor(kMotor);
        ServerDecoder decoder(
            [&](const QString &name) { return motor.message(name); }, motor.hash());
        QVERIFY(decoder.handshakeExpected());
        // (1) the first request, one byte at a time.
        const QByteArray first = golden(QStringLiteral("python-client-first-request.hex"));
        std::optional<CallRequest> got;
        qsizetype fedWhenWhole = -1;
        for (qsizetype i = 0; i < first.size(); ++i) {
            decoder.feed(QByteArrayView(first).sliced(i, 1));
            if (std::optional<CallRequest> request = decoder.next()) {
                QVERIFY(!got);
                got = std::move(request);
                fedWhenWhole = i + 1;
            }
        }
        // Whole as soon as its name is: the terminator after it is a no-op.
        QCOMPARE(fedWhenWhole, first.size() - 4);
        QVERIFY(got && got->handshake);
        QCOMPARE(got->handshake->clientHash, unknownHash());
        QVERIFY(!got->handshake->clientProtocol);
        QCOMPARE(got->handshake->meta.value(), QVariantMap());
        QCOMPARE(got->name, QString());
        QCOMPARE(got->message, &handshakeOnlyMessage());
        QVERIFY(!decoder.next());
        // (2) answered NONE: (3) the client repeats the handshake, with a call, in one send.
        QVERIFY(decoder.handshakeExpected()); // it was answered NONE
        QByteArray second;
        HandshakeRequest again;
        again.clientProtocol = QString::fromUtf8(motor.text());
        again.clientHash = motor.hash();
        again.serverHash = motor.hash();
        appendHandshakeRequest(second, again);
        appendCallRequest(second, *motor.message(QStringLiteral("set_position")), {5.0});
        decoder.feed(second);
        got = decoder.next();
        QVERIFY(got && got->handshake);
        QCOMPARE(got->handshake->serverHash, motor.hash());
        QCOMPARE(got->handshake->clientProtocol.value(), QString::fromUtf8(motor.text()));
        QCOMPARE(got->name, QStringLiteral("set_position"));
        QCOMPARE(got->args, QVariantList{5.0});
        QVERIFY(!decoder.handshakeExpected()); // answered BOTH
        // Then plain calls, several in one chunk, the last one split.
        const QByteArray calls = request(motor, "get_position")
            + request(motor, "set_relative", {1.5}) + request(motor, "busy");
        decoder.feed(QByteArrayView(calls).chopped(6)); // inside the name "busy"
        QCOMPARE(decoder.next()->name, QStringLiteral("get_position"));
        got = decoder.next();
        QCOMPARE(got->name, QStringLiteral("set_relative"));
        QCOMPARE(got->args, (QVariantList{1.5, QVariant()})); // the default filled in
        QVERIFY(!got->handshake);
        QVERIFY(!decoder.next());
        decoder.feed(QByteArrayView(calls).last(6));
        QCOMPARE(decoder.next()->name, QStringLiteral("busy"));
        QVERIFY(!decoder.next());
    }

    void anUnknownMessageIsSkippedNotFatal()
    {
        const ProtocolDocument motor(kMotor);
        ServerDecoder decoder(
            [&](const QString &name) { return motor.message(name); }, motor.hash());
        establish(decoder, motor);
        QByteArray bytes = hex("00 00 00 01 00 | 00 00 00 0b 14 66 72 6f 62 6e 69 63 61 74 65 | "
                               "00 00 00 02 02 61 | 00 00 00 01 04");
        decoder.feed(bytes);
        QVERIFY(!decoder.next()); // waits for its terminator
        decoder.feed(hex("00 00 00 00") + request(motor, "get_position"));
        std::optional<CallRequest> unknown = decoder.next();
        QVERIFY(unknown);
        QCOMPARE(unknown->name, QStringLiteral("frobnicate"));
        QCOMPARE(unknown->message, nullptr);
        QCOMPARE(decoder.next()->name, QStringLiteral("get_position"));
    }

    void garbageFromAClientIsAProtocolError()
    {
        const ProtocolDocument motor(kMotor);
        ServerDecoder decoder(
            [&](const QString &name) { return motor.message(name); }, motor.hash());
        establish(decoder, motor);
        decoder.feed(hex("00 00 00 01 00 | 00 00 00 03 04 ff fe"));
        QCOMPARE(errorOf([&] { decoder.next(); }),
            QStringLiteral("yaq: decoding string: the string is not valid UTF-8"));

        ServerDecoder typed([&](const QString &name) { return motor.message(name); }, motor.hash());
        establish(typed, motor);
        // set_position with a parameter frame whose bytes cannot be a double's: too short,
        // then the next call's meta map... which says 0x18 = 12 entries of garbage.
        typed.feed(hex("00 00 00 01 00 | 00 00 00 0d 18 73 65 74 5f 70 6f 73 69 74 69 6f 6e "
                       "| 00 00 00 01 03 | 00 00 00 00"));
        QVERIFY(!typed.next()); // a double needs 8 bytes: it may still come
        QCOMPARE(typed.frames().buffered(), 1);

        ServerDecoder handshake(
            [&](const QString &name) { return motor.message(name); }, motor.hash());
        handshake.feed(hex("00 00 00 24") + QByteArray(16, ' ') + hex("04") + QByteArray(16, ' ')
            + hex("02 00"));
        QCOMPARE(errorOf([&] { handshake.next(); }),
            QStringLiteral("yaq: decoding record org.apache.avro.ipc.HandshakeRequest, at "
                           ".clientProtocol: union branch 2 does not exist (2 branches)"));
    }

    // ---- the client's decoder --------------------------------------------------------------

    void clientDecodesHandshakeAndResponses()
    {
        const QByteArray text = readData(QStringLiteral("tiny.avpr"));
        ClientDecoder decoder;
        decoder.expect(SchemaSet::primitive(Schema::Type::Null), ClientDecoder::WithHandshake::Yes);
        decoder.expect(SchemaSet::primitive(Schema::Type::Double));
        decoder.expect(SchemaSet::primitive(Schema::Type::Double));
        decoder.expect(SchemaSet::primitive(Schema::Type::Null));
        const QByteArray all = golden(QStringLiteral("server-none-handshake.hex"))
            + golden(QStringLiteral("double-response.hex"))
            + golden(QStringLiteral("error-reply.hex"))
            + golden(QStringLiteral("null-response.hex"));
        QList<CallResponse> responses;
        for (char byte : all) {
            decoder.feed(QByteArrayView(&byte, 1));
            while (std::optional<CallResponse> response = decoder.next())
                responses << *response;
        }
        QCOMPARE(responses.size(), 4);
        QCOMPARE(decoder.pending(), 0);
        const HandshakeResponse &hs = responses[0].handshake.value();
        QCOMPARE(hs.match, HandshakeMatch::None);
        QCOMPARE(hs.serverProtocol.value(), QString::fromUtf8(text));
        QCOMPARE(hs.serverHash.value(), protocolHash(text));
        QVERIFY(!hs.meta);
        QVERIFY(!responses[0].value.isValid() && !responses[0].error);
        QCOMPARE(responses[1].value, QVariant(1.5));
        QCOMPARE(responses[2].error.value(), QStringLiteral("ValueError('boom')"));
        QVERIFY(!responses[3].value.isValid() && !responses[3].error);
    }

    void clientRefusesWhatItDidNotAskFor()
    {
        ClientDecoder decoder;
        decoder.feed(hex("00 00 00 00")); // empty frames are no-ops
        QVERIFY(!decoder.next());
        decoder.feed(hex("00 00 00 01 00"));
        QCOMPARE(errorOf([&] { decoder.next(); }),
            QStringLiteral("yaq: the server sent 1 bytes with no request waiting for an answer"));

        ClientDecoder flag;
        flag.expect(SchemaSet::primitive(Schema::Type::Double));
        flag.feed(hex("00 00 00 01 00 | 00 00 00 01 02"));
        QCOMPARE(errorOf([&] { flag.next(); }),
            QStringLiteral("yaq: decoding boolean: a boolean must be 00 or 01, not 02"));
    }

    void structuredResponsesRoundTrip()
    {
        const ProtocolDocument motor(kMotor);
        const Schema &measured = *motor.message(QStringLiteral("get_measured"))->response;
        const QVariantMap value{{QStringLiteral("signal"), 0.25},
            {QStringLiteral("image"),
                QVariantMap{{QStringLiteral("shape"), QVariantList{qint64(1), qint64(2)}},
                    {QStringLiteral("typestr"), QStringLiteral("<f8")},
                    {QStringLiteral("data"), QByteArray(16, '\1')},
                    {QStringLiteral("version"), qint64(1)}}}};
        QByteArray out;
        appendCallResponse(out, measured, value);
        ClientDecoder decoder;
        decoder.expect(measured);
        decoder.feed(out);
        QCOMPARE(decoder.next()->value, QVariant(value));
    }

    // ---- writer errors ---------------------------------------------------------------------

    void writersRefuseBadArgumentsAndLeaveTheBuffer()
    {
        const ProtocolDocument motor(kMotor);
        QByteArray out("keep");
        const MessageSchema &set = *motor.message(QStringLiteral("set_position"));
        QCOMPARE(errorOf([&] { appendCallRequest(out, set, {}); }),
            QStringLiteral("yaq: set_position: argument position is missing"));
        QCOMPARE(errorOf([&] {
            appendCallRequest(out, set, {1.0, 2.0});
        }),
            QStringLiteral("yaq: set_position takes 1 arguments, got 2"));
        QCOMPARE(errorOf([&] { appendCallRequest(out, set, {QStringLiteral("5")}); }),
            QStringLiteral("yaq: encoding double: a QString cannot be encoded as double "
                           "(set_position, argument position)"));
        QCOMPARE(errorOf([&] {
            appendCallResponse(
                out, SchemaSet::primitive(Schema::Type::Double), QStringLiteral("x"));
        }),
            QStringLiteral("yaq: encoding double: a QString cannot be encoded as double"));
        QCOMPARE(out, QByteArray("keep"));
    }

    void protocolErrorsNameThePlace()
    {
        QCOMPARE(errorOf([] {
            ProtocolDocument(R"({"messages": {"set_position": {"request":
            [{"name": "position", "type": "dubble"}]}}})");
        }),
            QStringLiteral("messages.set_position.request[0].type: unknown type \"dubble\""));
        QVERIFY(errorOf([] {
            ProtocolDocument("{");
        }).startsWith(QLatin1String("the protocol document is not JSON: ")));
        QCOMPARE(errorOf([] {
            ProtocolDocument(R"({"types": [{"type": "record", "name": "x",
            "fields": [{"name": "a", "type": "ndarray"}]}]})");
        }),
            QStringLiteral("types[0].a: unknown type \"ndarray\""));
    }
};

QTEST_GUILESS_MAIN(TestYaqMessages)
#include "tst_yaqmessages.moc"
