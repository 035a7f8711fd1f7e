// SPDX-License-Identifier: MIT
#pragma once

// What a thread's event loop is doing right now, published so that a LoopWatchdog on another
// thread can name the task that holds the loop while it still holds it. The scheduler labels
// every step of every task (its group's name and the task's name); synchronous work that runs
// outside tasks (a device call from a queued invocation) labels itself with ActivityScope.

#include <QString>

#include <atomic>
#include <cstdint>

namespace Benchtop::Async {

/// Who is running: the owner (a task group's name: the device's name for a device's tasks) and
/// what (the task's name, or a message). Interned and never freed, so another thread may read
/// one it was handed at any time.
struct ActivityLabel {
    QString owner;
    QString task;
    const QString *ownerKey = nullptr; ///< the interned owner, for labelling child tasks
};

/// The label for `task` of `owner`, interned (thread-safe; takes a lock).
const ActivityLabel *activityLabel(const QString &owner, const QString &task);

/// Labels the synchronous work of its lifetime on this thread's loop, then restores the label
/// it found. Never keep one across a co_await: the task's next step is labelled by its task.
class ActivityScope {
public:
    explicit ActivityScope(const ActivityLabel *label) noexcept;
    ~ActivityScope();
    ActivityScope(const ActivityScope &) = delete;
    ActivityScope &operator=(const ActivityScope &) = delete;

private:
    const ActivityLabel *m_previous;
};

/// Gives the running task a new label from now on (a host task that serves one device's
/// call takes that device's name). Does nothing outside a task. Loop thread only.
void relabelCurrentTask(const ActivityLabel *label) noexcept;

namespace detail {

/// The label published while the loop sleeps in its event dispatcher: nothing holds it.
extern const ActivityLabel kLoopIdle;

/// One thread's published activity: the current label and a count of how often it changed,
/// packed into one word so that a watchdog reads both with one atomic load. The count keeps
/// 16 bits: it only has to differ between two samples a few milliseconds apart, and a stall
/// is only reported after several samples in a row saw the very same word.
class LoopActivity {
public:
    struct Sample {
        const ActivityLabel *label;
        std::uint16_t changes;
        bool operator==(const Sample &) const = default;
    };

    /// The label in force (loop thread only).
    const ActivityLabel *label() const noexcept
    {
        return reinterpret_cast<const ActivityLabel *>(
            m_word.load(std::memory_order_relaxed) >> 16);
    }

    /// Publishes a new label (loop thread only): one load and one store of a word this thread
    /// alone writes, cheap enough for every step of every task.
    void publish(const ActivityLabel *label) noexcept
    {
        const std::uint64_t changes = (m_word.load(std::memory_order_relaxed) + 1) & 0xffff;
        m_word.store(
            (reinterpret_cast<std::uintptr_t>(label) << 16) | changes, std::memory_order_release);
    }

    /// Any thread.
    Sample sample() const noexcept
    {
        const std::uint64_t word = m_word.load(std::memory_order_acquire);
        return {reinterpret_cast<const ActivityLabel *>(word >> 16),
            static_cast<std::uint16_t>(word & 0xffff)};
    }

private:
    std::atomic<std::uint64_t> m_word{0};
};

/// This thread's activity (static TLS: lives as long as the thread).
[[gnu::tls_model("initial-exec")]] extern constinit thread_local LoopActivity t_loopActivity;

/// The label of `taskName` (a string literal, may be null) of `owner` (interned, may be null):
/// cached per thread, so spawning a task rarely takes a lock.
const ActivityLabel *taskLabel(const QString *owner, const char *taskName);

/// Interns a group's name (a lock; once per named group).
const QString *internOwner(const QString &name);

} // namespace detail

} // namespace Benchtop::Async
