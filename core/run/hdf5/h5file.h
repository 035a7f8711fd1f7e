// SPDX-License-Identifier: MIT
#pragma once

#include "run/hdf5/h5node.h"

namespace Benchtop::Run::H5 {

/// An HDF5 file in the 1.10 format (libver bounds v110 to v110), which SWMR needs: readers
/// older than HDF5 1.10 cannot open it. The root group is the file itself (Node "/").
class File : public Node {
public:
    File() = default;
    File(File &&) noexcept = default;
    File &operator=(File &&) noexcept = default;
    ~File() override;

    /// Creates `path`; never overwrites an existing file (H5F_ACC_EXCL).
    static File create(const QString &path);
    /// Opens an existing file to append to it. With ClearStatus the superblock's "open for
    /// (SWMR) writing" flags left by a writer that died are cleared first, as `h5clear -s` does;
    /// without it such a file is refused.
    enum class Status { Keep, Clear };
    static File openForWriting(const QString &path, Status status = Status::Keep);
    /// Opens read-only; as an SWMR reader with Swmr::Read (which also opens a file whose
    /// writer died, as h5py's swmr=True does).
    enum class Swmr { No, Read };
    static File openForReading(const QString &path, Swmr swmr = Swmr::No);

    /// Switches to SWMR writing: from now on readers with swmr=True may open the file, and no
    /// object or attribute may be created any more, only datasets written and extended.
    void startSwmrWrite();
    bool isSwmr() const { return m_swmr; }
    /// H5Fflush: after it a reader (and a file left by a killed process) has every row written.
    void flush();
    /// Closes the file, throwing on errors (a full disk shows here too).
    void close();
    /// The HDF5 library's version, "1.10.8".
    static QString libraryVersion();

private:
    File(Id id, QString fileName)
        : Node(std::move(id), std::move(fileName), QStringLiteral("/"))
    {
    }
    bool m_swmr = false;
};

} // namespace Benchtop::Run::H5
