// SPDX-License-Identifier: MIT
#include "run/hdf5/h5dataset.h"

#include "run/hdf5/h5error.h"
#include "run/hdf5/h5types_p.h"

#include <hdf5.h>

#include <algorithm>

namespace Benchtop::Run::H5 {

std::vector<unsigned long long> Dataset::dimensions() const
{
    const Id space(H5Dget_space(m_id.get()), Id::Kind::Dataspace);
    check(space.get(), m_fileName, m_path, "could not read the shape");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(size_t(std::max(rank, 0)));
    if (rank > 0)
        H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return {dims.begin(), dims.end()};
}

qint64 Dataset::rows() const
{
    const auto dims = dimensions();
    return dims.empty() ? 1 : qint64(dims[0]);
}

qint64 Dataset::rowElements() const
{
    const auto dims = dimensions();
    qint64 elements = 1;
    for (size_t i = 1; i < dims.size(); ++i)
        elements *= qint64(dims[i]);
    return elements;
}

void Dataset::append(const void *data, qint64 count)
{
    if (count <= 0)
        return;
    std::vector<unsigned long long> dims = dimensions();
    const hsize_t first = dims[0];
    std::vector<hsize_t> extent(dims.begin(), dims.end());
    extent[0] = first + hsize_t(count);
    const QString what = QStringLiteral("could not append %1 rows").arg(count);
    check(H5Dset_extent(m_id.get(), extent.data()), m_fileName, m_path, what.toUtf8().constData());
    const Id fileSpace(H5Dget_space(m_id.get()), Id::Kind::Dataspace);
    std::vector<hsize_t> start(extent.size(), 0);
    start[0] = first;
    std::vector<hsize_t> size = extent;
    size[0] = hsize_t(count);
    check(H5Sselect_hyperslab(
              fileSpace.get(), H5S_SELECT_SET, start.data(), nullptr, size.data(), nullptr),
        m_fileName, m_path, what.toUtf8().constData());
    const Id memorySpace(
        H5Screate_simple(int(size.size()), size.data(), nullptr), Id::Kind::Dataspace);
    const Id type = fileType(m_type);
    check(H5Dwrite(m_id.get(), type.get(), memorySpace.get(), fileSpace.get(), H5P_DEFAULT, data),
        m_fileName, m_path, what.toUtf8().constData());
}

void Dataset::flush()
{
    check(H5Dflush(m_id.get()), m_fileName, m_path, "could not flush");
}

void Dataset::resize(qint64 rows)
{
    std::vector<unsigned long long> dims = dimensions();
    std::vector<hsize_t> extent(dims.begin(), dims.end());
    extent[0] = hsize_t(rows);
    check(H5Dset_extent(m_id.get(), extent.data()), m_fileName, m_path,
        QStringLiteral("could not resize to %1 rows").arg(rows).toUtf8().constData());
}

void Dataset::write(double value)
{
    check(H5Dwrite(m_id.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value),
        m_fileName, m_path, "could not write the value");
}

void Dataset::write(qint64 value)
{
    check(H5Dwrite(m_id.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), m_fileName,
        m_path, "could not write the value");
}

void Dataset::writeFixedString(const QString &value)
{
    QByteArray bytes(m_type.stringBytes, '\0');
    QByteArray utf8 = value.toUtf8();
    // Cut at a character boundary: a continuation byte (10xxxxxx) never starts the cut part.
    qsizetype length = std::min(utf8.size(), bytes.size());
    while (length > 0 && length < utf8.size() && (uchar(utf8[length]) & 0xC0) == 0x80)
        --length;
    std::copy_n(utf8.constData(), length, bytes.data());
    const Id type = fileType(m_type);
    check(H5Dwrite(m_id.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.constData()),
        m_fileName, m_path, "could not write the value");
}

std::vector<double> Dataset::readDoubles() const
{
    const auto dims = dimensions();
    size_t count = 1;
    for (auto d : dims)
        count *= size_t(d);
    std::vector<double> values(count);
    if (count > 0)
        check(H5Dread(m_id.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            m_fileName, m_path, "could not read the dataset");
    return values;
}

std::vector<qint64> Dataset::readInt64() const
{
    const auto dims = dimensions();
    size_t count = 1;
    for (auto d : dims)
        count *= size_t(d);
    std::vector<qint64> values(count);
    if (count > 0)
        check(H5Dread(m_id.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            m_fileName, m_path, "could not read the dataset");
    return values;
}

QByteArray Dataset::readStringBytes() const
{
    const Id type(H5Dget_type(m_id.get()), Id::Kind::Datatype);
    if (H5Tget_class(type.get()) != H5T_STRING)
        raise(m_fileName, m_path, QStringLiteral("not a string"));
    if (H5Tis_variable_str(type.get()) > 0) {
        const Id memoryType = variableString();
        char *value = nullptr;
        check(H5Dread(m_id.get(), memoryType.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &value),
            m_fileName, m_path, "could not read the dataset");
        QByteArray result(value ? value : "");
        H5free_memory(value);
        return result;
    }
    QByteArray bytes(qsizetype(H5Tget_size(type.get())), '\0');
    check(H5Dread(m_id.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), m_fileName,
        m_path, "could not read the dataset");
    bytes.truncate(qsizetype(qstrnlen(bytes.constData(), size_t(bytes.size()))));
    return bytes;
}

} // namespace Benchtop::Run::H5
