// SPDX-License-Identifier: MIT
#pragma once

#include "configfield.h"

#include <device/propertyinfo.h>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace Benchtop {

/// One driver kind a plugin offers.
struct DriverInfo {
    QString kind; ///< "sim-motor": what a lab table's `driver` names
    QString description;
    QStringList traits; ///< yaq trait names, is-daemon included
    QList<ConfigField> config; ///< in the order the plugin lists them (a form's order)

    const ConfigField *field(const QString &name) const
    {
        for (const ConfigField &f : config) {
            if (f.name == name)
                return &f;
        }
        return nullptr;
    }
};

/// What a plugin's metadata says about it, read without loading its code.
struct PluginInfo {
    QString path; ///< the library file; for a plugin linked into the program, a label
    QString name;
    QString version;
    QString description;
    int abi = 0;
    QList<DriverInfo> drivers;
};

/// A plugin file the registry would not use, and why (one line).
struct PluginRefusal {
    QString path;
    QString reason;
};

/// Parses the "MetaData" object of a plugin's JSON (QPluginLoader::metaData()["MetaData"]).
/// Checks the ABI number first (refusal names both numbers), then every field. On error
/// returns nullopt and sets `error` to one line saying what is wrong and where in the JSON.
std::optional<PluginInfo> parsePluginMetadata(const QJsonObject &metaData, QString *error);

} // namespace Benchtop
