// SPDX-License-Identifier: MIT
#include "run/hdf5/h5file.h"

#include "run/hdf5/h5error.h"

#include <QFile>

#include <hdf5.h>

namespace Benchtop::Run::H5 {

namespace {

// The v110 format on both bounds: SWMR needs it, and pinning the upper bound keeps files
// written by a later HDF5 readable by Debian 12's.
Id accessList()
{
    Id access(H5Pcreate(H5P_FILE_ACCESS), Id::Kind::PropertyList);
    H5Pset_libver_bounds(access.get(), H5F_LIBVER_V110, H5F_LIBVER_V110);
    return access;
}

} // namespace

File::~File()
{
    // Closing an SWMR file flushes; an error here has nowhere to go (close() reports them).
}

File File::create(const QString &path)
{
    silenceErrorPrinting();
    const Id access = accessList();
    Id id(H5Fcreate(QFile::encodeName(path).constData(), H5F_ACC_EXCL, H5P_DEFAULT, access.get()),
        Id::Kind::File);
    check(id.get(), path, {}, "could not create the file");
    return File(std::move(id), path);
}

File File::openForWriting(const QString &path, Status status)
{
    silenceErrorPrinting();
    const Id access = accessList();
    if (status == Status::Clear) {
        // The property h5clear sets (tools/src/h5clear/h5clear.c, HDF5 1.10): HDF5 registers it
        // on every file-access list but has no public setter for it.
        hbool_t clear = true;
        check(H5Pset(access.get(), "clear_status_flags", &clear), path, {},
            "could not ask HDF5 to clear the file's status flags");
    }
    Id id(H5Fopen(QFile::encodeName(path).constData(), H5F_ACC_RDWR, access.get()), Id::Kind::File);
    check(id.get(), path, {}, "could not open the file for writing");
    return File(std::move(id), path);
}

File File::openForReading(const QString &path, Swmr swmr)
{
    silenceErrorPrinting();
    const unsigned flags = H5F_ACC_RDONLY | (swmr == Swmr::Read ? H5F_ACC_SWMR_READ : 0u);
    Id id(H5Fopen(QFile::encodeName(path).constData(), flags, H5P_DEFAULT), Id::Kind::File);
    check(id.get(), path, {}, "could not open the file");
    return File(std::move(id), path);
}

void File::startSwmrWrite()
{
    check(H5Fstart_swmr_write(m_id.get()), m_fileName, {}, "could not start SWMR writing");
    m_swmr = true;
}

void File::flush()
{
    check(H5Fflush(m_id.get(), H5F_SCOPE_LOCAL), m_fileName, {}, "could not flush");
}

void File::close()
{
    if (!m_id)
        return;
    // Released even on failure: HDF5 frees the identifier either way.
    const herr_t status = H5Fclose(m_id.release());
    check(status, m_fileName, {}, "could not close the file");
}

QString File::libraryVersion()
{
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(release);
}

} // namespace Benchtop::Run::H5
