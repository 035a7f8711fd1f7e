// SPDX-License-Identifier: MIT
#include "scheduler_p.h"

#include "activity.h"

#include "logging_p.h"
#include "manualclock.h"
#include "signal.h"
#include "taskgroup.h"

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QSocketNotifier>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/timerfd.h>
#include <unistd.h>

namespace Benchtop::Async::detail {

// initial-exec: the library is loaded at start-up (linked by the app and by every plugin), so its
// thread-locals live in static TLS and are read without a call to __tls_get_addr.
[[gnu::tls_model("initial-exec")]] thread_local Scheduler *t_scheduler = nullptr;
[[gnu::tls_model("initial-exec")]] thread_local TaskContext *t_currentContext = nullptr;

namespace {

const QEvent::Type kPassEvent = static_cast<QEvent::Type>(QEvent::registerEventType());

// A task that yields forever must not turn ManualClock::advance() into an endless loop.
constexpr int kMaxPassesPerAdvance = 1'000'000;

// Passes run back to back for at most this long before Qt gets the loop back: one posted
// event then serves many passes, and Qt's own events wait 100 us at most.
constexpr auto kPassBudget = std::chrono::microseconds(100);

} // namespace

QObject *schedulerContext()
{
    return Scheduler::current().qobject();
}

/// The scheduler's foothold in the Qt event loop: receives the "run a pass" event.
class SchedulerObject : public QObject {
public:
    explicit SchedulerObject(Scheduler *scheduler)
        : m_scheduler(scheduler)
    {
    }

    bool event(QEvent *event) override
    {
        if (event->type() == kPassEvent) {
            m_scheduler->onPassEvent();
            return true;
        }
        return QObject::event(event);
    }

private:
    Scheduler *m_scheduler;
};

Scheduler &Scheduler::createForThisThread()
{
    auto *app = QCoreApplication::instance();
    if (!app)
        qFatal("Benchtop::Async: the scheduler needs a QCoreApplication");
    t_scheduler = new Scheduler;
    if (QThread::currentThread() == app->thread()) {
        qAddPostRoutine(&Scheduler::destroyCurrent);
    } else {
        // Emitted in the finishing thread while its event dispatcher still exists.
        QThread *thread = QThread::currentThread();
        QObject::connect(
            thread, &QThread::finished, thread, &Scheduler::destroyCurrent, Qt::DirectConnection);
    }
    return *t_scheduler;
}

void Scheduler::destroyCurrent()
{
    delete t_scheduler;
    t_scheduler = nullptr;
}

Scheduler::Scheduler()
    : m_object(new SchedulerObject(this))
{
    m_timerFd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_timerFd < 0)
        qFatal("Benchtop::Async: timerfd_create failed: %s", std::strerror(errno));
    m_notifier = new QSocketNotifier(m_timerFd, QSocketNotifier::Read, m_object);
    QObject::connect(m_notifier, &QSocketNotifier::activated, m_object, [this] { onTimerFd(); });
}

Scheduler::~Scheduler()
{
    // Tasks owned by the scheduler itself unwind now; anything else still waiting belongs to
    // code that did not shut down its tasks, which we report rather than resume into objects
    // that may already be gone.
    m_background.reset();
    if (!m_ready.isEmpty() || !m_heap.empty())
        qCInfo(lcAsync) << "the event loop ended with" << m_ready.size() << "tasks ready and"
                        << m_heap.size() << "timers pending; they will not run";
    m_ready.clear();
    for (TimerNode *timer : m_heap)
        timer->m_heapIndex = TimerNode::kNotScheduled;
    m_heap.clear();
    delete m_object; // also deletes the notifier
    ::close(m_timerFd);
}

TimePoint Scheduler::now() const
{
    return m_manualClock ? m_manualClock->m_now : Clock::now();
}

TaskGroup &Scheduler::background()
{
    if (!m_background)
        m_background = std::make_unique<TaskGroup>("background");
    return *m_background;
}

void Scheduler::enqueueReady(Waiter *waiter)
{
    m_ready.pushBack(waiter);
    if (!m_inTimerDispatch && m_callbackDepth == 0)
        postPass();
}

void Scheduler::leaveCallback()
{
    if (--m_callbackDepth > 0 || m_ready.isEmpty())
        return;
    if (t_currentContext) {
        postPass(); // inside a task after all: its steps must not nest
        return;
    }
    // What the callback woke runs now, within a pass's budget; anything left, at the next turn.
    const TimePoint budgetEnd = Clock::now() + kPassBudget;
    while (runReadyPass() && !m_ready.isEmpty() && Clock::now() < budgetEnd) { }
    if (!m_ready.isEmpty())
        postPass();
}

void Scheduler::postPass()
{
    if (m_passPosted)
        return;
    m_passPosted = true;
    QCoreApplication::postEvent(m_object, new QEvent(kPassEvent));
}

void Scheduler::onPassEvent()
{
    m_passPosted = false;
    const TimePoint budgetEnd = Clock::now() + kPassBudget;
    while (runReadyPass()) {
        if (m_ready.isEmpty())
            return;
        // Back to the loop when the budget is spent, or when a timer is due (its sleeper
        // must not wait for us). One clock read per pass serves both checks.
        const TimePoint realNow = Clock::now();
        const TimePoint schedulerNow = m_manualClock ? m_manualClock->m_now : realNow;
        if (realNow >= budgetEnd || nextDeadline() <= schedulerNow)
            break;
    }
    if (!m_ready.isEmpty())
        postPass();
    // A task resumed by onTimerFd() ran a nested event loop: the timerfd is not armed yet.
    if (m_deferRearm)
        rearm();
}

bool Scheduler::runReadyPass()
{
    if (m_ready.isEmpty())
        return false;
    IntrusiveList<Waiter> batch;
    batch.spliceBack(m_ready);
    // Each step publishes its own label (resume()); what ran before the pass gets its label
    // back once, after the pass, rather than after every step.
    const ActivityLabel *outer = t_loopActivity.label();
    while (Waiter *waiter = batch.popFront())
        resume(waiter);
    t_loopActivity.publish(outer);
    return true;
}

void Scheduler::resumeNow(Waiter *waiter)
{
    waiter->unlink();
    const ActivityLabel *outer = t_loopActivity.label();
    resume(waiter);
    t_loopActivity.publish(outer);
}

void Scheduler::resume(Waiter *waiter)
{
    TaskContext *context = waiter->m_context;
    if (context && context->m_currentWait == waiter)
        context->m_currentWait = nullptr;
    TaskContext *previous = t_currentContext;
    t_currentContext = context;
    // Every step is labelled for the loop watchdog (activity.h); the caller restores the
    // label it found, once for a whole pass.
    t_loopActivity.publish(context ? context->label() : nullptr);
    waiter->m_handle.resume();
    t_currentContext = previous;
}

// ---- timers -------------------------------------------------------------------------------

bool Scheduler::earlier(const TimerNode *a, const TimerNode *b) const noexcept
{
    if (a->m_deadline != b->m_deadline)
        return a->m_deadline < b->m_deadline;
    return a->m_sequence < b->m_sequence; // equal deadlines expire in the order they were set
}

void Scheduler::heapSet(std::size_t index, TimerNode *timer) noexcept
{
    m_heap[index] = timer;
    timer->m_heapIndex = index;
}

void Scheduler::siftUp(std::size_t index) noexcept
{
    TimerNode *timer = m_heap[index];
    while (index > 0) {
        const std::size_t parent = (index - 1) / 2;
        if (!earlier(timer, m_heap[parent]))
            break;
        heapSet(index, m_heap[parent]);
        index = parent;
    }
    heapSet(index, timer);
}

void Scheduler::siftDown(std::size_t index) noexcept
{
    TimerNode *timer = m_heap[index];
    const std::size_t size = m_heap.size();
    for (;;) {
        std::size_t child = 2 * index + 1;
        if (child >= size)
            break;
        if (child + 1 < size && earlier(m_heap[child + 1], m_heap[child]))
            ++child;
        if (!earlier(m_heap[child], timer))
            break;
        heapSet(index, m_heap[child]);
        index = child;
    }
    heapSet(index, timer);
}

void Scheduler::addTimer(TimerNode *timer, TimePoint deadline)
{
    if (timer->isScheduled())
        removeTimer(timer);
    timer->m_deadline = deadline;
    timer->m_sequence = m_nextSequence++;
    m_heap.push_back(timer);
    timer->m_heapIndex = m_heap.size() - 1;
    siftUp(m_heap.size() - 1);
    if (deadline < m_armedFor && !m_inTimerDispatch && !m_deferRearm)
        rearm();
}

void Scheduler::removeTimer(TimerNode *timer) noexcept
{
    const std::size_t index = timer->m_heapIndex;
    if (index == TimerNode::kNotScheduled)
        return;
    timer->m_heapIndex = TimerNode::kNotScheduled;
    TimerNode *last = m_heap.back();
    m_heap.pop_back();
    if (last == timer)
        return;
    heapSet(index, last);
    siftDown(index);
    siftUp(last->m_heapIndex);
    // The timerfd may stay armed for the removed deadline: a spurious wake-up re-arms it.
}

void Scheduler::expireTimers(TimePoint now)
{
    m_inTimerDispatch = true;
    while (!m_heap.empty() && m_heap.front()->m_deadline <= now) {
        TimerNode *timer = m_heap.front();
        removeTimer(timer);
        timer->expire();
    }
    m_inTimerDispatch = false;
}

void Scheduler::rearm()
{
    if (m_manualClock)
        return;
    const TimePoint next = nextDeadline();
    if (next == m_armedFor)
        return;
    itimerspec spec{};
    TimePoint wake = next;
    bool idle = false;
    if (next != TimePoint::max()) {
        // About to sleep for a while: wake early by the kernel's usual lateness (WakeAdvance).
        const Clock::duration untilDeadline = next - Clock::now();
        idle = WakeAdvance::isIdleWait(untilDeadline);
        wake = next - m_wakeAdvance.advanceFor(untilDeadline);
        const auto ns
            = std::chrono::duration_cast<std::chrono::nanoseconds>(wake.time_since_epoch()).count();
        // An all-zero it_value would disarm the timer; a deadline at the epoch is long past.
        spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        if (spec.it_value.tv_sec <= 0 && spec.it_value.tv_nsec <= 0)
            spec.it_value.tv_nsec = 1;
    }
    if (::timerfd_settime(m_timerFd, TFD_TIMER_ABSTIME, &spec, nullptr) != 0)
        qCCritical(lcAsync) << "timerfd_settime failed:" << std::strerror(errno);
    m_armedFor = next;
    m_armedWake = wake;
    m_armedIdle = idle;
}

TimePoint Scheduler::waitUntilDue(TimePoint realNow) const noexcept
{
    // Woken ahead of the earliest deadline on purpose (rearm): the rest, at most
    // WakeAdvance::kMaxAdvance, is spent here rather than in another, later, kernel wake-up.
    // A deadline further off (its timer was cancelled or moved since) is left to a re-arm.
    const TimePoint due = nextDeadline();
    if (due <= realNow || due - realNow > WakeAdvance::kMaxAdvance)
        return realNow;
    while (realNow < due) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        realNow = Clock::now();
    }
    return realNow;
}

void Scheduler::onTimerFd()
{
    std::uint64_t expirations = 0;
    [[maybe_unused]] const auto n = ::read(m_timerFd, &expirations, sizeof expirations);
    const bool armedIdle = m_armedIdle;
    const TimePoint armedWake = m_armedWake;
    m_armedFor = TimePoint::max();
    m_armedWake = TimePoint::max();
    m_armedIdle = false;
    if (!m_manualClock) {
        TimePoint realNow = Clock::now();
        if (armedIdle) {
            m_wakeAdvance.learn(realNow - armedWake);
            realNow = waitUntilDue(realNow);
        }
        // The sleepers run now rather than one event later. Timers that fall due while they
        // run (10,000 staggered pollers fall due every microsecond) are expired here too,
        // within the pass budget, instead of after a round trip through the kernel and Qt's
        // dispatcher each; and the timerfd is armed once, at the end, not by every sleep.
        m_deferRearm = true;
        const TimePoint budgetEnd = realNow + kPassBudget;
        for (;;) {
            expireTimers(realNow);
            runReadyPass();
            realNow = Clock::now();
            if (realNow >= budgetEnd || nextDeadline() > realNow)
                break;
        }
        m_deferRearm = false;
        if (!m_ready.isEmpty())
            postPass();
    }
    rearm();
}

// ---- manual clock -------------------------------------------------------------------------

void Scheduler::installManualClock(ManualClock *clock)
{
    if (m_manualClock)
        qFatal("Benchtop::Async: only one ManualClock per thread at a time");
    if (!m_heap.empty())
        qCWarning(lcAsync) << "ManualClock installed while" << m_heap.size()
                           << "real timers are pending; they now run on manual time";
    m_manualClock = clock;
    itimerspec disarm{};
    ::timerfd_settime(m_timerFd, TFD_TIMER_ABSTIME, &disarm, nullptr);
    m_armedFor = TimePoint::max();
    m_armedWake = TimePoint::max();
    m_armedIdle = false;
}

void Scheduler::removeManualClock(ManualClock *clock)
{
    if (m_manualClock != clock)
        return;
    m_manualClock = nullptr;
    rearm();
}

void Scheduler::runPassesUntilIdle()
{
    int passes = 0;
    while (runReadyPass()) {
        if (++passes == kMaxPassesPerAdvance) {
            qCWarning(lcAsync) << "ManualClock: tasks still ready after" << passes
                               << "passes; a task yields in an endless loop";
            return;
        }
    }
}

void Scheduler::advanceManualClock(TimePoint target)
{
    if (!m_manualClock)
        return;
    runPassesUntilIdle();
    while (!m_heap.empty() && m_heap.front()->m_deadline <= target) {
        m_manualClock->m_now = std::max(m_manualClock->m_now, m_heap.front()->m_deadline);
        expireTimers(m_manualClock->m_now);
        runPassesUntilIdle();
    }
    m_manualClock->m_now = std::max(m_manualClock->m_now, target);
    runPassesUntilIdle();
}

} // namespace Benchtop::Async::detail

namespace Benchtop::Async {

TimePoint now()
{
    return detail::Scheduler::current().now();
}

} // namespace Benchtop::Async
