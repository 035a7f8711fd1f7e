// SPDX-License-Identifier: MIT
#pragma once

#include <yaq/client/remoteprotocol.h>
#include <yaq/wire/avroschema.h>
#include <yaq/wire/protocoldocument.h>
#include <yaq/wire/yaqerror.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <optional>

namespace Benchtop::Yaq::Test {

/// Bytes from hex pairs; spaces and '|' (frame separators in the tests) are ignored.
inline QByteArray hex(const char *text)
{
    QByteArray digits(text);
    digits.replace(' ', "").replace('|', "").replace('\n', "");
    return QByteArray::fromHex(digits);
}

/// A golden vector of tests/data/yaq (see its README): hex text, '#' comments.
inline QByteArray golden(const QString &name)
{
    QFile file(QStringLiteral(BENCHTOP_YAQ_TEST_DATA "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the golden vector %s", qPrintable(file.fileName()));
    QByteArray digits;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.trimmed().startsWith('#'))
            digits += line;
    }
    return hex(digits.constData());
}

inline QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(BENCHTOP_YAQ_TEST_DATA "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

/// Parses one schema written as JSON text (a bare "int" too) into `set`.
inline const Schema &schema(SchemaSet &set, const char *json)
{
    QJsonParseError error;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray("[") + json + QByteArray("]"), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in a test: %s", json);
    return set.parse(document.array().at(0));
}

/// The message of the ProtocolError (or SchemaError) `f` throws; fails the test if none.
template<typename F>
QString errorOf(F &&f)
{
    try {
        f();
    } catch (const ProtocolError &e) {
        return e.message();
    }
    return QStringLiteral("<nothing thrown>");
}

/// What a client makes of the protocol document `text` (Client::connectTo): the document read
/// once, the model built from it; or the error, in `error`.
inline std::optional<RemoteProtocol> readRemote(const QByteArray &text, QString *error)
{
    try {
        const ProtocolDocument document(text);
        return RemoteProtocol::fromDocument(document);
    } catch (const SchemaError &e) {
        *error = e.message();
        return std::nullopt;
    }
}

} // namespace Benchtop::Yaq::Test
