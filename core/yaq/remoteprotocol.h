// SPDX-License-Identifier: MIT
#pragma once

// Reading the protocol document (.avpr) a yaq daemon sends in its handshake: any yaq daemon's
// (Python's yaqd-core writes them with NaN / Infinity, which strict JSON does not have; old
// daemons leave out request, response or properties) and Benchtop's own (deviceprotocol.h).
//
// The text comes from the network: it is checked, not trusted. Parsing stops at the first
// problem and says what is wrong and where ("messages.set_position.request[0]: \"type\" is
// missing"); nothing in a document can crash it or make it recurse without bound.

#include <device/messagedefinition.h>
#include <device/propertyinfo.h>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Benchtop::Yaq {

/// One property, with the messages that give its units, limits and options. Those the document
/// carries (Benchtop's extension; an enum's symbols) are already in `info`; the others are for
/// the client to fetch by calling the getters named here.
struct RemoteProperty {
    PropertyInfo info;
    QString unitsGetter; ///< empty when none
    QString limitsGetter;
    QString optionsGetter;
    QString recordKind; ///< "data", "metadata", "omitted", or empty when not given
};

struct RemoteProtocol {
    QString kind; ///< `protocol`
    QString doc;
    QStringList traits;
    /// By name, as the document declares them (`trait` is its "origin", empty when it gives
    /// none); a trait message's effect and awaited answer are the message table's.
    QMap<QString, MessageDefinition> messages;
    QJsonArray types; ///< the named types, as given
    QList<RemoteProperty> properties; ///< in the device's order for a Benchtop document
    QJsonObject config; ///< as given: key → {type, default?, doc?}
    QJsonObject state;
    /// Parts left out, one line each: a property of a type Benchtop cannot show, ...
    QStringList warnings;

    bool hasMessage(const QString &name) const { return messages.contains(name); }
    QList<PropertyInfo> propertyInfos() const;
};

/// Documents larger than this are refused (a real daemon's is some 15 kB).
inline constexpr qsizetype kMaxDocumentBytes = 4 * 1024 * 1024;

/// Parses a protocol document's JSON text. On error returns nullopt and sets `error` to one line
/// saying what is wrong and where.
std::optional<RemoteProtocol> parseRemoteProtocol(const QByteArray &text, QString *error);

/// The same for a document already parsed (numbers that are not finite as doubles).
std::optional<RemoteProtocol> parseRemoteProtocol(const QJsonObject &document, QString *error);

/// Parses JSON text as Python's json module writes it (NaN, Infinity, -Infinity outside strings
/// become those doubles). On error returns nullopt and sets `error` to the reason with its line
/// and column.
std::optional<QJsonObject> parseProtocolJson(const QByteArray &text, QString *error);

/// The ValueType of values of Avro type `type` (named types resolved through `types`), and the
/// options an enum gives; nullopt when Benchtop has no ValueType for it (bytes, a record).
struct ValueTypeOfAvro {
    ValueType type;
    QStringList options;
};
std::optional<ValueTypeOfAvro> valueTypeOfAvro(const QJsonValue &type, const QJsonArray &types);

} // namespace Benchtop::Yaq
