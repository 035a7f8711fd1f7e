// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Benchtop::Run {

/// Checks of the folder a run's files go to, made before the run starts (nothing moves when
/// one fails). Synchronous and quick (a stat, a statfs, a file made and removed): call them
/// before the run, not per point.
class FolderCheck {
public:
    /// Empty when `folder` may hold a run's files; otherwise why not, worded for a user:
    /// a folder that cannot be made or written to, or one on a network filesystem.
    static QString check(const QString &folder);
    /// The refusal for a folder on a filesystem of statfs type `statfsType`; empty for a local
    /// one. check() uses it; separate so that the refusal can be tested without a network mount.
    static QString checkFilesystem(const QString &folder, unsigned long statfsType);
    /// Bytes free for an unprivileged user in `folder` (statvfs f_bavail × f_frsize); -1 when
    /// it cannot be read.
    static qint64 freeBytes(const QString &folder);
    /// The name of the network or user-space filesystem a statfs f_type stands for ("NFS",
    /// "CIFS/SMB", "FUSE", ...); empty for a local filesystem. HDF5's file locking and SWMR need
    /// POSIX write() ordering and working flock(), which these do not promise.
    static QString networkFilesystem(unsigned long statfsType);
};

} // namespace Benchtop::Run
