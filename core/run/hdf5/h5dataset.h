// SPDX-License-Identifier: MIT
#pragma once

#include "run/hdf5/h5node.h"

#include <QByteArray>

#include <vector>

namespace Benchtop::Run::H5 {

/// A dataset: appendable along its first dimension when made by Node::createAppendable, or a
/// scalar. Reads are for checks and for continuing a run, not for speed.
class Dataset : public Node {
public:
    Dataset() = default;

    /// The first dimension (1 for a scalar).
    qint64 rows() const;
    /// The elements of one row (the product of the other dimensions; 1 for scalar rows).
    qint64 rowElements() const;
    ElementType elementType() const { return m_type; }

    /// Appends `count` rows in one H5Dextend + one H5Dwrite. `data` holds count × rowElements()
    /// elements of elementType(), row-major (fixed strings: stringBytes each).
    void append(const void *data, qint64 count);
    /// H5Dflush: this dataset's rows and shape reach the file now (before a commit marker).
    void flush();
    /// Sets the first dimension (cutting rows off, or adding fill values).
    void resize(qint64 rows);

    /// Overwrites a scalar dataset's value.
    void write(double value);
    void write(qint64 value);
    void writeFixedString(const QString &value);

    /// The whole dataset as numbers (converted by HDF5).
    std::vector<double> readDoubles() const;
    std::vector<qint64> readInt64() const;
    /// A scalar string dataset's bytes (variable or fixed length; fixed ones without padding).
    QByteArray readStringBytes() const;

private:
    friend class Node;
    Dataset(Id id, QString fileName, QString path, ElementType type)
        : Node(std::move(id), std::move(fileName), std::move(path))
        , m_type(type)
    {
    }
    std::vector<unsigned long long> dimensions() const;

    ElementType m_type;
};

} // namespace Benchtop::Run::H5
