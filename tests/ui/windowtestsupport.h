// SPDX-License-Identifier: MIT
#pragma once

// For tests of the whole window: a LabSession on a lab of sim devices written to a temporary
// file, with the sim plugin from the build tree, and QSettings kept out of the user's files.

#include "testsupport.h"

#include <plugins/pluginregistry.h>
#include <session/labsession.h>
#include <state/statestore.h>

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>
#include <stdexcept>

namespace Benchtop::UiTest {

class WindowFixture {
public:
    /// `withState`: devices save their state under stateDir() (else nothing is saved).
    explicit WindowFixture(const QByteArray &labText, bool withState = false)
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to ~/.qttest, not the user's
        if (!registry.addFile(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE)))
            throw std::runtime_error("cannot load the sim plugin " BENCHTOP_SIM_PLUGIN_FILE);
        labPath = dir.filePath(QStringLiteral("lab.toml"));
        write(labPath, labText);
        if (withState)
            store = std::make_shared<StateStore>(stateDir());
        session = std::make_unique<LabSession>(registry, store);
    }

    QString stateDir() const { return dir.filePath(QStringLiteral("state")); }
    QString path(const QString &name) const { return dir.filePath(name); }

    static void write(const QString &path, const QByteArray &text)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            throw std::runtime_error("cannot write " + path.toStdString());
    }

    QTemporaryDir dir;
    QString labPath;
    PluginRegistry registry;
    std::shared_ptr<StateStore> store;
    std::unique_ptr<LabSession> session;
};

} // namespace Benchtop::UiTest
