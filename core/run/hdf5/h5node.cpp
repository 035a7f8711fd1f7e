// SPDX-License-Identifier: MIT
#include "run/hdf5/h5node.h"

#include "run/hdf5/h5dataset.h"
#include "run/hdf5/h5error.h"
#include "run/hdf5/h5types_p.h"

#include <hdf5.h>

#include <algorithm>
#include <vector>

namespace Benchtop::Run::H5 {

int ElementType::bytes() const
{
    switch (base) {
    case Base::Float64:
    case Base::Int64:
        return 8;
    case Base::Int32:
        return 4;
    case Base::Int8:
        return 1;
    case Base::FixedString:
        return stringBytes;
    }
    return 0;
}

QString Node::childPath(const QString &name) const
{
    return m_path == QLatin1String("/") ? QLatin1Char('/') + name
                                        : m_path + QLatin1Char('/') + name;
}

namespace {

Id scalarSpace()
{
    return Id(H5Screate(H5S_SCALAR), Id::Kind::Dataspace);
}

Id vectorSpace(hsize_t n)
{
    return Id(H5Screate_simple(1, &n, nullptr), Id::Kind::Dataspace);
}

// Replaces: an attribute written twice (a writer reopening a file) keeps the last value.
Id makeAttribute(const Node &node, const QString &name, hid_t type, hid_t space)
{
    const QByteArray key = name.toUtf8();
    if (H5Aexists(node.id(), key.constData()) > 0)
        H5Adelete(node.id(), key.constData());
    Id attribute(H5Acreate2(node.id(), key.constData(), type, space, H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Attribute);
    check(attribute.get(), node.fileName(), node.path(),
        QStringLiteral("could not create attribute %1").arg(name).toUtf8().constData());
    return attribute;
}

} // namespace

void Node::setAttribute(const QString &name, const QString &value)
{
    const Id type = variableString();
    const Id space = scalarSpace();
    const Id attribute = makeAttribute(*this, name, type.get(), space.get());
    const QByteArray utf8 = value.toUtf8();
    const char *pointer = utf8.constData();
    check(H5Awrite(attribute.get(), type.get(), &pointer), m_fileName, m_path,
        "could not write an attribute");
}

void Node::setAttribute(const QString &name, const QStringList &values)
{
    const Id type = variableString();
    const Id space = vectorSpace(hsize_t(values.size()));
    const Id attribute = makeAttribute(*this, name, type.get(), space.get());
    std::vector<QByteArray> utf8;
    std::vector<const char *> pointers;
    utf8.reserve(size_t(values.size()));
    for (const QString &value : values)
        utf8.push_back(value.toUtf8());
    for (const QByteArray &bytes : utf8)
        pointers.push_back(bytes.constData());
    check(H5Awrite(attribute.get(), type.get(), pointers.data()), m_fileName, m_path,
        "could not write an attribute");
}

void Node::setAttribute(const QString &name, double value)
{
    const Id space = scalarSpace();
    const Id attribute = makeAttribute(*this, name, H5T_NATIVE_DOUBLE, space.get());
    check(H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, &value), m_fileName, m_path,
        "could not write an attribute");
}

void Node::setAttribute(const QString &name, qint64 value)
{
    const Id space = scalarSpace();
    const Id attribute = makeAttribute(*this, name, H5T_NATIVE_INT64, space.get());
    check(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value), m_fileName, m_path,
        "could not write an attribute");
}

void Node::setAttribute(const QString &name, const QList<qint64> &values)
{
    const Id space = vectorSpace(hsize_t(values.size()));
    const Id attribute = makeAttribute(*this, name, H5T_NATIVE_INT64, space.get());
    check(H5Awrite(attribute.get(), H5T_NATIVE_INT64, values.constData()), m_fileName, m_path,
        "could not write an attribute");
}

bool Node::hasAttribute(const QString &name) const
{
    return H5Aexists(m_id.get(), name.toUtf8().constData()) > 0;
}

QString Node::stringAttribute(const QString &name) const
{
    const Id attribute(
        H5Aopen(m_id.get(), name.toUtf8().constData(), H5P_DEFAULT), Id::Kind::Attribute);
    check(attribute.get(), m_fileName, m_path,
        QStringLiteral("no attribute %1").arg(name).toUtf8().constData());
    const Id fileType(H5Aget_type(attribute.get()), Id::Kind::Datatype);
    if (H5Tget_class(fileType.get()) != H5T_STRING)
        raise(m_fileName, m_path, QStringLiteral("attribute %1 is not a string").arg(name));
    if (H5Tis_variable_str(fileType.get()) > 0) {
        const Id type = variableString();
        char *value = nullptr;
        check(H5Aread(attribute.get(), type.get(), &value), m_fileName, m_path,
            "could not read an attribute");
        const QString result = QString::fromUtf8(value);
        H5free_memory(value);
        return result;
    }
    QByteArray bytes(qsizetype(H5Tget_size(fileType.get())), '\0');
    check(H5Aread(attribute.get(), fileType.get(), bytes.data()), m_fileName, m_path,
        "could not read an attribute");
    return QString::fromUtf8(
        bytes.constData(), qsizetype(qstrnlen(bytes.constData(), size_t(bytes.size()))));
}

Node Node::createGroup(const QString &name)
{
    const QString path = childPath(name);
    Id group(
        H5Gcreate2(m_id.get(), name.toUtf8().constData(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Group);
    check(group.get(), m_fileName, path, "could not create the group");
    return Node(std::move(group), m_fileName, path);
}

Node Node::createGroup(const QString &name, const QString &nxClass)
{
    Node group = createGroup(name);
    group.setAttribute(QStringLiteral("NX_class"), nxClass);
    return group;
}

Node Node::openGroup(const QString &name) const
{
    const QString path = childPath(name);
    Id group(H5Gopen2(m_id.get(), name.toUtf8().constData(), H5P_DEFAULT), Id::Kind::Group);
    check(group.get(), m_fileName, path, "could not open the group");
    return Node(std::move(group), m_fileName, path);
}

bool Node::has(const QString &name) const
{
    return H5Lexists(m_id.get(), name.toUtf8().constData(), H5P_DEFAULT) > 0;
}

QStringList Node::childNames() const
{
    H5G_info_t info{};
    check(H5Gget_info(m_id.get(), &info), m_fileName, m_path, "could not list the group");
    QStringList names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t length = H5Lget_name_by_idx(
            m_id.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        check(length, m_fileName, m_path, "could not list the group");
        QByteArray name(length + 1, '\0');
        H5Lget_name_by_idx(m_id.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
            size_t(name.size()), H5P_DEFAULT);
        names.append(QString::fromUtf8(name.constData()));
    }
    return names;
}

bool Node::isDataset(const QString &name) const
{
    H5O_info_t info{};
    if (H5Oget_info_by_name2(
            m_id.get(), name.toUtf8().constData(), &info, H5O_INFO_BASIC, H5P_DEFAULT)
        < 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
    }
    return info.type == H5O_TYPE_DATASET;
}

Dataset Node::createString(const QString &name, const QString &value)
{
    return createString(name, value.toUtf8());
}

Dataset Node::createString(const QString &name, const QByteArray &utf8)
{
    const QString path = childPath(name);
    const Id type = variableString();
    const Id space = scalarSpace();
    Id dataset(H5Dcreate2(m_id.get(), name.toUtf8().constData(), type.get(), space.get(),
                   H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Dataset);
    check(dataset.get(), m_fileName, path, "could not create the dataset");
    // A QByteArray is always null-terminated; text with a NUL in it is cut there (HDF5's
    // variable-length strings are C strings).
    const char *pointer = utf8.constData();
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer), m_fileName,
        path, "could not write the dataset");
    return Dataset(std::move(dataset), m_fileName, path, ElementType::fixedString(0));
}

Dataset Node::createStrings(const QString &name, const QStringList &values)
{
    const QString path = childPath(name);
    const Id type = variableString();
    const Id space = vectorSpace(hsize_t(values.size()));
    Id dataset(H5Dcreate2(m_id.get(), name.toUtf8().constData(), type.get(), space.get(),
                   H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Dataset);
    check(dataset.get(), m_fileName, path, "could not create the dataset");
    std::vector<QByteArray> utf8;
    std::vector<const char *> pointers;
    for (const QString &value : values)
        utf8.push_back(value.toUtf8());
    for (const QByteArray &bytes : utf8)
        pointers.push_back(bytes.constData());
    if (!values.isEmpty())
        check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            m_fileName, path, "could not write the dataset");
    return Dataset(std::move(dataset), m_fileName, path, ElementType::fixedString(0));
}

Dataset Node::createFixedString(const QString &name, int bytes, const QString &value)
{
    const QString path = childPath(name);
    const ElementType element = ElementType::fixedString(bytes);
    const Id type = fileType(element);
    const Id space = scalarSpace();
    Id id(H5Dcreate2(m_id.get(), name.toUtf8().constData(), type.get(), space.get(), H5P_DEFAULT,
              H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Dataset);
    check(id.get(), m_fileName, path, "could not create the dataset");
    Dataset dataset(std::move(id), m_fileName, path, element);
    dataset.writeFixedString(value);
    return dataset;
}

Dataset Node::createScalar(const QString &name, double value)
{
    const QString path = childPath(name);
    const Id space = scalarSpace();
    Id id(H5Dcreate2(m_id.get(), name.toUtf8().constData(), H5T_NATIVE_DOUBLE, space.get(),
              H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Dataset);
    check(id.get(), m_fileName, path, "could not create the dataset");
    Dataset dataset(std::move(id), m_fileName, path, ElementType::float64());
    dataset.write(value);
    return dataset;
}

Dataset Node::createScalar(const QString &name, qint64 value)
{
    const QString path = childPath(name);
    const Id space = scalarSpace();
    Id id(H5Dcreate2(m_id.get(), name.toUtf8().constData(), H5T_NATIVE_INT64, space.get(),
              H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        Id::Kind::Dataset);
    check(id.get(), m_fileName, path, "could not create the dataset");
    Dataset dataset(std::move(id), m_fileName, path, ElementType::int64());
    dataset.write(value);
    return dataset;
}

Dataset Node::createAppendable(
    const QString &name, ElementType type, const QList<int> &rowShape, int chunkRows)
{
    const QString path = childPath(name);
    std::vector<hsize_t> dims{0};
    std::vector<hsize_t> maxDims{H5S_UNLIMITED};
    qint64 rowBytes = type.bytes();
    for (int extent : rowShape) {
        dims.push_back(hsize_t(std::max(extent, 1)));
        maxDims.push_back(hsize_t(std::max(extent, 1)));
        rowBytes *= std::max(extent, 1);
    }
    // About 64 kB per chunk: few chunks (a small index for SWMR readers to follow) and partial
    // chunks that the chunk cache (1 MB per dataset) keeps between flushes.
    if (chunkRows <= 0)
        chunkRows = int(std::clamp<qint64>(65536 / std::max<qint64>(rowBytes, 1), 1, 8192));
    std::vector<hsize_t> chunk = dims;
    chunk[0] = hsize_t(chunkRows);
    const Id space(
        H5Screate_simple(int(dims.size()), dims.data(), maxDims.data()), Id::Kind::Dataspace);
    const Id create(H5Pcreate(H5P_DATASET_CREATE), Id::Kind::PropertyList);
    check(H5Pset_chunk(create.get(), int(chunk.size()), chunk.data()), m_fileName, path,
        "could not set the chunk size");
    const Id typeId = fileType(type);
    Id id(H5Dcreate2(m_id.get(), name.toUtf8().constData(), typeId.get(), space.get(), H5P_DEFAULT,
              create.get(), H5P_DEFAULT),
        Id::Kind::Dataset);
    check(id.get(), m_fileName, path, "could not create the dataset");
    return Dataset(std::move(id), m_fileName, path, type);
}

Dataset Node::openDataset(const QString &name) const
{
    const QString path = childPath(name);
    Id id(H5Dopen2(m_id.get(), name.toUtf8().constData(), H5P_DEFAULT), Id::Kind::Dataset);
    check(id.get(), m_fileName, path, "could not open the dataset");
    const Id type(H5Dget_type(id.get()), Id::Kind::Datatype);
    ElementType element = ElementType::float64();
    if (H5Tget_class(type.get()) == H5T_STRING)
        element = ElementType::fixedString(
            H5Tis_variable_str(type.get()) > 0 ? 0 : int(H5Tget_size(type.get())));
    else if (H5Tget_class(type.get()) == H5T_INTEGER)
        element = H5Tget_size(type.get()) == 8 ? ElementType::int64()
            : H5Tget_size(type.get()) == 4     ? ElementType::int32()
                                               : ElementType::int8();
    return Dataset(std::move(id), m_fileName, path, element);
}

} // namespace Benchtop::Run::H5
