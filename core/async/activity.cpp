// SPDX-License-Identifier: MIT
#include "activity.h"

#include "waiter_p.h"

#include <QHash>

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace Benchtop::Async {

namespace detail {

static_assert(sizeof(void *) == 8, "LoopActivity packs a pointer into 48 bits");

[[gnu::tls_model("initial-exec")]] constinit thread_local LoopActivity t_loopActivity;

const ActivityLabel kLoopIdle{QStringLiteral("(idle)"), QString(), nullptr};

namespace {

/// Every label and owner ever made. Leaked on purpose: a watchdog may read a label at any
/// moment, static destruction included, and there are only as many as distinct names.
struct Registry {
    std::mutex mutex;
    QHash<QString, const QString *> owners;
    std::map<std::pair<const void *, const void *>, const ActivityLabel *> byPointers;
    QHash<std::pair<QString, QString>, const ActivityLabel *> byNames;
};

Registry &registry()
{
    static auto *instance = new Registry;
    return *instance;
}

const QString *internOwnerLocked(Registry &r, const QString &name)
{
    const QString *&owner = r.owners[name];
    if (!owner)
        owner = new QString(name);
    return owner;
}

/// A small direct-mapped cache in front of the registry: a thread spawns the same few tasks of
/// the same few groups again and again.
struct CacheEntry {
    const QString *owner;
    const char *task;
    const ActivityLabel *label;
};
constinit thread_local std::array<CacheEntry, 64> t_labelCache{};

} // namespace

const QString *internOwner(const QString &name)
{
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    return internOwnerLocked(r, name);
}

const ActivityLabel *taskLabel(const QString *owner, const char *taskName)
{
    const std::size_t slot
        = (std::hash<const void *>()(owner) * 31 + std::hash<const void *>()(taskName)) % 64;
    CacheEntry &entry = t_labelCache[slot];
    if (entry.label && entry.owner == owner && entry.task == taskName)
        return entry.label;
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    const ActivityLabel *&label = r.byPointers[{owner, taskName}];
    if (!label) {
        label = new ActivityLabel{
            owner ? *owner : QString(), taskName ? QString::fromUtf8(taskName) : QString(), owner};
    }
    entry = {owner, taskName, label};
    return label;
}

} // namespace detail

const ActivityLabel *activityLabel(const QString &owner, const QString &task)
{
    detail::Registry &r = detail::registry();
    std::lock_guard lock(r.mutex);
    const ActivityLabel *&label = r.byNames[{owner, task}];
    if (!label) {
        const QString *ownerKey = owner.isEmpty() ? nullptr : detail::internOwnerLocked(r, owner);
        label = new ActivityLabel{owner, task, ownerKey};
    }
    return label;
}

ActivityScope::ActivityScope(const ActivityLabel *label) noexcept
    : m_previous(detail::t_loopActivity.label())
{
    detail::t_loopActivity.publish(label);
}

ActivityScope::~ActivityScope()
{
    detail::t_loopActivity.publish(m_previous);
}

void relabelCurrentTask(const ActivityLabel *label) noexcept
{
    if (detail::TaskContext *context = detail::currentContext()) {
        context->setLabel(label);
        detail::t_loopActivity.publish(label);
    }
}

} // namespace Benchtop::Async
