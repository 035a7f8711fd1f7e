// SPDX-License-Identifier: MIT
#pragma once

#include "run/hdf5/h5elementtype.h"
#include "run/hdf5/h5id.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Benchtop::Run::H5 {

class Dataset;

/// A file, group or dataset: where attributes go and, for files and groups, where children are
/// made. Every failure throws H5::Error naming the file and the object. Not thread-safe: one
/// thread uses a file and everything in it.
class Node {
public:
    Node() = default;
    Node(Node &&) noexcept = default;
    Node &operator=(Node &&) noexcept = default;
    virtual ~Node() = default;

    std::int64_t id() const { return m_id.get(); }
    bool isValid() const { return static_cast<bool>(m_id); }
    QString fileName() const { return m_fileName; }
    /// The object's path in the file: "/", "/entry/data/x".
    QString path() const { return m_path; }

    /// Attributes: strings are variable-length UTF-8 (h5py reads them as `str`), lists of
    /// strings a 1-D array of those. Replaces an attribute of the same name.
    void setAttribute(const QString &name, const QString &value);
    void setAttribute(const QString &name, const QStringList &values);
    void setAttribute(const QString &name, double value);
    void setAttribute(const QString &name, qint64 value);
    void setAttribute(const QString &name, const QList<qint64> &values);
    bool hasAttribute(const QString &name) const;
    /// A string attribute's value (variable or fixed length); throws when it is not one.
    QString stringAttribute(const QString &name) const;

    /// Children of a file or group.
    Node createGroup(const QString &name);
    /// A group with its NeXus class: createGroup + the NX_class attribute.
    Node createGroup(const QString &name, const QString &nxClass);
    Node openGroup(const QString &name) const;
    bool has(const QString &name) const;
    /// The names of a group's members, in name order.
    QStringList childNames() const;
    /// Whether member `name` is a dataset (not a group).
    bool isDataset(const QString &name) const;
    /// A scalar dataset holding a variable-length UTF-8 string (for what is written once,
    /// before SWMR starts).
    Dataset createString(const QString &name, const QString &value);
    /// The same with the exact bytes (plan and lab text, kept byte for byte).
    Dataset createString(const QString &name, const QByteArray &utf8);
    /// A 1-D dataset of variable-length UTF-8 strings.
    Dataset createStrings(const QString &name, const QStringList &values);
    /// A scalar fixed-length string dataset, for a value rewritten after SWMR started
    /// (end_time, exit_status): variable-length writes then are not safe for SWMR readers.
    Dataset createFixedString(const QString &name, int bytes, const QString &value);
    Dataset createScalar(const QString &name, double value);
    Dataset createScalar(const QString &name, qint64 value);
    /// A chunked dataset of `rowShape`-shaped rows (empty for scalars) whose first dimension
    /// starts at 0 and is unlimited: [0, rowShape...] growing to [N, rowShape...].
    Dataset createAppendable(
        const QString &name, ElementType type, const QList<int> &rowShape = {}, int chunkRows = 0);
    Dataset openDataset(const QString &name) const;

protected:
    Node(Id id, QString fileName, QString path)
        : m_id(std::move(id))
        , m_fileName(std::move(fileName))
        , m_path(std::move(path))
    {
    }
    QString childPath(const QString &name) const;

    Id m_id;
    QString m_fileName;
    QString m_path;
};

} // namespace Benchtop::Run::H5
