// SPDX-License-Identifier: MIT
#pragma once

// HDF5 type identifiers for the layer's element types; include after <hdf5.h>.

#include "run/hdf5/h5elementtype.h"
#include "run/hdf5/h5id.h"

#include <hdf5.h>

namespace Benchtop::Run::H5 {

/// A variable-length UTF-8 string type (h5py reads it as `str`).
inline Id variableString()
{
    Id type(H5Tcopy(H5T_C_S1), Id::Kind::Datatype);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    return type;
}

/// The type of one element, as stored and as held in memory (a copy, so that it can be closed).
inline Id fileType(ElementType element)
{
    switch (element.base) {
    case ElementType::Base::Float64:
        return Id(H5Tcopy(H5T_NATIVE_DOUBLE), Id::Kind::Datatype);
    case ElementType::Base::Int64:
        return Id(H5Tcopy(H5T_NATIVE_INT64), Id::Kind::Datatype);
    case ElementType::Base::Int32:
        return Id(H5Tcopy(H5T_NATIVE_INT32), Id::Kind::Datatype);
    case ElementType::Base::Int8:
        return Id(H5Tcopy(H5T_NATIVE_INT8), Id::Kind::Datatype);
    case ElementType::Base::FixedString: {
        Id type(H5Tcopy(H5T_C_S1), Id::Kind::Datatype);
        H5Tset_size(type.get(), size_t(element.stringBytes > 0 ? element.stringBytes : 1));
        H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
        H5Tset_cset(type.get(), H5T_CSET_UTF8);
        return type;
    }
    }
    return {};
}

} // namespace Benchtop::Run::H5
