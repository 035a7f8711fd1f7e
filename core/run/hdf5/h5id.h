// SPDX-License-Identifier: MIT
#pragma once

// A small RAII layer over HDF5's C API (Debian's libhdf5 1.10.8): the C++ and HL bindings are
// not safe to use from threads (Debian's README), and neither starts SWMR. Only the writer
// thread calls it; <hdf5.h> stays in the .cpp files so that nothing else sees HDF5's macros.

#include <cstdint>

namespace Benchtop::Run::H5 {

/// One HDF5 identifier and the call that releases it. Move-only; closes on destruction
/// (errors on close are ignored there: File::close() reports them).
class Id {
public:
    enum class Kind { File, Group, Dataset, Dataspace, Datatype, PropertyList, Attribute };

    Id() = default;
    /// Takes ownership of `id` (an hid_t); a negative id is an empty Id.
    Id(std::int64_t id, Kind kind)
        : m_id(id)
        , m_kind(kind)
    {
    }
    ~Id() { reset(); }
    Id(Id &&other) noexcept
        : m_id(other.m_id)
        , m_kind(other.m_kind)
    {
        other.m_id = -1;
    }
    Id &operator=(Id &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_id = other.m_id;
            m_kind = other.m_kind;
            other.m_id = -1;
        }
        return *this;
    }
    Id(const Id &) = delete;
    Id &operator=(const Id &) = delete;

    std::int64_t get() const { return m_id; }
    explicit operator bool() const { return m_id >= 0; }
    Kind kind() const { return m_kind; }
    /// Closes the identifier; returns false when HDF5 reported an error doing so.
    bool reset();
    /// Gives the identifier up without closing it (the caller closed it).
    std::int64_t release()
    {
        const std::int64_t id = m_id;
        m_id = -1;
        return id;
    }

private:
    std::int64_t m_id = -1;
    Kind m_kind = Kind::File;
};

} // namespace Benchtop::Run::H5
