// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <memory>

namespace Benchtop {

class LabSession;
class PluginRegistry;

namespace Run {
class RunService;
struct RunStatus;
struct RunStop;
} // namespace Run

/// benchtop-run's work: opens the lab, checks the plan against it, runs it through a
/// RunService on the device thread, says how far it is, and gives the exit code.
class RunCommand : public QObject {
    Q_OBJECT
public:
    /// The exit codes (docs/runs.md, "benchtop-run").
    enum Exit {
        Completed = 0,
        Refused = 1, ///< plan or lab errors, an unwritable data folder: nothing moved, no file
        Usage = 2,
        AbortedOrFailed = 3, ///< the file is valid; its exit_status says why
        Stopped = 4, ///< stopped by the user (Ctrl+C once)
    };

    struct Options {
        QString labPath;
        QString planPath;
        QString outDir; ///< empty: the lab's data folder
        QStringList overrides; ///< --set key=value
        bool checkOnly = false;
    };

    RunCommand(PluginRegistry &registry, Options options, QObject *parent = nullptr);
    ~RunCommand() override;

    /// Opens the lab and checks the plan; with --check, says what it found and is done;
    /// otherwise starts the run. Returns the exit code when it is already known (errors, or
    /// --check), -1 when the run goes on: finished() then gives the code.
    int start();

    /// The first Ctrl+C: stop after the point in flight. The second: abort.
    void interrupt(int count);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onStatus(const Run::RunStatus &status);
    void onFinished(const Run::RunStop &stop, const QString &h5Path);
    void printProgress(const Run::RunStatus &status, bool last);

    PluginRegistry &m_registry;
    Options m_options;
    std::unique_ptr<LabSession> m_session;
    Run::RunService *m_service = nullptr; ///< lives on the device thread, a child of the host
    bool m_tty = false;
    qint64 m_lastPrintMs = -1;
    int m_lastLineLength = 0;
};

} // namespace Benchtop
