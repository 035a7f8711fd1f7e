// SPDX-License-Identifier: MIT
#pragma once

// Complete driver configs for tests, built from the schema defaults in a plugin's JSON (as the
// lab layer fills them in), and devices that end their tasks before they are deleted.

#include <device/device.h>
#include <device/devicesettings.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariantMap>

#include <memory>
#include <stdexcept>

namespace Benchtop::Test {

/// The metadata file at `path`, parsed.
inline QJsonObject pluginMetadata(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        throw std::runtime_error(path.toStdString() + ": " + error.errorString().toStdString());
    return document.object();
}

/// The entry of driver kind `kind` in `metadata`.
inline QJsonObject driverEntry(const QJsonObject &metadata, const QString &kind)
{
    for (const QJsonValue driver : metadata.value(QLatin1String("drivers")).toArray()) {
        if (driver.toObject().value(QLatin1String("kind")).toString() == kind)
            return driver.toObject();
    }
    throw std::invalid_argument("the metadata has no kind " + kind.toStdString());
}

/// Every key of `kind`'s schema at its default, then `overrides`, each of which must be a key
/// of the schema (a typo in a test fails it rather than being ignored).
inline QVariantMap driverConfig(
    const QJsonObject &metadata, const QString &kind, const QVariantMap &overrides = {})
{
    QVariantMap result;
    QStringList keys;
    for (const QJsonValue field : driverEntry(metadata, kind).value(QLatin1String("config")).toArray()) {
        const QJsonObject f = field.toObject();
        const QString name = f.value(QLatin1String("name")).toString();
        keys << name;
        if (f.contains(QLatin1String("default")))
            result.insert(name, f.value(QLatin1String("default")).toVariant());
    }
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
        if (!keys.contains(it.key())) {
            throw std::invalid_argument(
                (kind + QStringLiteral(" has no config key ") + it.key()).toStdString());
        }
        result.insert(it.key(), *it);
    }
    return result;
}

/// Deletes a device after ending its tasks (what the host does at shutdown).
struct StopAndDelete {
    void operator()(Device *device) const
    {
        device->stopTasksNow();
        delete device;
    }
};
template<typename D>
using DevicePtr = std::unique_ptr<D, StopAndDelete>;

} // namespace Benchtop::Test
