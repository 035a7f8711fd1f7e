// SPDX-License-Identifier: MIT
#pragma once

// A handle whose snapshots the test writes, for what a real host cannot be made to do on
// cue (every status at once for a screenshot, a thousand devices).

#include <host/devicehandle.h>

#include <stdexcept>

namespace Benchtop::UiTest {

class FakeHandle final : public DeviceHandle {
    Q_OBJECT
public:
    explicit FakeHandle(QString name, QString kind = QStringLiteral("fake"))
        : m_name(std::move(name))
    {
        DeviceDescription description;
        description.name = m_name;
        description.kind = std::move(kind);
        setDescription(description);
    }

    QString name() const override { return m_name; }
    QCoro::Task<QVariant> call(QString, QVariantList) override
    {
        throw std::logic_error("FakeHandle takes no calls");
    }
    QCoro::Task<QVariant> callAndWait(QString, QVariantList) override
    {
        throw std::logic_error("FakeHandle takes no calls");
    }

    /// Delivers a snapshot of this device, as a host would.
    void deliver(DeviceSnapshot snapshot)
    {
        snapshot.name = m_name;
        snapshot.sequence = ++m_sequence;
        setSnapshot(std::move(snapshot));
    }

private:
    QString m_name;
    quint64 m_sequence = 0;
};

} // namespace Benchtop::UiTest
