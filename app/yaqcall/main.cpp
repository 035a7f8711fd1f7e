// SPDX-License-Identifier: MIT
// benchtop-yaqcall: one call to a yaq daemon from a shell, its answer printed as JSON — for
// scripts, for trying a daemon, and for the network tests.
#include <device/deviceerror.h>
#include <io/ioerror.h>
#include <yaq/client/client.h>
#include <yaq/wire/protocoldocument.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <QCoroTask>

#include <cstdio>

using namespace Benchtop;

namespace {

void fail(const QString &text)
{
    std::fprintf(stderr, "benchtop-yaqcall: %s\n", qPrintable(text));
}

/// An argument as JSON (5, 1.5, true, "text", [1, 2]); anything that is not JSON is a string.
QVariant argumentOf(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return text;
    const QJsonValue value = document.array().first();
    if (value.isDouble() && value.toDouble() == double(qint64(value.toDouble()))
        && !text.contains('.'))
        return qint64(value.toDouble());
    return value.toVariant();
}

QByteArray jsonOf(const QVariant &value)
{
    if (!value.isValid())
        return "null";
    const QJsonDocument document(QJsonArray{QJsonValue::fromVariant(value)});
    QByteArray text = document.toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2); // without the array around it
}

struct Outcome {
    int code = 0;
    QByteArray output;
};

QCoro::Task<Outcome> run(QString host, quint16 port, QString message, QVariantList args,
    bool printProtocol, Yaq::Client::Options options)
{
    Yaq::Client client(options);
    try {
        co_await client.connectTo(host, port);
        if (printProtocol)
            co_return Outcome{0, client.document()->text()};
        const QVariant answer = co_await client.call(message, args);
        co_return Outcome{0, jsonOf(answer)};
    } catch (const Io::IoError &e) {
        fail(QString::fromUtf8(e.what()));
        co_return Outcome{3, {}};
    } catch (const DeviceError &e) {
        fail(e.message());
        co_return Outcome{1, {}};
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("benchtop-yaqcall"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BENCHTOP_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Calls MESSAGE of the yaq daemon at HOST:PORT with ARGS (each JSON: 5, 1.5, true, "
        "\"text\", [1, 2]) and prints its answer as JSON. Exit code: 0 answered, 1 the daemon "
        "answered with an error (on stderr), 2 usage, 3 no connection or not a yaq daemon."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("HOST:PORT"), QStringLiteral("The daemon."));
    parser.addPositionalArgument(QStringLiteral("MESSAGE"), QStringLiteral("The message to call."));
    parser.addPositionalArgument(
        QStringLiteral("ARGS"), QStringLiteral("Its arguments."), QStringLiteral("[ARGS...]"));
    const QCommandLineOption protocol(QStringLiteral("protocol"),
        QStringLiteral("Print the daemon's protocol document instead (no MESSAGE)."));
    const QCommandLineOption timeout(QStringLiteral("timeout-ms"),
        QStringLiteral("How long to wait for the connection and the answer (default 10000)."),
        QStringLiteral("MS"), QStringLiteral("10000"));
    parser.addOptions({protocol, timeout});
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    const bool printProtocol = parser.isSet(protocol);
    if (positional.size() < (printProtocol ? 1 : 2)) {
        fail(QStringLiteral("usage: benchtop-yaqcall HOST:PORT MESSAGE [ARGS...] (see --help)"));
        return 2;
    }
    const QString address = positional.first();
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? address.mid(colon + 1).toUInt(&ok) : 0;
    if (!ok || port == 0 || port > 65535) {
        fail(QStringLiteral("\"%1\" is not HOST:PORT").arg(address));
        return 2;
    }
    const int timeoutMs = parser.value(timeout).toInt(&ok);
    if (!ok || timeoutMs <= 0) {
        fail(QStringLiteral("--timeout-ms: \"%1\" is not a number of milliseconds")
                 .arg(parser.value(timeout)));
        return 2;
    }
    Yaq::Client::Options options;
    options.connectTimeout = options.callTimeout = std::chrono::milliseconds(timeoutMs);
    QVariantList args;
    for (const QString &text : positional.mid(2))
        args << argumentOf(text);
    const Outcome outcome = QCoro::waitFor(run(address.left(colon), quint16(port),
        printProtocol ? QString() : positional.at(1), args, printProtocol, options));
    if (!outcome.output.isEmpty())
        std::printf("%s\n", outcome.output.constData());
    return outcome.code;
}
