// SPDX-License-Identifier: MIT
#pragma once

#include <async/loopwatchdog.h>
#include <async/taskgroup.h>
#include <device/devicesettings.h>
#include <host/devicehost.h>
#include <host/loophealth.h>
#include <lab/laberror.h>

#include <QCoroTask>
#include <QObject>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace Benchtop {

class DeviceHandle;
class DeviceThread;
class PluginRegistry;
struct LoadedLab;
class SnapshotPacer;
class StateStore;

/// The running lab: a lab (a file, or text) opened on its own device thread, its DeviceHost,
/// one handle per device for this thread, and the operations on it (add, remove, restart, stop
/// all, measure all, save as). The window, benchtopd and the tests' SimLab all run their lab
/// through it and add only what is theirs (a window, yaq servers, a temporary file).
///
/// Errors come back in one style: values, never exceptions. open() returns the lab's errors
/// (devices with errors are in fault, the others run); the other operations return a Result
/// that is false with the reason (a sentence for a log, naming the device or the file).
///
/// Every operation that reaches the devices returns an awaitable and never blocks this thread,
/// except open() and close(), which start and stop the device thread (close() is bounded by
/// Options::stopLimit; it saves every device's state).
///
/// Thread affinity: the thread that created it (the GUI thread in the window); its handles and
/// signals live there. QtCore only.
class LabSession : public QObject {
    Q_OBJECT
public:
    /// The outcome of an operation: true, or false with the reason (after KCoreAddons'
    /// KPluginFactory::Result).
    struct Result {
        QString error; ///< empty on success
        explicit operator bool() const noexcept { return error.isEmpty(); }
        static Result failure(QString reason) { return {std::move(reason)}; }
    };

    static constexpr std::chrono::milliseconds kDefaultWatchdog{20};

    struct Options {
        /// The host's options; the loop watchdog defaults to kDefaultWatchdog.
        DeviceHost::Options host = [] {
            DeviceHost::Options options;
            options.watchdog = kDefaultWatchdog;
            return options;
        }();
        /// Whether the handles' deliveries are paced by this thread's frames (the application's
        /// FrameClock::instance(), as a window needs), or each delivered as soon as this thread
        /// takes it.
        bool paced = true;
        /// Whether the session keeps a handle per device on this thread (handles(), handle(),
        /// deviceAdded()). A window reads them; benchtopd and benchtop-run do not, and without
        /// them no device change crosses to this thread (at 100,000 points a second, a wake-up of
        /// this thread per change was the largest cost of a run).
        bool handles = true;
        /// What a restart reads; empty: the lab's file (or text) again, as saveAs() last named.
        DeviceHost::SettingsSource reload;
        /// How long close() waits for the device thread (DeviceThread::stop).
        std::chrono::milliseconds stopLimit{3000};
    };
    /// `store` may be null: devices then neither read nor write state files.
    LabSession(
        PluginRegistry &registry, std::shared_ptr<StateStore> store, QObject *parent = nullptr);
    LabSession(PluginRegistry &registry, std::shared_ptr<StateStore> store, Options options,
        QObject *parent = nullptr);
    ~LabSession() override;

    /// Closes the open lab, if any, then reads, checks and opens the lab at `path` (a file or
    /// ":/..." resource). Returns the lab's errors in file order. A file that cannot be read
    /// gives one error and an empty lab; the lab is open either way.
    QList<LabError> open(const QString &path);
    /// The same for lab text that has no file (yet): errors name `displayPath`, and restarts
    /// read the text again until saveAs() gives the lab a file.
    QList<LabError> openText(const QByteArray &text, const QString &displayPath);
    /// Closes the lab and opens its file again (or its text, for a lab that has none), as it
    /// is now: every device restarts from the file, and what was added or removed in the
    /// window and not saved is gone. Returns the lab's errors, as open() does.
    QList<LabError> reload();
    /// Emits aboutToClose, destroys the handles, then shuts the devices down (state saved) and
    /// ends their thread. Returns false if the thread did not end within Options::stopLimit (a
    /// driver blocking it: it is left running). Nothing to do, and true, when no lab is open.
    bool close();
    bool isOpen() const { return m_host != nullptr; }

    /// The lab's file (or the display path of its text).
    QString path() const { return m_path; }
    /// "Demo lab" for the built-in one, else the file's name.
    QString title() const;
    PluginRegistry &registry() { return m_registry; }
    /// The host, on the device thread (null while no lab is open): for the owner's own
    /// additions there (benchtopd's yaq servers) and for tests.
    DeviceHost *host() const { return m_host; }

    const std::vector<std::unique_ptr<DeviceHandle>> &handles() const { return m_handles; }
    DeviceHandle *handle(const QString &name) const;
    /// The lab's devices as the lab file would list them now: each device's current table (as
    /// the file had it when it was last read, opened or restarted, or as added in the window),
    /// with added and removed ones.
    const QList<DeviceSettings> &devices() const { return m_devices; }
    /// Whether devices() differs from the lab's file: a device was added or removed since it was
    /// opened or saved (modifiedChanged tells).
    bool isModified() const { return m_modified; }

    /// Adds a device and starts it; resumes once its handle exists (deviceAdded), or with the
    /// reason it was not added (name taken, no lab open).
    QCoro::Task<Result> addDevice(DeviceSettings settings);
    /// Stops and removes a device (its state saved); deviceRemoved is emitted first, so that
    /// views drop the handle, which is then destroyed.
    QCoro::Task<Result> removeDevice(QString name);
    /// Restarts a device: one from the lab re-reads its table from the lab's file (so a device in
    /// fault for an error in its table comes up once the file is fixed), one added in the window
    /// keeps its table. devices() then holds the table it runs with.
    QCoro::Task<Result> restartDevice(QString name);
    /// Calls `stop` on every stoppable device; returns the names called. A call that fails is
    /// reported by callFailed.
    QStringList stopAll();
    /// Calls `measure` on every device with a measure trigger; returns the names called.
    QStringList measureAll();

    /// Writes the lab (devices()) to `path` atomically, and makes it the lab's file (restarts
    /// read it from then on); the lab is then not modified.
    ///
    /// What is written is the text the lab was opened from (or last saved as), edited where its
    /// tables changed (editedLabText, lab/labedit.h): its comments, blank lines, order and
    /// `[benchtop]` table stay. When that text cannot be edited in place, or the edited text
    /// would not read back as devices(), the lab is written whole by labText instead (its
    /// comments are then lost).
    Result saveAs(const QString &path);

    /// The device loop's watchdog threshold for the labs opened from now on (zero: none).
    void setWatchdog(std::chrono::milliseconds threshold) { m_options.host.watchdog = threshold; }
    std::chrono::milliseconds watchdog() const { return m_options.host.watchdog; }

Q_SIGNALS:
    void opened();
    /// Before the handles go.
    void aboutToClose();
    void deviceAdded(Benchtop::DeviceHandle *handle);
    void deviceRemoved(const QString &name);
    /// isModified() changed.
    void modifiedChanged(bool modified);
    void healthChanged(const Benchtop::LoopHealth &health);
    /// A step held the device loop past the watchdog's threshold (DeviceHost::loopStalled):
    /// while it still does, and once when it ends.
    void loopStalled(const Benchtop::Async::LoopStall &stall);
    void loopStallEnded(const Benchtop::Async::LoopStall &stall);
    void deviceFaulted(const QString &name, const QString &reason);
    void bindingFailed(const QString &binding, const QString &reason);
    /// A call made by stopAll() / measureAll() failed.
    void callFailed(const QString &device, const QString &reason);

private:
    struct Source;
    QList<LabError> start(LoadedLab loaded, const QString &path, QByteArray text);
    QCoro::Task<Result> onHost(std::function<QCoro::Task<>(DeviceHost *)> work);
    void addHandle(const QString &device);
    void callEach(const QString &trait, const QString &message, QStringList *called);
    void setModified(bool modified);
    QByteArray labFileText(const QString &path) const;

    PluginRegistry &m_registry;
    std::shared_ptr<StateStore> m_store;
    Options m_options;
    std::shared_ptr<Source> m_source; ///< what restarts read
    QString m_path;
    QList<DeviceSettings> m_devices;
    /// The text the lab was opened from or last saved as, and the tables it reads as: what
    /// saveAs() edits.
    QByteArray m_savedText;
    QList<DeviceSettings> m_savedDevices;
    bool m_modified = false;
    std::unique_ptr<DeviceThread> m_thread;
    DeviceHost *m_host = nullptr;
    std::vector<std::unique_ptr<DeviceHandle>> m_handles;
    Async::TaskGroup m_calls{QStringLiteral("lab session calls")}; // last: destroyed first
};

} // namespace Benchtop
