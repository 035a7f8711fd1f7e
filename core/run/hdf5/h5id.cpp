// SPDX-License-Identifier: MIT
#include "run/hdf5/h5id.h"

#include <hdf5.h>

#include <type_traits>

static_assert(std::is_same_v<hid_t, std::int64_t>, "HDF5 1.10 identifiers are 64-bit");

namespace Benchtop::Run::H5 {

bool Id::reset()
{
    if (m_id < 0)
        return true;
    herr_t status = 0;
    switch (m_kind) {
    case Kind::File:
        status = H5Fclose(m_id);
        break;
    case Kind::Group:
        status = H5Gclose(m_id);
        break;
    case Kind::Dataset:
        status = H5Dclose(m_id);
        break;
    case Kind::Dataspace:
        status = H5Sclose(m_id);
        break;
    case Kind::Datatype:
        status = H5Tclose(m_id);
        break;
    case Kind::PropertyList:
        status = H5Pclose(m_id);
        break;
    case Kind::Attribute:
        status = H5Aclose(m_id);
        break;
    }
    m_id = -1;
    return status >= 0;
}

} // namespace Benchtop::Run::H5
