// SPDX-License-Identifier: MIT
#include "statesaver.h"

#include "hostlogging_p.h"

#include <async/sleep.h>
#include <device/device.h>
#include <state/statestore.h>

#include <cmath>

namespace Benchtop {

namespace {

/// Whether a device's state is what was saved last. QVariant's == says NaN differs from NaN,
/// which would rewrite the file of a device with a NaN in its state at every save interval.
bool sameState(const QVariant &a, const QVariant &b)
{
    if (a.typeId() == QMetaType::Double && b.typeId() == QMetaType::Double) {
        const double x = a.toDouble();
        const double y = b.toDouble();
        return x == y || (std::isnan(x) && std::isnan(y));
    }
    if (a.typeId() == QMetaType::QVariantList && b.typeId() == QMetaType::QVariantList) {
        const QVariantList left = a.toList();
        const QVariantList right = b.toList();
        return std::equal(left.cbegin(), left.cend(), right.cbegin(), right.cend(), sameState);
    }
    if (a.typeId() == QMetaType::QVariantMap && b.typeId() == QMetaType::QVariantMap) {
        const QVariantMap left = a.toMap();
        const QVariantMap right = b.toMap();
        if (left.size() != right.size())
            return false;
        for (auto it = left.cbegin(), other = right.cbegin(); it != left.cend(); ++it, ++other) {
            if (it.key() != other.key() || !sameState(it.value(), other.value()))
                return false;
        }
        return true;
    }
    return a == b;
}

} // namespace

StateSaver::StateSaver(std::shared_ptr<StateStore> store, Async::SerialExecutor &io, QString kind,
    QString name, Intervals intervals)
    : m_store(std::move(store))
    , m_io(io)
    , m_kind(std::move(kind))
    , m_name(std::move(name))
    , m_intervals(intervals)
{
}

StateSaver::~StateSaver() = default;

void StateSaver::remember(const QVariantMap &loaded)
{
    m_lastSaved = loaded;
    m_hasSaved = !loaded.isEmpty();
    m_restored = false; // until a device takes it
}

QVariantMap StateSaver::loadNow()
{
    if (!m_store)
        return {};
    const StateStore::Loaded loaded = m_store->load(m_kind, m_name);
    if (!loaded.warning.isEmpty())
        qCWarning(lcHost).noquote() << loaded.warning;
    remember(loaded.state);
    return loaded.state;
}

QCoro::Task<QVariantMap> StateSaver::load()
{
    if (!m_store)
        co_return QVariantMap();
    const StateStore::Loaded loaded = co_await Async::runBlocking(
        m_io, [store = m_store, kind = m_kind, name = m_name] { return store->load(kind, name); });
    if (!loaded.warning.isEmpty())
        qCWarning(lcHost).noquote() << loaded.warning;
    remember(loaded.state);
    co_return loaded.state;
}

void StateSaver::start(Device &device)
{
    m_tasks = std::make_unique<Async::TaskGroup>(m_name + QStringLiteral(" saver"));
    if (!m_store)
        return;
    m_tasks->spawn("save_state", [this, &device]() -> QCoro::Task<> {
        for (;;) {
            co_await Async::sleep(device.busy() ? m_intervals.busy : m_intervals.idle);
            co_await save(device);
        }
    });
}

void StateSaver::stop()
{
    m_tasks.reset();
}

QCoro::Task<> StateSaver::save(const Device &device)
{
    // A device that did not take the saved state (it failed to be created, or refused it) knows
    // nothing of it: what it would write replaces a position the user saved.
    if (!m_store || !m_restored)
        co_return;
    QVariantMap state = device.state();
    if (m_hasSaved && sameState(state, m_lastSaved))
        co_return; // only when changed, as yaq does
    if (!m_hasSaved && state.isEmpty())
        co_return;
    try {
        co_await Async::runBlocking(m_io, [store = m_store, kind = m_kind, name = m_name, state] {
            store->save(kind, name, state);
        });
        m_lastSaved = std::move(state);
        m_hasSaved = true;
        m_lastError.clear();
    } catch (const std::exception &e) {
        const QString error = QString::fromLocal8Bit(e.what());
        if (error != m_lastError) // once per distinct error, not every 100 ms
            qCWarning(lcHost).noquote()
                << QStringLiteral("%1: state not saved: %2").arg(m_name, error);
        m_lastError = error;
    }
}

} // namespace Benchtop
