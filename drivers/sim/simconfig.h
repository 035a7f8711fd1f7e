// SPDX-License-Identifier: MIT
#pragma once

#include <device/limits.h>

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace Benchtop::Sim {

/// Typed reads of a device's config (its lab table with the schema's defaults filled in). Every
/// read throws DeviceError naming the device and the key when the key is missing, has the wrong
/// type or an unusable value: a simulated instrument refuses to be created rather than guess.
///
/// Numbers may come as integers or doubles (TOML and JSON differ); lists as QVariantList or
/// QStringList. Pure logic; no Qt event loop needed.
class SimConfig {
public:
    SimConfig(QString device, QVariantMap config);

    const QString &device() const noexcept { return m_device; }
    const QVariantMap &values() const noexcept { return m_config; }
    bool has(const QString &key) const { return m_config.contains(key); }

    double number(const QString &key) const;
    /// A number within [minimum, maximum].
    double number(const QString &key, double minimum, double maximum) const;
    /// A number above zero (a speed, a rate).
    double positive(const QString &key) const;
    /// An integral number (10.0 from JSON is taken as 10).
    qint64 integer(const QString &key, qint64 minimum, qint64 maximum) const;
    bool boolean(const QString &key) const;
    QString string(const QString &key) const;
    /// A string that is one of `options`.
    QString choice(const QString &key, const QStringList &options) const;
    /// A list of strings (how many, and which, checkSimConfig says).
    QStringList names(const QString &key) const;
    /// [lower, upper] with lower <= upper.
    Limits limits(const QString &key) const;
    /// A table (TOML) / object (JSON).
    QVariantMap map(const QString &key) const;

    /// An integer or a double (TOML and JSON numbers): what number() takes.
    static bool isNumber(const QVariant &value);

    /// Throws DeviceError("<device>: config key <key> <problem>").
    [[noreturn]] void fail(const QString &key, const QString &problem) const;

private:
    QVariant value(const QString &key) const;

    QString m_device;
    QVariantMap m_config;
};

} // namespace Benchtop::Sim
