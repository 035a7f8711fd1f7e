// SPDX-License-Identifier: MIT
#pragma once

// The model of a yaq daemon that Benchtop builds from its protocol document (.avpr), the one
// its handshake brings: any yaq daemon's (old ones leave out request, response or properties) and
// Benchtop's own (deviceprotocol.h, with its "benchtop" extension). The document is read once,
// by ProtocolDocument (protocoldocument.h: the JSON, every Avro type, the messages); this reads
// the rest of it (the kind, traits, properties, config, state, the extension) into what a remote
// device needs.
//
// The document comes from the network: it is checked, not trusted. Reading stops at the first
// problem and says what is wrong and where ("properties.position: \"getter\" is missing");
// nothing in a document can crash it.

#include <device/messagedefinition.h>
#include <device/propertyinfo.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Benchtop::Yaq {

class ProtocolDocument;

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

    /// The model of `document`, read from its json() and messages() (not from its text again).
    /// Throws SchemaError saying what is wrong and where.
    static RemoteProtocol fromDocument(const ProtocolDocument &document);
};

} // namespace Benchtop::Yaq
