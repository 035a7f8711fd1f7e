// SPDX-License-Identifier: MIT
#pragma once

// Runs the `benchtop` executable (BENCHTOP_APP) as a user would, for the tests of its command
// line: never with the user's own saved state or settings.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Benchtop::Test {

struct AppResult {
    int exitCode; ///< -1: did not exit within the limit (killed); -2: crashed
    QString out;
    QString err;
};

/// A folder for the runs' saved state and settings, for the whole test program.
inline QTemporaryDir &appStateDir()
{
    static QTemporaryDir dir;
    return dir;
}

/// The offscreen platform, and state and settings in appStateDir().
inline QProcessEnvironment appEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("BENCHTOP_STATE_DIR"), appStateDir().path());
    // The window remembers its layout per lab (QSettings): in the test's folder, never in the
    // user's ~/.config.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), appStateDir().filePath(QStringLiteral("config")));
    return env;
}

/// No display at all: what --check and --list-plugins must cope with.
inline QProcessEnvironment headlessAppEnvironment()
{
    QProcessEnvironment env = appEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    return env;
}

inline AppResult runApp(const QStringList &arguments,
    const QProcessEnvironment &env = appEnvironment(), int limitMs = 60'000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BENCHTOP_APP), arguments);
    if (!process.waitForFinished(limitMs)) {
        process.kill();
        process.waitForFinished();
        return {-1, {}, QStringLiteral("did not exit")};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
        QString::fromLocal8Bit(process.readAllStandardOutput()),
        QString::fromLocal8Bit(process.readAllStandardError())};
}

} // namespace Benchtop::Test
