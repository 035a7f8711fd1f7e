// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdio>
#include <optional>

namespace Benchtop {

class PluginRegistry;

/// benchtop's command line.
class CommandLine {
public:
    /// Parses `arguments`; returns -1 to go on, or the exit code to end with (after printing
    /// help, the version, or a usage error on stderr: 2).
    int parse(const QStringList &arguments);

    /// --lab FILE, or the built-in demo lab.
    QString labPath() const { return m_lab.isEmpty() ? demoLab() : m_lab; }
    QStringList pluginDirs() const { return m_pluginDirs; }
    bool check() const { return m_check; }
    bool listPlugins() const { return m_listPlugins; }
    /// --loop-watchdog MS; unset: the window's default.
    std::optional<std::chrono::milliseconds> watchdog() const { return m_watchdog; }

    static QString demoLab() { return QStringLiteral(":/benchtop/labs/demo.toml"); }

private:
    QString m_lab;
    QStringList m_pluginDirs;
    bool m_check = false;
    bool m_listPlugins = false;
    std::optional<std::chrono::milliseconds> m_watchdog;
};

/// --list-plugins: each plugin with its driver kinds and traits, then each refused file with
/// its reason. Returns the exit code (0).
int listPlugins(const PluginRegistry &registry, std::FILE *out);

/// --check: validates the lab (loadLab: the schemas and the drivers' own checks); every problem
/// on `err`, one line each, warnings too. 0 and a summary on `out` when there is no error
/// (warnings allowed), else 1.
int checkLab(const QString &path, PluginRegistry &registry, std::FILE *out, std::FILE *err);

} // namespace Benchtop
