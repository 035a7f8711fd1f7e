// SPDX-License-Identifier: MIT
#pragma once

#include <async/event.h>
#include <host/devicehandle.h>

#include <QStringList>

#include <chrono>

namespace Benchtop::Test {

/// A DeviceHandle whose description and snapshots the test writes, for what a real host cannot
/// be made to do on cue: every status at once, a thousand devices, a thousand updates with
/// nothing else changing, several readings in one delivery, an answer held back. Nothing runs
/// behind it: calls are recorded in `calls` and answered here. GUI thread only.
class ScriptedHandle final : public DeviceHandle {
public:
    explicit ScriptedHandle(
        QString name = QStringLiteral("scripted"), QString kind = QStringLiteral("scripted"))
    {
        setDescription({.name = std::move(name), .kind = std::move(kind)});
    }
    explicit ScriptedHandle(DeviceDescription description)
    {
        setDescription(std::move(description));
    }

    QString name() const override { return description().name; }

    /// Records `message` in `calls` and answers 0: at once, or once `answer` is set when
    /// `holdAnswers` is true.
    QCoro::Task<QVariant> call(QString message, QVariantList) override
    {
        calls << message;
        if (holdAnswers)
            co_await answer.wait();
        co_return QVariant(0);
    }
    /// Records `message` in `calls` and answers an empty value at once.
    QCoro::Task<QVariant> callAndWait(QString message, QVariantList) override
    {
        calls << message;
        co_return QVariant();
    }

    /// Describes the device anew with `properties` (its name and kind kept).
    void describe(QList<PropertyInfo> properties)
    {
        DeviceDescription next = description();
        next.properties = std::move(properties);
        setDescription(std::move(next));
    }
    /// Describes the device anew as `next` (a device that connected, or became another).
    void describeAs(DeviceDescription next) { setDescription(std::move(next)); }
    /// Sends the same description again, as a host does when the device restarts.
    void describeAgain() { setDescription(description()); }

    /// Delivers `snapshot` as the host would: named after this device, with the next sequence.
    void deliver(DeviceSnapshot snapshot)
    {
        snapshot.name = name();
        snapshot.kind = description().kind;
        snapshot.sequence = this->snapshot().sequence + 1;
        setSnapshot(std::move(snapshot));
    }
    /// The last snapshot with `values` in place of its values, with the next sequence.
    void publish(QVariantMap values) { deliver(std::move(values), snapshot().sequence + 1); }
    /// The last snapshot with `values` in place of its values and the given sequence: the last
    /// one again makes a keep-alive.
    void deliver(QVariantMap values, quint64 sequence)
    {
        DeviceSnapshot next = snapshot();
        next.name = name();
        next.kind = description().kind;
        next.values = std::move(values);
        next.sequence = sequence;
        setSnapshot(std::move(next));
    }
    /// Several readings in one delivery, as a paced handle brings them: values[i] published
    /// at at[i], sequences from `first` on.
    void deliverSeveral(const QList<QVariantMap> &values,
        const QList<std::chrono::steady_clock::time_point> &at, quint64 first)
    {
        Readings readings(description());
        DeviceSnapshot next;
        for (qsizetype i = 0; i < values.size(); ++i) {
            next = {.name = name(),
                .kind = description().kind,
                .values = values[i],
                .sequence = first + quint64(i)};
            readings.append(at[i], next);
        }
        setSnapshot(next, std::move(readings));
    }

    /// Several snapshots in one delivery (their link and status as given): snapshots[i]
    /// published at at[i], named after this device, with sequences from `first` on.
    void deliverSeveral(QList<DeviceSnapshot> snapshots,
        const QList<std::chrono::steady_clock::time_point> &at, quint64 first)
    {
        Readings readings(description());
        for (qsizetype i = 0; i < snapshots.size(); ++i) {
            snapshots[i].name = name();
            snapshots[i].kind = description().kind;
            snapshots[i].sequence = first + quint64(i);
            readings.append(at[i], snapshots[i]);
        }
        setSnapshot(snapshots.last(), std::move(readings));
    }

    QStringList calls; ///< every message called, oldest first
    bool holdAnswers = false;
    Async::Event answer;
};

} // namespace Benchtop::Test
