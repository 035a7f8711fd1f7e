// SPDX-License-Identifier: MIT
#include "run/foldercheck.h"

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

#include <sys/statfs.h>
#include <sys/statvfs.h>

namespace Benchtop::Run {

QString FolderCheck::networkFilesystem(unsigned long statfsType)
{
    // The magic numbers of linux/magic.h and of the filesystems' own headers (cifs, fuse, ceph,
    // lustre are not in linux/magic.h).
    switch (statfsType) {
    case 0x6969:
        return QStringLiteral("NFS");
    case 0x517B:
    case 0xFF534D42:
    case 0xFE534D42:
        return QStringLiteral("CIFS/SMB");
    case 0x65735546:
        return QStringLiteral("FUSE (sshfs, rclone, ...)");
    case 0x01021997:
        return QStringLiteral("9P");
    case 0x00C36400:
        return QStringLiteral("Ceph");
    case 0x0BD00BD0:
        return QStringLiteral("Lustre");
    case 0x5346414F:
    case 0x6B414653:
        return QStringLiteral("AFS");
    case 0x73757245:
        return QStringLiteral("Coda");
    case 0x564C:
        return QStringLiteral("NCP");
    case 0x01161970:
        return QStringLiteral("GFS2");
    case 0x7461636F:
        return QStringLiteral("OCFS2");
    case 0x47504653:
        return QStringLiteral("GPFS");
    default:
        return {};
    }
}

QString FolderCheck::checkFilesystem(const QString &folder, unsigned long statfsType)
{
    const QString network = networkFilesystem(statfsType);
    if (network.isEmpty())
        return {};
    return QStringLiteral("the data folder %1 is on a network filesystem (%2): HDF5's file "
                          "locking and SWMR (reading a file while it is written) do not hold "
                          "there, so a run's file could be corrupted or unreadable; choose a "
                          "folder on a local disk")
        .arg(folder, network);
}

QString FolderCheck::check(const QString &folder)
{
    if (folder.isEmpty())
        return QStringLiteral("no data folder is set");
    if (!QDir().mkpath(folder))
        return QStringLiteral("the data folder %1 cannot be made").arg(folder);
    struct statfs info { };
    if (statfs(QFile::encodeName(folder).constData(), &info) == 0) {
        const QString refusal = checkFilesystem(folder, static_cast<unsigned long>(info.f_type));
        if (!refusal.isEmpty())
            return refusal;
    }
    // Access bits say too little (read-only mounts, ACLs, root): make a file and remove it.
    QTemporaryFile probe(QDir(folder).filePath(QStringLiteral(".benchtop-write-check-XXXXXX")));
    if (!probe.open())
        return QStringLiteral("the data folder %1 is not writable: %2")
            .arg(folder, probe.errorString());
    return {};
}

qint64 FolderCheck::freeBytes(const QString &folder)
{
    struct statvfs info { };
    if (statvfs(QFile::encodeName(folder).constData(), &info) != 0)
        return -1;
    return qint64(info.f_bavail) * qint64(info.f_frsize);
}

} // namespace Benchtop::Run
